// The alarm tray: dismiss without leaving the page, and poll for alarms that ring while it is
// open (the server scans reminders every half minute). Without script the forms still work.
(function () {
  "use strict";
  const POLL_MS = 60000;
  function tray() { return document.querySelector("[data-alarm-tray]"); }

  function csrf() {
    const input = document.querySelector("input[name=csrf]");
    return input ? input.value : "";
  }

  function setCount(n, text) {
    const t = tray();
    if (!t) return;
    const badge = t.querySelector("[data-alarm-count]");
    if (badge) badge.textContent = text;
    t.hidden = n === 0;
    document.querySelectorAll('[data-badge="kernel.alarms"]').forEach(function (b) {
      b.textContent = text;
      b.hidden = n === 0;
    });
  }

  function digits(n) {
    return document.documentElement.lang === "fa" ? String(n).replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : String(n);
  }

  function row(a) {
    const li = document.createElement("li");
    li.dataset.alarm = a.id;
    const link = document.createElement("a");
    link.href = a.url;
    link.textContent = a.title;
    const when = document.createElement("small");
    when.textContent = a.when;
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/alarms/dismiss";
    form.className = "inline";
    form.dataset.dismiss = "";
    form.innerHTML = '<input type="hidden" name="csrf"><input type="hidden" name="alarm"><button aria-label="✕">✕</button>';
    form.querySelector("[name=csrf]").value = csrf();
    form.querySelector("[name=alarm]").value = a.id;
    li.append(link, " ", when, form);
    return li;
  }

  async function poll() {
    const t = tray();
    if (!t) return;
    try {
      const r = await fetch("/alarms.json", { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!r.ok) return;
      const data = await r.json();
      const list = t.querySelector("[data-alarm-list]");
      const shown = new Set(Array.from(list.children).map(function (li) { return li.dataset.alarm; }));
      data.alarms.slice().reverse().forEach(function (a) {
        if (!shown.has(String(a.id))) list.prepend(row(a));
      });
      setCount(data.count, digits(data.count));
      const first = t.querySelector("[data-alarm-first]");
      if (first && data.alarms.length) first.textContent = data.alarms[0].title;
    } catch (e) { /* offline for a moment: try again at the next tick */ }
  }

  document.addEventListener("submit", async function (ev) {
    const form = ev.target;
    if (!form.matches || !form.matches("[data-alarm-tray] form[data-dismiss]")) return;
    ev.preventDefault();
    const body = new FormData(form);
    const r = await fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" },
                                         credentials: "same-origin" });
    if (r.ok) {
      form.closest("li").remove();
      poll();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (tray()) setInterval(poll, POLL_MS);
  });
})();
