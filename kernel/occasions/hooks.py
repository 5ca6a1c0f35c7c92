"""The kernel's hook implementations for occasions (KER-19): permission, menu entry, the
yearly fill job, the "Occasions this week" dashboard block and the ``jgdate`` filter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from sqlalchemy.orm import Session

from kernel.declarations import Block, MenuItem, Permission
from kernel.occasions.fill import fill_year
from kernel.occasions.service import occasions_between
from kernel.persian.jalali import to_jalali
from kernel.plugins import hookimpl
from kernel.timezone import local_today

WEEK_AHEAD = dt.timedelta(days=7)


def now() -> dt.datetime:
    """Naive UTC now; tests replace it to look at a chosen week."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@hookimpl
def register_permissions() -> list[Permission]:
    return [Permission("kernel.admin.occasions", "Manage occasions and holidays")]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [MenuItem("kernel.admin.occasions", "Occasions and holidays", "/admin/occasions",
                     "kernel.admin.occasions", parent="kernel.admin", sequence=150)]


def fill_coming_years(session: Session, now: dt.datetime) -> None:
    """This Jalali year and the next are always in the table: reminders a year ahead need them.

    Daily, so a fresh installation and a new year are covered within a day; a refill keeps
    every edited, added and removed row (see ``fill_year``).
    """
    year = to_jalali(local_today(now=now)).year
    for y in (year, year + 1):
        fill_year(session, y)


@hookimpl
def register_jobs() -> list[Any]:
    from kernel.jobs import Job

    return [Job("kernel.occasions_fill", fill_coming_years, every=24 * 3600)]


def occasions_week(request: Any, kernel: Any, actor: Any) -> Markup:
    """Today's and the coming seven days' occasions, holidays first on each day."""
    # Not kernel.web.templating's request_lang: the Kernel imports this file, and the page
    # layer names the Kernel (tests/kernel/test_layers.py). The dashboard always has an actor.
    from kernel.i18n import DEFAULT_LANG, LANGS
    from kernel.web.gregorian import beside, show_gregorian

    lang = actor.lang if actor.lang in LANGS else DEFAULT_LANG
    today = local_today(kernel.config.timezone, now())
    gregorian = show_gregorian(request)
    with kernel.sessions() as session:
        rows = occasions_between(session, today, today + WEEK_AHEAD)
    if not rows:
        return Markup('<p class="muted">{}</p>').format(kernel.t(lang, "No occasions this week"))
    items = []
    for o in rows:
        note = kernel.t(lang, "Official holiday") if o.holiday else ""
        classes = " ".join(c for c, on in (("holiday", o.holiday), ("today", o.date == today)) if on)
        items.append(Markup('<li class="{}"><strong>{}</strong> {} <small class="muted">{}</small></li>').format(
            classes, beside(o.date, lang, "long", gregorian), o.label(lang), note))
    return Markup('<ul class="block-list occasions-week">{}</ul>').format(Markup("").join(items))


@hookimpl
def register_dashboard_blocks() -> list[Block]:
    return [Block("kernel.occasions_week", "Occasions this week", occasions_week, sequence=20)]


@hookimpl
def prepare_jinja2_environment(env: Environment) -> None:
    from kernel.web.gregorian import jgdate

    env.filters["jgdate"] = jgdate
