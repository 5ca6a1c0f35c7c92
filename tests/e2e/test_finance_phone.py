"""The finance pages on a phone (390 × 844 px): the competitor comparison, a product's variants
page, the proforma and invoice lists (with a converted proforma's green arrow) and an invoice's
page, and an invoice's payment plan (its making and its payment form) have no horizontal overflow,
and their main action can be tapped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, check, shots_dir

from kernel.testing import create_record, create_user

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    """Tier 3 with a long-named carpet, its variants, and two competitors' prices."""
    from modules.base.models import PartnerRole, RoleKind

    kernel = make_kernel(edition="tier3")
    sara = create_user(kernel, "sara", perms=("finance.*", "base.partner.*"))
    with kernel.session() as s:
        if not s.query(RoleKind).filter(RoleKind.code == "competitor").count():
            s.add(RoleKind(code="competitor", name="Competitor"))
    product = create_record(kernel, sara, "finance.product", name="فرش ماشینی کاشان ۱۲۰۰ شانه طرح افشان‌سلطانی",
                            code="KSH-1200-AFSHAN-SOLTANI-LONG", price=145_000_000)
    size = create_record(kernel, sara, "finance.attribute", name="اندازه", kind="size")
    for name in ("۶ متری", "۹ متری", "۱۲ متری"):
        create_record(kernel, sara, "finance.attribute_value", attribute_id=size, name=name)
    for name, price in (("فرش و گلیم بازرگانی نوین‌پخش‌البرز‌گستران", 139_500_000), ("سپاهان", 152_000_000)):
        competitor = create_record(kernel, sara, "base.partner", kind="company", name=name)
        with kernel.session() as s:
            s.add(PartnerRole(partner_id=competitor, role="competitor"))
        create_record(kernel, sara, "finance.competitor_price", product_id=product, competitor_id=competitor,
                      competitor_product="فرش ۱۲۰۰ شانه طرح افشان-سلطانی-۹متری-کد۱۴۰۵۰۹۱۵", price=price,
                      observed_on=dt.date(2026, 12, 1))
    # A converted proforma: its list row carries the green arrow and its hidden label (FAQ 26).
    from kernel.testing import actor_of
    from modules.finance.services import drafts, issuing
    from modules.finance.services.documents import PROFORMA

    customer = create_record(kernel, sara, "base.partner", kind="company", name="فروشگاه‌های زنجیره‌ای نیک‌روز")
    actor = actor_of(kernel, sara)
    with kernel.session(actor) as s:
        doc = drafts.create_document(kernel, s, actor, PROFORMA, {"partner_id": customer, "date": dt.date(2026, 12, 1)},
                                     [{"product_id": product, "quantity": "2"}])
        issuing.issue_proforma(kernel, s, actor, doc.id)
        issuing.convert(kernel, s, actor, doc.id)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def test_the_finance_pages_fit_a_phone(browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    with open_page(browser, live_server.url, viewport=PHONE, has_touch=True, is_mobile=True,
                   device_scale_factor=1) as phone:
        sign_in(phone, "sara")
        check(phone, "/finance/competitors/compare", ".finance-compare-card a[href^='/finance/product/']", shots,
              "finance-compare")
        expect(phone.locator(".finance-compare-card")).to_have_count(1)
        expect(phone.locator(".finance-cheaper")).to_contain_text("ارزان‌تر")
        check(phone, "/finance/product/1/variants", "form.finance-options button.primary", shots, "finance-variants")
        phone.locator("form.finance-options input[type=checkbox]").first.check()
        phone.locator("form.finance-options button.primary").click()
        expect(phone.locator("main")).to_contain_text("فرش ماشینی کاشان ۱۲۰۰ شانه طرح افشان‌سلطانی — ۶ متری")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        # The lists scroll inside their frame: the arrow's hidden label once widened the page to 601 px.
        check(phone, "/finance/proforma/", "a[href='/finance/proforma/1']", shots, "finance-proformas")
        expect(phone.locator(".cell-icon")).to_have_count(1)
        check(phone, "/finance/invoice/", "a[href='/finance/invoice/1']", shots, "finance-invoices")
        check(phone, "/finance/invoice/1", "main h1", shots, "finance-invoice")
        # -- payment plans: make a plan on the phone, then the payment form with its instalments
        check(phone, "/finance/invoice/1/plan", "#plan-generate button.primary", shots, "finance-plan-new")
        phone.fill("#plan-generate input[name=count]", "۴")
        phone.fill("#plan-generate input[name=first]", "۱۴۰۵/۰۷/۳۰")
        phone.locator("#plan-generate button.primary").click()
        expect(phone.locator(".finance-plan-rows tbody tr")).to_have_count(4)
        check(phone, "/finance/invoice/1/plan", "#payment button.primary", shots, "finance-plan")
