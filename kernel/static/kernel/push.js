/* One stream of pushed messages per tab (kernel/push): each message becomes a `peyvand:push`
   event on document, {detail: {id, kind, data}}, for the modules' own scripts to take.
   The last id seen is kept for the tab, so the next page asks for what it missed in between.
   A message goes to one tab of a browser: the first to take its Web Lock (held 10 s, while every
   tab has it) fires it. Without Web Locks (plain http on a LAN address is not a secure context)
   a list in localStorage keeps most repeats away, but two tabs may both fire. */
(function () {
  "use strict";
  if (!window.EventSource || !document.body || document.body.dataset.push !== "on") return;
  var LAST = "peyvand.push.last", SEEN = "peyvand.push.seen";
  var last = "";
  try { last = sessionStorage.getItem(LAST) || ""; } catch (e) { /* storage off: start fresh */ }
  var source = new EventSource("/push/stream" + (/^\d+$/.test(last) ? "?after=" + last : ""));

  function claim(id, fire) {
    if (navigator.locks && navigator.locks.request) {
      navigator.locks.request("peyvand.push." + id, {ifAvailable: true}, function (lock) {
        if (!lock) return null;  // another tab has it
        fire();
        return new Promise(function (done) { setTimeout(done, 10000); });
      });
    } else if (!takenElsewhere(id)) {
      fire();
    }
  }

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
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    claim(id, function () {
      document.dispatchEvent(new CustomEvent("peyvand:push", {detail: {id: id, kind: message.kind, data: message.data}}));
    });
  };
  window.addEventListener("pagehide", function () { source.close(); });
  window.peyvandPush = source;
})();
