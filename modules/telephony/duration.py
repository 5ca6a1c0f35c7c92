"""A call's length as people read it: ``2:05`` (minutes:seconds), Persian digits in Persian."""

from __future__ import annotations

from kernel.persian.textnorm import to_persian_digits


def duration_text(seconds: int | None, lang: str) -> str:
    minutes, rest = divmod(int(seconds or 0), 60)
    text = f"{minutes}:{rest:02d}"
    return to_persian_digits(text) if lang == "fa" else text
