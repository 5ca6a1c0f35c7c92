"""FIN-03: sales policies — percentage, amount, stepped, periodic (Jalali range), per customer,
per group and for loyal customers by their earlier invoices; the largest discount wins and the
rule that gave it is named."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kernel.persian.jalali import jalali_to_date
from kernel.testing import create_record, create_user, csrf
from modules.base.models import PartnerGroup
from modules.finance.models import SalesPolicy
from modules.finance.services.policies import CustomerHistory, discount_for


def test_the_best_applicable_policy_gives_the_discount(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    uid = create_user(k, "sara", perms=("finance.*", "base.partner.*"))
    with k.session() as s:
        wholesale = PartnerGroup(name="عمده‌فروشان")
        s.add(wholesale)
        s.flush()
        group = wholesale.id
    ali = create_record(k, uid, "base.partner", kind="person", first_name="علی", last_name="کریمی", group_id=group)
    reza = create_record(k, uid, "base.partner", kind="person", first_name="رضا", last_name="احمدی")
    carpet = create_record(k, uid, "finance.product", name="فرش", code="F", price=1_000_000)
    nowruz_from, nowruz_to = jalali_to_date(1405, 1, 1), jalali_to_date(1405, 1, 13)
    create_record(k, uid, "finance.sales_policy", name="نوروزی", kind="percent", percent=Decimal("5"),
                  valid_from=nowruz_from, valid_to=nowruz_to)
    create_record(k, uid, "finance.sales_policy", name="عمده", kind="amount", amount=30_000, group_id=group)
    stepped = create_record(k, uid, "finance.sales_policy", name="پلکانی", kind="stepped", product_id=carpet)
    create_record(k, uid, "finance.policy_step", policy_id=stepped, above_quantity=10, percent=Decimal("2.5"))
    create_record(k, uid, "finance.policy_step", policy_id=stepped, above_quantity=50, percent=Decimal("8"))
    create_record(k, uid, "finance.sales_policy", name="وفادار", kind="percent", percent=Decimal("7"), min_invoices=5)

    def best(partner: int | None, qty: int, day: Any, history: CustomerHistory | None = None) -> tuple[int, str] | None:
        with k.sessions() as s:
            d = discount_for(s, product_id=carpet, partner_id=partner, quantity=qty, unit_price=1_000_000, on=day,
                             history=history)
            return (d.amount, d.label(k.t, "fa")) if d else None

    after = jalali_to_date(1405, 1, 14)
    assert best(reza, 1, after) is None
    assert best(reza, 1, nowruz_to) == (50_000, "سیاست فروش «نوروزی»: ۵٪")
    assert best(ali, 1, after) == (30_000, "سیاست فروش «عمده»")
    assert best(ali, 2, nowruz_to) == (100_000, "سیاست فروش «نوروزی»: ۵٪")  # 5 % of 2,000,000 beats 2 × 30,000
    assert best(reza, 11, after) == (275_000, "سیاست فروش «پلکانی»: ۲٫۵٪ برای بیش از ۱۰ واحد")
    assert best(reza, 51, after) == (4_080_000, "سیاست فروش «پلکانی»: ۸٪ برای بیش از ۵۰ واحد")
    assert best(reza, 1, after, CustomerHistory(invoice_count=4)) is None
    assert best(reza, 1, after, CustomerHistory(invoice_count=5, invoice_total=9)) == (70_000, "سیاست فروش «وفادار»: ۷٪")
    # A percentage policy without its percentage, or ending before it starts, is refused.
    c = web_client(k, "sara")
    r = c.post("/finance/sales_policy/new", data={"csrf": csrf(c, "/finance/sales_policy/new"), "name": "بد",
                                                  "kind": "percent", "valid_from": "۱۴۰۵/۰۲/۰۱",
                                                  "valid_to": "۱۴۰۵/۰۱/۳۱", "active": "1"})
    assert r.status_code == 400 and "پایان اعتبار نمی‌تواند پیش از آغاز آن باشد" in r.text
    r = c.post("/finance/sales_policy/new", data={"csrf": csrf(c, "/finance/sales_policy/new"), "name": "بد",
                                                  "kind": "percent", "active": "1"})
    assert r.status_code == 400 and "درصد تخفیف را وارد کنید" in r.text
    with k.sessions() as s:
        assert s.scalar(select(SalesPolicy.id).where(SalesPolicy.name == "بد")) is None
