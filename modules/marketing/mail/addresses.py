"""E-mail addresses as the channel keeps them: trimmed and lower-cased (what inbound mail is
matched on), and checked to be one plain address — no spaces, commas or angle brackets, so a
header cannot be smuggled in through a partner's record."""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"[^@\s,;<>\"'()\[\]\\]+@[^@\s,;<>\"'()\[\]\\]+\.[^@\s,;<>\"'()\[\]\\.]{2,}")


def normalise(address: str | None) -> str:
    return (address or "").strip().lower()


def is_email(address: str | None) -> bool:
    return bool(_ADDRESS.fullmatch(normalise(address)))
