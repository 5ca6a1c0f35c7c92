"""CRP-02 in Chromium, in Persian: a clerk issues an invoice of two carpets on its page; its page
offers their two warranty cards, whose PDF holds each card's code, design, size and colour; the
fake panel delivers an SMS with one card's code to the webhook; the card's page then shows the
customer's mobile and the confirmation SMS has left through the panel. The invoice and the card
at 1280×800 and 390×844 (``$PEYVAND_SHOTS``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from sqlalchemy import select
from test_phone_pages import PHONE, shots_dir

from kernel.testing import create_user, pdf_text, pdf_words
from kernel.timezone import local_today
from modules.marketing.fake_panel import FakePanel
from modules.marketing.models import Panel
from modules.marketing.testing import add_panel, fake_panel

pytestmark = pytest.mark.browser
__all__ = ["fake_panel"]  # marketing's fake SMS panel, a real HTTP server


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    from modules.carpet.tests.carpet_helpers import CLERK, receive, world
    from modules.finance.services import drafts
    from modules.finance.services.documents import INVOICE

    kernel = make_kernel(edition="carpet")
    w = world(kernel)
    kernel.design = w["design"]
    create_user(kernel, "arash", perms=(*CLERK, "marketing.message.view"))
    nine, twelve = w["variants"]["۹ متری — کرم"], w["variants"]["۱۲ متری — سرمه‌ای"]
    receive(kernel, nine, "2")
    receive(kernel, twelve, "1")
    with kernel.session(w["actor"]) as s:
        kernel.invoice = drafts.create_document(kernel, s, w["actor"], INVOICE, {
            "partner_id": w["customer"], "date": local_today(kernel.config.timezone)},
            [{"product_id": nine, "quantity": "1"}, {"product_id": twelve, "quantity": "1"}]).id
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def test_sell_two_carpets_print_their_cards_and_register_one_by_sms(
        browser: Any, live_server: LiveServer, fake_panel: FakePanel, tmp_path: Path) -> None:
    fake = fake_panel
    from modules.carpet.codes import shown
    from modules.carpet.models import WarrantyCard
    from modules.marketing.tests.sms_helpers import drain

    k = live_server.kernel
    shots = shots_dir(tmp_path)
    panel_id = add_panel(k, fake)
    with k.sessions() as s:
        token = s.get(Panel, panel_id).webhook_token  # type: ignore[union-attr]
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        # -- sell: the invoice of two carpets is issued on its page
        page.goto(f"/finance/invoice/{k.invoice}")
        page.get_by_role("button", name="صدور", exact=True).click()
        expect(page.locator("main")).to_contain_text("INV-")
        panel = page.locator("[data-carpet-cards]")
        expect(panel).to_contain_text("۲ کارت")
        page.screenshot(path=str(shots / "carpet-invoice-cards.png"), full_page=True)
        # -- print their warranty cards: the PDF the button opens holds each card
        href = panel.locator("[data-carpet-print]").get_attribute("href")
        pdf = page.request.get(href)
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        text = " ".join(pdf_text(pdf.body()))
        with k.sessions() as s:
            cards = list(s.scalars(select(WarrantyCard).where(WarrantyCard.invoice_id == k.invoice)
                                   .order_by(WarrantyCard.id)))
        assert len(cards) == 2 and all(shown(c.code) in text for c in cards)
        words = pdf_words(pdf.body())  # «افشان ۱۲۰۱ · ۹ متری · کرم»: its words (extraction reorders bidi runs)
        assert {"افشان", "۱۲۰۱", "۹", "۱۲", "متری", "کرم", "کارت", "ضمانت"} <= words
        # -- the customer texts the first card's code to the panel's line, in Persian digits
        code = shown(cards[0].code).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        answer = fake.report_inbound(f"{live_server.url}/marketing/panel/{token}/hook", "09351234567",
                                     f"ثبت کارت {code}")
        assert answer.status_code == 200
        drain(k)  # the outbox job sends the confirmation
        assert [m.message for m in fake.state.sent.values() if m.receptor == "09351234567"] == [
            f"مشتری گرامی، کارت ضمانت {shown(cards[0].code)} به نام شما ثبت شد. از خرید شما سپاسگزاریم."]
        # -- the card shows the customer's mobile
        page.goto(f"/carpet/card/{cards[0].id}")
        expect(page.locator("[data-carpet-registered]")).to_contain_text("۰۹۳۵")
        expect(page.locator("main")).to_contain_text("ثبت‌شده")
        page.screenshot(path=str(shots / "carpet-card-registered.png"), full_page=True)
        page.goto(f"/carpet/design/{k.design}")  # the design's sizes × colours with their stock
        expect(page.locator(".inventory-matrix")).to_contain_text("سرمه‌ای")
        page.screenshot(path=str(shots / "carpet-design.png"), full_page=True)
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        sign_in(phone, "sara")
        phone.goto(f"/finance/invoice/{k.invoice}")
        expect(phone.locator("[data-carpet-cards]")).to_contain_text("ثبت‌شده ۱")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(shots / "carpet-invoice-cards-390.png"), full_page=True)
        phone.goto(f"/carpet/card/{cards[0].id}")
        expect(phone.locator("[data-carpet-registered]")).to_contain_text("۰۹۳۵")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(shots / "carpet-card-390.png"), full_page=True)
        for name, url in (("settings", "/carpet/settings"), ("design", f"/carpet/design/{k.design}"),
                          ("batch", "/carpet/batches/new"), ("dealers-report", "/reports/carpet.dealers")):
            phone.goto(url)
            expect(phone.locator("main")).to_be_visible()
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, name
            phone.screenshot(path=str(shots / f"carpet-{name}-390.png"), full_page=True)
