// The clinic calendar: choosing a doctor or a group, and dragging a booked appointment onto a
// free slot to move it (the Move link on every appointment is the keyboard's way).
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var pick = e.target.closest && e.target.closest("[data-med-pick]");
    if (!pick) return;
    var form = pick.form, parts = pick.value.split(":");
    form.elements.doctor.value = parts[0] === "doctor" ? parts[1] : "";
    form.elements.group.value = parts[0] === "group" ? parts[1] : "";
    form.elements.jday.disabled = false;
    form.submit();
  });
  var cal = document.querySelector("[data-med-calendar]");
  if (!cal || cal.dataset.canMove !== "1") return;
  var dragged = null;
  cal.addEventListener("dragstart", function (e) {
    var item = e.target.closest("[data-appointment]");
    if (!item) return;
    dragged = item.dataset.appointment;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", dragged);
  });
  cal.addEventListener("dragover", function (e) {
    var slot = e.target.closest(".med-free");
    if (!slot || !dragged) return;
    e.preventDefault();
    slot.classList.add("med-drop");
  });
  cal.addEventListener("dragleave", function (e) {
    var slot = e.target.closest(".med-free");
    if (slot) slot.classList.remove("med-drop");
  });
  cal.addEventListener("drop", function (e) {
    var slot = e.target.closest(".med-free");
    if (!slot || !dragged) return;
    e.preventDefault();
    var form = document.getElementById("med-move-form");
    form.action = "/medical/calendar/appointment/" + dragged + "/move";
    form.elements.at.value = slot.dataset.at;
    form.elements.doctor.value = slot.dataset.doctor;
    form.submit();
  });
})();
