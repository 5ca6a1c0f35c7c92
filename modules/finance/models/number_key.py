"""A document number taken apart for the top-bar search (KER-12): its fiscal year and its place
in the series, as integers beside the number itself.

A number reads ``<prefix><Jalali year>-<n zero-padded>`` (``INV-1405-00012``; the kernel's
:mod:`kernel.numbering`), but the administrator may change prefix and padding at any time, and
numbers already given keep theirs. People type what they remember — ``۱۴۰۵-۱۲``, ``00012``,
``12`` — so the search compares ``number_seq`` (and ``number_year`` when typed), one indexed
equality whatever the style was when the number was taken. The two columns follow the number
through a validator: every path that numbers a document (issuing, conversion) sets them."""

from __future__ import annotations

import re

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column, validates

# The tail every style ends with: the four-digit year, a dash, the running number.
_TAIL = re.compile(r"(\d{4})-(\d+)$")
# A running number above this is not one (Integer column; padding is at most 12 digits).
SEQ_MAX = 2_000_000_000


def split_number(number: str | None) -> tuple[int | None, int | None]:
    """(year, running number) of a stored number; (None, None) when it has no such tail."""
    found = _TAIL.search(number or "")
    if found is None or int(found.group(2)) > SEQ_MAX:
        return None, None
    return int(found.group(1)), int(found.group(2))


class NumberKey:
    """Mixin of the documents' headers: ``number_year`` and ``number_seq`` kept from ``number``."""

    number_year: Mapped[int | None] = mapped_column(Integer)
    number_seq: Mapped[int | None] = mapped_column(Integer, index=True)

    @validates("number")
    def _split_number(self, _key: str, value: str | None) -> str | None:
        self.number_year, self.number_seq = split_number(value)
        return value
