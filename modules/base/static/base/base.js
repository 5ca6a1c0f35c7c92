// Enhancements of the base module's pages; every page works without them.
(function () {
  "use strict";

  // Now as a Jalali date-time typed the way forms accept it ("1405/09/01 10:30"); empty when
  // the kernel's Jalali helper is missing, and the user types it.
  function nowJalali() {
    const J = window.PeyvandJalali;
    if (!J || !J.toJalali || !J.format) return "";
    try {
      const d = new Date();
      const j = J.toJalali(d.getFullYear(), d.getMonth() + 1, d.getDate());
      return J.format({ jy: j.jy, jm: j.jm, jd: j.jd, hour: d.getHours(), minute: d.getMinutes() }, "en", true);
    } catch (_) {
      return "";
    }
  }

  // F9 (KER-17): a new communication — for the partner on screen (profile, record page), or a
  // blank one from the communications pages. Only F9 is handled; every other key, Escape
  // included, goes on to whoever listens for it.
  function newCommunicationUrl() {
    const path = location.pathname;
    if (path === "/base/communication/new") return "";
    const holder = document.querySelector("[data-partner-id]");
    const id = holder ? holder.dataset.partnerId : "";
    if (id && /^\d+$/.test(id)) {
      const params = new URLSearchParams({ partner_id: id });
      const now = nowJalali();
      if (now) params.set("started_at", now);
      return "/base/communication/new?" + params.toString();
    }
    if (path.startsWith("/base/communication/")) return "/base/communication/new";
    return "";
  }

  document.addEventListener("keydown", (e) => {
    if (e.key !== "F9" || e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return;
    const url = newCommunicationUrl();
    if (!url) return;
    e.preventDefault();
    location.assign(url);
  });
})();
