/* The line editor (FIN-04): add, edit and remove a document's lines without leaving the page.
   Keyboard: Tab moves between product, quantity, unit price, line discount and its %/Rial switch;
   in the product field ↓/↑ choose, Enter or Tab takes the choice; Enter elsewhere saves the row
   (the new row: adds it, and the cursor lands on a fresh empty row); Alt+Delete removes the row
   the cursor is in. Every change goes to the server, which answers the lines and totals anew
   (HTML) or a Persian message per field; nothing is computed here. */
(function () {
  "use strict";
  var root = document.getElementById("finance-editor");
  if (!root) return;
  var url = root.dataset.url;
  var unit = null; // the amounts' unit the user switched to (kept across answers)
  var timer = null;

  function rowOf(el) { return el && el.closest ? el.closest(".ed-row, .ed-doc") : null; }

  function clearErrors(form) {
    form.querySelectorAll(".ed-error").forEach(function (e) { e.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
  }

  function showErrors(form, errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var slot = form.querySelector('[data-error-for="' + name + '"]') || form.querySelector('[data-error-for="__all__"]');
      if (slot) slot.textContent = errors[name];
      var input = form.querySelector('[name="' + (name === "product_id" ? "product_label" : name) + '"]');
      if (input) { input.setAttribute("aria-invalid", "true"); if (!first) first = input; }
    });
    if (first) first.focus();
  }

  function keyOf(el) {
    var form = rowOf(el);
    if (!form || !el.name) return null;
    var row = form.dataset.line ? '.ed-row[data-line="' + form.dataset.line + '"]'
                                : form.classList.contains("ed-new") ? ".ed-new" : ".ed-doc";
    return row + ' [name="' + el.name + '"]';
  }

  function replaceBody(html, focus, started) {
    var body = root.querySelector(".ed-body");
    // The user may have gone on typing elsewhere while the change was saved: that field keeps
    // its place, its text and the cursor in the new rows.
    var active = document.activeElement;
    var moved = active && active !== started && root.contains(active) && keyOf(active);
    var kept = moved ? {key: keyOf(active), value: active.value, changed: active.value !== active.defaultValue,
                        start: active.selectionStart, end: active.selectionEnd} : null;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    body.replaceWith(holder.firstElementChild);
    if (unit) showUnit(unit);
    var target = null;
    if (kept) {
      target = root.querySelector(kept.key);
      if (target) {
        if (kept.changed) target.value = kept.value;
        target.focus();
        try { target.setSelectionRange(kept.start, kept.end); } catch (err) { /* not a text field */ }
        return;
      }
    }
    if (focus && focus.line) {
      var row = root.querySelector('.ed-row[data-line="' + focus.line + '"]');
      if (row) target = row.querySelector('[name="' + focus.field + '"]');
    } else if (focus && focus.doc) {
      target = root.querySelector('.ed-doc [name="' + focus.field + '"]');
    }
    if (!target) target = root.querySelector('.ed-new [name="product_label"]');
    if (target) { target.focus(); if (target.select) target.select(); }
  }

  function send(path, data, form, focus) {
    var started = document.activeElement;
    clearErrors(form);
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    form.setAttribute("aria-busy", "true");
    return fetch(path, {method: "POST", body: body, credentials: "same-origin",
                        headers: {"X-CSRF-Token": root.dataset.csrf, "Accept": "application/json"}})
      .then(function (r) { return r.json().catch(function () { return {error: root.dataset.msgFailed}; }); })
      .then(function (answer) {
        form.removeAttribute("aria-busy");
        if (answer.ok) { replaceBody(answer.html, focus, started); return; }
        showErrors(form, answer.errors || {__all__: answer.error || root.dataset.msgFailed});
      })
      .catch(function () { form.removeAttribute("aria-busy"); showErrors(form, {__all__: root.dataset.msgFailed}); });
  }

  /* What a row sends: on a line, only what the user changed (a price left alone is the rules'
     price, and the server may quote anew for a new quantity); on the new row, what was typed. */
  function rowData(form) {
    var data = {};
    form.querySelectorAll("input[name]").forEach(function (input) {
      if (input.name === "product_label") return;
      var changed = input.type === "hidden" ? input.value !== input.defaultValue || input.name === "product_id"
                                            : input.value !== input.defaultValue;
      if (form.classList.contains("ed-new")) {
        if (input.name === "unit_price" && !input.dataset.touched) return;
        if ((input.name === "discount_value" || input.name === "discount_kind") && !form.dataset.discountTouched) return;
        data[input.name] = input.value;
      } else if (changed) {
        data[input.name] = input.value;
      }
    });
    return data;
  }

  function saveRow(form, field) {
    if (form.classList.contains("ed-doc")) {
      var doc = {};
      form.querySelectorAll("input[name]").forEach(function (i) { doc[i.name] = i.value; });
      return send(url + "/totals", doc, form, {doc: true, field: field || "discount_value"});
    }
    var data = rowData(form);
    var product = form.querySelector('[name="product_id"]');
    var label = form.querySelector('[name="product_label"]');
    if (label && label.value.trim() && !product.value) {
      showErrors(form, {product_id: root.dataset.msgChoose});
      return null;
    }
    if (form.classList.contains("ed-new")) {
      data.op = "add";
      return send(url + "/lines", data, form, null);
    }
    data.op = "edit";
    data.line = form.dataset.line;
    return send(url + "/lines", data, form, {line: form.dataset.line, field: field || "quantity"});
  }

  function removeRow(form) {
    if (!form.dataset.line || !window.confirm(root.dataset.msgRemove)) return;
    var next = form.nextElementSibling;
    var focus = next && next.dataset && next.dataset.line ? {line: next.dataset.line, field: "product_label"} : null;
    send(url + "/lines", {op: "delete", line: form.dataset.line}, form, focus);
  }

  /* -- the product picker --------------------------------------------------------------- */
  function listOf(input) { return input.parentElement.querySelector(".ed-options"); }

  function closeList(input) {
    var list = listOf(input);
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
  }

  function search(input) {
    var list = listOf(input);
    fetch("/finance/sellable.json?q=" + encodeURIComponent(input.value), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        list.innerHTML = "";
        (answer.items || []).forEach(function (item, i) {
          var li = document.createElement("li");
          li.setAttribute("role", "option");
          li.id = "ed-opt-" + item.id + "-" + i;
          li.dataset.id = item.id;
          li.dataset.name = item.name;
          li.textContent = item.name + (item.code ? " — " + item.code : "") + " — " + item.price;
          if (i === 0) li.setAttribute("aria-selected", "true");
          list.appendChild(li);
        });
        if (!list.children.length) {
          var none = document.createElement("li");
          none.className = "muted";
          none.textContent = root.dataset.msgNone;
          list.appendChild(none);
        }
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      });
  }

  function chosen(input) { return listOf(input).querySelector('[aria-selected="true"][data-id]'); }

  function move(input, step) {
    var items = Array.prototype.slice.call(listOf(input).querySelectorAll("[data-id]"));
    if (!items.length) return;
    var at = items.indexOf(chosen(input));
    if (at >= 0) items[at].removeAttribute("aria-selected");
    var next = items[(at + step + items.length) % items.length];
    next.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", next.id);
    next.scrollIntoView({block: "nearest"});
  }

  function pick(input, li) {
    var form = rowOf(input);
    input.value = li.dataset.name;
    form.querySelector('[name="product_id"]').value = li.dataset.id;
    closeList(input);
    if (form.classList.contains("ed-new")) quote(form);
  }

  /* The new row shows what the rules give the chosen product (not sent unless changed). */
  function quote(form) {
    var pid = form.querySelector('[name="product_id"]').value;
    if (!pid) return;
    var qty = form.querySelector('[name="quantity"]').value;
    fetch(url + "/quote.json?product_id=" + encodeURIComponent(pid) + "&quantity=" + encodeURIComponent(qty),
          {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (q) {
        if (!q) return;
        var price = form.querySelector('[name="unit_price"]');
        if (!price.dataset.touched) price.value = q.unit_price;
        form.querySelector('[data-rule="price"]').textContent = q.price_rule;
        if (!form.dataset.discountTouched) {
          form.querySelector('[name="discount_value"]').value = q.discount_value;
          setKind(form.querySelector("[data-ed-kind]"), q.discount_kind);
          form.querySelector('[data-rule="discount"]').textContent = q.discount_rule;
        }
      });
  }

  function setKind(button, kind) {
    var hidden = button.previousElementSibling;
    hidden.value = kind;
    button.textContent = kind === "percent" ? button.dataset.percent : button.dataset.rial;
    var label = button.getAttribute("aria-label").split(":")[0];
    button.setAttribute("aria-label", label + ": " + button.textContent);
  }

  /* -- events --------------------------------------------------------------------------- */
  root.addEventListener("input", function (e) {
    var input = e.target;
    var form = rowOf(input);
    if (!form) return;
    if (input.name === "product_label") {
      form.querySelector('[name="product_id"]').value = "";
      clearTimeout(timer);
      timer = setTimeout(function () { search(input); }, 150);
    } else if (input.name === "unit_price") {
      input.dataset.touched = "1";
    } else if (input.name === "discount_value") {
      form.dataset.discountTouched = "1";
    } else if (input.name === "quantity" && form.classList.contains("ed-new")) {
      clearTimeout(timer);
      timer = setTimeout(function () { quote(form); }, 250);
    }
  });

  root.addEventListener("click", function (e) {
    var option = e.target.closest("[role=option][data-id]");
    if (option) { pick(option.closest(".ed-product").querySelector('[name="product_label"]'), option); return; }
    var kind = e.target.closest("[data-ed-kind]");
    if (kind) {
      var hidden = kind.previousElementSibling;
      setKind(kind, hidden.value === "percent" ? "rial" : "percent");
      var form = rowOf(kind);
      if (form && form.classList.contains("ed-doc")) saveRow(form, "discount_value");
      else if (form) form.dataset.discountTouched = "1";
      return;
    }
    var remove = e.target.closest("[data-ed-remove]");
    if (remove) { removeRow(rowOf(remove)); return; }
    var u = e.target.closest("[data-ed-unit]");
    if (u) { unit = u.dataset.edUnit; showUnit(unit); }
  });

  function showUnit(which) {
    root.querySelectorAll("[data-amounts]").forEach(function (dl) { dl.hidden = dl.dataset.amounts !== which; });
    root.querySelectorAll("[data-ed-unit]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.edUnit === which ? "true" : "false");
    });
  }

  root.addEventListener("submit", function (e) {
    e.preventDefault();
    saveRow(e.target, null);
  });

  root.addEventListener("keydown", function (e) {
    if (e.defaultPrevented) return;
    var el = e.target;
    var form = rowOf(el);
    if (!form) return;
    if (el.name === "product_label" && !listOf(el).hidden) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") { e.preventDefault(); move(el, e.key === "ArrowDown" ? 1 : -1); return; }
      if (e.key === "Escape") { e.preventDefault(); closeList(el); return; }
      if (e.key === "Enter" || e.key === "Tab") {
        var li = chosen(el);
        if (li) { if (e.key === "Enter") e.preventDefault(); pick(el, li); return; }
      }
    } else if (el.name === "product_label" && e.key === "ArrowDown") {
      e.preventDefault(); search(el); return;
    }
    if (e.key === "Enter" && !e.isComposing) {
      e.preventDefault();
      saveRow(form, el.name || null);
      return;
    }
    if (e.key === "Delete" && e.altKey && form.dataset.line) {
      e.preventDefault();
      removeRow(form);
    }
  });

  // The document's discount and shipping are also saved when the field is left changed (a mouse
  // user); a field removed by an answer while focused fires "change" too, which is no change.
  root.addEventListener("change", function (e) {
    var form = rowOf(e.target);
    if (form && form.classList.contains("ed-doc") && e.target.isConnected &&
        e.target.value !== e.target.defaultValue) saveRow(form, e.target.name);
  });
})();
