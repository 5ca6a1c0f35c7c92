/* The line editor (FIN-04): add, edit and remove a document's lines without leaving the page.
   Keyboard: Tab moves between product, quantity, unit price, line discount and its %/Rial switch;
   in the product field ↓/↑ choose, Enter or Tab takes the choice; Enter elsewhere saves every
   changed row in one request (on the new row: adds it too, and the cursor lands on a fresh empty
   row); Shift+Enter on the new row keeps it unsaved and starts another, so several new lines go
   in one request; Alt+S ("Save all") saves them all; Alt+Delete removes the row the cursor is in.
   The server answers the lines and totals anew (HTML), or a Persian message per field of each
   row, and then saves nothing (a bad row in a batch saves none); nothing is computed here. */
(function () {
  "use strict";
  var root = document.getElementById("finance-editor");
  if (!root) return;
  var url = root.dataset.url;
  var unit = null; // the amounts' unit the user switched to (kept across answers)
  var timer = null;

  var seq = 0; // new rows kept unsaved are named n1, n2, … (the server numbers them in that order)

  function rowOf(el) { return el && el.closest ? el.closest(".ed-row, .ed-doc") : null; }
  function isNew(form) { return form.classList.contains("ed-new") || form.classList.contains("ed-pending"); }

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
                                : form.classList.contains("ed-new") ? ".ed-new" : form.dataset.pending ? null : ".ed-doc";
    if (!row) return null;
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

  /* Post ``data``; ``forms`` maps each row's key to its form (the answer's errors are keyed
     "<row>.<field>"; a message for no field goes to ``form``, the row the user was in). */
  function send(path, data, form, focus, forms) {
    var started = document.activeElement;
    var all = forms ? Object.keys(forms).map(function (k) { return forms[k]; }) : [form];
    if (all.indexOf(form) < 0) all.push(form);
    all.forEach(function (f) { clearErrors(f); f.setAttribute("aria-busy", "true"); });
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    function done() { all.forEach(function (f) { f.removeAttribute("aria-busy"); }); }
    return fetch(path, {method: "POST", body: body, credentials: "same-origin",
                        headers: {"X-CSRF-Token": root.dataset.csrf, "Accept": "application/json"}})
      .then(function (r) { return r.json().catch(function () { return {error: root.dataset.msgFailed}; }); })
      .then(function (answer) {
        done();
        if (answer.ok) { replaceBody(answer.html, focus, started); return; }
        var errors = answer.errors || {__all__: answer.error || root.dataset.msgFailed};
        if (!forms) { showErrors(form, errors); return; }
        var byRow = {};
        Object.keys(errors).forEach(function (name) {
          var at = name.indexOf(".");
          var key = at > 0 ? name.slice(0, at) : "";
          var target = forms[key] ? key : "";
          (byRow[target] = byRow[target] || {})[forms[key] ? name.slice(at + 1) : name] = errors[name];
        });
        // Each row shows its own; the last one shown takes the cursor: go up the page, so it
        // lands on the first field at fault.
        Object.keys(byRow).map(function (k) { return [k ? forms[k] : form, byRow[k]]; })
          .sort(function (a, b) { return a[0].compareDocumentPosition(b[0]) & Node.DOCUMENT_POSITION_FOLLOWING ? 1 : -1; })
          .forEach(function (pair) { showErrors(pair[0], pair[1]); });
      })
      .catch(function () { done(); showErrors(form, {__all__: root.dataset.msgFailed}); });
  }

  /* What a row sends: on a line, only what the user changed (a price left alone is the rules'
     price, and the server may quote anew for a new quantity) and its product and %/Rial switch
     (hidden fields: their default follows their value, so a change cannot be told; the server
     drops what equals the line); on a new row, what was typed. */
  function rowData(form) {
    var data = {};
    form.querySelectorAll("input[name]").forEach(function (input) {
      if (input.name === "product_label") return;
      var changed = input.type === "hidden" || input.value !== input.defaultValue;
      if (isNew(form)) {
        if (input.name === "unit_price" && !input.dataset.touched) return;
        if ((input.name === "discount_value" || input.name === "discount_kind") && !form.dataset.discountTouched) return;
        data[input.name] = input.value;
      } else if (changed) {
        data[input.name] = input.value;
      }
    });
    return data;
  }

  function chooseFirst(form) {
    var product = form.querySelector('[name="product_id"]');
    var label = form.querySelector('[name="product_label"]');
    if (label && label.value.trim() && !product.value) {
      showErrors(form, {product_id: root.dataset.msgChoose});
      return false;
    }
    return true;
  }

  /* Save every changed row in one request: the lines changed in place (what changed), the new
     lines kept unsaved (Shift+Enter), and the new row when it has a product or is the row the
     user saves from. ``form`` is that row (null: the "Save all" button). */
  function saveRow(form, field) {
    if (form && form.classList.contains("ed-doc")) {
      var doc = {};
      form.querySelectorAll("input[name]").forEach(function (i) { doc[i.name] = i.value; });
      return send(url + "/totals", doc, form, {doc: true, field: field || "discount_value"});
    }
    var data = {op: "save"};
    var forms = {};
    var adding = false;
    var ok = true;
    function add(key, row, values) {
      forms[key] = row;
      Object.keys(values).forEach(function (name) { data[key + "." + name] = values[name]; });
    }
    root.querySelectorAll(".ed-row[data-line][data-dirty]").forEach(function (row) {
      add(row.dataset.line, row, rowData(row));
    });
    var fresh = root.querySelector(".ed-new");
    root.querySelectorAll(".ed-pending").forEach(function (row) {
      if (!chooseFirst(row)) { ok = false; return; }
      add(row.dataset.pending, row, rowData(row));
      adding = true;
    });
    // The new row goes along when a product was chosen in it (a name typed but not chosen is
    // still being looked up: it does not stop the others), or when it is the row saved from.
    if (fresh && (fresh === form || fresh.querySelector('[name="product_id"]').value)) {
      if (!chooseFirst(fresh)) ok = false;
      else { add("n" + (seq + 1), fresh, rowData(fresh)); adding = true; }
    }
    if (!ok || Object.keys(forms).length === 0) return null;
    var at = form || fresh || root.querySelector(".ed-row");
    var focus = adding || !form || !form.dataset.line ? null : {line: form.dataset.line, field: field || "quantity"};
    return send(url + "/lines", data, at, focus, forms);
  }

  /* Shift+Enter on the new row: keep it as an unsaved line above a fresh empty row. */
  function keepRow(form) {
    if (!chooseFirst(form)) return;
    if (!form.querySelector('[name="product_id"]').value) {
      showErrors(form, {product_id: root.dataset.msgChoose});
      return;
    }
    clearErrors(form);
    var kept = form.cloneNode(true); // inputs keep what was typed
    kept.classList.remove("ed-new");
    kept.classList.add("ed-pending");
    kept.dataset.pending = "n" + (++seq);
    var pos = kept.querySelector(".ed-pos");
    pos.textContent = "*";
    pos.title = root.dataset.msgUnsaved;
    var actions = kept.querySelector(".ed-actions button");
    actions.outerHTML = '<button type="button" class="link danger" tabindex="-1" data-ed-remove title="Alt+Delete">' +
      root.dataset.msgRemoveButton + "</button>";
    form.parentNode.insertBefore(kept, form);
    form.reset();
    form.querySelector('[name="product_id"]').value = "";
    form.querySelector('[name="discount_kind"]').value = "percent";
    setKind(form.querySelector("[data-ed-kind]"), "percent");
    form.querySelectorAll("[data-rule]").forEach(function (r) { r.textContent = ""; });
    delete form.querySelector('[name="unit_price"]').dataset.touched;
    delete form.dataset.discountTouched;
    var product = form.querySelector('[name="product_label"]');
    product.focus();
  }

  function removeRow(form) {
    if (form.dataset.pending) { // never saved: only this page has it
      var below = form.nextElementSibling;
      form.remove();
      var go = below && below.querySelector('[name="product_label"]');
      if (go) go.focus();
      return;
    }
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
    if (form.dataset.line) form.dataset.dirty = "1";
    closeList(input);
    if (isNew(form)) quote(form);
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
    if (form.dataset.line) form.dataset.dirty = "1"; // saved with the next Enter or "Save all"
    if (input.name === "product_label") {
      form.querySelector('[name="product_id"]').value = "";
      clearTimeout(timer);
      timer = setTimeout(function () { search(input); }, 150);
    } else if (input.name === "unit_price") {
      input.dataset.touched = "1";
    } else if (input.name === "discount_value") {
      form.dataset.discountTouched = "1";
    } else if (input.name === "quantity" && isNew(form)) {
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
      else if (form) { form.dataset.discountTouched = "1"; if (form.dataset.line) form.dataset.dirty = "1"; }
      return;
    }
    var remove = e.target.closest("[data-ed-remove]");
    if (remove) { removeRow(rowOf(remove)); return; }
    if (e.target.closest("[data-ed-save-all]")) { saveRow(null, null); return; }
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
    if (e.key === "Enter" && e.shiftKey && !e.isComposing && form.classList.contains("ed-new")) {
      e.preventDefault();
      keepRow(form);
      return;
    }
    if (e.key === "Enter" && !e.isComposing) {
      e.preventDefault();
      saveRow(form, el.name || null);
      return;
    }
    if (e.key === "Delete" && e.altKey && (form.dataset.line || form.dataset.pending)) {
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
