"""Bulk and single e-mail (MKT-03) through the real SMTP server: a send to a filtered list goes
out once per address with a Persian subject, a plain part and an escaped HTML part, the
placeholders filled, its files attached to each mail but stored once, and each mail on the
partner's timeline; those without a valid address are skipped with the reason."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.models import Attachment
from modules.base.models import Communication, Partner
from modules.marketing import compose
from modules.marketing.mail.attachments import File
from modules.marketing.models import Message, Send
from modules.marketing.tests.compose_helpers import ADS, REMINDER, category, company, person
from modules.marketing.tests.mail_helpers import (
    ENGINES,
    Smtp,
    drain,
    mail_kernel,
    mailer,
)

PDF = b"%PDF-1.4\n% a small file\n%%EOF\n"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_bulk_email_to_a_filtered_list_reaches_each_address_once_with_both_parts_and_the_file(
        make_kernel: Any, smtp: Smtp, engine: str) -> None:
    kernel = mail_kernel(make_kernel, engine, smtp.port)
    actor = mailer(kernel)
    ali = person(kernel, "علی", "رضایی", None, email="Ali.Rezaei@Example.ir")
    person(kernel, "مینا", "کاظمی", None, email="mina@example.ir")
    person(kernel, "رضا", "بی‌ایمیل", None)
    person(kernel, "سارا", "تکراری", None, email="ali.rezaei@example.ir")
    firm = company(kernel, "شرکت فولاد")  # not in the list's filter (persons)
    with kernel.session() as s:
        s.get_one(Partner, firm).email = "info@foolad.ir"
    body = "{name} عزیز،\nفاکتور <b>پاییز</b> پیوست است & منتظر شماییم."
    draft = compose.Draft(audience={"kind": "filter", "query": "f_kind=person"}, category_id=category(kernel, REMINDER),
                          body=body, channel="email", subject="یادآوری {first_name} — پیوند",
                          files=[File("فاکتور.pdf", "application/pdf", PDF)])
    with kernel.session(actor) as s:
        send_id = compose.compose(kernel, s, actor, draft).id

    drain(kernel)

    with kernel.sessions() as s:
        rows = s.execute(select(Message.address, Message.state, Message.skip_reason, Message.subject)
                         .where(Message.send_id == send_id).order_by(Message.id)).all()
        send = s.get_one(Send, send_id)
        stored = s.scalar(select(func.count()).select_from(Attachment).where(
            Attachment.table_name == "marketing_send", Attachment.record_id == send_id))
        comm = s.scalars(select(Communication).where(Communication.partner_id == ali)).one()
    states = sorted((a, st, r) for a, st, r, _ in rows)
    assert states == sorted([("ali.rezaei@example.ir", "sent", None), ("mina@example.ir", "sent", None),
                             ("", "skipped", "بدون نشانی ایمیل"),
                             ("ali.rezaei@example.ir", "skipped", "این نشانی ایمیل در همین ارسال هست")])
    assert (send.channel, send.state, send.sent, send.skipped) == ("email", "done", 2, 2)
    assert stored == 1  # one copy of the file for the whole send
    assert len(smtp.messages) == 2 and {m["To"] for m in smtp.messages} == {"ali.rezaei@example.ir",
                                                                            "mina@example.ir"}
    mail = smtp.to("ali.rezaei@example.ir")[0]
    assert mail["Subject"] == "یادآوری علی — پیوند"
    assert mail["From"] == "crm@peyvand.test" and mail["Message-ID"].startswith("<marketing-")
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "علی رضایی عزیز" in plain and "<b>پاییز</b>" in plain
    assert "&lt;b&gt;پاییز&lt;/b&gt;" in html and "&amp;" in html and "<b>" not in html and 'dir="rtl"' in html
    files = [(p.get_filename(), p.get_content()) for p in mail.iter_attachments()]
    assert files == [("فاکتور.pdf", PDF)]
    assert (comm.kind, comm.direction, comm.subject, comm.result) == ("email", "out", "یادآوری علی — پیوند",
                                                                      "ایمیل فرستاده شد")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_email_goes_to_a_company_and_honours_an_advertising_opt_out(make_kernel: Any, smtp: Smtp,
                                                                        engine: str) -> None:
    from modules.marketing.models import OptOut

    kernel = mail_kernel(make_kernel, engine, smtp.port)
    actor = mailer(kernel)
    firm = company(kernel, "شرکت فولاد")
    quiet = person(kernel, "نگار", "آرام", None, email="negar@example.ir")
    with kernel.session() as s:
        s.get_one(Partner, firm).email = "info@foolad.ir"
        s.add(OptOut(partner_id=quiet, source="flag"))
    with kernel.session(actor) as s:
        for pid in (firm, quiet):
            compose.compose(kernel, s, actor, compose.Draft(
                audience={"kind": "partner", "id": pid}, category_id=category(kernel, ADS), body="حراج زمستانه",
                channel="email", subject="حراج"))

    drain(kernel)

    assert [m["To"] for m in smtp.messages] == ["info@foolad.ir"]  # an e-mail may go to a company
    with kernel.sessions() as s:
        skipped = s.scalar(select(Message.skip_reason).where(Message.partner_id == quiet))
    assert skipped == "از دریافت پیام تبلیغاتی انصراف داده است"


@pytest.mark.parametrize("engine", ENGINES)
def test_an_email_template_brings_its_subject_and_a_scheduled_email_goes_at_its_time(
        make_kernel: Any, smtp: Smtp, engine: str) -> None:
    import datetime as dt

    from modules.marketing.models import Template
    from modules.marketing.tests.mail_helpers import T0

    kernel = mail_kernel(make_kernel, engine, smtp.port)
    actor = mailer(kernel)
    person(kernel, "نرگس", "احمدی", None, email="narges@example.ir")
    with kernel.session() as s:
        template = Template(name="تبریک نوروز", channel="email", subject="نوروزتان پیروز، {first_name}",
                            body="{name} گرامی، سال نو مبارک.", category_id=category(kernel, REMINDER))
        s.add(template)
        s.flush()
        template_id = template.id
    at = T0 + dt.timedelta(hours=3)
    with kernel.session(actor) as s:
        send_id = compose.compose(kernel, s, actor, compose.Draft(
            audience={"kind": "filter", "query": "f_kind=person"}, category_id=category(kernel, REMINDER),
            template_id=template_id, channel="email", scheduled_at=at), now=T0).id

    drain(kernel, start=T0)
    assert not smtp.messages  # not before its time

    drain(kernel, start=at + dt.timedelta(minutes=1))
    (mail,) = smtp.messages
    assert mail["Subject"] == "نوروزتان پیروز، نرگس"
    assert "نرگس احمدی گرامی، سال نو مبارک." in mail.get_body(("plain",)).get_content()
    with kernel.sessions() as s:
        assert s.get_one(Send, send_id).state == "done"
