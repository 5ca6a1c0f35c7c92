"""The e-mail pages (MKT-03) in Persian: "New e-mail" with a subject and files, "Send e-mail"
from a partner's page and above the partner list, the refusals on their fields (no SMTP, files
too large, no subject), and a proforma's PDF attached from the proforma's page when finance is
enabled — finance fills marketing's hook, neither imports the other."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.models import Attachment
from kernel.testing import create_user, csrf, pdf_words
from modules.marketing.models import Message, Send
from modules.marketing.tests.compose_helpers import REMINDER, category, person
from modules.marketing.tests.mail_helpers import ENGINES, MAILER, Smtp, drain, mail_kernel

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def sends(kernel: Any) -> int:
    with kernel.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Send)) or 0)


@pytest.mark.parametrize("engine", ENGINES)
def test_new_email_with_a_file_from_the_partner_list_is_queued_and_sent(make_kernel: Any, web_client: Any,
                                                                        smtp: Smtp, engine: str) -> None:
    kernel = mail_kernel(make_kernel, engine, smtp.port)
    create_user(kernel, "nasrin", perms=MAILER)
    pid = person(kernel, "علی", "رضایی", None, email="ali@example.ir")
    person(kernel, "مینا", "کاظمی", None, email="mina@example.ir")
    c = web_client(kernel, "nasrin")
    listing = c.get("/base/partner/", params={"f_kind": "person"})
    assert "ارسال ایمیل به این فهرست" in listing.text and "/marketing/email/new?audience=filter" in listing.text
    partner_page = c.get(f"/base/partner/{pid}")
    assert f"/marketing/email/new?partner_id={pid}" in partner_page.text
    page = c.get("/marketing/email/new", params={"audience": "filter", "query": "f_kind=person"})
    assert page.status_code == 200 and "ایمیل تازه" in page.text and 'name="subject"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert 'value="range"' not in page.text
    got = c.get("/marketing/email/preview", params={"audience": "filter", "query": "f_kind=person",
                                                    "category_id": str(category(kernel, REMINDER)),
                                                    "subject": "سلام", "body": "متن"}).json()
    assert got["summary"] == "۲ از ۲ گیرنده"
    posted = c.post("/marketing/email/new", follow_redirects=False, data={
        "csrf": csrf(c, "/marketing/email/new"), "when": "now", "audience": "filter", "query": "f_kind=person",
        "category_id": str(category(kernel, REMINDER)), "subject": "قیمت‌های تازه", "body": "فهرست قیمت پیوست است."},
        files=[("attachment", ("قیمت.pdf", PDF, "application/pdf"))])
    assert posted.status_code == 303 and posted.headers["location"].startswith("/marketing/send/")

    drain(kernel)

    assert sorted(m["To"] for m in smtp.messages) == ["ali@example.ir", "mina@example.ir"]
    assert all([(p.get_filename(), p.get_content()) for p in m.iter_attachments()] == [("قیمت.pdf", PDF)]
               for m in smtp.messages)
    assert all(m["Subject"] == "قیمت‌های تازه" for m in smtp.messages)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_file_too_large_or_a_missing_subject_is_said_on_its_field_and_nothing_is_queued(
        make_kernel: Any, web_client: Any, smtp: Smtp, engine: str) -> None:
    kernel = mail_kernel(make_kernel, engine, smtp.port)
    create_user(kernel, "nasrin", perms=MAILER)
    person(kernel, "علی", "رضایی", None, email="ali@example.ir")
    with kernel.session() as s:
        kernel.set_setting(s, "marketing.email_max_bytes", 4096)
    c = web_client(kernel, "nasrin")
    data = {"csrf": csrf(c, "/marketing/email/new"), "when": "now", "audience": "filter", "query": "",
            "category_id": str(category(kernel, REMINDER)), "subject": "گزارش", "body": "پیوست"}
    big = c.post("/marketing/email/new", data=data, files=[("attachment", ("big.pdf", PDF + b"0" * 5000,
                                                                            "application/pdf"))])
    assert big.status_code == 400
    assert 'data-error-for="attachment">پیوست‌ها روی هم بیش از ۴ کیلوبایت است<' in big.text
    empty = c.post("/marketing/email/new", data={**data, "subject": ""})
    assert empty.status_code == 400 and 'data-error-for="subject">موضوع را بنویسید<' in empty.text
    assert sends(kernel) == 0 and not smtp.messages


def test_without_smtp_the_page_says_so_and_refuses_the_send(make_kernel: Any, web_client: Any) -> None:
    kernel = mail_kernel(make_kernel, "sqlite", None)
    create_user(kernel, "nasrin", perms=MAILER)
    person(kernel, "علی", "رضایی", None, email="ali@example.ir")
    c = web_client(kernel, "nasrin")
    page = c.get("/marketing/email/new")
    assert "ایمیل پیکربندی نشده است" in page.text
    refused = c.post("/marketing/email/new", data={
        "csrf": csrf(c, "/marketing/email/new"), "when": "now", "audience": "filter", "query": "",
        "category_id": str(category(kernel, REMINDER)), "subject": "گزارش", "body": "متن"})
    assert refused.status_code == 400 and 'data-error-for="channel">ایمیل پیکربندی نشده است' in refused.text
    assert sends(kernel) == 0


def test_a_proformas_pdf_is_attached_from_its_page_when_finance_is_enabled(make_kernel: Any, web_client: Any,
                                                                          smtp: Smtp) -> None:
    from modules.finance.services import drafts, issuing
    from modules.finance.tests.finance_helpers import PERMS, PROFORMA, jdate, three_lines, world

    kernel = make_kernel(edition="tier3", modules=("marketing",), smtp_host="127.0.0.1", smtp_port=smtp.port,
                         smtp_from="crm@peyvand.test")
    w = world(kernel, perms=(*PERMS, *MAILER))
    with kernel.session() as s:
        from modules.base.models import Partner

        s.get_one(Partner, w["customer"]).email = "buy@kashan.ir"
    with kernel.session(w["actor"]) as s:
        pid = drafts.create_document(kernel, s, w["actor"], PROFORMA, {
            "partner_id": w["customer"], "date": jdate(1405, 2, 1)}, three_lines(w)).id
    with kernel.session(w["actor"]) as s:
        issuing.issue_proforma(kernel, s, w["actor"], pid)
    c = web_client(kernel, "sara")
    doc_page = c.get(f"/finance/proforma/{pid}")
    assert f"/marketing/email/new?attach=finance.proforma:{pid}" in doc_page.text and "ایمیل همراه با PDF آن" in \
        doc_page.text
    page = c.get("/marketing/email/new", params={"attach": f"finance.proforma:{pid}"})
    assert page.status_code == 200 and "data-attached" in page.text
    assert f'value="{w["customer"]}"' in page.text  # its customer chosen as the recipient
    posted = c.post("/marketing/email/new", follow_redirects=False, data={
        "csrf": csrf(c, "/marketing/email/new"), "when": "now", "audience": "partner",
        "partner_id": str(w["customer"]), "attach": f"finance.proforma:{pid}",
        "category_id": str(category(kernel, REMINDER)), "subject": "پیش‌فاکتور شما", "body": "با سلام، پیوست است."})
    assert posted.status_code == 303

    drain(kernel)

    assert [m["To"] for m in smtp.messages] == ["buy@kashan.ir"]
    (name, content), = [(p.get_filename(), p.get_content()) for p in smtp.messages[0].iter_attachments()]
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    assert "فرش" in " ".join(pdf_words(content))  # the proforma's lines, printed
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Attachment).where(
            Attachment.table_name == "marketing_send")) == 1
        assert s.scalar(select(Message.state)) == "sent"
    create_user(kernel, "other", perms=MAILER)  # may not print proformas
    stranger = web_client(kernel, "other")
    refused = stranger.post("/marketing/email/new", data={
        "csrf": csrf(stranger, "/marketing/email/new"), "when": "now", "audience": "partner",
        "partner_id": str(w["customer"]), "attach": f"finance.proforma:{pid}",
        "category_id": str(category(kernel, REMINDER)), "subject": "x", "body": "y"})
    assert refused.status_code == 400 and "سندی که باید پیوست شود پیدا نشد" in refused.text
