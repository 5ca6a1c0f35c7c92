"""FIN-03 wiring: a new document line takes its unit price from the price lists and quantity tiers
and its discount from the sales policies (a loyal-customer policy counting the customer's earlier
invoices), and names the rules that set them; typing another price or discount needs
``finance.price.override`` and is refused in Persian without it, nothing changed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.models import History
from kernel.records import FormErrors
from kernel.testing import actor_of, create_record, create_user
from modules.finance.models import ProformaLine
from modules.finance.services import drafts, issuing
from modules.finance.services.line_rules import customer_history
from modules.finance.services.policies import CustomerHistory
from modules.finance.tests.finance_helpers import INVOICE, PERMS, PROFORMA, jdate

DAY = jdate(1405, 3, 10)


def _world(k: Any) -> dict[str, Any]:
    sara = create_user(k, "sara", perms=PERMS)
    boss = create_user(k, "boss", perms=(*PERMS, "finance.price.override"))
    customer = create_record(k, None, "base.partner", kind="company", name="فرش کاشان")
    rug = create_record(k, None, "finance.product", name="فرش ۷۰۰ شانه", code="R700", price=10_000)
    plain = create_record(k, None, "finance.product", name="پادری", price=5_000)
    pl = create_record(k, None, "finance.price_list", name="عمده‌فروشان")
    item = create_record(k, None, "finance.price_list_item", price_list_id=pl, product_id=rug, price=9_500)
    create_record(k, None, "finance.price_tier", item_id=item, above_quantity=10, unit_price=9_000)
    create_record(k, None, "finance.sales_policy", name="وفادار", kind="percent", percent=Decimal("7"),
                  min_invoices=1, product_id=rug)
    return {"sara": actor_of(k, sara), "boss": actor_of(k, boss), "customer": customer, "rug": rug, "plain": plain}


def _proforma(k: Any, w: dict[str, Any], actor: Any = None) -> int:
    with k.session(actor or w["sara"]) as s:
        return int(drafts.create_document(k, s, actor or w["sara"], PROFORMA,
                                          {"partner_id": w["customer"], "date": DAY}).id)


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_new_line_gets_the_list_price_the_tier_and_the_loyal_customers_discount(make_kernel: Any,
                                                                                 engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = _world(k)
    pid = _proforma(k, w)
    with k.session(w["sara"]) as s:
        one = drafts.add_line(k, s, w["sara"], PROFORMA, pid, {"product_id": w["rug"], "quantity": "۲"})
        assert (one.unit_price, one.price_rule) == (9_500, "لیست قیمت «عمده‌فروشان»")
        assert (one.discount_value, one.discount_rule) == (0, None)  # no earlier invoice yet
        mat = drafts.add_line(k, s, w["sara"], PROFORMA, pid, {"product_id": w["plain"], "quantity": "1"})
        assert (mat.unit_price, mat.price_rule) == (5_000, "قیمت پایه")
        # An earlier invoice makes the customer loyal (the policy asks for one).
        issuing.invoice_directly(k, s, w["sara"], {"partner_id": w["customer"], "date": DAY},
                                 [{"product_id": w["plain"], "quantity": "1"}])
        assert customer_history(s, w["customer"]) == CustomerHistory(1, 5_000 + 500)  # with 10 % VAT of 1405
        eleven = drafts.add_line(k, s, w["sara"], PROFORMA, pid, {"product_id": w["rug"], "quantity": "۱۱"})
        assert (eleven.unit_price, eleven.price_rule) == (9_000, "لیست قیمت «عمده‌فروشان»، بیش از ۱۰ واحد")
        assert (eleven.discount_kind, eleven.discount_value) == ("percent", Decimal(7))
        assert eleven.discount_rule == "سیاست فروش «وفادار»: ۷٪"
        assert eleven.discount_amount == 6_930  # 7 % of 99,000
        # Fewer units: the tier no longer applies, the price and discount follow the rules.
        back = drafts.update_line(k, s, w["sara"], PROFORMA, pid, eleven.id, {"quantity": "3", "unit_price": "9000"})
        assert (back.unit_price, back.price_rule, back.price_by_hand) == (9_500, "لیست قیمت «عمده‌فروشان»", False)
        assert back.discount_amount == 1_995  # 7 % of 28,500
    page_rules = {"لیست قیمت «عمده‌فروشان»", "سیاست فروش «وفادار»: ۷٪"}
    with k.sessions() as s:
        shown = {r for li in s.scalars(select(ProformaLine)) for r in (li.price_rule, li.discount_rule)}
        assert page_rules <= shown


def test_overriding_a_rule_set_price_or_discount_needs_the_permission(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = _world(k)
    pid = _proforma(k, w)
    with k.session(w["sara"]) as s:
        issuing.invoice_directly(k, s, w["sara"], {"partner_id": w["customer"], "date": DAY},
                                 [{"product_id": w["plain"], "quantity": "1"}])
        line_id = drafts.add_line(k, s, w["sara"], PROFORMA, pid, {"product_id": w["rug"], "quantity": "2"}).id

    def count() -> tuple[int, int, Any]:
        with k.sessions() as s:
            line = s.get(ProformaLine, line_id)
            return (s.scalar(select(func.count()).select_from(ProformaLine)) or 0,
                    s.scalar(select(func.count()).select_from(History)) or 0,
                    (line.unit_price, line.discount_kind, line.discount_value) if line else None)

    before = count()
    # Each refusal names the rule that set the value: the price list, the base price, the policy.
    refused = [
        ("add", {"product_id": w["rug"], "quantity": "1", "unit_price": "۸٬۰۰۰"}, "unit_price",
         "قیمت این ردیف از قواعد فروش آمده است (لیست قیمت «عمده‌فروشان»)؛ تغییر آن مجوز"),
        ("add", {"product_id": w["plain"], "quantity": "1", "unit_price": "۴٬۰۰۰"}, "unit_price",
         "(قیمت پایه)"),
        ("add", {"product_id": w["rug"], "quantity": "11", "unit_price": "۸٬۰۰۰"}, "unit_price",
         "(لیست قیمت «عمده‌فروشان»، بیش از ۱۰ واحد)"),
        ("edit", {"unit_price": "8000"}, "unit_price", "مجوز تغییر قیمت‌ها"),
        ("edit", {"discount_kind": "percent", "discount_value": "۱۰"}, "discount_value",
         "تخفیف این ردیف از قواعد فروش آمده است (سیاست فروش «وفادار»: ۷٪)"),
        ("edit", {"discount_value": "0"}, "discount_value", "سیاست فروش «وفادار»"),  # dropping it is an override too
    ]
    for op, values, field, words in refused:
        with pytest.raises(FormErrors) as exc, k.session(w["sara"]) as s:
            if op == "add":
                drafts.add_line(k, s, w["sara"], PROFORMA, pid, values)
            else:
                drafts.update_line(k, s, w["sara"], PROFORMA, pid, line_id, values)
        assert field in exc.value.errors
        error = exc.value.errors[field]
        assert words in k.t("fa", error.msgid, **error.params), (op, values)
        # The price is never blamed on a policy, nor the discount on a price list.
        assert ("سیاست" in k.t("fa", error.msgid, **error.params)) == (field == "discount_value"), (op, values)
    assert count() == before
    # The same values as the rules give are no override; a discount where no policy applies is
    # the clerk's own line discount (FAQ 43).
    with k.session(w["sara"]) as s:
        same = drafts.update_line(k, s, w["sara"], PROFORMA, pid, line_id,
                                  {"unit_price": "9500", "discount_kind": "percent", "discount_value": "7"})
        assert (same.price_by_hand, same.discount_by_hand) == (False, False)
        mat = drafts.add_line(k, s, w["sara"], PROFORMA, pid, {"product_id": w["plain"], "quantity": "1",
                                                               "discount_kind": "rial", "discount_value": "۵۰۰"})
        assert (mat.discount_amount, mat.discount_rule, mat.discount_by_hand) == (500, None, True)
    # With the permission: kept, marked by hand, and a new quantity keeps it.
    with k.session(w["boss"]) as s:
        line = drafts.update_line(k, s, w["boss"], PROFORMA, pid, line_id,
                                  {"unit_price": "8000", "discount_kind": "rial", "discount_value": "100"})
        assert (line.unit_price, line.price_rule, line.price_by_hand) == (8_000, None, True)
        assert (line.discount_amount, line.discount_rule, line.discount_by_hand) == (100, None, True)
        line = drafts.update_line(k, s, w["boss"], PROFORMA, pid, line_id, {"quantity": "20"})
        assert (line.unit_price, line.discount_amount) == (8_000, 100)
    # The same rules on an invoice's lines.
    with k.session(w["sara"]) as s:
        inv = drafts.create_document(k, s, w["sara"], INVOICE, {"partner_id": w["customer"], "date": DAY},
                                     [{"product_id": w["rug"], "quantity": "1"}])
        (li,) = [x for x in s.scalars(select(INVOICE.line_model).where(INVOICE.line_fk == inv.id))]
        assert (li.unit_price, li.discount_amount) == (9_500, 665)
