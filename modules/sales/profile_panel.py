"""The partner's open deals on the 360° profile: title, stage, value, owner (SAL-02)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import func, select

from kernel import Panel
from kernel.persian.money import format_money
from kernel.web.templating import request_lang
from modules.base.panels import PAGE
from modules.sales.display import unit_of
from modules.sales.models import Opportunity, Stage

SHOWN = 5


def render(request: Any, kernel: Any, session: Any, actor: Any, record: Any, **_: Any) -> Markup | None:
    mine = kernel.scoped_select(actor, Opportunity).where(Opportunity.partner_id == record.id)
    open_ = mine.where(Opportunity.outcome == "open")
    rows = session.execute(open_.join(Stage, Stage.id == Opportunity.stage_id)
                           .with_only_columns(Opportunity.id, Opportunity.title, Opportunity.expected_value,
                                              Stage.name)
                           .order_by(Opportunity.expected_close.is_(None), Opportunity.expected_close,
                                     Opportunity.id).limit(SHOWN)).all()
    closed = session.scalar(select(func.count()).select_from(mine.where(Opportunity.outcome != "open").subquery()))
    if not rows and not closed:
        return None
    lang = request_lang(request)
    t = kernel.t
    items = Markup("").join(Markup('<li><a href="/sales/opportunity/{}">{}</a> — {} — {}</li>').format(
        oid, title, stage, format_money(int(value), unit_of(actor), lang)) for oid, title, value, stage in rows)
    link = "/sales/opportunity/?" + urlencode({"f_partner_id": record.id})
    return Markup('<ul class="open-deals">{}</ul><p><a href="{}">{}</a></p>').format(
        items, link, t(lang, "All deals of this partner ({n} closed)", n=closed or 0))


def panels() -> list[Panel]:
    return [Panel("sales.deals", PAGE, "Open deals", render, permission="sales.opportunity.view", sequence=40)]
