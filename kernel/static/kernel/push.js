/* One stream of pushed messages per tab (kernel/push): each message becomes a `peyvand:push`
   event on document, {detail: {id, kind, data}}, for the modules' own scripts to take.
   The last id seen is kept for the tab, so the next page asks for what it missed in between;
   an id already taken by another tab of the same browser is not fired again. */
(function () {
  "use strict";
  if (!window.EventSource || !document.body || document.body.dataset.push !== "on") return;
  var LAST = "peyvand.push.last", SEEN = "peyvand.push.seen";
  var last = "";
  try { last = sessionStorage.getItem(LAST) || ""; } catch (e) { /* storage off: start fresh */ }
  var source = new EventSource("/push/stream" + (/^\d+$/.test(last) ? "?after=" + last : ""));

  function takenElsewhere(id) {
    try {
      var seen = JSON.parse(localStorage.getItem(SEEN) || "[]");
      if (seen.indexOf(id) >= 0) return true;
      seen.push(id);
      localStorage.setItem(SEEN, JSON.stringify(seen.slice(-100)));
    } catch (e) { /* no storage: every tab shows it */ }
    return false;
  }

  source.onmessage = function (event) {
    var id = parseInt(event.lastEventId, 10);
    if (!id) return;
    try { sessionStorage.setItem(LAST, String(id)); } catch (e) { /* ignore */ }
    if (takenElsewhere(id)) return;
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    document.dispatchEvent(new CustomEvent("peyvand:push", {detail: {id: id, kind: message.kind, data: message.data}}));
  };
  window.addEventListener("pagehide", function () { source.close(); });
  window.peyvandPush = source;
})();
