// A send's page: refreshes its progress bar, counts and listed recipients' states every few
// seconds (polling the send's progress JSON) until every message is sent, delivered, failed or
// skipped; then, more slowly and for a while, as the panel's delivery reports arrive.
(function () {
  "use strict";
  function digits(n) {
    const text = Number(n).toLocaleString(document.documentElement.lang === "fa" ? "fa-IR" : "en-US");
    return text;
  }
  function start() {
    const box = document.getElementById("send-progress");
    if (!box) return;
    // Delivery reports come minutes (or, for a switched-off phone, days) after the send: after
    // the send itself is done the page keeps asking every 10 s for half an hour, no longer.
    let awaitingPolls = 180;
    function poll() {
      fetch(box.dataset.progress, { credentials: "same-origin" }).then((r) => r.json()).then((got) => {
        box.querySelector("[data-bar]").value = got.percent;
        box.querySelector("[data-percent]").textContent = digits(got.percent);
        box.querySelectorAll("[data-count]").forEach((el) => { el.textContent = digits(got[el.dataset.count] || 0); });
        Object.entries(got.rows || {}).forEach(([id, pair]) => {
          const row = document.querySelector('#send-recipients tr[data-message="' + id + '"]');
          if (!row || row.dataset.state === pair[0]) return;
          row.dataset.state = pair[0];
          row.querySelector("[data-state-label]").textContent = pair[1];
        });
        if (got.percent < 100 || got.state === "scheduled") setTimeout(poll, 3000);
        else if (got.awaiting > 0 && awaitingPolls-- > 0) setTimeout(poll, 10000);
      }).catch(() => setTimeout(poll, 10000));
    }
    setTimeout(poll, 1500);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
