"""Shared set-up of the commission tests (FIN-13): FAQ 34's product (agency 100 %, marketer
2.5 %), a marketer, invoices of carpets with a 10 % line discount, agents in the tree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from kernel import records
from kernel.actor import SYSTEM
from kernel.testing import create_record
from modules.finance.models import Commission, Product
from modules.finance.services import issuing
from modules.finance.tests.finance_helpers import PERMS, jdate, world

COMMISSION_PERMS = ("finance.commission.*", "finance.commission_payment.view", "finance.agent.*",
                    "finance.commissions.report")


def commission_world(kernel: Any, marketer_pct: str = "2.5", agency_pct: str | None = "100") -> dict[str, Any]:
    """``world`` plus the carpet's commissions and a marketer; the clerk may pay commissions."""
    w = world(kernel, perms=(*PERMS, *COMMISSION_PERMS))
    with kernel.session() as s:
        carpet = s.get(Product, w["carpet"])
        carpet.marketer_commission = Decimal(marketer_pct)
        carpet.agency_commission = Decimal(agency_pct) if agency_pct is not None else None
    w["marketer"] = create_record(kernel, None, "base.partner", kind="person", first_name="مینا", last_name="بازاریاب")
    return w


def sell(kernel: Any, w: dict[str, Any], quantity: str = "2", **header: Any) -> int:
    """An issued invoice of ``quantity`` carpets (12,500,000 Rials, 10 % off) for the marketer."""
    with kernel.session(w["actor"]) as s:
        inv = issuing.invoice_directly(kernel, s, w["actor"], {
            "partner_id": w["customer"], "date": jdate(1405, 2, 10), "marketer_id": w["marketer"], **header},
            [{"product_id": w["carpet"], "quantity": quantity, "discount_kind": "percent", "discount_value": "10"}])
        return int(inv.id)


def rows_of(kernel: Any, invoice_id: int) -> list[Commission]:
    with kernel.sessions() as s:
        rows = list(s.scalars(select(Commission).where(Commission.invoice_id == invoice_id).order_by(Commission.id)))
        s.expunge_all()
        return rows


def earned(kernel: Any, partner_id: int) -> int:
    with kernel.sessions() as s:
        return int(s.scalar(select(func.coalesce(func.sum(Commission.amount), 0))
                            .where(Commission.agent_id == partner_id)) or 0)


def make_agent(kernel: Any, partner: int, parent: int | None = None, share: str | None = None,
               user_id: int | None = None) -> int:
    """The partner in the tree of agents (under ``parent`` with its ``share`` %)."""
    values: dict[str, Any] = {"partner_id": partner, "user_id": user_id}
    if parent is not None:
        values |= {"parent_id": parent, "parent_share": Decimal(share or "0")}
    with kernel.session() as s:  # not kernel.testing's create_record: its own "user_id" is the author
        return int(records.create_record(kernel, s, SYSTEM, kernel.resources["finance.agent"], values).id)
