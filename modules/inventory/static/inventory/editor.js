/* The stock document editor (INV-01): codes typed or scanned into "scan or type a code" — by hand,
   by a keyboard-wedge scanner, or by the phone's camera — add their line without reloading the
   page; the lines' forms save and remove the same way. Without this script every form still
   posts and the page comes back with its message.

   A wedge burst that lands in no field, or in the code input, reaches us as the kernel's
   "peyvand:scan" event (kernel/static/kernel/scan.js): we take it and add the line here. A burst
   typed into another field (a line's serials) is left to that field. */
(function () {
  "use strict";
  var root = document.getElementById("inv-editor");
  if (!root) return;
  var docId = root.getAttribute("data-doc");
  var code = document.querySelector("[data-inv-code]");
  var status = document.querySelector("[data-inv-status]");
  var errorBox = document.querySelector(".inv-error");
  var REPEAT_MS = 1500; // the camera sees the same code many times a second: take it once
  var queue = Promise.resolve(); // scans are added in the order they came

  // Said beside the scan input (the page's own error line is for the form that reloaded it).
  function say(message, failed) {
    if (errorBox) { errorBox.textContent = ""; errorBox.hidden = true; }
    if (status) { status.textContent = message || ""; status.classList.toggle("error", !!failed); }
  }

  function send(form, extra) {
    var body = new URLSearchParams(new FormData(form));
    Object.keys(extra || {}).forEach(function (k) { body.set(k, extra[k]); });
    return fetch(form.action, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { accept: "application/json", "x-csrf-token": root.getAttribute("data-csrf") || "" }
    }).then(function (resp) {
      return resp.json().catch(function () { return { ok: false, error: root.getAttribute("data-msg-failed") }; });
    }).then(function (answer) {
      if (answer.ok && typeof answer.lines === "string") {
        document.getElementById("inv-lines").innerHTML = answer.lines;
      }
      say(answer.ok ? answer.message : answer.error, !answer.ok);
      return answer;
    }).catch(function () {
      say(root.getAttribute("data-msg-failed"), true);
      return { ok: false };
    });
  }

  // One code into the document: through the scan form, as typed.
  function add(value) {
    var form = document.querySelector("[data-inv-scan]");
    if (!form) return queue;
    queue = queue.then(function () {
      return send(form, { code: value }).then(function (answer) {
        var qty = form.querySelector("input[name=quantity]");
        if (answer.ok) { code.value = ""; if (qty) qty.value = ""; } else { code.value = value; code.select(); }
        return answer;
      });
    });
    return queue;
  }

  var scanForm = document.querySelector("[data-inv-scan]");
  if (scanForm) {
    scanForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var value = code.value.trim();
      if (value) add(value).then(function () { code.focus(); });
    });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-inv-ajax")) return;
    e.preventDefault();
    queue = queue.then(function () { return send(form); });
  });

  document.addEventListener("peyvand:scan", function (e) {
    var d = e.detail || {};
    if (d.field && d.field !== code) return; // into another field (a serial): that field's
    e.preventDefault();
    if (!docId) { // the new document's page: the first code starts the document
      code.value = d.code;
      code.form.submit();
      return;
    }
    code.value = "";
    add(d.code).then(function () { code.focus(); }); // ready for the next one
  });

  // -- the phone's camera --------------------------------------------------------------------
  var cameraButton = document.querySelector("[data-inv-camera]");
  var box = document.querySelector("[data-inv-camera-box]");
  var reader = null, last = "", lastAt = 0;

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      var ctx = beep.ctx || (beep.ctx = new Ctx());
      var osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 1200; gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.08);
    } catch (err) { /* no sound: the flash still says it */ }
    if (navigator.vibrate) navigator.vibrate(60);
    box.classList.add("inv-flash");
    setTimeout(function () { box.classList.remove("inv-flash"); }, 250);
  }

  function decoded(text) {
    var now = Date.now();
    if (text === last && now - lastAt < REPEAT_MS) { lastAt = now; return; }
    last = text; lastAt = now;
    beep();
    add(text);
  }

  function stop() {
    box.hidden = true;
    if (reader) { reader.stop().catch(function () {}).then(function () { reader.clear(); reader = null; }); }
  }

  function start() {
    var F = window.Html5QrcodeSupportedFormats;
    box.hidden = false;
    reader = new window.Html5Qrcode("inv-reader", {
      verbose: false,
      formatsToSupport: [F.EAN_13, F.EAN_8, F.UPC_A, F.CODE_128, F.QR_CODE]
    });
    reader.start({ facingMode: "environment" }, {
      fps: 10,
      qrbox: function (w, h) { return { width: Math.floor(w * 0.9), height: Math.floor(h * 0.6) }; }
    }, decoded, function () { /* no code in this frame */ }).catch(function () {
      say(root.getAttribute("data-msg-camera"), true);
      stop();
    });
  }

  if (cameraButton && box && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    var ready = function () { if (window.Html5Qrcode) cameraButton.hidden = false; };
    if (document.readyState === "complete") ready(); else window.addEventListener("load", ready);
    cameraButton.addEventListener("click", function () { if (reader) stop(); else start(); });
    box.querySelector("[data-inv-camera-stop]").addEventListener("click", stop);
  }
})();
