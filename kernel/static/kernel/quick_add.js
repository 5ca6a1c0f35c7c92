// Adding a new value to a drop-down in place (KER-17): the "+" beside a reference field opens a
// mini-form of the target's required fields in a dialog; the new record is then chosen in the
// field. The server renders the mini-form (escaped as every page is) and answers JSON.
(function () {
  "use strict";

  function csrfOf(form) {
    const input = form && form.querySelector("input[name=csrf]");
    return input ? input.value : "";
  }

  function choose(field, id, title) {
    if (field.tagName === "SELECT") {
      const option = document.createElement("option");
      option.value = String(id); option.textContent = title;
      field.appendChild(option);
      field.value = String(id);
      field.dispatchEvent(new Event("change", { bubbles: true }));
    } else {
      const box = field.closest("[data-ref-search]");
      const hidden = box ? box.querySelector("input[type=hidden]") : null;
      if (hidden) { hidden.value = String(id); field.value = title; } else { field.value = String(id); }
    }
    field.focus();
  }

  function showErrors(dialog, data) {
    dialog.querySelectorAll(".quick-add-field-error").forEach((p) => p.remove());
    const general = dialog.querySelector("[data-quick-add-error]");
    general.hidden = true;
    const errors = data.errors || {};
    if (data.error) errors.__all__ = data.error;
    Object.entries(errors).forEach(([name, text]) => {
      const input = name === "__all__" ? null : dialog.querySelector(`[name="${CSS.escape(name)}"]`);
      const field = input ? input.closest(".field") : null;
      if (!field) { general.textContent = text; general.hidden = false; return; }
      const p = document.createElement("p");
      p.className = "error field-error quick-add-field-error"; p.setAttribute("role", "alert"); p.textContent = text;
      field.appendChild(p);
    });
  }

  async function open(button) {
    const outer = button.closest("form");
    const field = document.getElementById(button.dataset.quickAddFor);
    const res = await fetch(button.dataset.quickAdd, { headers: { accept: "text/html" } });
    const dialog = document.createElement("dialog");
    dialog.className = "quick-add-dialog";
    document.body.appendChild(dialog);
    dialog.addEventListener("close", () => { dialog.remove(); button.focus(); });
    if (!res.ok) {
      let text = res.statusText;
      try { text = (await res.json()).error || text; } catch (_) { /* not JSON */ }
      const p = document.createElement("p"); p.className = "error"; p.setAttribute("role", "alert"); p.textContent = text;
      const close = document.createElement("button"); close.type = "button"; close.textContent = "×";
      close.addEventListener("click", () => dialog.close());
      dialog.append(p, close);
      dialog.showModal();
      return;
    }
    dialog.innerHTML = await res.text();
    const form = dialog.querySelector("form");
    // A reference the outer form already has (the partner's province for a new city) is the
    // start. Only references: the partner's "name" is not the new city's name.
    form.querySelectorAll("select[name], .ref-search input[type=hidden][name]").forEach((input) => {
      const same = outer ? outer.querySelector(`[name="${CSS.escape(input.name)}"]`) : null;
      if (same && !input.value && same.value) input.value = same.value;
    });
    dialog.querySelector("[data-quick-add-cancel]").addEventListener("click", () => dialog.close());
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const sent = await fetch(form.action, {
        method: "POST", body: new FormData(form),
        headers: { accept: "application/json", "x-csrf-token": csrfOf(outer) },
      });
      let data = {};
      try { data = await sent.json(); } catch (_) { data = { error: sent.statusText }; }
      if (sent.ok) {
        dialog.close();
        if (field) choose(field, data.id, data.title);
      } else {
        showErrors(dialog, data);
      }
    });
    dialog.showModal();
    const first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  document.addEventListener("click", (e) => {
    const button = e.target.closest("[data-quick-add]");
    if (!button) return;
    e.preventDefault();
    open(button);
  });
})();
