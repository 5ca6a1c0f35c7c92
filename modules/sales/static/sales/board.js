/* The sales board (SAL-02): drag a card to a column or between cards, or focus it and press
   Alt + an arrow (left/right: the next/previous stage in reading order, so on a right-to-left
   page Alt+← is the next stage; up/down: its place in the column). A lost column asks why first.
   The server decides (approval, reason, scope): a refusal is shown and the card stays. */
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board || board.dataset.canMove !== "1") return;
  var errorBox = document.querySelector("[data-board-error]");
  var dialog = document.getElementById("lost-dialog");
  var dragged = null;

  function columns() { return Array.prototype.slice.call(board.querySelectorAll("[data-stage]")); }
  function cardsOf(column) { return Array.prototype.slice.call(column.querySelectorAll("[data-card]")); }
  function showError(text) {
    if (!errorBox) return;
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function askReason() {
    return new Promise(function (resolve) {
      if (!dialog || !dialog.showModal) { resolve(null); return; }
      var form = dialog.querySelector("[data-lost-form]");
      form.reset();
      dialog.addEventListener("close", function onClose() {
        dialog.removeEventListener("close", onClose);
        if (dialog.returnValue !== "ok") { resolve(null); return; }
        resolve({lost_reason_id: form.elements.lost_reason_id.value, note: form.elements.note.value});
      });
      dialog.showModal();
    });
  }

  function send(card, column, before) {
    var extra = Promise.resolve({});
    var changing = card.closest("[data-stage]") !== column;
    if (changing && column.dataset.outcome === "lost") extra = askReason();
    return extra.then(function (more) {
      if (more === null) return false;
      var body = new URLSearchParams({stage_id: column.dataset.stage, before_id: before ? before.dataset.card : ""});
      Object.keys(more).forEach(function (k) { body.set(k, more[k]); });
      return fetch("/sales/opportunity/" + card.dataset.card + "/move", {
        method: "POST", body: body, credentials: "same-origin",
        headers: {"X-CSRF-Token": board.dataset.csrf, "Accept": "application/json"}
      }).then(function (resp) {
        return resp.json().catch(function () { return {ok: false, error: resp.statusText}; });
      }).then(function (answer) {
        if (!answer.ok) { showError(answer.error || ""); return false; }
        showError("");
        var list = column.querySelector(".cards");
        if (before) list.insertBefore(card, before); else list.appendChild(card);
        totals(answer.columns || {});
        card.focus();
        return true;
      });
    });
  }

  function totals(found) {
    columns().forEach(function (column) {
      var t = found[column.dataset.stage];
      column.querySelector("[data-count]").textContent = t ? t.count : "۰";
      column.querySelector("[data-total]").textContent = t ? t.total : "۰";
    });
  }

  // -- dragging -------------------------------------------------------------------------------
  board.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest("[data-card]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.dataset.card);
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    columns().forEach(function (c) { c.classList.remove("drop-here"); });
  });
  board.addEventListener("dragover", function (e) {
    var column = e.target.closest && e.target.closest("[data-stage]");
    if (!column || !dragged) return;
    e.preventDefault();
    columns().forEach(function (c) { c.classList.toggle("drop-here", c === column); });
  });
  board.addEventListener("drop", function (e) {
    var column = e.target.closest && e.target.closest("[data-stage]");
    if (!column || !dragged) return;
    e.preventDefault();
    var card = dragged;
    var before = cardsOf(column).filter(function (c) {
      if (c === card) return false;
      var box = c.getBoundingClientRect();
      return e.clientY < box.top + box.height / 2;
    })[0] || null;
    send(card, column, before);
  });

  // -- the keyboard -----------------------------------------------------------------------------
  board.addEventListener("keydown", function (e) {
    var card = e.target.closest && e.target.closest("[data-card]");
    if (!card || !e.altKey || e.target !== card) return;
    var column = card.closest("[data-stage]");
    var all = columns();
    var at = all.indexOf(column);
    var rtl = (document.documentElement.dir || "rtl") === "rtl";
    var step = {ArrowLeft: rtl ? 1 : -1, ArrowRight: rtl ? -1 : 1}[e.key];
    if (step) {
      var target = all[at + step];
      e.preventDefault();
      if (target) send(card, target, null);
      return;
    }
    var cards = cardsOf(column);
    var i = cards.indexOf(card);
    if (e.key === "ArrowUp" && i > 0) { e.preventDefault(); send(card, column, cards[i - 1]); }
    if (e.key === "ArrowDown" && i < cards.length - 1) { e.preventDefault(); send(card, column, cards[i + 2] || null); }
  });
})();
