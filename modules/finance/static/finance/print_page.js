// The e-mail form sends the PDF made with the choices of the print form above it: copy them
// into its hidden fields whenever they change (without script the defaults are sent).
(function () {
  var print = document.getElementById("print-form");
  if (!print) return;
  function copy() {
    var data = new FormData(print);
    document.querySelectorAll("input[data-from]").forEach(function (input) {
      input.value = data.get(input.getAttribute("data-from")) || "";
    });
  }
  print.addEventListener("change", copy);
  print.addEventListener("input", copy);
  copy();
})();
