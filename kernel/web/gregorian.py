"""Gregorian beside Jalali (KER-19): "۱۵ آذر ۱۴۰۵ (2026-12-06)" where the reader asked for it.

Two switches: each user's preference for pages (``kernel_user_pref`` key
``calendar.gregorian``) and the instance setting for PDFs (``documents.gregorian``, on the
company settings page), because a PDF goes to a customer whatever the clerk prefers.
The Gregorian part is ISO with Latin digits, so it can never be read as a Jalali date.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.requests import Request

from kernel import memo
from kernel.models import UserPref
from kernel.occasions.corrections import corrections
from kernel.persian.hijri import Corrections
from kernel.persian.jalali import Style, format_jalali
from kernel.persian.textnorm import ltr_isolate

PREF_KEY = "calendar.gregorian"
PDF_SETTING = "documents.gregorian"


def beside(d: dt.date | dt.datetime | None, lang: str, style: Style = "long", gregorian: bool = True) -> str:
    """The Jalali date, then the Gregorian one in brackets when ``gregorian``."""
    if d is None:
        return ""
    text = format_jalali(d, lang, style)
    if not gregorian:
        return text
    day = d.date() if isinstance(d, dt.datetime) else d
    # Isolated left-to-right with its brackets, so "(2026-12-06)" keeps its order (and its
    # brackets their sides) inside a right-to-left line, even where the line wraps.
    iso = f"({day.isoformat()})"
    return f"{text} {ltr_isolate(iso)}" if lang == "fa" else f"{text} {iso}"


def user_wants(session: Any, user_id: int) -> bool:
    row = session.get(UserPref, (user_id, PREF_KEY))
    return bool(row and json.loads(row.value))


def _read(request: Request) -> tuple[bool, Corrections]:
    """This response's calendar choices, read in one session and kept for the request."""
    cached = getattr(request.state, "calendar_view", None)
    if cached is not None:
        return cached
    kernel = request.app.state.kernel
    actor = getattr(request.state, "actor", None)
    fmt = getattr(request.state, "export_fmt", None)
    with kernel.sessions() as session:
        if fmt == "pdf":
            wanted = bool(kernel.setting(session, PDF_SETTING, False))
        elif fmt is not None or actor is None or not actor.user_id:
            wanted = False
        else:
            wanted = memo.cached(("calendar.gregorian", actor.user_id), lambda: user_wants(session, actor.user_id))
        view = (wanted, memo.cached(("calendar.hijri_corrections",), lambda: corrections(session)))
    request.state.calendar_view = view
    return view


def show_gregorian(request: Request) -> bool:
    """Whether this response shows Gregorian dates beside Jalali ones (decided once per request).

    A PDF follows the instance setting; an xlsx/csv keeps plain Jalali dates (a spreadsheet
    column must hold one kind of value); a page follows the user's preference.
    """
    return _read(request)[0]


def hijri_corrections(request: Request) -> Corrections:
    """The instance's Hijri corrections (shipped plus the administrator's months) for the page."""
    return _read(request)[1]


@pass_context
def jgdate(ctx: Context, value: dt.date | None, style: Style = "long") -> str:
    """Jinja filter: ``{{ d | jgdate }}`` — Jalali, plus Gregorian when ``show_gregorian`` is set."""
    lang = ctx.get("lang") or "fa"
    return beside(value, lang, style, bool(ctx.get("show_gregorian")))


def set_user_wants(session: Any, user_id: int, wanted: bool) -> None:
    row = session.get(UserPref, (user_id, PREF_KEY)) or UserPref(user_id=user_id, key=PREF_KEY, value="")
    row.value = json.dumps(wanted)
    session.add(row)
