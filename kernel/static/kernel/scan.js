/* Card readers and barcode scanners as a keyboard (DEV-02): a "keyboard wedge" types what it
   reads, fast, then Enter. A burst of at least MIN printable keys, each at most GAP ms after the
   one before, ended by Enter, is a scan; a person never types that fast, so their keys are left
   alone. The same shapes as devices/scan_codes.py (keep them in step): magnetic track 1
   (%B<card number>^<NAME>^…?), track 2 (;<card number>=…?), EAN-13/EAN-8/UPC-A (digits with a
   valid check digit), anything else as Code-128.

   - A focused field gets the code (the card number, without the track's sentinels) in place of
     the keys the burst typed; the burst's Enter submits its form only when the field says
     data-scan-submit, otherwise it is swallowed so a half-filled form is not sent.
   - With no field focused the code is posted to /scan and the answer followed: {open: url},
     {reload, message} or {message} (a toast).
   - A "peyvand:scan" event (cancelable; detail {code, format, name, raw, field}) is fired first:
     a page's own script may take the scan and call preventDefault().
   - A serial reader's scan pushed to this user's browser (push kind "devices.scan") is handled
     the same way, in the one tab push.js fires it in.
   The PC's keyboard layout may be Persian: the scanner presses the same keys, the browser
   reports Persian letters and digits; they are mapped back to the keys' Latin characters. */
(function () {
  "use strict";
  var GAP = 35; // ms between two keys of a scanner; people need 80 ms and more
  var MIN = 4;
  var TOAST_KEY = "peyvand.scan.toast";

  // The physical key (KeyboardEvent.code) → [unshifted, shifted] on a US keyboard, which is
  // what a scanner emulates.
  var US = {
    Backquote: "`~", Minus: "-_", Equal: "=+", BracketLeft: "[{", BracketRight: "]}", Backslash: "\\|",
    Semicolon: ";:", Quote: "'\"", Comma: ",<", Period: ".>", Slash: "/?", Space: "  ",
    Digit1: "1!", Digit2: "2@", Digit3: "3#", Digit4: "4$", Digit5: "5%", Digit6: "6^", Digit7: "7&",
    Digit8: "8*", Digit9: "9(", Digit0: "0)"
  };
  "abcdefghijklmnopqrstuvwxyz".split("").forEach(function (c) { US["Key" + c.toUpperCase()] = c + c.toUpperCase(); });

  // The standard Persian layout (ISIRI 9147) → the Latin character of the same key, for when the
  // browser gives no key code (virtual keyboards, some Android browsers).
  var FA = {};
  function pairs(persian, latin) {
    var p = Array.from(persian), l = Array.from(latin);
    p.forEach(function (ch, i) { FA[ch] = l[i]; });
  }
  pairs("۱۲۳۴۵۶۷۸۹۰", "1234567890");
  pairs("١٢٣٤٥٦٧٨٩٠", "1234567890");
  pairs("ضصثقفغعهخحجچشسیبلاتنمکگظطزرذدپو", "qwertyuiop[]asdfghjkl;'zxcvbnm,");
  // Shift+Q…I type the short vowels; Shift+A…L, Shift+Z…M other letters and signs.
  pairs("\u0652\u064c\u064d\u064b\u064f\u0650\u064e\u0651", "QWERTYUI");
  pairs("ؤئيإأآة»«", "ASDFGHJKL");
  pairs("ك\u0653ژ\u0670\u200c\u0654ء", "ZXCVBNM");
  pairs("÷٬٫﷼٪×،ـ؟", "~@#$%^&_?");

  function latin(e) {
    var k = e.key;
    if (typeof k !== "string" || Array.from(k).length !== 1) return null;
    var us = US[e.code || ""];
    if (k >= " " && k <= "~") {
      // The Persian layout swaps some ASCII shapes (Shift+9 is ")" there): trust the key code.
      return !us || us.indexOf(k) >= 0 ? k : us.charAt(e.shiftKey ? 1 : 0);
    }
    if (us) return us.charAt(e.shiftKey ? 1 : 0);
    return FA[k] || (/[\p{L}\p{N}\p{P}\p{S}]/u.test(k) ? k : null);
  }

  function checkDigitOk(d) {
    if (!/^[0-9]{2,}$/.test(d)) return false;
    var body = d.slice(0, -1).split("").reverse(), total = 0;
    body.forEach(function (c, i) { total += Number(c) * (i % 2 === 0 ? 3 : 1); });
    return (10 - total % 10) % 10 === Number(d.charAt(d.length - 1));
  }

  var BANK = /^%[A-Z]([0-9 ]{1,19})\^([^^?]{0,40})\^[^?]*\?/;
  var TRACK2 = /^;([0-9]{1,37})(?:=[0-9]*)?\?/;
  var TEXT1 = /^%([^%?^;]{1,76})\?/;

  function classify(text) {
    var raw = String(text || "").trim();
    if (!raw || raw.length > 400) return null;
    if ((raw.charAt(0) === "%" || raw.charAt(0) === ";") && raw.slice(-1) === "?") {
      var segments = raw.match(/[%;][^%;?]*\?/g) || [];
      var tries = [[BANK, "track1"], [TRACK2, "track2"], [TEXT1, "track1"]];
      for (var t = 0; t < tries.length; t++) {
        for (var s = 0; s < segments.length; s++) {
          var m = tries[t][0].exec(segments[s]);
          if (m && m[1].trim() !== "E") {
            if (tries[t][0] === BANK) return { code: m[1].replace(/ /g, ""), format: "track1", name: m[2].split(/\s+/).join(" ").trim() };
            return { code: m[1].trim(), format: tries[t][1], name: "" };
          }
        }
      }
      return null; // a swipe the reader could not read (%E?;E?)
    }
    if (raw.length > 200) return null;
    if (/^[0-9]+$/.test(raw) && checkDigitOk(raw)) {
      var kind = { 13: "ean13", 8: "ean8", 12: "upca" }[raw.length];
      if (kind) return { code: raw, format: kind, name: "" };
    }
    return { code: raw, format: "code128", name: "" };
  }

  var TEXT_TYPES = /^(text|search|tel|email|url|password|)$/;
  function fieldOf(el) {
    if (!el) return null;
    if (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && TEXT_TYPES.test(el.type || ""))) {
      return el.readOnly || el.disabled ? null : el;
    }
    return el.isContentEditable ? el : null;
  }

  function toast(message) {
    if (!message) return;
    var box = document.querySelector(".scan-toast");
    if (!box) {
      box = document.createElement("div");
      box.className = "scan-toast";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 5000);
  }

  // The page's language's words, from the <meta> the kernel put beside this script.
  function text(name) {
    var meta = document.querySelector("meta[name=peyvand-scan]");
    return meta ? meta.getAttribute("data-" + name) || "" : "";
  }

  function csrf() {
    var input = document.querySelector("input[name=csrf]");
    return input ? input.value : "";
  }

  function post(reading) {
    fetch("/scan", {
      method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrf() },
      body: JSON.stringify({ code: reading.code, format: reading.format, page: location.pathname + location.search })
    }).then(function (resp) { return resp.json(); }).then(function (answer) {
      if (answer.open) { location.assign(answer.open); return; }
      if (answer.reload) {
        try { if (answer.message) sessionStorage.setItem(TOAST_KEY, answer.message); } catch (err) { /* storage off */ }
        location.reload();
        return;
      }
      toast(answer.message);
    }).catch(function () { toast(text("failed")); });
  }

  function fill(field, reading, before, start, end) {
    if (field.isContentEditable) return;
    field.value = before.slice(0, start) + reading.code + before.slice(end);
    var caret = start + reading.code.length;
    try { field.setSelectionRange(caret, caret); } catch (err) { /* type=email has no selection */ }
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // One scan, from a burst or a push: the page's script first, then the field or /scan.
  function deliver(reading, field, raw) {
    var ev = new CustomEvent("peyvand:scan", { cancelable: true,
      detail: { code: reading.code, format: reading.format, name: reading.name || "", raw: raw, field: field } });
    document.dispatchEvent(ev);
    if (ev.defaultPrevented) return true;
    if (!field) post(reading);
    return false;
  }

  var burst = [];
  var last = -Infinity;
  var snap = null; // the focused field as it was before the burst's first key

  function reset() { burst = []; snap = null; last = -Infinity; }

  window.addEventListener("keydown", function (e) {
    if (e.key === "Shift" || e.key === "CapsLock") return; // a scanner's capitals come with Shift
    // A held key repeats every ~30 ms: a person's, not a scanner's.
    if (e.isComposing || e.repeat || e.ctrlKey || e.altKey || e.metaKey) { reset(); return; }
    var now = e.timeStamp;
    if (e.key === "Enter") {
      var fast = burst.length >= MIN && now - last <= GAP;
      var raw = burst.join(""), before = snap;
      reset();
      if (!fast) return;
      var reading = classify(raw);
      var field = fieldOf(document.activeElement);
      if (!reading) { // a swipe the reader could not read: undo what it typed, say so
        if (field && before && before.field === field) fill(field, { code: "" }, before.value, before.start, before.end);
        toast(text("unreadable"));
        e.preventDefault();
        return;
      }
      if (field && before && before.field === field) fill(field, reading, before.value, before.start, before.end);
      var taken = deliver(reading, field, raw);
      if (taken || !field || !field.hasAttribute("data-scan-submit")) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
      return;
    }
    var ch = latin(e);
    if (ch === null) { reset(); return; }
    if (now - last > GAP || !burst.length) {
      burst = [];
      var f = fieldOf(document.activeElement);
      snap = f && !f.isContentEditable ? { field: f, value: f.value, start: f.selectionStart || 0,
                                             end: f.selectionEnd || 0 } : null;
    } else if (!fieldOf(document.activeElement)) {
      // Inside a burst with no field: "/" and "?" are shortcuts (search, keyboard map), not ours.
      e.preventDefault();
      e.stopImmediatePropagation();
    }
    burst.push(ch);
    last = now;
  }, true);

  // A serial reader's scan, pushed to this user (kernel/push): push.js fires it in one tab of the
  // browser, which takes it as it would a burst — into its focused field, else /scan.
  document.addEventListener("peyvand:push", function (e) {
    var msg = e.detail || {};
    if (msg.kind !== "devices.scan" || !msg.data || !msg.data.code) return;
    var code = String(msg.data.code);
    var reading = { code: code, format: String(msg.data.format || "code128"), name: "" };
    var field = fieldOf(document.activeElement);
    if (field && !field.isContentEditable) fill(field, reading, field.value, field.selectionStart || 0, field.selectionEnd || 0);
    deliver(reading, field, code);
  });

  // The message of a scan that reloaded the page (finance's line added), shown once it is back.
  try {
    var pending = sessionStorage.getItem(TOAST_KEY);
    if (pending) { sessionStorage.removeItem(TOAST_KEY); toast(pending); }
  } catch (err) { /* storage off: the reloaded page says nothing */ }

  window.PeyvandScan = { classify: classify, latin: latin, checkDigitOk: checkDigitOk };
})();
