// Duplicate warning on the partner form (BASE-12): while the user types a mobile, phone,
// national ID, economic code or name, the server is asked (debounced) whether a partner the
// user may see already has it, and a box above the form links to it. The server normalises
// everything (Persian digits, spaces, ی/ک), so the raw text is sent as typed.
(function () {
  "use strict";
  const m = location.pathname.match(/^\/base\/partner\/(?:new|(\d+)\/edit)\/?$/);
  const texts = document.querySelector('meta[name="base-duplicates"]');
  if (!m || !texts) return;
  const exclude = m[1] || "";

  function start() {
    const form = document.querySelector("form.record-form") || document.querySelector("main form[method=post]");
    if (!form) return;
    const field = (name) => form.querySelector(`[name="${name}"]`);
    const value = (name) => { const el = field(name); return el ? el.value.trim() : ""; };
    const WATCHED = ["kind", "first_name", "last_name", "name", "mobile", "phone", "national_id", "economic_code"];
    const FIELDS = ["national_id", "economic_code", "mobile", "phone", "name"];
    const datasetKey = (f) => "warn" + f.split("_").map((p) => p[0].toUpperCase() + p.slice(1)).join("");

    const box = document.createElement("div");
    box.className = "panel base-duplicates";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-live", "polite");
    box.hidden = true;
    box.style.borderColor = "var(--danger, #b42318)";
    form.parentNode.insertBefore(box, form);

    function fullName() {
      const kind = value("kind");
      const person = [value("first_name"), value("last_name")].filter(Boolean).join(" ");
      if (kind === "person") return person;
      if (kind === "company") return value("name");
      return person || value("name");
    }

    function query() {
      const params = new URLSearchParams();
      const name = fullName();
      if (name.length >= 3) params.set("name", name);
      ["mobile", "phone", "national_id", "economic_code"].forEach((n) => {
        const v = value(n);
        if (v.length >= 5) params.set(n, v);
      });
      if (![...params.keys()].length) return "";
      if (exclude) params.set("exclude", exclude);
      return params.toString();
    }

    function line(text, match) {
      const p = document.createElement("p");
      p.className = "error";
      const a = document.createElement("a");
      a.href = match.url;
      a.textContent = match.name;
      const at = text.indexOf("{link}");
      if (at < 0) { p.append(text + " ", a); } else { p.append(text.slice(0, at), a, text.slice(at + 6)); }
      if (exclude && texts.dataset.merge) {
        const merge = document.createElement("a");
        merge.href = `/base/partner/merge?keep=${encodeURIComponent(match.id)}&drop=${encodeURIComponent(exclude)}`;
        merge.textContent = texts.dataset.merge;
        p.append(" — ", merge);
      }
      return p;
    }

    function show(matches) {
      const lines = [];
      matches.forEach((match) => {
        // One line per partner, for the strongest kind of evidence it matched.
        const f = FIELDS.find((x) => match.fields.includes(x));
        const text = f && texts.dataset[datasetKey(f)];
        if (text) lines.push(line(text, match));
      });
      box.replaceChildren(...lines);
      box.hidden = lines.length === 0;
    }

    let timer = null, seq = 0, last = null;
    async function check() {
      const qs = query();
      if (qs === last) return;
      last = qs;
      const mine = ++seq;
      if (!qs) { show([]); return; }
      try {
        const res = await fetch("/base/partner/duplicates?" + qs, { headers: { accept: "application/json" } });
        if (!res.ok || mine !== seq) return;
        const data = await res.json();
        if (mine === seq) show(data.matches || []);
      } catch (_) { /* offline or server error: the form still works without the warning */ }
    }
    const later = () => { clearTimeout(timer); timer = setTimeout(check, 350); };
    const now = () => { clearTimeout(timer); check(); };
    WATCHED.forEach((n) => {
      const el = field(n);
      if (!el) return;
      el.addEventListener("input", later);
      el.addEventListener("change", later);
      el.addEventListener("blur", now);
    });
    // An edit form, or a new form that came back with errors, already has values in it.
    if (query()) later();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
