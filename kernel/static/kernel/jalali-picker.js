/*
 * Peyvand Jalali date picker — dependency-free, no build step.
 *
 * Usage:
 *   <link rel="stylesheet" href="/static/kernel/jalali-picker.css">
 *   <script src="/static/kernel/jalali-picker.js" defer></script>
 *   <input name="due" data-jalali>                 date:      ۱۴۰۵/۰۹/۰۱ (fa) or 1405/09/01 (en)
 *   <input name="at" data-jalali="datetime">       date+time: ۱۴۰۵/۰۹/۰۱ ۱۰:۳۰
 *
 * Every such input gets a calendar button; the input stays a plain text field, so typing by
 * hand works and the server parses whatever is typed (kernel/persian/jalali.py). The language is
 * <html lang>: "fa…" gives Persian names and digits, anything else English. Inputs added
 * later are enhanced by a MutationObserver; PeyvandJalali.enhance(root) does it on demand.
 * The calendar arithmetic is exported too (and under Node's module.exports, for tests).
 */
(function (global) {
  "use strict";

  // ---- Calendar arithmetic: the Jalali leap rule from the table of 33/29/37-year cycle
  // breaks (Borkowski), valid for Jalali years -61..3177, over Julian Day Numbers.

  var BREAKS = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097,
    2192, 2262, 2324, 2394, 2456, 3178];

  function div(a, b) { return ~~(a / b); }
  function mod(a, b) { return a - ~~(a / b) * b; }

  function jalCal(jy) {
    var gy = jy + 621, leapJ = -14, jp = BREAKS[0], jump = 0, jm, n, leap, leapG, i;
    if (jy < jp || jy >= BREAKS[BREAKS.length - 1]) throw new RangeError("Jalali year out of range: " + jy);
    for (i = 1; i < BREAKS.length; i += 1) {
      jm = BREAKS[i];
      jump = jm - jp;
      if (jy < jm) break;
      leapJ += div(jump, 33) * 8 + div(mod(jump, 33), 4);
      jp = jm;
    }
    n = jy - jp;
    leapJ += div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
    if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
    leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
    leap = mod(mod(n + 1, 33) - 1, 4);
    if (leap === -1) leap = 4;
    return { leap: leap, gy: gy, march: 20 + leapJ - leapG };
  }

  function g2d(gy, gm, gd) {
    var d = div((gy + div(gm - 8, 6) + 100100) * 1461, 4) + div(153 * mod(gm + 9, 12) + 2, 5) + gd - 34840408;
    return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
  }

  function d2g(jdn) {
    var j = 4 * jdn + 139361631, i, gd, gm, gy;
    j += div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
    i = div(mod(j, 1461), 4) * 5 + 308;
    gd = div(mod(i, 153), 5) + 1;
    gm = mod(div(i, 153), 12) + 1;
    gy = div(j, 1461) - 100100 + div(8 - gm, 6);
    return { gy: gy, gm: gm, gd: gd };
  }

  function j2d(jy, jm, jd) {
    var r = jalCal(jy);
    return g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
  }

  function d2j(jdn) {
    var gy = d2g(jdn).gy, jy = gy - 621, r = jalCal(jy), k = jdn - g2d(gy, 3, r.march);
    if (k >= 0) {
      if (k <= 185) return { jy: jy, jm: 1 + div(k, 31), jd: mod(k, 31) + 1 };
      k -= 186;
    } else {
      jy -= 1;
      k += 179;
      if (r.leap === 1) k += 1;
    }
    return { jy: jy, jm: 7 + div(k, 30), jd: mod(k, 30) + 1 };
  }

  function toJalali(gy, gm, gd) { return d2j(g2d(gy, gm, gd)); }
  function toGregorian(jy, jm, jd) { return d2g(j2d(jy, jm, jd)); }
  function isLeapJalaliYear(jy) { return jalCal(jy).leap === 0; }
  function monthLength(jy, jm) {
    if (jm <= 6) return 31;
    if (jm <= 11) return 30;
    return isLeapJalaliYear(jy) ? 30 : 29;
  }
  // Column of a day in a Saturday-first week: Sat 0 … Fri 6. JDN + 2 mod 7 is Saturday = 0.
  function weekColumn(jy, jm, jd) { return mod(j2d(jy, jm, jd) + 2, 7); }

  // ---- Text: digits, names, parsing and formatting what the input holds.

  var FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹", AR_DIGITS = "٠١٢٣٤٥٦٧٨٩";
  var I18N = {
    fa: {
      months: ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
      weekdays: ["ش", "ی", "د", "س", "چ", "پ", "ج"],
      weekdayNames: ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"],
      open: "انتخاب تاریخ", prev: "ماه قبل", next: "ماه بعد", today: "امروز", close: "بستن", time: "ساعت"
    },
    en: {
      months: ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar",
        "Dey", "Bahman", "Esfand"],
      weekdays: ["Sa", "Su", "Mo", "Tu", "We", "Th", "Fr"],
      weekdayNames: ["Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
      open: "Choose date", prev: "Previous month", next: "Next month", today: "Today", close: "Close", time: "Time"
    }
  };

  function toAsciiDigits(s) {
    return String(s).replace(/[۰-۹٠-٩]/g, function (c) {
      var i = FA_DIGITS.indexOf(c);
      return String(i >= 0 ? i : AR_DIGITS.indexOf(c));
    });
  }
  function toPersianDigits(s) {
    return String(s).replace(/[0-9]/g, function (c) { return FA_DIGITS.charAt(+c); });
  }
  function pad2(n) { return (n < 10 ? "0" : "") + n; }
  function localise(s, lang) { return lang === "fa" ? toPersianDigits(s) : s; }

  // The same shapes the server accepts: y/m/d with / - or . and an optional " HH:MM".
  var PATTERN = /^\s*(\d{1,4})\s*[\/\-.]\s*(\d{1,2})\s*[\/\-.]\s*(\d{1,2})(?:\s+(\d{1,2}):(\d{1,2}))?\s*$/;

  function parse(text) {
    var m = PATTERN.exec(toAsciiDigits(text || "").replace(/[\u200c\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g, ""));
    if (!m) return null;
    var d = { jy: +m[1], jm: +m[2], jd: +m[3], hour: m[4] === undefined ? null : +m[4],
      minute: m[5] === undefined ? null : +m[5] };
    if (d.jy < 1200 || d.jy > 1600 || d.jm < 1 || d.jm > 12 || d.jd < 1 || d.jd > monthLength(d.jy, d.jm)) return null;
    return d;
  }

  function format(d, lang, withTime) {
    var s = d.jy + "/" + pad2(d.jm) + "/" + pad2(d.jd);
    if (withTime) s += " " + pad2(d.hour || 0) + ":" + pad2(d.minute || 0);
    return localise(s, lang);
  }

  function today() {
    var now = new Date();
    return toJalali(now.getFullYear(), now.getMonth() + 1, now.getDate());
  }

  // ---- The widget.

  var open = null; // the one popup shown at a time: {input, popup, wrapper, view, lang, withTime}

  function langOf() {
    var l = (global.document && global.document.documentElement.lang) || "";
    return l.toLowerCase().indexOf("fa") === 0 ? "fa" : "en";
  }

  // Drawn inline: an emoji needs a colour font that an offline office PC may not have.
  var ICON = '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">' +
    '<rect x="3" y="5" width="18" height="16" rx="2" fill="none" stroke="currentColor" stroke-width="2"/>' +
    '<path d="M3 10h18M8 3v4M16 3v4" stroke="currentColor" stroke-width="2" fill="none"/></svg>';

  function el(tag, cls, text) {
    var e = global.document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function button(cls, text, label) {
    var b = el("button", cls, text);
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  function enhance(root) {
    var scope = root || global.document;
    var inputs = [];
    if (scope.matches && scope.matches("input[data-jalali]")) inputs.push(scope);
    if (scope.querySelectorAll) inputs = inputs.concat([].slice.call(scope.querySelectorAll("input[data-jalali]")));
    inputs.forEach(enhanceInput);
  }

  function enhanceInput(input) {
    if (input.hasAttribute("data-jalali-ready")) return;
    input.setAttribute("data-jalali-ready", "");
    input.setAttribute("autocomplete", "off");
    var wrapper = el("span", "pj-wrap");
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var t = I18N[langOf()];
    var toggle = button("pj-toggle", undefined, t.open);
    toggle.innerHTML = ICON;
    toggle.setAttribute("aria-haspopup", "dialog");
    toggle.setAttribute("aria-expanded", "false");
    wrapper.appendChild(toggle);
    toggle.addEventListener("click", function () {
      if (open && open.input === input) close(true); else show(input, wrapper, toggle);
    });
    input.addEventListener("keydown", function (ev) {
      if ((ev.key === "ArrowDown" && ev.altKey) || (ev.key === "ArrowDown" && !input.value)) {
        ev.preventDefault();
        show(input, wrapper, toggle);
      } else if (ev.key === "Escape" && open && open.input === input) {
        close(true);
      }
    });
  }

  function isDateTime(input) { return input.getAttribute("data-jalali") === "datetime"; }

  function show(input, wrapper, toggle) {
    close(false);
    var lang = langOf(), withTime = isDateTime(input), current = parse(input.value), t = today();
    var popup = el("div", "pj-popup");
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", I18N[lang].open);
    popup.dir = lang === "fa" ? "rtl" : "ltr";
    popup.lang = lang;
    open = {
      input: input, wrapper: wrapper, toggle: toggle, popup: popup, lang: lang, withTime: withTime,
      selected: current,
      view: current ? { jy: current.jy, jm: current.jm } : { jy: t.jy, jm: t.jm },
      focusDay: current ? current.jd : t.jd,
      hour: current && current.hour !== null ? current.hour : 9,
      minute: current && current.minute !== null ? current.minute : 0
    };
    popup.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { ev.preventDefault(); close(true); }
    });
    wrapper.appendChild(popup);
    toggle.setAttribute("aria-expanded", "true");
    render();
    global.document.addEventListener("pointerdown", onOutside, true);
  }

  function close(refocus) {
    if (!open) return;
    var o = open;
    open = null;
    global.document.removeEventListener("pointerdown", onOutside, true);
    o.toggle.setAttribute("aria-expanded", "false");
    if (o.popup.parentNode) o.popup.parentNode.removeChild(o.popup);
    if (refocus) o.input.focus();
  }

  function onOutside(ev) {
    if (open && !open.wrapper.contains(ev.target)) close(false);
  }

  function move(days) {
    var v = open.view, jdn = j2d(v.jy, v.jm, Math.min(open.focusDay, monthLength(v.jy, v.jm))) + days;
    var d = d2j(jdn);
    open.view = { jy: d.jy, jm: d.jm };
    open.focusDay = d.jd;
    render();
  }

  function shiftMonth(delta) {
    var v = open.view, m = v.jm - 1 + delta;
    open.view = { jy: v.jy + Math.floor(m / 12), jm: mod(mod(m, 12) + 12, 12) + 1 };
    open.focusDay = Math.min(open.focusDay, monthLength(open.view.jy, open.view.jm));
    render();
  }

  function pick(jy, jm, jd) {
    var o = open, d = { jy: jy, jm: jm, jd: jd, hour: o.hour, minute: o.minute };
    o.input.value = format(d, o.lang, o.withTime);
    o.input.dispatchEvent(new Event("input", { bubbles: true }));
    o.input.dispatchEvent(new Event("change", { bubbles: true }));
    close(true);
  }

  function render() {
    var o = open, t = I18N[o.lang], v = o.view, now = today(), popup = o.popup;
    popup.textContent = "";

    var head = el("div", "pj-head");
    var prev = button("pj-nav pj-prev", o.lang === "fa" ? "›" : "‹", t.prev);
    var next = button("pj-nav pj-next", o.lang === "fa" ? "‹" : "›", t.next);
    var title = el("div", "pj-title", t.months[v.jm - 1] + " " + localise(String(v.jy), o.lang));
    title.setAttribute("aria-live", "polite");
    prev.addEventListener("click", function () { shiftMonth(-1); });
    next.addEventListener("click", function () { shiftMonth(1); });
    head.appendChild(prev);
    head.appendChild(title);
    head.appendChild(next);
    popup.appendChild(head);

    var grid = el("div", "pj-grid");
    grid.setAttribute("role", "grid");
    t.weekdays.forEach(function (w, i) {
      var h = el("abbr", "pj-weekday" + (i === 6 ? " pj-holiday" : ""), w);
      h.title = t.weekdayNames[i];
      grid.appendChild(h);
    });
    var first = weekColumn(v.jy, v.jm, 1), length = monthLength(v.jy, v.jm), focusBtn = null, d;
    for (d = 0; d < first; d += 1) grid.appendChild(el("span", "pj-empty"));
    for (d = 1; d <= length; d += 1) {
      var b = button("pj-day", localise(String(d), o.lang));
      var col = (first + d - 1) % 7;
      b.setAttribute("data-day", String(d));
      b.setAttribute("aria-label", t.weekdayNames[col] + " " + format({ jy: v.jy, jm: v.jm, jd: d }, o.lang, false));
      b.tabIndex = d === o.focusDay ? 0 : -1;
      if (col === 6) b.className += " pj-holiday";
      if (now.jy === v.jy && now.jm === v.jm && now.jd === d) {
        b.className += " pj-today";
        b.setAttribute("aria-current", "date");
      }
      if (o.selected && o.selected.jy === v.jy && o.selected.jm === v.jm && o.selected.jd === d) {
        b.className += " pj-selected";
        b.setAttribute("aria-selected", "true");
      }
      if (d === o.focusDay) focusBtn = b;
      grid.appendChild(b);
    }
    grid.addEventListener("click", function (ev) {
      var day = ev.target.getAttribute && ev.target.getAttribute("data-day");
      if (day) pick(v.jy, v.jm, +day);
    });
    grid.addEventListener("keydown", onGridKey);
    popup.appendChild(grid);

    var foot = el("div", "pj-foot");
    if (o.withTime) {
      var label = el("label", "pj-time-label", t.time + " ");
      // Not <input type="time">: Chromium shows that in the system's locale ("09:00 AM" on a
      // Persian page). A text box in 24-hour time with the page's digits reads as it is typed.
      var time = el("input", "pj-time");
      time.type = "text";
      time.inputMode = "numeric";
      time.dir = "ltr";
      time.maxLength = 5;
      time.size = 5;
      time.autocomplete = "off";
      time.placeholder = localise("09:00", o.lang);
      time.value = localise(pad2(o.hour) + ":" + pad2(o.minute), o.lang);
      var takeTime = function () {
        var m = /^\s*(\d{1,2})\s*[:٫.]?\s*(\d{2})\s*$/.exec(toAsciiDigits(time.value));
        var ok = m && +m[1] < 24 && +m[2] < 60;
        if (ok) { o.hour = +m[1]; o.minute = +m[2]; }
        time.setAttribute("aria-invalid", ok ? "false" : "true");
      };
      time.addEventListener("input", takeTime);
      time.addEventListener("change", function () {
        takeTime();
        if (time.getAttribute("aria-invalid") === "false") {
          time.value = localise(pad2(o.hour) + ":" + pad2(o.minute), o.lang);
        }
      });
      label.appendChild(time);
      foot.appendChild(label);
    }
    var todayBtn = button("pj-today-btn", t.today);
    todayBtn.addEventListener("click", function () { pick(now.jy, now.jm, now.jd); });
    var closeBtn = button("pj-close", t.close);
    closeBtn.addEventListener("click", function () { close(true); });
    foot.appendChild(todayBtn);
    foot.appendChild(closeBtn);
    popup.appendChild(foot);
    if (focusBtn) focusBtn.focus();
  }

  function onGridKey(ev) {
    // Arrow keys follow what the eye sees: in RTL the next day is to the left.
    var rtl = open.lang === "fa", step = { ArrowUp: -7, ArrowDown: 7 };
    step.ArrowLeft = rtl ? 1 : -1;
    step.ArrowRight = rtl ? -1 : 1;
    if (step[ev.key] !== undefined) { ev.preventDefault(); move(step[ev.key]); }
    else if (ev.key === "PageUp") { ev.preventDefault(); shiftMonth(ev.shiftKey ? -12 : -1); }
    else if (ev.key === "PageDown") { ev.preventDefault(); shiftMonth(ev.shiftKey ? 12 : 1); }
    else if (ev.key === "Home" || ev.key === "End") {
      ev.preventDefault();
      open.focusDay = ev.key === "Home" ? 1 : monthLength(open.view.jy, open.view.jm);
      render();
    }
  }

  var api = {
    toJalali: toJalali, toGregorian: toGregorian, isLeapJalaliYear: isLeapJalaliYear,
    monthLength: monthLength, weekColumn: weekColumn, parse: parse, format: format,
    toAsciiDigits: toAsciiDigits, toPersianDigits: toPersianDigits, enhance: enhance, close: close
  };

  if (typeof module === "object" && module.exports) module.exports = api;
  global.PeyvandJalali = api;

  if (global.document) {
    var start = function () {
      enhance(global.document);
      if (global.MutationObserver) {
        new global.MutationObserver(function (records) {
          records.forEach(function (r) {
            [].forEach.call(r.addedNodes, function (n) { if (n.nodeType === 1) enhance(n); });
          });
        }).observe(global.document.documentElement, { childList: true, subtree: true });
      }
    };
    if (global.document.readyState === "loading") global.document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(typeof window !== "undefined" ? window : globalThis);
