"""Codes read by card readers and barcode scanners, and who answers them (DEV-02).

A scan that lands in no field — a keyboard-wedge burst typed while no field had focus
(``static/kernel/scan.js``), or a serial reader's code pushed to its user's browser — is posted
to ``/scan``. Every module implementing the ``resolve_scan`` hook may answer it; the answer with
the highest ``priority`` wins (the first of equal ones, in module order). A resolver must
apply the user's permissions and record scopes: a card of a partner the user may not see is not
found, exactly as a card that does not exist. A resolver that changes data (finance adds a line
to the proforma being edited) does so only on its own page, so two writes never compete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kernel.persian.textnorm import to_ascii_digits

FORMATS = ("track1", "track2", "ean13", "ean8", "upca", "code128")
MAX_CODE = 200
MAX_PAGE = 500
PAGE_PATTERN = re.compile(r"^/[^\s]*$")
NOT_FOUND = "No card or product with this number was found"


@dataclass(frozen=True)
class ScanAnswer:
    """A module's answer to a scan: open a page, reload the current one, or only say something.

    ``message`` is an English msgid translated for the user, with ``params`` filled in."""

    open: str = ""  # a path of this application ("/base/partner/7/profile")
    reload: bool = False
    message: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    priority: int = 0


def clean_code(raw: Any) -> str:
    """The code as the reader meant it: Persian or Arabic digits (a wedge on a PC whose keyboard
    layout is Persian, if the browser did not map them) become ASCII, the ends trimmed."""
    text = to_ascii_digits(str(raw or "")).strip()
    return text if text.isprintable() else ""


def resolve(kernel: Any, actor: Any, code: str, fmt: str, page: str) -> ScanAnswer:
    """The winning answer of every module's ``resolve_scan``, or "not found"."""
    answers = [a for a in kernel.pm.hook.resolve_scan(kernel=kernel, actor=actor, code=code, format=fmt, page=page)
               if a is not None]
    for answer in answers:
        if not isinstance(answer, ScanAnswer):
            raise TypeError(f"resolve_scan must answer kernel.scan.ScanAnswer or None, got {answer!r}")
        if answer.open and not (answer.open.startswith("/") and not answer.open.startswith("//")):
            raise ValueError(f"resolve_scan may only open a page of this application, not {answer.open!r}")
    if not answers:
        return ScanAnswer(message=NOT_FOUND)
    # Highest priority first; pluggy calls the last registered module first, so equal
    # priorities are broken by the module load order instead (stable sort of the reversed list).
    return sorted(reversed(answers), key=lambda a: -a.priority)[0]
