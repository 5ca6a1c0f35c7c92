"""The rule names that prices and discounts carry, in the reader's language: Persian digits and
the Persian decimal separator (۲٫۵) in Persian."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kernel.persian.numbers import FA_DECIMAL
from kernel.persian.textnorm import to_persian_digits


def localise(value: Any, lang: str) -> str:
    text = str(value)
    return to_persian_digits(text.replace(".", FA_DECIMAL)) if lang == "fa" else text


def rule_text(t: Any, lang: str, msgid: str, params: Mapping[str, Any]) -> str:
    """``t(lang, msgid, **params)`` with the numbers (non-string values) written as the language
    writes them; names stay as typed."""
    return str(t(lang, msgid, **{k: v if isinstance(v, str) else localise(v, lang) for k, v in params.items()}))
