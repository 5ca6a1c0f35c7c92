// The New SMS page: shows the fields of the chosen kind of recipients, counts the SMS parts as
// the user types (the same rules as modules/marketing/sms_parts.py), and asks the server for the
// recipient count (/marketing/sms/preview) a moment after the form stops changing.
(function () {
  "use strict";
  const GSM = new Set(Array.from("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"));
  const EXT = new Set(Array.from("^{}\\[~]|€\f"));

  function countParts(text) {
    const chars = Array.from(text);
    let length, single, part;
    if (chars.every((c) => GSM.has(c) || EXT.has(c))) {
      length = chars.reduce((n, c) => n + (EXT.has(c) ? 2 : 1), 0); single = 160; part = 153;
    } else {
      length = chars.reduce((n, c) => n + (c.codePointAt(0) > 0xffff ? 2 : 1), 0); single = 70; part = 67;
    }
    return { length: length, parts: length === 0 ? 0 : (length <= single ? 1 : Math.ceil(length / part)) };
  }

  function digits(text) {
    if (document.documentElement.lang !== "fa") return String(text);
    return String(text).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? digits(values[k]) : m));
  }

  function start() {
    const form = document.getElementById("sms-form");
    if (!form) return;
    const texts = document.getElementById("mk-texts").dataset;
    const body = form.querySelector("[data-sms-body]");
    const partsOut = form.querySelector("[data-sms-parts]");
    const recipientsOut = form.querySelector("[data-sms-recipients]");
    const skipsOut = form.querySelector("[data-sms-skips]");
    const templates = form.querySelector("[data-templates]");
    let timer = null;
    let asked = 0;
    // Until the user changes something, a half-filled form is not called wrong.
    let touched = location.search.length > 1;  // opened prefilled (a partner, a list)

    function showKind() {
      const chosen = form.querySelector("input[name=audience]:checked");
      form.querySelectorAll(".mk-for").forEach((el) => el.classList.toggle("shown", !!chosen && el.dataset.for === chosen.value));
    }

    function count() {
      partsOut.textContent = fill(texts.parts, countParts(body.value));
    }

    function preview() {
      const data = new FormData(form);
      data.delete("csrf");
      const ask = ++asked;
      fetch(form.dataset.preview + "?" + new URLSearchParams(data).toString(), { credentials: "same-origin" })
        .then((r) => r.json()).then((got) => {
          if (ask !== asked) return;  // an older answer arriving late
          skipsOut.textContent = "";
          if (got.errors) {
            recipientsOut.textContent = (touched && Object.values(got.errors)[0]) || texts.none;
            recipientsOut.classList.toggle("error", touched);
            return;
          }
          recipientsOut.classList.remove("error");
          recipientsOut.textContent = got.summary;
          got.skipped.forEach((s) => {
            const li = document.createElement("li");
            li.textContent = s.reason + ": " + digits(s.count);
            skipsOut.appendChild(li);
          });
        }).catch(() => {});
    }

    function later() {
      touched = true;
      clearTimeout(timer);
      timer = setTimeout(preview, 350);
    }

    form.addEventListener("input", (e) => { if (e.target === body) count(); later(); });
    form.addEventListener("change", () => { showKind(); later(); });
    templates.addEventListener("change", () => {
      const option = templates.selectedOptions[0];
      if (option && option.dataset.body !== undefined) { body.value = option.dataset.body; count(); }
      // An e-mail template brings its subject too (New e-mail only has the subject field).
      const subject = form.querySelector("input[name=subject]");
      if (subject && option && option.dataset.subject) subject.value = option.dataset.subject;
    });
    form.querySelectorAll("[data-place]").forEach((chip) => chip.addEventListener("click", () => {
      const at = body.selectionStart || body.value.length;
      body.value = body.value.slice(0, at) + chip.dataset.place + body.value.slice(body.selectionEnd || at);
      body.focus();
      count(); later();
    }));
    showKind();
    count();
    preview();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
