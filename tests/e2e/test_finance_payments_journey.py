"""Issue 12's journey in Chromium, in Persian: an invoice of 120,000,000 Rials gets a plan of 20 %
cash and four monthly instalments; two instalments are paid by cheques with Sayad IDs (a Sayad ID
of the wrong length refused first, nothing saved) and one by a credit promise; the due-date
calendar shows the cheques; one cheque is deposited and cleared, the other bounces and its
instalment is open again with an alarm to the invoice's owner; a third cheque is endorsed to a
supplier; a cheque is found by its number from the top bar. Screenshots at 1280×800 and 390×844
(``$PEYVAND_SHOTS`` keeps them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jdatetime
import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.persian.jalali import format_jalali
from kernel.testing import actor_of, alarms_of, create_record, create_user, pdf_text
from kernel.timezone import local_today

pytestmark = pytest.mark.browser

TOTAL = 120_000_000
PERMS = ("finance.*", "base.partner.*", "kernel.reminder.*")


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    """Sara's issued invoice of 120,000,000 Rials (one VAT-exempt line) to «فرش کاشان», a supplier
    «نخ‌ریسی یزد» and one of our bank accounts."""
    from modules.base.models import PartnerRole
    from modules.finance.banking_codes import with_check_digits
    from modules.finance.services import issuing

    kernel = make_kernel(edition="tier3")
    sara = create_user(kernel, "sara", perms=PERMS)
    customer = create_record(kernel, sara, "base.partner", kind="company", name="فرش کاشان")
    supplier = create_record(kernel, sara, "base.partner", kind="company", name="نخ‌ریسی یزد")
    with kernel.session() as s:
        s.add(PartnerRole(partner_id=supplier, role="supplier"))
    create_record(kernel, None, "finance.bank_account", title="جاری ملت مرکزی",
                  iban=with_check_digits("012", "0000000001234567890"))
    product = create_record(kernel, sara, "finance.product", name="فرش دستباف", price=TOTAL, tax_exempt=True)
    actor = actor_of(kernel, sara)
    with kernel.session(actor) as s:
        inv = issuing.invoice_directly(kernel, s, actor, {"partner_id": customer,
                                                          "date": local_today(kernel.config.timezone)},
                                       [{"product_id": product, "quantity": "1"}])
        kernel.test_invoice, kernel.test_sara = int(inv.id), sara
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def _jalali(day: dt.date) -> str:
    return format_jalali(day, "fa")


def _month_later(day: dt.date, months: int) -> dt.date:
    """The same Jalali day ``months`` later (the day of the month kept: the journey's days are ≤ 29)."""
    j = jdatetime.date.fromgregorian(date=day)
    m = j.month - 1 + months
    return jdatetime.date(j.year + m // 12, m % 12 + 1, min(j.day, 29)).togregorian()


def _fill_date(page: Any, selector: str, day: dt.date) -> None:
    page.fill(selector, _jalali(day))
    page.keyboard.press("Escape")  # the date picker


def _register_cheque(page: Any, number: str, sayad: str, amount: str, due: dt.date) -> None:
    """From the plan page, "Register a new cheque": the form comes with the customer and the invoice."""
    page.get_by_role("link", name="ثبت چک تازه").click()
    page.fill("#f-amount", amount)
    page.fill("#f-number", number)
    page.fill("#f-sayad_id", sayad)
    _fill_date(page, "#f-due_date", due)
    page.select_option("#f-bank_id", label="بانک ملی ایران")
    page.fill("#f-issuer", "رضا محمدی")
    page.locator("form.record-form button.primary").click()


def _cheque_id(k: Any, number: str) -> int:
    from sqlalchemy import select

    from modules.finance.models import Cheque

    with k.sessions() as s:
        return int(s.scalars(select(Cheque.id).where(Cheque.number == number)).one())


def _pay(page: Any, kind: str, amount: str, box: int, cheque_id: int | None = None,
         on: dt.date | None = None) -> None:
    """Record a payment on the plan page, ticking the ``box``-th unpaid instalment."""
    form = page.locator("#payment")
    form.locator("input[name=instalment]").nth(box).check()
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=amount]").fill(amount)
    if cheque_id is not None:
        form.locator("select[name=cheque_id]").select_option(str(cheque_id))
    if on is not None:
        _fill_date(page, "#payment input[name=on]", on)
    form.locator("button.primary").click()
    expect(page.locator("#payments")).to_be_visible()


def _move(page: Any, cheque_id: int, button: str, account: str | None = None, supplier: str | None = None) -> None:
    """On the cheque's page, one move of its life (today's date, the default)."""
    page.goto(f"/finance/cheque/{cheque_id}")
    form = page.locator("#cheque-state form")
    if account:
        form.locator("select[name=account_id]").select_option(label=account)
    if supplier:
        form.locator("select[name=endorsed_to_id]").select_option(label=supplier)
    form.get_by_role("button", name=button).click()


def _states(k: Any, invoice_id: int) -> list[str]:
    from sqlalchemy import select

    from modules.finance.models import Instalment

    with k.sessions() as s:
        return list(s.scalars(select(Instalment.state).where(Instalment.invoice_id == invoice_id,
                                                             Instalment.deleted_at.is_(None))
                              .order_by(Instalment.position)))


def test_a_plan_paid_by_cheques_and_a_promise_one_cheque_bounces(
        browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    from sqlalchemy import select

    from modules.finance.models import Cheque, Invoice

    k, url = live_server.kernel, live_server.url
    shots = shots_dir(tmp_path)
    inv = k.test_invoice
    today = local_today(k.config.timezone)
    first = _month_later(today, 1)
    with open_page(browser, url) as page:
        sign_in(page, "sara")
        page.goto(f"/finance/invoice/{inv}/plan")
        # 20 % cash and four monthly instalments, typed with Persian digits and a Jalali date.
        form = page.locator("#plan-generate")
        form.locator("input[name=cash]").fill("۲۴٬۰۰۰٬۰۰۰")
        form.locator("input[name=count]").fill("۴")
        _fill_date(page, "#plan-generate input[name=first]", first)
        form.locator("button.primary").click()
        expect(page.locator("#plan tbody tr")).to_have_count(5)
        expect(page.locator("#plan")).to_contain_text(_jalali(_month_later(today, 4)))
        expect(page.locator("#plan")).to_contain_text("۲۴٬۰۰۰٬۰۰۰")

        # A Sayad ID one digit short is refused on its field, nothing saved.
        _register_cheque(page, "۷۷۱۲۰۱", "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵", "۲۴٬۰۰۰٬۰۰۰", first)
        expect(page.locator("#f-sayad_id").locator("xpath=ancestor::div[contains(@class,'field')][1]")
               .locator(".field-error")).to_contain_text("۱۶")
        with k.sessions() as s:
            assert s.scalars(select(Cheque.id)).first() is None
        page.fill("#f-sayad_id", "۱۲۳۴ ۵۶۷۸ ۹۰۱۲ ۳۴۵۶")  # as printed, with spaces
        page.locator("form.record-form button.primary").click()
        expect(page).to_have_url(f"{url}/finance/invoice/{inv}/plan")
        first_cheque = _cheque_id(k, "771201")
        _pay(page, "cheque", "۲۴٬۰۰۰٬۰۰۰", 1, cheque_id=first_cheque)

        second = _month_later(today, 2)
        _register_cheque(page, "۷۷۱۲۰۲", "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۷", "۲۴٬۰۰۰٬۰۰۰", second)
        expect(page).to_have_url(f"{url}/finance/invoice/{inv}/plan")
        second_cheque = _cheque_id(k, "771202")
        _pay(page, "cheque", "۲۴٬۰۰۰٬۰۰۰", 2, cheque_id=second_cheque)
        # The third instalment on the customer's word: a date and an amount, no instrument.
        _pay(page, "promise", "۲۴٬۰۰۰٬۰۰۰", 3, on=_month_later(today, 3))
        expect(page.locator("#payments tbody tr")).to_have_count(3)
        # A cheque payment reads the cheque's number as printed (it once read the row's id, «#۱»).
        expect(page.locator("#payments")).to_contain_text("۷۷۱۲۰۱")
        page.screenshot(path=str(shots / "payments-plan.png"), full_page=True)
        # Nothing cleared yet: the balance is the whole invoice.
        assert _states(k, inv) == ["open"] * 5

        # The due-date calendar of the first cheque's month shows it.
        j = jdatetime.date.fromgregorian(date=first)
        page.goto(f"/finance/cheques/calendar?y={j.year}&m={j.month}")
        expect(page.locator("main")).to_contain_text("فرش کاشان")
        expect(page.locator("main")).to_contain_text("۲۴٬۰۰۰٬۰۰۰")
        page.screenshot(path=str(shots / "payments-calendar.png"), full_page=True)

        # The first cheque is deposited and cleared: its instalment is paid.
        _move(page, first_cheque, "خواباندن به حساب", account="جاری ملت مرکزی")
        expect(page.locator("#cheque-state h2")).to_contain_text("خوابانده‌شده به حساب")
        _move(page, first_cheque, "وصول‌شده")
        expect(page.locator("#cheque-state h2")).to_contain_text("وصول‌شده")
        assert _states(k, inv)[1] == "paid"

        # The customer's payment-behaviour score on the plan page, before the bounce.
        page.goto(f"/finance/invoice/{inv}/plan")
        before = int(page.locator("#plan .finance-score").get_attribute("data-score") or "-1")
        expect(page.locator("#plan .finance-score")).to_contain_text("برگشتی: ۰")

        # The second is deposited and bounces: its instalment is open again, Sara is alarmed.
        _move(page, second_cheque, "خواباندن به حساب", account="جاری ملت مرکزی")
        _move(page, second_cheque, "برگشتی")
        expect(page.locator("#cheque-state h2")).to_contain_text("برگشتی")
        assert _states(k, inv)[2] == "open"
        assert any("برگشت خورد" in title for title, _ in alarms_of(k, k.test_sara))
        page.goto("/alarms")
        expect(page.locator("main")).to_contain_text("چک \u2066۷۷۱۲۰۲\u2069 برگشت خورد")  # Persian digits, isolated
        page.goto(f"/finance/invoice/{inv}/plan")
        expect(page.locator("#plan tbody tr").nth(2)).to_contain_text("پرداخت‌نشده")
        # The bounce is in the customer's score: one bounced, and the score fell.
        score = page.locator("#plan .finance-score")
        expect(score).to_contain_text("برگشتی: ۱")
        after = int(score.get_attribute("data-score") or "-1")
        assert 0 <= after < before or before == -1, (before, after)
        page.screenshot(path=str(shots / "payments-score-after-bounce.png"), full_page=True)

        # The customer's statement: the invoice, the cleared cheque's money, the balance; and its PDF.
        with k.sessions() as s:
            customer = s.get(Invoice, inv).partner_id
        page.goto(f"/finance/partner/{customer}/statement")
        table = page.locator("table.finance-statement")
        expect(table).to_contain_text("INV-۱۴۰۵")
        expect(table).to_contain_text("۷۷۱۲۰۱")  # the cleared cheque, by its number
        expect(table).to_contain_text("۹۶٬۰۰۰٬۰۰۰")  # what is left to pay
        expect(table).not_to_contain_text("۷۷۱۲۰۲")  # a bounced cheque brought no money
        page.screenshot(path=str(shots / "payments-statement.png"), full_page=True)
        pdf_link = page.locator("a[href*='/statement.pdf']")
        got = page.context.request.get(url + (pdf_link.get_attribute("href") or ""))
        assert got.status == 200 and got.headers["content-type"] == "application/pdf"
        words = " ".join(pdf_text(got.body())).replace("\u200c", "")
        for wanted in ("فرش کاشان", "۹۶٬۰۰۰٬۰۰۰", "۱۲۰٬۰۰۰٬۰۰۰", _jalali(today)):
            assert wanted in words, wanted

        # A third cheque of the customer, endorsed to the supplier.
        page.goto(f"/finance/invoice/{inv}/plan")
        _register_cheque(page, "۷۷۱۲۰۳", "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۸", "۱۰٬۰۰۰٬۰۰۰", second)
        third = _cheque_id(k, "771203")
        _move(page, third, "واگذاری به تأمین‌کننده", supplier="نخ‌ریسی یزد")
        expect(page.locator("#cheque-state")).to_contain_text("نخ‌ریسی یزد")

        # The top bar finds a cheque by its number typed in Persian digits.
        page.goto("/")
        page.keyboard.press("/")
        page.keyboard.type("۷۷۱۲۰۲")
        hit = page.locator(f".live-results a[href='/finance/cheque/{second_cheque}']")
        expect(hit).to_be_visible()
        page.keyboard.press("Tab")
        expect(hit).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{url}/finance/cheque/{second_cheque}")
    with open_page(browser, url, viewport=PHONE, is_mobile=True) as phone:
        sign_in(phone, "sara")
        phone.goto(f"/finance/invoice/{inv}/plan")
        phone.screenshot(path=str(shots / "payments-plan-phone.png"), full_page=True)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, width
