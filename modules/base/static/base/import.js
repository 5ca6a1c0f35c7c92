// Partner import: the status page's progress bar asks the server every second how far it got,
// and reloads once the import has finished so the report appears.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status]");
  if (!box || box.getAttribute("data-finished") === "1") return;
  var url = box.getAttribute("data-import-status");
  var fa = document.documentElement.lang === "fa";
  var digits = "۰۱۲۳۴۵۶۷۸۹";

  function show(n) {
    var text = Number(n || 0).toLocaleString("en-US");
    if (!fa) return text;
    return text.replace(/[0-9]/g, function (d) { return digits[+d]; }).replace(/,/g, "٬");
  }

  function poll() {
    fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { setTimeout(poll, 3000); return; }
        var bar = box.querySelector("[data-import-bar]");
        if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
        var label = box.querySelector("[data-import-label]");
        if (label && data.label) label.textContent = data.label;
        box.querySelectorAll("[data-import-count]").forEach(function (el) {
          el.textContent = show(data[el.getAttribute("data-import-count")]);
        });
        var notice = box.querySelector("[data-import-notice]");
        if (notice) { notice.textContent = data.notice || ""; notice.hidden = !data.notice; }
        if (data.finished) { window.location.reload(); return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
