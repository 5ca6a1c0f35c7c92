"""The finance panels of the partner's 360° profile (BASE-11): the open balance, the latest
proformas and the latest invoices, each with links to the lists filtered to this partner.

Declared through base's panel mechanism (``register_panels``, page ``base.partner.profile``) at
50–59, finance's place. Everything is read through ``kernel.scoped_select``: a document is as
visible as its customer, so the panels show exactly what the lists would."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import func

from kernel import Panel
from modules.base.panels import PAGE, panel_markup
from modules.finance.models import Invoice, Proforma
from modules.finance.models.document import INVOICE_STATES, PROFORMA_STATES

SHOWN = 5
TEMPLATE = "finance/profile_documents.html"


def _list_url(resource: str, partner_id: int, **more: str) -> str:
    return f"/{resource.replace('.', '/')}/?" + urlencode({"f_partner_id": partner_id, **more})


def open_balance(kernel: Any, session: Any, actor: Any, partner_id: int) -> tuple[int, int, int]:
    """(open invoices, their open balance, what they total) of a partner, in the actor's scope."""
    stmt = (kernel.scoped_select(actor, Invoice)
            .where(Invoice.partner_id == partner_id, Invoice.state == "issued", Invoice.balance > 0)
            .with_only_columns(func.count(), func.coalesce(func.sum(Invoice.balance), 0),
                               func.coalesce(func.sum(Invoice.grand_total), 0)))
    count, balance, total = session.execute(stmt).one()
    return int(count), int(balance), int(total)


def balance(request: Any, kernel: Any, session: Any, actor: Any, record: Any, **_: Any) -> Markup | None:
    issued = session.scalar(kernel.scoped_select(actor, Invoice).where(
        Invoice.partner_id == record.id, Invoice.state == "issued").with_only_columns(func.count()))
    if not issued:
        return None
    count, open_, total = open_balance(kernel, session, actor, record.id)
    return panel_markup(request, TEMPLATE, part="balance", open_count=count, balance=open_, open_total=total,
                        open_url=_list_url("finance.invoice", record.id, f_settlement="open"),
                        statement_url=f"/finance/partner/{record.id}/statement")  # -- statement (FIN-12)


def _latest(kernel: Any, session: Any, actor: Any, model: Any, partner_id: int) -> list[Any]:
    # The partner's documents newest first: ix_<table>_partner_date gives them in order.
    return list(session.scalars(kernel.scoped_select(actor, model).where(model.partner_id == partner_id)
                                .order_by(model.date.desc(), model.id.desc()).limit(SHOWN)))


def latest(resource: str, model: Any, states: tuple[tuple[str, str], ...], part: str) -> Any:
    """The panel of a partner's latest documents of one kind (proformas or invoices)."""

    def render(request: Any, kernel: Any, session: Any, actor: Any, record: Any, **_: Any) -> Markup | None:
        docs = _latest(kernel, session, actor, model, record.id)
        if not docs:
            return None
        return panel_markup(request, TEMPLATE, part=part, docs=docs, states=dict(states),
                            url=kernel.resources[resource].url, all_url=_list_url(resource, record.id))

    return render


PANELS = [
    Panel("finance.balance", PAGE, "Balance", balance, permission="finance.invoice.view", sequence=50),
    Panel("finance.proformas", PAGE, "Proformas", latest("finance.proforma", Proforma, PROFORMA_STATES, "proformas"),
          permission="finance.proforma.view", sequence=52),
    Panel("finance.invoices", PAGE, "Invoices", latest("finance.invoice", Invoice, INVOICE_STATES, "invoices"),
          permission="finance.invoice.view", sequence=54),
]
