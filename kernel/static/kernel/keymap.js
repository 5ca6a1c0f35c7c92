// The keyboard map (KER-17): "?" shows every shortcut, not while typing in a field.
(function () {
  "use strict";
  const map = document.getElementById("keymap");
  if (!map || typeof map.showModal !== "function") return;
  document.addEventListener("keydown", (e) => {
    if ((e.key !== "?" && e.key !== "؟") || e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
    const el = document.activeElement;
    if (el && (/INPUT|TEXTAREA|SELECT/.test(el.tagName) || el.isContentEditable)) return;
    if (map.open) return;
    e.preventDefault();
    map.showModal();
  });
})();
