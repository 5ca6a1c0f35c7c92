"""Shared set-up of the search, profile and report tests: two provinces with a customer each, a
goods product and a service, a marketer, a clerk who sees everything and a clerk limited to
Isfahan; documents are made through the finance services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from kernel.models import Role
from kernel.testing import actor_of, create_record, create_user
from modules.finance.services import drafts, issuing
from modules.finance.services.documents import PROFORMA

ALL = ("finance.proforma.*", "finance.invoice.*", "finance.receipt.*", "finance.product.view", "base.partner.*",
       "finance.proforma.convert", "finance.unsettled_invoices.report", "finance.proformas_by_marketer.report",
       "finance.customer_totals.report", "finance.sales_by_product.report")


def two_provinces(kernel: Any, perms: tuple[str, ...]) -> tuple[int, int, int, int]:
    """Isfahan and Tehran, a user "boss" who sees both and a user "isf" limited to Isfahan, both
    holding ``perms``: (isfahan id, tehran id, boss's user id, isf's user id)."""
    from modules.base.models import Province
    from modules.base.scope_admin import set_role_scope

    with kernel.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh])
        s.flush()
        isf_id, teh_id = isf.id, teh.id
    boss = create_user(kernel, "boss", perms=perms)
    isf_user = create_user(kernel, "isf", perms=perms)
    with kernel.session() as s:
        set_role_scope(s, s.scalars(select(Role.id).where(Role.name == "role-isf")).one(), [isf_id], [], [])
    return isf_id, teh_id, boss, isf_user


def provinces_world(kernel: Any) -> dict[str, Any]:
    isf_id, teh_id, boss, isf_user = two_provinces(kernel, ALL)
    w = {
        "boss": actor_of(kernel, boss), "isf": actor_of(kernel, isf_user),
        "gaz": create_record(kernel, None, "base.partner", kind="company", name="گز اصفهان", province_id=isf_id),
        "vanak": create_record(kernel, None, "base.partner", kind="company", name="ونک تجارت", province_id=teh_id),
        "marketer": create_record(kernel, None, "base.partner", kind="person", first_name="مریم",
                                  last_name="بازاریاب", province_id=isf_id),
        "carpet": create_record(kernel, None, "finance.product", name="فرش", code="CRP", kind="goods",
                                price=10_000_000),
        "repair": create_record(kernel, None, "finance.product", name="رفوگری", code="RFG", kind="service",
                                price=2_000_000, tax_exempt=True),
    }
    return w


def proforma(kernel: Any, actor: Any, partner: int, day: dt.date, lines: Sequence[dict[str, Any]],
             issue: bool = True, **header: Any) -> int:
    with kernel.session(actor) as s:
        doc = drafts.create_document(kernel, s, actor, PROFORMA, {"partner_id": partner, "date": day, **header},
                                     lines)
        if issue:
            issuing.issue_proforma(kernel, s, actor, doc.id)
        return int(doc.id)


def invoice(kernel: Any, actor: Any, partner: int, day: dt.date, lines: Sequence[dict[str, Any]],
            **header: Any) -> int:
    with kernel.session(actor) as s:
        return int(issuing.invoice_directly(kernel, s, actor, {"partner_id": partner, "date": day, **header},
                                            lines).id)


def line(product: int, quantity: str = "1") -> dict[str, Any]:
    return {"product_id": product, "quantity": quantity}
