// The context menu of a record (KER-17): the "⋮" button of a list row or a record page, the
// right mouse button on a row, and the menu key or Shift+F10 on the focused row (or the page).
(function () {
  "use strict";
  let open = null;  // the .record-menu whose entries are showing

  function close(focusButton) {
    if (!open) return;
    const button = open.querySelector("[data-record-menu]");
    open.querySelector(".record-menu-items").hidden = true;
    button.setAttribute("aria-expanded", "false");
    open.classList.remove("open");
    if (focusButton) button.focus();
    open = null;
  }

  // Fixed to the viewport beside its button: a list's scrolling table would clip it otherwise.
  function place(button, items) {
    const r = button.getBoundingClientRect();
    const rtl = getComputedStyle(button).direction === "rtl";
    items.style.position = "fixed";
    items.style.insetInlineStart = "auto"; items.style.insetInlineEnd = "auto";
    items.style.left = "auto"; items.style.right = "auto";
    const width = items.offsetWidth, height = items.offsetHeight;
    const margin = 4;
    let x = rtl ? r.right - width : r.left;
    x = Math.max(margin, Math.min(x, window.innerWidth - width - margin));
    let y = r.bottom + 2;
    if (y + height > window.innerHeight - margin && r.top - height - 2 > margin) y = r.top - height - 2;
    items.style.left = x + "px";
    items.style.top = y + "px";
  }

  function show(menu) {
    if (open === menu) return;
    close(false);
    const items = menu.querySelector(".record-menu-items");
    items.hidden = false;
    place(menu.querySelector("[data-record-menu]"), items);
    menu.classList.add("open");
    menu.querySelector("[data-record-menu]").setAttribute("aria-expanded", "true");
    open = menu;
    const first = items.querySelector("a");
    if (first) first.focus();
  }

  document.addEventListener("click", (e) => {
    const button = e.target.closest("[data-record-menu]");
    if (button) {
      e.preventDefault();
      const menu = button.closest(".record-menu");
      if (open === menu) close(true); else show(menu);
      return;
    }
    if (open && !e.target.closest(".record-menu-items")) close(false);
  });

  window.addEventListener("resize", () => close(false));
  document.addEventListener("scroll", () => close(false), true);

  // Right-click on a list row: the row's own menu instead of the browser's.
  document.addEventListener("contextmenu", (e) => {
    const row = e.target.closest("tr[data-href]");
    const menu = row && row.querySelector(".record-menu");
    if (!menu || e.target.closest("input, textarea, select")) return;
    e.preventDefault();
    show(menu);
  });

  document.addEventListener("keydown", (e) => {
    if (open) {
      const links = Array.from(open.querySelectorAll(".record-menu-items a"));
      const at = links.indexOf(document.activeElement);
      if (e.key === "Escape") { e.preventDefault(); close(true); return; }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        links[(at + step + links.length) % links.length].focus();
        return;
      }
      if (e.key === "Tab") { close(false); return; }
    }
    const asked = e.key === "ContextMenu" || (e.key === "F10" && e.shiftKey);
    if (!asked) return;
    const active = document.activeElement;
    if (active && /TEXTAREA|SELECT/.test(active.tagName)) return;
    const row = active && active.closest ? active.closest("tr[data-href]") : null;
    const menu = (row && row.querySelector(".record-menu")) || document.querySelector(".page-head .record-menu");
    if (!menu) return;
    e.preventDefault();
    show(menu);
  });
})();
