"""The GSM 03.38 default alphabet (3GPP 23.038 §6.2.1) and its extension table, and the packing
of 7-bit septets into octets (3GPP 23.040 §9.2.3.24: the first septet in the low bits)."""

from __future__ import annotations

BASIC = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
         "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
EXTENSION = {"\f": 0x0A, "^": 0x14, "{": 0x28, "}": 0x29, "\\": 0x2F, "[": 0x3C, "~": 0x3D, "]": 0x3E,
             "|": 0x40, "€": 0x65}
ESC = 0x1B
_CODE = {c: i for i, c in enumerate(BASIC) if i != ESC}
_EXT_CHAR = {v: k for k, v in EXTENSION.items()}
assert len(BASIC) == 128


def encodable(text: str) -> bool:
    return all(c in _CODE or c in EXTENSION for c in text)


def to_septets(text: str) -> list[int]:
    """The septets of ``text``; an extension character is ESC and its code. ValueError for a
    character outside the alphabet (such a text goes as UCS-2)."""
    out: list[int] = []
    for c in text:
        if c in _CODE:
            out.append(_CODE[c])
        elif c in EXTENSION:
            out.extend((ESC, EXTENSION[c]))
        else:
            raise ValueError(f"{c!r} is not in the GSM 7-bit alphabet")
    return out


def from_septets(septets: list[int]) -> str:
    out: list[str] = []
    escaped = False
    for s in septets:
        if escaped:
            out.append(_EXT_CHAR.get(s, BASIC[s] if s != ESC else " "))
            escaped = False
        elif s == ESC:
            escaped = True
        else:
            out.append(BASIC[s])
    return "".join(out)


def pack(septets: list[int], fill_bits: int = 0) -> bytes:
    """Septets into octets, after ``fill_bits`` zero bits (the padding that puts the first
    septet after a user data header on a septet boundary)."""
    acc, bits, out = 0, fill_bits, bytearray()
    for s in septets:
        acc |= (s & 0x7F) << bits
        bits += 7
        while bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        out.append(acc & 0xFF)
    return bytes(out)


def unpack(octets: bytes, count: int, fill_bits: int = 0) -> list[int]:
    """``count`` septets read from ``octets`` after ``fill_bits`` bits."""
    whole = int.from_bytes(octets, "little")
    return [(whole >> (fill_bits + 7 * i)) & 0x7F for i in range(count)]
