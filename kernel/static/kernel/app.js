// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const fa = document.documentElement.lang === "fa";

  // Confirmation before destructive buttons.
  document.addEventListener("click", (e) => {
    const btn = e.target.closest("[data-confirm]");
    if (btn && !window.confirm(btn.dataset.confirm)) e.preventDefault();
  });

  // A file input (kernel/file_input.html) shows the chosen file's name in the page's language.
  document.addEventListener("change", (e) => {
    const input = e.target.closest("[data-file-pick] input[type=file]");
    const shown = input && $("[data-file-name]", input.closest("[data-file-pick]"));
    if (!shown) return;
    if (!shown.dataset.empty) shown.dataset.empty = shown.textContent;
    shown.textContent = Array.from(input.files).map((f) => f.name).join("، ") || shown.dataset.empty;
  });

  // Select all rows of a list.
  $$("[data-select-all]").forEach((box) => box.addEventListener("change", () => {
    $$("input[name=ids]", box.closest("form")).forEach((c) => { c.checked = box.checked; });
  }));

  // Phone menu.
  const toggle = $("[data-toggle-menu]");
  if (toggle) toggle.addEventListener("click", () => document.body.classList.toggle("menu-open"));

  // Live global search: results under the box as the user types.
  const input = $("[data-live-search]");
  if (input) {
    const box = input.parentElement.querySelector(".live-results");
    let timer = null, seq = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2) { box.hidden = true; return; }
      timer = setTimeout(async () => {
        const mine = ++seq;
        const res = await fetch("/search?format=json&q=" + encodeURIComponent(q), { headers: { accept: "application/json" } });
        if (!res.ok || mine !== seq) return;
        const hits = await res.json();
        box.replaceChildren(...hits.map((h) => {
          const a = document.createElement("a");
          a.href = h.url; a.textContent = h.label;
          const s = document.createElement("small"); s.textContent = h.kind; a.appendChild(s);
          return a;
        }));
        box.hidden = hits.length === 0;
      }, 150);
    });
    input.addEventListener("keydown", (e) => { if (e.key === "Escape") box.hidden = true; });
    // On a slow phone the user may type before this script runs: search what is already there.
    if (document.activeElement === input && input.value.trim().length >= 2) input.dispatchEvent(new Event("input"));
  }

  // Keyboard: "/" focuses search; Alt+N new record; Alt+E edit.
  document.addEventListener("keydown", (e) => {
    const typing = /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName);
    if (e.key === "/" && !typing && input) { e.preventDefault(); input.focus(); return; }
    if (e.altKey && !e.ctrlKey) {
      // e.code names the physical key, so Alt+N works with the Persian layout active too.
      const letter = (e.code || "").startsWith("Key") ? e.code.slice(3).toLowerCase() : e.key.toLowerCase();
      const target = $(`[data-shortcut="${letter}"]`);
      if (target) { e.preventDefault(); target.click(); }
    }
  });
  void fa;
})();

// Reference fields over large tables: type part of a name, pick from the target's API.
(function () {
  "use strict";
  document.querySelectorAll("[data-ref-search]").forEach((box) => {
    const hidden = box.querySelector("input[type=hidden]");
    const input = box.querySelector("input[type=search]");
    const list = box.querySelector(".ref-results");
    let timer = null, seq = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      hidden.value = "";  // typed text is not a choice until one is picked
      const q = input.value.trim();
      if (!q) { list.hidden = true; return; }
      timer = setTimeout(async () => {
        const mine = ++seq;
        // The field's ref_filter: fixed filters, and the values of the fields it depends on
        // (the people of the partner chosen in this form), read at the moment of the search.
        const params = new URLSearchParams(box.dataset.refParams || "");
        params.set("limit", "10"); params.set("q", q);
        const form = box.closest("form");
        (box.dataset.refDepends || "").split(" ").filter(Boolean).forEach((pair) => {
          const [key, field] = pair.split("=");
          const other = form && form.querySelector(`[name="${field}"]`);
          if (other && other.value) params.set("f_" + key, other.value);
        });
        const res = await fetch(box.dataset.refSearch + "?" + params.toString(),
                                { headers: { accept: "application/json" } });
        if (!res.ok || mine !== seq) return;
        const data = await res.json();
        list.replaceChildren(...data.items.map((item) => {
          const b = document.createElement("button");
          b.type = "button"; b.textContent = item._title;
          b.addEventListener("click", () => {
            hidden.value = item.id; input.value = item._title; list.hidden = true;
          });
          return b;
        }));
        list.hidden = data.items.length === 0;
      }, 150);
    });
    input.addEventListener("keydown", (e) => { if (e.key === "Escape") list.hidden = true; });
  });
})();

// Form sections that apply to some values only (a person's fields, a company's fields).
(function () {
  "use strict";
  const sections = document.querySelectorAll("fieldset[data-when-field]");
  if (!sections.length) return;
  const form = sections[0].closest("form");
  const update = () => sections.forEach((fs) => {
    const input = form.querySelector(`[name="${fs.dataset.whenField}"]`);
    const value = input ? input.value : "";
    fs.hidden = !fs.dataset.whenValues.split(" ").includes(value);
  });
  form.addEventListener("change", update);
  update();
})();

// A refused save: the summary of its errors is at the top of the form, and focus goes there
// (a phone would otherwise show the top of a form whose errors are screens below). Its links
// move to the field itself.
(function () {
  "use strict";
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.scrollIntoView({ block: "start" });
  summary.addEventListener("click", (e) => {
    const link = e.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    e.preventDefault();
    const visible = field.type === "hidden" ? field.parentElement.querySelector("input[type=search]") : field;
    (visible || field).focus();
    (visible || field).scrollIntoView({ block: "center" });
  });
})();
