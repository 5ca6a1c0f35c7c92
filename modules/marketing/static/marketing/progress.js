// A send's page: refreshes its progress bar and counts every few seconds (polling the send's
// progress JSON) until every message is sent, delivered, failed or skipped.
(function () {
  "use strict";
  function digits(n) {
    const text = Number(n).toLocaleString(document.documentElement.lang === "fa" ? "fa-IR" : "en-US");
    return text;
  }
  function start() {
    const box = document.getElementById("send-progress");
    if (!box) return;
    function poll() {
      fetch(box.dataset.progress, { credentials: "same-origin" }).then((r) => r.json()).then((got) => {
        box.querySelector("[data-bar]").value = got.percent;
        box.querySelector("[data-percent]").textContent = digits(got.percent);
        box.querySelectorAll("[data-count]").forEach((el) => { el.textContent = digits(got[el.dataset.count] || 0); });
        if (got.percent < 100 || got.state === "scheduled") setTimeout(poll, 3000);
      }).catch(() => setTimeout(poll, 10000));
    }
    setTimeout(poll, 1500);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
