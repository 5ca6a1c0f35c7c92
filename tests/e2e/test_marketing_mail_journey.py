"""Bulk e-mail in Chromium, in Persian (issue 13, MKT-03): from the partner list filtered to
persons, "Send e-mail to this list"; a subject, a text and a PDF attached; the recipient count
previewed; sent, and watched on the send's page while a worker runs the jobs (kernel.jobs) —
then the mail is read back at the real SMTP server: the Persian subject, a plain and an HTML
part, the attachment. The page on a 390 px phone does not scroll sideways. Screenshots go to
``$PEYVAND_SHOTS`` (else the test's temporary folder)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.testing import create_user

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
SUBJECT = "فهرست قیمت زمستان ۱۴۰۵"


@pytest.fixture
def live_server(make_kernel: Callable[..., Any], smtp_server: Any) -> Iterator[LiveServer]:
    from modules.marketing.tests.compose_helpers import person
    from modules.marketing.tests.mail_helpers import MAILER

    kernel = make_kernel(modules=("marketing",), smtp_host="127.0.0.1", smtp_port=smtp_server.port,
                         smtp_from="crm@peyvand.test")
    create_user(kernel, "nasrin", perms=(*MAILER, "base.partner.*"))
    person(kernel, "علی", "رضایی", None, email="ali@example.ir")
    person(kernel, "مینا", "کاظمی", None, email="mina@example.ir")
    person(kernel, "رضا", "امینی", None, email="reza@example.ir")
    person(kernel, "سامان", "نیک", None)  # no address: skipped, with the reason
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="nasrin")


@contextmanager
def worker(kernel: Any) -> Iterator[None]:
    """The jobs run as a worker process runs them, in a thread, until the block ends."""
    from kernel.jobs import run_due

    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            if not run_due(kernel, limit=10):
                time.sleep(0.1)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(10)


def test_a_bulk_email_with_a_file_to_a_filtered_list(browser: Any, live_server: LiveServer, smtp_server: Any,
                                                      tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    pdf = tmp_path / "قیمت.pdf"
    pdf.write_bytes(PDF)
    with open_page(browser, live_server.url) as page:
        sign_in(page, "nasrin")
        page.goto("/base/partner/?f_kind=person")
        page.locator("[data-email-list]").click()
        expect(page.locator("h1")).to_have_text("ایمیل تازه")
        page.select_option("select[name=category_id]", label="یادآوری پرداخت")
        page.fill("input[name=subject]", SUBJECT)
        page.fill("textarea[name=body]", "{name} گرامی،\nفهرست قیمت زمستان پیوست است.")
        page.set_input_files("input[name=attachment]", str(pdf))
        expect(page.locator("[data-sms-recipients]")).to_have_text("۳ از ۴ گیرنده")
        expect(page.locator("[data-sms-skips]")).to_contain_text("بدون نشانی ایمیل")
        page.screenshot(path=str(shots / "marketing-email-compose.png"), full_page=True)
        page.get_by_role("button", name="ارسال پیام", exact=True).click()
        expect(page.locator("#send-progress [data-count=total]")).to_have_text("۴")
        with worker(live_server.kernel):
            page.reload()
            expect(page.locator("#send-progress [data-count=sent]")).to_have_text("۳", timeout=15000)
        page.reload()  # the recipients' table as it stands now
        expect(page.locator('#send-recipients tr[data-state="sent"]')).to_have_count(3)
        expect(page.locator("#send-recipients thead")).to_contain_text("ایمیل")
        page.screenshot(path=str(shots / "marketing-email-sent.png"), full_page=True)
    assert sorted(m["To"] for m in smtp_server.messages) == ["ali@example.ir", "mina@example.ir", "reza@example.ir"]
    mail = next(m for m in smtp_server.messages if m["To"] == "ali@example.ir")
    assert mail["Subject"] == SUBJECT
    assert "علی رضایی گرامی" in mail.get_body(("plain",)).get_content()
    assert "فهرست قیمت زمستان پیوست است." in mail.get_body(("html",)).get_content()
    assert [(a.get_filename(), a.get_content()) for a in mail.iter_attachments()] == [("قیمت.pdf", PDF)]
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        sign_in(phone, "nasrin")
        phone.goto("/marketing/email/new")
        expect(phone.locator("input[name=subject]")).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        phone.screenshot(path=str(shots / "marketing-email-phone.png"), full_page=True)
        assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"


def test_an_email_from_an_unknown_sender_is_read_from_the_mailbox_and_assigned_by_name(
        browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    """MKT-07: a mail in the organisation's mailbox (a real Dovecot over IMAP) from an address no
    partner has waits in the inbox with its subject; assigned by typing a name, it is on the
    partner's profile."""
    from email.message import EmailMessage

    from kernel.testing import create_record
    from modules.marketing.mail.imap import poll_mailbox
    from modules.marketing.mail.imap_server import ImapServer

    shots = shots_dir(tmp_path)
    kernel = live_server.kernel
    create_user(kernel, "nahid", perms=("marketing.inbound.view", "marketing.inbound.assign", "base.partner.view",
                                        "base.communication.view"))
    partner = create_record(kernel, None, "base.partner", kind="person", first_name="پروین", last_name="اعتصامی")
    server = ImapServer().start()
    try:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "Parvin <parvin.e@gmail.example>", "crm@peyvand.test", "درخواست کاتالوگ"
        msg["Message-ID"] = "<cat-1@gmail.example>"
        msg.set_content("سلام، لطفاً کاتالوگ فرش‌های دست‌باف را بفرستید.")
        server.append(msg.as_bytes())
        with kernel.session() as s:
            kernel.set_setting(s, "marketing.imap", server.settings())
        with kernel.session() as s:
            assert poll_mailbox(kernel, s) == 1
    finally:
        server.stop()
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        sign_in(phone, "nahid")
        phone.goto("/marketing/inbox")
        expect(phone.locator("[data-inbound]")).to_contain_text("درخواست کاتالوگ")
        width = phone.evaluate("document.documentElement.scrollWidth")
        phone.screenshot(path=str(shots / "marketing-email-inbox-phone.png"), full_page=True)
        assert width <= PHONE["width"], f"the inbox is {width} px wide on a {PHONE['width']} px screen"
    with open_page(browser, live_server.url) as page:
        sign_in(page, "nahid")
        page.goto("/marketing/inbox")
        row = page.locator("[data-inbound]")
        expect(row).to_contain_text("parvin.e@gmail.example")
        expect(row).to_contain_text("کاتالوگ فرش‌های دست‌باف")
        page.screenshot(path=str(shots / "marketing-email-inbox.png"), full_page=True)
        row.locator("input[type=search]").fill("اعتصا")
        choice = page.locator(".ref-results button", has_text="پروین")
        expect(choice).to_be_visible()
        choice.click()
        row.locator("button[type=submit]").click()
        expect(page.locator("p.empty")).to_have_text("پیامی در انتظار تخصیص نیست.")
        page.goto(f"/base/partner/{partner}/profile")
        expect(page.locator("body")).to_contain_text("درخواست کاتالوگ")
