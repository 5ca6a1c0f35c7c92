// A group letter's PDF being prepared by a worker: ask its state every few seconds and show the
// page again (with its link) once it is ready or failed.
(function () {
  "use strict";
  function start() {
    const box = document.querySelector("[data-print-state]");
    if (!box) return;
    function poll() {
      fetch(box.dataset.printState, { credentials: "same-origin" }).then((r) => r.json()).then((got) => {
        if (got.state === "queued") setTimeout(poll, 3000);
        else window.location.reload();
      }).catch(() => setTimeout(poll, 10000));
    }
    setTimeout(poll, 2000);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
