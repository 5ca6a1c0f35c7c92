"""An invoice's money and its end in a browser (tier 3): a cash receipt for the whole amount
(an amount above the balance refused first) leaves the invoice settled on its page and in the
list; another invoice cannot be deleted, is voided with a reason instead, and stays in the list
under its number, marked void; an invoice's number typed with Persian digits in the top-bar
search lands on it. Screenshots at 1280×800 and 390×844 (``$PEYVAND_SHOTS`` keeps them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.persian.jalali import format_jalali
from kernel.persian.money import format_money
from kernel.persian.textnorm import to_persian_digits
from kernel.testing import actor_of, create_record, create_user
from kernel.timezone import local_today

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    """Two issued invoices of one customer (three lines each, as the docs' worked example)."""
    from modules.finance.services import drafts, issuing
    from modules.finance.services.documents import INVOICE

    kernel = make_kernel(edition="tier3")
    sara = create_user(kernel, "sara", perms=("finance.*", "base.partner.*"))
    customer = create_record(kernel, sara, "base.partner", kind="company", name="فرش کاشان")
    carpet = create_record(kernel, sara, "finance.product", name="فرش ۷۰۰ شانه", price=12_500_000)
    cloth = create_record(kernel, sara, "finance.product", name="پارچه مخمل", unit="متر", price=1_234_567)
    setup = create_record(kernel, sara, "finance.product", name="نصب", kind="service", price=1_500_000,
                          tax_exempt=True)
    lines = [{"product_id": carpet, "quantity": "2", "discount_value": "10"},
             {"product_id": cloth, "quantity": "2.5", "discount_kind": "rial", "discount_value": "86418"},
             {"product_id": setup, "quantity": "1"}]
    actor = actor_of(kernel, sara)
    with kernel.session(actor) as s:
        for _ in range(2):
            doc = drafts.create_document(kernel, s, actor, INVOICE, {
                "partner_id": customer, "date": local_today(kernel.config.timezone), "discount_kind": "rial",
                "discount_value": Decimal(1_000_000), "shipping": 500_000}, lines)
            issuing.issue_invoice(kernel, s, actor, doc.id)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


# The cells of the lines' table whose amount and unit fall on two lines ("۱۲٬۵۰۰٬۰۰۰ / ریال").
BROKEN_AMOUNTS = """() => Array.from(document.querySelectorAll('#document-lines tbody td'))
  .filter((td) => td.textContent.includes('ریال'))
  .filter((td) => { const r = document.createRange(); r.selectNodeContents(td);
                    return new Set(Array.from(r.getClientRects()).map((x) => Math.round(x.top))).size > 1; })
  .map((td) => td.textContent.trim())"""


def _same_line(page: Any, term: str) -> None:
    """A term of the totals and its amount sit side by side (they once stacked down the page)."""
    dt_ = page.locator("#document-lines .finance-totals dt", has_text=term).first
    dd = dt_.locator("xpath=following-sibling::dd[1]")
    a, b = dt_.bounding_box(), dd.bounding_box()
    assert a and b and abs(a["y"] - b["y"]) < 4, (term, a, b)


def test_a_receipt_settles_an_invoice_another_is_voided_and_the_top_bar_finds_one(
        browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    k, url = live_server.kernel, live_server.url
    shots = shots_dir(tmp_path)
    today = local_today(k.config.timezone)
    from modules.finance.models import Invoice

    with k.sessions() as s:
        first, second = s.get(Invoice, 1), s.get(Invoice, 2)
        grand, number, other = first.grand_total, first.number, second.number
    assert grand == 28_955_556  # the docs' worked example
    with open_page(browser, url) as page:
        sign_in(page, "sara")
        # Receive cash on the first invoice's page: more than the balance is refused on the amount.
        page.goto("/finance/invoice/1")
        page.locator("#document-lines a", has_text="دریافت نقدی").click()
        expect(page.locator("#f-invoice_id")).to_have_value("1")
        page.fill("#f-date", format_jalali(today, "fa"))
        page.fill("#f-amount", "۳۰٬۰۰۰٬۰۰۰")
        page.locator("form.record-form button[type=submit]").click()
        expect(page.locator("form.record-form")).to_contain_text(f"مبلغ از مانده فاکتور ({format_money(grand, 'rial')})")
        page.screenshot(path=str(shots / "finance-receipt-refused.png"), full_page=True)
        with k.sessions() as s:
            assert s.get(Invoice, 1).received == 0  # nothing recorded
        page.fill("#f-amount", to_persian_digits(f"{grand:,}").replace(",", "٬"))  # ۲۸٬۹۵۵٬۵۵۶
        page.fill("#f-note", "نقد، تحویل صندوق")
        page.locator("form.record-form button[type=submit]").click()
        expect(page).to_have_url(f"{url}/finance/invoice/1")
        totals = page.locator("#document-lines .finance-totals")
        expect(totals).to_contain_text("تسویه‌شده")
        expect(page.locator("#document-lines")).to_contain_text("نقد، تحویل صندوق")
        expect(page.locator("#document-lines a", has_text="دریافت نقدی")).to_have_count(0)
        for term in ("جمع کل", "دریافت‌شده", "مانده"):
            _same_line(page, term)
        assert page.evaluate(BROKEN_AMOUNTS) == []
        page.screenshot(path=str(shots / "finance-invoice-settled.png"), full_page=True)
        with k.sessions() as s:
            inv = s.get(Invoice, 1)
            assert (inv.received, inv.balance) == (grand, 0)
        # In the list: the settlement filter "Settled" finds it, with nothing left to pay.
        page.goto("/finance/invoice/?f_settlement=settled")
        rows = page.locator("tbody tr[data-href]")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(to_persian_digits(number))
        expect(rows.first).to_contain_text(format_money(0, "rial"))
        # The second invoice: "Delete" is refused with the way out; it is voided with a reason.
        page.goto("/finance/invoice/2")
        page.once("dialog", lambda d: d.accept())
        page.locator(".page-head button.danger").click()
        expect(page.locator("main")).to_contain_text("فاکتور صادرشده حذف نمی‌شود")
        page.locator("#document-lines a", has_text="ابطال فاکتور").click()
        expect(page.locator("main h1")).to_contain_text(to_persian_digits(other))
        page.fill("input[name=reason]", "مشتری انصراف داد")
        page.get_by_role("button", name="باطل").click()
        expect(page).to_have_url(f"{url}/finance/invoice/2")
        expect(page.locator("main")).to_contain_text("مشتری انصراف داد")
        page.goto("/finance/invoice/")
        void_row = page.locator("tr[data-href='/finance/invoice/2']")
        expect(void_row).to_contain_text(to_persian_digits(other))
        expect(void_row).to_contain_text("باطل")
        mark = void_row.locator(".cell-icon.tone-red")
        expect(mark).to_have_count(1)
        expect(mark).to_have_attribute("title", "باطل‌شده: شماره‌اش می‌ماند و دیگر به فاکتوری داده نمی‌شود")
        expect(page.locator("tr[data-href='/finance/invoice/1'] .cell-icon")).to_have_count(0)
        page.screenshot(path=str(shots / "finance-invoices-void.png"), full_page=True)
        with k.sessions() as s:
            voided = s.get(Invoice, 2)
            assert (voided.state, voided.number, voided.deleted_at) == ("void", other, None)
        # The top bar: the first invoice's number as remembered, in Persian digits, then the keyboard.
        page.goto("/")
        page.keyboard.press("/")
        page.keyboard.type(to_persian_digits(f"{number.split('-')[1]}-{int(number.split('-')[2])}"))  # ۱۴۰۵-۱
        hit = page.locator(".live-results a[href='/finance/invoice/1']")
        expect(hit).to_be_visible()
        page.keyboard.press("Tab")
        expect(hit).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{url}/finance/invoice/1")
        # The number names the invoice exactly: its results page shows it and offers the rest.
        page.goto(f"/search?q={to_persian_digits(number)}")
        expect(page.locator("main a[href='/finance/invoice/1']")).to_be_visible()
        expect(page.locator("main a[href*='all=1']")).to_have_text("جست‌وجوی این نویسه‌ها در همه‌جا")
        page.screenshot(path=str(shots / "search-exact.png"), full_page=True)
    with open_page(browser, url, viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=1) as phone:
        sign_in(phone, "sara")
        phone.goto("/finance/invoice/1")
        _same_line(phone, "مانده")
        expect(phone.locator("#document-lines .finance-totals")).to_contain_text("تسویه‌شده")
        phone.screenshot(path=str(shots / "finance-invoice-settled-phone.png"), full_page=True)
        _fits(phone)
        phone.goto(f"/search?q={to_persian_digits(number)}")
        expect(phone.locator("main a[href*='all=1']")).to_be_visible()
        phone.screenshot(path=str(shots / "search-exact-phone.png"), full_page=True)
        _fits(phone)
        # The list scrolls in its frame: swiped to its end, the void row's state and mark show.
        phone.goto("/finance/invoice/")
        mark = phone.locator("tr[data-href='/finance/invoice/2'] .cell-icon.tone-red")
        mark.scroll_into_view_if_needed()
        expect(mark).to_be_in_viewport()
        phone.screenshot(path=str(shots / "finance-invoices-void-phone.png"), full_page=True)
        _fits(phone)


def _fits(phone: Any) -> None:
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{phone.url} is {width} px wide on a phone"
