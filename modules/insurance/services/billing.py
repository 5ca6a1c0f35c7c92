"""Instalments through finance's payment plans (FIN-08): the premium becomes one issued finance
invoice to the policy holder (the insured when no holder), with one tax-exempt service line
"Insurance premium", and — for two instalments or more — a plan of that many monthly
instalments from the chosen first date (finance splits the amount, the remainder on the last,
and rings the owner before each due date). Only finance's public services are used
(``issuing.invoice_directly``, ``plans.generate``), with the acting user's permissions
(``finance.invoice.create`` and ``finance.invoice.plan``) and scope; all in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel import Actor, Conflict, InputError
from kernel.actor import SYSTEM
from kernel.records import FormErrors, create_record, get_record
from kernel.timezone import local_today
from modules.insurance.models import Policy

PREMIUM_CODE = "INS-PREMIUM"
MAX_INSTALMENTS = 12


def premium_product(kernel: Any, session: Any) -> int:
    """The finance product every premium line sells: made once, tax-exempt (Iran's VAT law
    exempts insurance premiums), a service."""
    from modules.finance.models import Product

    found = session.scalar(select(Product.id).where(Product.code == PREMIUM_CODE, Product.deleted_at.is_(None)))
    if found is not None:
        return int(found)
    product = create_record(kernel, session, SYSTEM, kernel.resources["finance.product"],
                            {"name": kernel.t("fa", "Insurance premium"), "code": PREMIUM_CODE, "kind": "service",
                             "tax_exempt": True, "price": 0})
    return int(product.id)


def bill(kernel: Any, session: Any, actor: Actor, policy_id: int, *, count: int, first: dt.date | None) -> Any:
    """Issue the premium's invoice and its plan of ``count`` instalments (1: paid at once)."""
    from modules.finance.services import plans
    from modules.finance.services.issuing import invoice_directly

    policy = get_record(kernel, session, actor, kernel.resources["insurance.policy"], policy_id, "edit")
    if policy.invoice_id is not None:
        raise Conflict("This policy already has its invoice")
    if policy.state == "cancelled":
        raise Conflict("A cancelled policy is not invoiced")
    if not 1 <= count <= MAX_INSTALMENTS:
        raise FormErrors({"count": InputError("Between 1 and {n} instalments", n=MAX_INSTALMENTS)})
    if count > 1 and first is None:
        raise FormErrors({"first": InputError("Give the due date of the first instalment")})
    today = local_today(kernel.config.timezone)
    line = {"product_id": premium_product(kernel, session), "quantity": 1, "unit_price": policy.premium,
            "description": kernel.t("fa", "Premium of policy {number}", number=policy.number)}
    invoice = invoice_directly(kernel, session, actor, {"partner_id": policy.holder_id or policy.insured_id,
                                                        "date": today}, [line])
    if count > 1:
        plans.generate(kernel, session, actor, invoice.id, cash=0, count=count, first=first)
    policy = session.get(Policy, policy_id)
    policy.invoice_id = invoice.id
    return invoice
