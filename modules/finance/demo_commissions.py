"""Demo commissions (FIN-13, ``peyvand init --demo``): base's demo sales agents put in a tree of
three levels (the middle agent takes 10 % of what the lowest earns, the top 20 % of what the
middle one earns), an invoice sold by the lowest one as its marketer, and the marketer's own commission paid with a bank reference, so "Commissions",
"Pay commissions" and the per-agent report have something to show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kernel import security
from kernel.actor import SYSTEM
from kernel.models import User
from kernel.records import create_record
from kernel.timezone import local_today
from modules.base.models import Partner, PartnerRole
from modules.finance.models import Commission, Product
from modules.finance.services import issuing
from modules.finance.services.commission_pay import pay


def load_commissions(kernel: Any, session: Any, customer: int | None) -> str:
    agents = list(dict.fromkeys(session.scalars(
        select(Partner.id).join(PartnerRole, PartnerRole.partner_id == Partner.id)
        .where(PartnerRole.role == "agent", Partner.deleted_at.is_(None)).order_by(Partner.id).limit(3))))
    admin_id = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    carpet = session.scalar(select(Product.id).where(Product.marketer_commission.is_not(None),
                                                     Product.parent_id.is_not(None)).order_by(Product.id))
    actor = security.load_actor(session, admin_id) if admin_id is not None else None
    if len(agents) < 3 or customer is None or carpet is None or actor is None:
        return "no sales agents, customer or carpet: no commissions"
    res = kernel.resources["finance.agent"]
    top = create_record(kernel, session, SYSTEM, res, {"partner_id": agents[0], "note": "پخش سراسری"}).id
    middle = create_record(kernel, session, SYSTEM, res, {"partner_id": agents[1], "parent_id": top,
                                                          "parent_share": Decimal(20)}).id
    create_record(kernel, session, SYSTEM, res, {"partner_id": agents[2], "parent_id": middle,
                                                 "parent_share": Decimal(10)})
    today = local_today(kernel.config.timezone)
    invoice = issuing.invoice_directly(kernel, session, actor, {
        "partner_id": customer, "date": today - dt.timedelta(days=4), "title": "فروش با بازاریاب",
        "marketer_id": agents[2]}, [{"product_id": carpet, "quantity": "3"}])
    own = [c.id for c in session.scalars(select(Commission).where(Commission.invoice_id == invoice.id,
                                                                  Commission.level == 0))]
    pay(kernel, session, actor, own, today - dt.timedelta(days=1), "حواله ۴۵۶۷۸۹", "پورسانت بازاریاب")
    invoice.owner_id = admin_id
    session.flush()
    return "3 sales agents in a tree, 1 invoice with commissions at 3 levels (the marketer's paid)"
