"""What the line editor and the follow-ups add to other pages (kernel.template_slot): the F4
script on every page (it acts only on the proformas' list and pages), and under a proforma's or
an invoice's page the "Edit lines" button and the proforma's follow-up history."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from modules.base.panels import panel_markup
from modules.finance.services.editor_view import editable


def head(context: dict[str, Any], request: Any) -> Markup | None:
    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.can("finance.proforma.edit"):
        return None
    return Markup('<script src="/static/finance/follow_up.js" defer></script>')


def document_detail(context: dict[str, Any], request: Any) -> Markup | None:
    doc, res = context.get("record"), context.get("resource")
    actor = getattr(request.state, "actor", None)
    if doc is None or res is None or actor is None or res.name not in ("finance.proforma", "finance.invoice"):
        return None
    kernel = request.app.state.kernel
    can_edit = actor.can(res.perm("edit")) and editable(actor, doc)
    entries: list[Any] = []
    names: dict[int, str] = {}
    is_proforma = res.name == "finance.proforma"
    if is_proforma:
        from sqlalchemy import select

        from kernel.models import User
        from modules.finance.services.follow_ups import history

        with kernel.sessions() as session:
            entries = history(session, doc.id)
            ids = {i for e in entries for i in (e.user_id, e.assignee_id) if i}
            if ids:
                names = {u.id: u.full_name or u.username for u in session.execute(
                    select(User.id, User.username, User.full_name).where(User.id.in_(ids)))}
    return panel_markup(request, "finance/editor_links.html", doc=doc, res=res, can_edit=can_edit,
                        is_proforma=is_proforma, entries=entries, names=names,
                        can_follow=is_proforma and actor.can("finance.proforma.edit")
                        and doc.state in ("draft", "issued"))


SLOTS = {"kernel.head": head, "finance.proforma.detail": document_detail, "finance.invoice.detail": document_detail}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    return handler(context, request) if handler else None
