"""How many SMS parts a text costs, counted the way Iranian panels bill it (MKT-02).

A text whose every character is in the GSM 03.38 alphabet goes as 7-bit GSM: 160 characters in
one part, 153 per part once it is split (the other 7 carry the concatenation header); a
character of the extension table (``€``, ``{``, ``[`` …) takes two places. Any other character
— a Persian letter, ZWNJ, a Persian digit — sends the whole text as UCS-2: 70 characters in one
part, 67 per part beyond. ``static/marketing/compose.js`` counts the same way while the user
types; a test keeps the two in step."""

from __future__ import annotations

import re
from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
UCS2_SINGLE, UCS2_PART = 70, 67
GSM_SINGLE, GSM_PART = 160, 153


@dataclass(frozen=True)
class Parts:
    """The encoding, the length as the panel counts it, and the number of parts billed."""

    encoding: str  # "gsm" | "ucs2"
    length: int
    parts: int


_GSM_ONLY = re.compile("[" + re.escape("".join(sorted(GSM_BASIC | GSM_EXTENDED))) + "]*")


def count_parts(text: str) -> Parts:
    """The parts of ``text``; an empty text is zero parts. (Counted at C speed: a send writes a
    part count per recipient.)"""
    if _GSM_ONLY.fullmatch(text):
        length = len(text) + sum(text.count(c) for c in GSM_EXTENDED)
        single, part, encoding = GSM_SINGLE, GSM_PART, "gsm"
    else:
        # UCS-2 counts UTF-16 code units: a character beyond the BMP (an emoji) takes two.
        length = len(text.encode("utf-16-le")) // 2
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "ucs2"
    if length == 0:
        return Parts(encoding, 0, 0)
    return Parts(encoding, length, 1 if length <= single else -(-length // part))
