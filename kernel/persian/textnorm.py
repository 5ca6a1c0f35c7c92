"""Persian text normalisation: digits, Arabic letter forms, invisible marks, search keys.

Two different jobs live here. ``clean_input`` tidies what we *store* and keeps the user's
spelling (ZWNJ included). ``normalize_text`` / ``search_key`` build the *keys* that search,
duplicate detection and caller ID compare, where every spelling variant must meet.
"""

from __future__ import annotations

import re
import unicodedata

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

_TO_ASCII = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, "0123456789" * 2)
# Arabic-Indic digits are drawn differently (٤ ٥ ٦), so display turns them Persian as well.
_TO_PERSIAN = str.maketrans("0123456789" + _ARABIC_DIGITS, _PERSIAN_DIGITS * 2)

# Bidi controls arrive with text copied from RTL pages and spreadsheets; they are invisible
# and would make two equal-looking strings differ.
BIDI_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Left-to-right isolate: on an RTL page the groups of "۰۹۱۲ ۱۲۳ ۴۵۶۷" are separated by neutral
# spaces, so the bidi algorithm lays them out right to left ("۴۵۶۷ ۱۲۳ ۰۹۱۲"). Inside LRI…PDI
# they keep their order, in HTML, in PDFs and in any text a module builds from them.
LRI, PDI = "\u2066", "\u2069"
# Digits in groups split by spaces or dashes: phones, card numbers, Sayad cheque IDs.
_GROUPED_NUMBER = re.compile(r"\+?[0-9۰-۹٠-٩]+(?:[ \-][0-9۰-۹٠-٩]+)+")
# Zero-width junk that is never spelling: zero-width space, BOM / ZWNBSP, soft hyphen.
_INVISIBLE_JUNK = "\u200b\ufeff\u00ad"
ZWNJ = "\u200c"
ZWJ = "\u200d"

# Only Arabic keyboard forms that Persian never needs are folded when storing.
_STORE_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})

_KEY_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ؤ": "و",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "\u0640": None,  # tatweel only stretches letters
        "\u0670": None,  # superscript alef
        **{chr(c): None for c in range(0x064B, 0x0660)},  # harakat, and hamza above/below
        **{c: None for c in BIDI_MARKS + _INVISIBLE_JUNK + ZWNJ + ZWJ},
    }
)

_SPACES = re.compile(r"\s+")
_HSPACES = re.compile(r"[^\S\n]+")
_ZWNJ_RUN = re.compile(ZWNJ + "{2,}")
# A ZWNJ touching a space or a line end joins nothing.
_ZWNJ_STRAY = re.compile(rf"(?:(?<=\s){ZWNJ}|{ZWNJ}(?=\s)|^{ZWNJ}|{ZWNJ}$)", re.MULTILINE)
# Control characters but tab and line breaks: a NUL byte in a search box reached PostgreSQL,
# which refuses it in any string (a 500).
_CONTROLS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\x7f"
_STORE_REMOVE = str.maketrans({c: None for c in BIDI_MARKS + _INVISIBLE_JUNK + _CONTROLS})
_KEY_CONTROLS = str.maketrans({c: None for c in _CONTROLS})
# The key's three maps in one pass: they map disjoint characters, and none maps to a character
# another one maps, so applying their union is applying them one after the other.
_KEY_ALL = {**_KEY_CONTROLS, **_KEY_FOLD, **_TO_ASCII}
_KEY_STR = {chr(k): chr(v) if isinstance(v, int) else v or "" for k, v in _KEY_ALL.items()}
_KEY_CHANGES = re.compile("[" + re.escape("".join(_KEY_STR)) + "]")


def _key_char(m: re.Match[str]) -> str:
    return _KEY_STR[m.group()]


# What clean_input may change: a character it removes or folds, a ZWNJ, whitespace but a
# single space between two other characters. A value without any is returned as it came.
_STORE_CHANGES = re.compile(
    "[" + re.escape(BIDI_MARKS + _INVISIBLE_JUNK + _CONTROLS + "يىك" + ZWNJ) + r"]|[^\S ]|  |^ | $")


def ltr_isolate(text: str) -> str:
    """``text`` kept left to right wherever it is shown ('' stays '')."""
    return f"{LRI}{text}{PDI}" if text else text


def isolate_grouped_number(text: str) -> str:
    """A value that is a grouped number, isolated left to right; any other text unchanged."""
    return ltr_isolate(text) if _GROUPED_NUMBER.fullmatch(text) else text


def to_ascii_digits(s: str) -> str:
    """Persian (۰–۹) and Arabic-Indic (٠–٩) digits to ASCII; everything else unchanged."""
    return s.translate(_TO_ASCII)


def to_persian_digits(s: str) -> str:
    """ASCII and Arabic-Indic digits to Persian digits, for display in Persian."""
    return s.translate(_TO_PERSIAN)


def normalize_text(s: str) -> str:
    """The normalised form that search and duplicate checks compare.

    Arabic letter forms folded to Persian (ي ى→ی, ك→ک, ؤ→و, أ إ→ا, ة ۀ→ه; آ kept), digits to
    ASCII, ZWNJ/ZWJ/bidi marks/diacritics/tatweel removed, Latin case-folded, whitespace
    (NBSP included) collapsed to single spaces and stripped.
    """
    if s.isascii():
        # Phones, e-mails, codes: NFKC, the Arabic folds and the digit map leave ASCII as it is,
        # and casefold is lower (a quarter of the search key's time in bulk creates).
        s = s.translate(_KEY_CONTROLS).lower()
    else:
        # NFKC turns presentation forms (from old software and PDF copy-paste) into letters.
        # The maps are applied to the characters they change only: str.translate looks every
        # Persian letter up in a dict (5 µs for a name, most of the key's time).
        s = _KEY_CHANGES.sub(_key_char, unicodedata.normalize("NFKC", s)).casefold()
    # Runs of whitespace to one space, stripped: split() knows the same whitespace as \s.
    return " ".join(s.split())


def search_key(s: str) -> str:
    """``normalize_text`` without any spaces: the key stored beside names and searched.

    A Persian compound may be typed with a ZWNJ, a space or nothing between its parts
    (پارس‌تلفن, پارس تلفن, پارستلفن); all three give the same key. Because the key is one
    run of letters, a substring search with ``search_key(query)`` finds a record by any part
    of its name, e.g. ``search_key("تلفن") in search_key("شرکت پارس‌تلفن")``.
    """
    return normalize_text(s).replace(" ", "")


def clean_input(s: str) -> str:
    """What a text field stores: the user's spelling, minus keyboard and copy-paste noise.

    Strips, folds Arabic ي/ى/ك to Persian ی/ک, removes bidi controls and zero-width junk,
    collapses runs of spaces (line breaks are kept for multi-line fields). ZWNJ is kept
    because it is correct Persian spelling; only ZWNJs that join nothing are dropped.
    """
    if not _STORE_CHANGES.search(s):
        return s  # most values arrive clean: one scan instead of eight passes (bulk creates)
    s = s.translate(_STORE_REMOVE).translate(_STORE_FOLD).replace("\r\n", "\n").replace("\r", "\n")
    s = _ZWNJ_STRAY.sub("", _ZWNJ_RUN.sub(ZWNJ, s))
    s = "\n".join(_HSPACES.sub(" ", line).strip() for line in s.split("\n"))
    return s.strip()
