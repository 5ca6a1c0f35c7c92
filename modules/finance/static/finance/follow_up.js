/* F4 on a proforma opens its follow-up (FIN-05): on its page, on its lines' page, or in the
   proformas' list on the focused row (or the one row whose box is ticked). Other pages and keys
   are left alone. */
(function () {
  "use strict";
  var PAGE = /^\/finance\/proforma\/(\d+)(\/lines)?\/?$/;
  document.addEventListener("keydown", function (e) {
    if (e.key !== "F4" || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    var path = window.location.pathname;
    var id = null;
    var m = PAGE.exec(path);
    if (m) {
      id = m[1];
    } else if (/^\/finance\/proforma\/?$/.test(path)) {
      var active = document.activeElement;
      var row = active && active.closest ? active.closest("tr[data-href]") : null;
      if (!row) {
        var ticked = document.querySelectorAll("tr[data-href] input[type=checkbox]:checked");
        if (ticked.length === 1) row = ticked[0].closest("tr[data-href]");
      }
      var found = row ? /\/finance\/proforma\/(\d+)/.exec(row.dataset.href) : null;
      if (found) id = found[1];
    }
    if (!id) return;
    e.preventDefault();
    window.location.href = "/finance/proforma/" + id + "/follow-up";
  });
})();
