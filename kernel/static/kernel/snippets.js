// Saved snippets (KER-14) on every long text field: "pick a snippet" (F2, or the link) inserts
// one where the cursor is; "save as snippet" (Shift+F2) keeps the selected text, or all of it.
// Snippet texts are users' data: they only ever reach the page as textContent / values.
(function () {
  "use strict";
  const boxes = document.querySelectorAll("textarea[data-snippets]");
  if (!boxes.length) return;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function csrf(area) {
    const form = area.closest("form");
    const input = form && form.querySelector("input[name=csrf]");
    return input ? input.value : "";
  }

  function insert(area, text) {
    const start = area.selectionStart, end = area.selectionEnd;
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  }

  function closePanels(tools) {
    tools.querySelectorAll(".snippet-panel").forEach((p) => p.remove());
  }

  async function pick(area, tools) {
    closePanels(tools);
    const L = tools.dataset;
    const panel = el("div", { class: "snippet-panel snippet-picker" });
    const filter = el("input", { type: "search", "aria-label": L.lFilter, placeholder: L.lFilter, autocomplete: "off" });
    const list = el("div", { role: "listbox", "aria-label": L.lFilter, class: "snippet-list" });
    panel.append(filter, list);
    tools.appendChild(panel);
    let items = [], at = 0, seq = 0;

    function draw() {
      list.replaceChildren();
      if (!items.length) { list.appendChild(el("p", { class: "muted" }, L.lNone)); return; }
      items.forEach((s, i) => {
        const option = el("button", { type: "button", role: "option", "aria-selected": String(i === at), class: "snippet-option" });
        option.appendChild(el("b", {}, s.title));
        if (s.shared) option.appendChild(el("small", { class: "muted" }, " (" + L.lSharedMark + ")"));
        option.appendChild(el("span", { class: "snippet-body" }, s.body));
        option.addEventListener("click", () => { closePanels(tools); insert(area, s.body); });
        list.appendChild(option);
      });
    }
    async function load() {
      const mine = ++seq;
      const res = await fetch("/snippets?q=" + encodeURIComponent(filter.value.trim()), { headers: { accept: "application/json" } });
      if (!res.ok || mine !== seq) return;
      items = (await res.json()).items; at = 0; draw();
    }
    filter.addEventListener("input", load);
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); closePanels(tools); area.focus(); return; }
      if ((e.key === "ArrowDown" || e.key === "ArrowUp") && items.length) {
        e.preventDefault();
        at = (at + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        draw();
        return;
      }
      if (e.key === "Enter" && items.length && e.target === filter) {
        e.preventDefault();
        const chosen = items[at];
        closePanels(tools);
        insert(area, chosen.body);
      }
    });
    filter.focus();
    await load();
  }

  function save(area, tools) {
    closePanels(tools);
    const L = tools.dataset;
    const selected = area.value.slice(area.selectionStart, area.selectionEnd);
    const body = selected.trim() ? selected : area.value;
    const panel = el("div", { class: "snippet-panel snippet-save", role: "group", "aria-label": L.lSave });
    const title = el("input", { type: "text", maxlength: "120", "aria-label": L.lTitle, placeholder: L.lTitle });
    title.value = body.trim().split("\n")[0].slice(0, 60);
    const message = el("p", { class: "error", role: "alert", hidden: "" });
    panel.append(el("label", {}, L.lTitle), title);
    let shared = null;
    if (area.dataset.snippets === "share") {
      const label = el("label", { class: "check" });
      shared = el("input", { type: "checkbox" });
      label.append(shared, document.createTextNode(" " + L.lShared));
      panel.appendChild(label);
    }
    const ok = el("button", { type: "button", class: "primary" }, L.lSave);
    const cancel = el("button", { type: "button" }, L.lCancel);
    panel.append(message, ok, cancel);
    tools.appendChild(panel);
    title.focus();
    title.select();

    async function send() {
      const res = await fetch("/snippets", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrf(area) },
        body: JSON.stringify({ title: title.value, body: body, shared: shared ? shared.checked : false }),
      });
      let data = {};
      try { data = await res.json(); } catch (_) { data = {}; }
      if (res.ok) {
        panel.replaceChildren(el("p", { class: "ok", role: "status" }, L.lSaved));
        setTimeout(() => panel.remove(), 2500);
        area.focus();
      } else {
        message.textContent = data.error || res.statusText;
        message.hidden = false;
      }
    }
    ok.addEventListener("click", send);
    cancel.addEventListener("click", () => { closePanels(tools); area.focus(); });
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); closePanels(tools); area.focus(); }
      // Enter in the title saves; it must not submit the record's form.
      if (e.key === "Enter" && e.target === title) { e.preventDefault(); send(); }
    });
  }

  boxes.forEach((area) => {
    const tools = area.parentElement.querySelector(".snippet-tools");
    if (!tools) return;
    tools.hidden = false;
    tools.querySelector("[data-snippet-pick]").addEventListener("click", () => pick(area, tools));
    tools.querySelector("[data-snippet-save]").addEventListener("click", () => save(area, tools));
    area.addEventListener("keydown", (e) => {
      if (e.key !== "F2" || e.ctrlKey || e.altKey || e.metaKey) return;
      e.preventDefault();
      if (e.shiftKey) save(area, tools); else pick(area, tools);
    });
  });
})();
