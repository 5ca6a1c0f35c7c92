// Group letters and label sheets: "all" ticks every addressee; the count of ticked addressees
// and, for labels, the sheets they fill on the chosen layout follow the ticks.
(function () {
  "use strict";
  var fa = document.documentElement.lang === "fa";
  function digits(n) {
    var s = String(n);
    return fa ? s.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[+d]; }) : s;
  }
  document.querySelectorAll("form[data-letters-pick]").forEach(function (form) {
    var boxes = function () { return form.querySelectorAll("input[name=r]"); };
    var all = form.querySelector("input[data-all]");
    var count = form.querySelector("[data-count]");
    var sheets = form.querySelector("[data-sheets]");
    function update() {
      var ticked = 0;
      boxes().forEach(function (b) { if (b.checked) { ticked += 1; } });
      if (count) { count.textContent = digits(ticked); }
      var layout = form.querySelector("input[name=layout]:checked");
      if (sheets && layout) {
        var per = parseInt(layout.getAttribute("data-per-sheet"), 10) || 1;
        sheets.textContent = digits(Math.ceil(ticked / per));
      }
      if (all) { all.checked = ticked === boxes().length; }
    }
    if (all) {
      all.addEventListener("change", function () {
        boxes().forEach(function (b) { b.checked = all.checked; });
        update();
      });
    }
    form.addEventListener("change", update);
    update();
  });
})();
