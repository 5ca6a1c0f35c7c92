// The incoming-call pop-up (DEV-01): kernel/push.js fires "peyvand:push" for each message sent
// to this user; for a "telephony.call" one we fetch the server-rendered card (names, scope and
// digits are decided there) and stack it. Cards stay until closed; "log the call" posts in place.
(function () {
  "use strict";
  var KIND = "telephony.call";
  var stack = null;

  function getStack() {
    if (!stack) {
      stack = document.createElement("div");
      stack.className = "call-stack";
      stack.setAttribute("aria-live", "polite");
      document.body.appendChild(stack);
    }
    return stack;
  }

  function place(html, callId) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var card = holder.querySelector(".call-card");
    if (!card) return;
    var old = getStack().querySelector('.call-card[data-call="' + callId + '"]');
    if (old) old.replaceWith(card); else getStack().prepend(card);  // newest on top
  }

  function show(callId) {
    fetch("/telephony/call/" + encodeURIComponent(callId) + "/popup", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (html) place(html, callId); })
      .catch(function () { /* the next call will try again; the call is in the list anyway */ });
  }

  document.addEventListener("peyvand:push", function (e) {
    var d = e.detail || {};
    if (d.kind === KIND && d.data && d.data.call_id) show(d.data.call_id);
  });

  document.addEventListener("click", function (e) {
    var close = e.target.closest && e.target.closest(".call-stack .call-card-close");
    if (close) close.closest(".call-card").remove();
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !form.matches(".call-stack form.call-log")) return;
    e.preventDefault();
    var card = form.closest(".call-card");
    var button = form.querySelector("button");
    if (button) button.disabled = true;
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"X-Peyvand-Fragment": "1"}})
      .then(function (r) { return r.text(); })
      .then(function (html) { place(html, card.getAttribute("data-call")); })
      .catch(function () { if (button) button.disabled = false; });
  });
})();
