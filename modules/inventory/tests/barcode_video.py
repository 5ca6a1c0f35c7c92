"""A camera's view of an EAN-13 barcode, as a Y4M video file Chromium's fake camera plays in a loop
(``--use-file-for-fake-video-capture``): the bars drawn from the standard's tables, black on
white, with quiet zones, slightly off-centre as a hand holds a phone."""

from __future__ import annotations

from pathlib import Path

_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
_G = ("0100111", "0110011", "0011011", "0100001", "0011101", "0111001", "0000101", "0010001", "0001001", "0010111")
_R = tuple("".join("1" if b == "0" else "0" for b in code) for code in _L)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")


def ean13_modules(code: str) -> str:
    """The 95 modules (1 = a black bar) of a 13-digit EAN."""
    assert len(code) == 13 and code.isdigit()
    left = "".join((_L if p == "L" else _G)[int(d)] for p, d in zip(_PARITY[int(code[0])], code[1:7], strict=True))
    right = "".join(_R[int(d)] for d in code[7:])
    return "101" + left + "01010" + right + "101"


def write_y4m(path: Path, code: str, width: int = 640, height: int = 480, frames: int = 10, module: int = 5) -> Path:
    """``frames`` identical frames (10 per second) of the barcode ``code``."""
    bars = ean13_modules(code)
    left = (width - len(bars) * module) // 2 + 7
    top, bottom = height // 5, height * 4 // 5
    row = bytearray([235] * width)
    for i, bit in enumerate(bars):
        if bit == "1":
            row[left + i * module:left + (i + 1) * module] = bytes([16]) * module
    white = bytes([235]) * width
    luma = b"".join(bytes(row) if top <= y < bottom else white for y in range(height))
    chroma = bytes([128]) * (width // 2 * height // 2)
    frame = b"FRAME\n" + luma + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * frames)
    return path
