// The side bar of forms and records opened in this session (KER-13).
// Kept in sessionStorage, not on the server: "this session" is this browser tab's work, each tab
// keeps its own trail, closing the tab forgets it, and page views cost the server no writes.
(function () {
  "use strict";
  const KEY = "peyvand.recent", FOLDED = "peyvand.recent.folded", MAX = 12;
  const box = document.querySelector("[data-recent]");
  const head = document.querySelector("[data-recent-title]");
  let recent = [];
  try { recent = JSON.parse(sessionStorage.getItem(KEY) || "[]"); } catch (_) { recent = []; }
  if (!Array.isArray(recent)) recent = [];
  const here = location.pathname + location.search;
  // A form saved with errors is posted to the same address: it is the same entry.
  if (head && head.dataset.recentTitle) {
    const entry = { url: here, title: head.dataset.recentTitle, kind: head.dataset.recentKind || "record" };
    recent = [entry, ...recent.filter((r) => r && r.url !== here)].slice(0, MAX);
    try { sessionStorage.setItem(KEY, JSON.stringify(recent)); } catch (_) { /* storage full or off */ }
  }
  if (!box) return;
  const list = box.querySelector("ul");
  list.replaceChildren(...recent.map((r) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = r.url; a.textContent = String(r.title || r.url);
    a.className = r.kind === "form" ? "recent-form" : "recent-record";
    if (r.url === here) a.setAttribute("aria-current", "page");
    li.appendChild(a);
    return li;
  }));
  box.hidden = recent.length === 0;
  const toggle = box.querySelector("[data-recent-toggle]");
  const fold = (folded) => {
    list.hidden = folded;
    toggle.setAttribute("aria-expanded", String(!folded));
  };
  fold(localStorage.getItem(FOLDED) === "1");
  toggle.addEventListener("click", () => {
    const folded = !list.hidden;
    localStorage.setItem(FOLDED, folded ? "1" : "0");
    fold(folded);
  });
})();
