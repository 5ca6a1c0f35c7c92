"""A keyboard-wedge reader in the browser: keys sent as the operating system delivers them, each
stamped with the time it was pressed (Chrome's ``Input.dispatchKeyEvent`` ``timestamp``, which
becomes the page's ``event.timeStamp``), on a US or a Persian keyboard layout.

Stamping the keys is what makes a burst's timing exact on a busy machine: Playwright's
``keyboard.type(delay=0)`` let two keys of a 55-key swipe fall 60–130 ms apart in 2 of 15 runs at
load 7 on this 2-core machine, and a person would then be a scanner or a scanner a person by chance."""

from __future__ import annotations

import time
from typing import Any

_PUNCT = {"`": ("Backquote", 192, False), "~": ("Backquote", 192, True), "-": ("Minus", 189, False),
          "_": ("Minus", 189, True), "=": ("Equal", 187, False), "+": ("Equal", 187, True),
          ";": ("Semicolon", 186, False), ":": ("Semicolon", 186, True), "/": ("Slash", 191, False),
          "?": ("Slash", 191, True), " ": ("Space", 32, False), "^": ("Digit6", 54, True),
          "%": ("Digit5", 53, True), ",": ("Comma", 188, False), ".": ("Period", 190, False)}

# What the standard Persian layout (ISIRI 9147) types for a key, unshifted and shifted.
_FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_FA_LETTERS = dict(zip("qwertyuiopasdfghjklzxcvbnm", "ضصثقفغعهخحشسیبلاتنمظطزرذدپ", strict=True))
_FA_SHIFTED = dict(zip("QWERTYUIASDFGHJKLZXCVBNM",
                       "\u0652\u064c\u064d\u064b\u064f\u0650\u064e\u0651ؤئيإأآة»«ك\u0653ژ\u0670\u200c\u0654ء",
                       strict=True))
_FA_PUNCT = {";": "ک", "?": "؟", "%": "٪", "^": "×", ",": "و"}


def key_of(ch: str, layout: str = "us") -> dict[str, Any]:
    """The key event fields that type ``ch`` (a character of a US keyboard) on ``layout``."""
    if ch.isascii() and ch.isalpha():
        code, vk, shift = f"Key{ch.upper()}", ord(ch.upper()), ch.isupper()
    elif ch.isascii() and ch.isdigit():
        code, vk, shift = f"Digit{ch}", ord(ch), False
    else:
        code, vk, shift = _PUNCT[ch]
    typed = ch
    if layout == "fa":
        if ch.isdigit():
            typed = _FA_DIGITS[int(ch)]
        elif ch.isalpha():
            typed = _FA_SHIFTED[ch] if ch.isupper() else _FA_LETTERS[ch]
        else:
            typed = _FA_PUNCT.get(ch, ch)
    return {"key": typed, "code": code, "windowsVirtualKeyCode": vk, "text": typed, "unmodifiedText": typed,
            "modifiers": 8 if shift else 0}


def wedge(page: Any, text: str, gap_ms: float = 4, layout: str = "us", with_codes: bool = True,
          enter: bool = True, held: bool = False) -> None:
    """Type ``text`` then Enter, the keys ``gap_ms`` apart by their time stamps. ``with_codes=False``
    sends no physical key codes (as some virtual keyboards), so only the characters tell;
    ``held=True`` sends the keys after the first as the auto-repeat of a key held down."""
    cdp = page.context.new_cdp_session(page)
    start = time.time()
    events = [key_of(ch, layout) for ch in text]
    if not with_codes:
        events = [{**e, "code": "", "windowsVirtualKeyCode": 0} for e in events]
    if held:
        events = events[:1] + [{**e, "autoRepeat": True} for e in events[1:]]
    if enter:
        events.append({"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r",
                       "unmodifiedText": "\r", "modifiers": 0})
    for i, event in enumerate(events):
        stamp = start + i * gap_ms / 1000
        wait = stamp - time.time()
        if wait > 0:  # a person's keys are pressed in real time, not only stamped so
            time.sleep(wait)
        cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "timestamp": stamp, **event})
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "timestamp": stamp + 0.0005,
                                            **{k: v for k, v in event.items() if k not in ("text", "unmodifiedText")}})
    cdp.detach()
