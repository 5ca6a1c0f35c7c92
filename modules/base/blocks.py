"""Dashboard blocks of the base module (KER-13).

Each block opens a session of its own and reads through ``kernel.scoped_select``, so it shows
only what the user's record scope allows, and links to the full list filtered the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import select

from kernel import Block
from kernel.persian.jalali import format_jalali
from kernel.timezone import to_local
from kernel.web.templating import request_lang
from modules.base.models import Communication, Partner, PartnerRole

SHOWN = 10


def _welcome(request: Any, kernel: Any, actor: Any) -> Markup:
    msg = kernel.t(actor.lang, "Welcome, {name}", name=escape(actor.display_name))
    return Markup(f"<p>{escape(msg)}</p>")


def _list(kernel: Any, lang: str, items: Iterable[tuple[str, str, str]], empty: str, more_url: str) -> Markup:
    """``<ul>`` of (url, text, note) with a link to the full list under it."""
    rows = [Markup('<li><a href="{}">{}</a> <small class="muted">{}</small></li>').format(url, text, note)
            for url, text, note in items]
    body = Markup("").join(rows) if rows else Markup('<li class="muted">{}</li>').format(kernel.t(lang, empty))
    return Markup('<ul class="block-list">{}</ul><p class="block-more"><a href="{}">{}</a></p>').format(
        body, more_url, kernel.t(lang, "Show all"))


def _recent_communications(request: Any, kernel: Any, actor: Any) -> Markup:
    lang = request_lang(request)
    tz = kernel.config.timezone
    stmt = (kernel.scoped_select(actor, Communication)
            .order_by(Communication.started_at.desc(), Communication.id.desc()).limit(SHOWN))
    with kernel.sessions() as s:
        rows = list(s.scalars(stmt))
        ids = {c.partner_id for c in rows}
        found = s.execute(select(Partner.id, Partner.name).where(Partner.id.in_(ids))).all() if ids else []
        names = {pid: name for pid, name in found}
    items = [(f"/base/communication/{c.id}", c.subject,
              f"{names.get(c.partner_id, '')} · {format_jalali(to_local(c.started_at, tz), lang, 'datetime')}")
             for c in rows]
    return _list(kernel, lang, items, "No communications yet", "/base/communication/?sort=-started_at")


def _partner_items(kernel: Any, lang: str, rows: list[Partner]) -> list[tuple[str, str, str]]:
    kinds = {"person": kernel.t(lang, "Person"), "company": kernel.t(lang, "Company")}
    return [(f"/base/partner/{p.id}/profile", p.name, kinds.get(p.kind, "")) for p in rows]


def _my_partners(request: Any, kernel: Any, actor: Any) -> Markup:
    lang = request_lang(request)
    stmt = (kernel.scoped_select(actor, Partner).where(Partner.owner_id == actor.user_id)
            .order_by(Partner.id.desc()).limit(SHOWN))
    with kernel.sessions() as s:
        rows = list(s.scalars(stmt))
    return _list(kernel, lang, _partner_items(kernel, lang, rows), "No partners yet",
                 f"/base/partner/?f_owner_id={actor.user_id}&sort=-created_at")


def _new_leads(request: Any, kernel: Any, actor: Any) -> Markup:
    lang = request_lang(request)
    # The (role, partner_id) index gives the newest leads without sorting every partner.
    stmt = (kernel.scoped_select(actor, Partner).join(PartnerRole, PartnerRole.partner_id == Partner.id)
            .where(PartnerRole.role == "lead").order_by(PartnerRole.partner_id.desc()).limit(SHOWN))
    with kernel.sessions() as s:
        rows = list(s.scalars(stmt))
    return _list(kernel, lang, _partner_items(kernel, lang, rows), "No leads yet",
                 "/base/partner/?f_role=lead&sort=-created_at")


BLOCKS = [
    Block("base.welcome", "Welcome", _welcome, sequence=10),
    Block("base.recent_communications", "Recent communications", _recent_communications,
          permission="base.communication.view", sequence=20),
    Block("base.my_partners", "My partners", _my_partners, permission="base.partner.view", sequence=30),
    Block("base.new_leads", "New leads", _new_leads, permission="base.partner.view", sequence=40),
]
