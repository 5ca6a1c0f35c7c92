"""What goes wrong with e-mail (MKT-03), against a real SMTP server: a 5xx refusal is a bounce
(failed, with the server's words, on the timeline), a 4xx or a server that is down keeps the
messages queued and retried until they go (each once), a worker that died mid-send does not
mail twice; a draft that cannot go — no SMTP, no subject, a partner without an address, files
too large — is refused on its field, nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select, update

from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.jobs import run_due
from kernel.records import FormErrors
from modules.base.models import Communication, Partner
from modules.marketing import compose
from modules.marketing.mail.attachments import File
from modules.marketing.models import Message, Send
from modules.marketing.tests.compose_helpers import REMINDER, category, person
from modules.marketing.tests.mail_helpers import (
    ENGINES,
    T0,
    Smtp,
    by_address,
    drain,
    mail_kernel,
    mailer,
    waiting,
)


def bulk(kernel: Any, actor: Any, **kw: Any) -> int:
    draft = compose.Draft(audience={"kind": "filter", "query": "f_kind=person"},
                          category_id=category(kernel, REMINDER), body="سلام {first_name}", channel="email",
                          subject="اطلاعیه", **kw)
    with kernel.session(actor) as s:
        return int(compose.compose(kernel, s, actor, draft).id)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_permanent_refusal_is_a_bounce_and_a_temporary_one_is_retried_until_sent(
        make_kernel: Any, smtp: Smtp, engine: str) -> None:
    kernel = mail_kernel(make_kernel, engine, smtp.port)
    actor = mailer(kernel)
    gone = person(kernel, "پیمان", "رفته", None, email="gone@example.ir")
    person(kernel, "لیلا", "صبور", None, email="later@example.ir")
    person(kernel, "امید", "خوب", None, email="ok@example.ir")
    smtp.permanent.add("gone@example.ir")
    smtp.temporary["later@example.ir"] = 2  # greylisted twice
    send_id = bulk(kernel, actor)

    run_due(kernel, now=T0, limit=100)

    got = by_address(kernel)
    assert got["ok@example.ir"] == ("sent", None)
    assert got["gone@example.ir"][0] == "failed" and got["gone@example.ir"][1] is not None
    assert got["gone@example.ir"][1].startswith("برگشت خورد: 550") and "User unknown" in got["gone@example.ir"][1]
    assert got["later@example.ir"][0] == "queued" and "451" in str(got["later@example.ir"][1])
    assert waiting(kernel) == 1

    drain(kernel, start=T0 + dt.timedelta(minutes=1))

    assert by_address(kernel)["later@example.ir"] == ("sent", None)
    assert sorted(m["To"] for m in smtp.messages) == ["later@example.ir", "ok@example.ir"]
    with kernel.sessions() as s:
        send = s.get_one(Send, send_id)
        comm = s.scalars(select(Communication).where(Communication.partner_id == gone)).first()
    assert (send.sent, send.failed, send.state) == (2, 1, "done")
    assert comm is None  # refused at once: nothing reached the partner


@pytest.mark.parametrize("engine", ENGINES)
def test_with_the_smtp_server_down_messages_stay_queued_and_go_once_when_it_is_back(
        make_kernel: Any, engine: str) -> None:
    down = Smtp()  # its port chosen, nothing listening yet: connection refused
    kernel = mail_kernel(make_kernel, engine, down.port)
    actor = mailer(kernel)
    for i in range(3):
        person(kernel, "مشتری", str(i), None, email=f"c{i}@example.ir")
    bulk(kernel, actor)

    run_due(kernel, now=T0, limit=100)
    run_due(kernel, now=T0 + dt.timedelta(seconds=31), limit=100)

    states = by_address(kernel)
    assert {st for st, _ in states.values()} == {"queued"} and len(states) == 3
    assert all("ConnectionRefusedError" in str(e) for _, e in states.values())
    down.start()
    try:
        drain(kernel, start=T0 + dt.timedelta(minutes=5))
    finally:
        down.stop()
    assert {st for st, _ in by_address(kernel).values()} == {"sent"}
    assert sorted(m["To"] for m in down.messages) == ["c0@example.ir", "c1@example.ir", "c2@example.ir"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_message_left_sending_by_a_dead_worker_is_not_mailed_twice(make_kernel: Any, smtp: Smtp,
                                                                       engine: str) -> None:
    kernel = mail_kernel(make_kernel, engine, smtp.port)
    actor = mailer(kernel)
    person(kernel, "الف", "یک", None, email="a@example.ir")
    person(kernel, "ب", "دو", None, email="b@example.ir")
    bulk(kernel, actor)
    with transaction(kernel.sessions, SYSTEM) as s:  # what the killed worker had claimed
        s.execute(update(Message).where(Message.address == "a@example.ir").values(state="sending"))

    drain(kernel)

    got = by_address(kernel)
    assert got["b@example.ir"] == ("sent", None)
    assert got["a@example.ir"] == ("failed", "معلوم نیست سرور ایمیل آن را گرفته باشد: دوباره فرستاده نشد")
    assert [m["To"] for m in smtp.messages] == ["b@example.ir"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_draft_that_cannot_go_is_refused_on_its_fields_and_nothing_is_queued(make_kernel: Any, smtp: Smtp,
                                                                              engine: str) -> None:
    kernel = mail_kernel(make_kernel, engine, smtp.port)
    actor = mailer(kernel)
    nobody = person(kernel, "بی", "نشانی", None)
    with kernel.session() as s:
        s.get_one(Partner, nobody).email = "not-an-address"  # as an old import left it: the form refuses it
        kernel.set_setting(s, "marketing.email_max_bytes", 2048)

    def refused(**kw: Any) -> dict[str, str]:
        values: dict[str, Any] = {"audience": {"kind": "partner", "id": nobody}, "category_id": category(kernel, REMINDER),
                                  "body": "سلام", "channel": "email", "subject": "موضوع", **kw}
        with pytest.raises(FormErrors) as caught, kernel.session(actor) as s:
            compose.compose(kernel, s, actor, compose.Draft(**values))
        return {k: kernel.t("fa", e.msgid, **e.params) for k, e in caught.value.errors.items()}

    assert refused() == {"partner_id": "بی نشانی نشانی ایمیل معتبری ندارد"}
    person(kernel, "خوب", "نشانی", None, email="good@example.ir")
    everyone = {"kind": "filter", "query": "f_kind=person"}
    assert refused(audience=everyone, subject=" ") == {"subject": "موضوع را بنویسید"}
    assert refused(audience=everyone, files=[File("big.pdf", "application/pdf", b"%PDF" + b"x" * 3000)]) == {
        "attachment": "پیوست‌ها روی هم بیش از ۲ کیلوبایت است"}
    assert refused(audience=everyone, files=[File("run.exe", "application/octet-stream", b"MZ")]) == {
        "attachment": "این نوع فایل پذیرفته نمی‌شود"}
    assert refused(audience={"kind": "range", "start": "09120000000", "end": "09120000009"}) == {
        "audience": "بازهٔ شماره‌های همراه برای پیامک است؛ برای ایمیل، طرف حساب‌ها را برگزینید"}
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Send)) == 0
        assert s.scalar(select(func.count()).select_from(Message)) == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_without_an_smtp_server_the_draft_is_refused_with_the_way_to_fix_it(make_kernel: Any, engine: str) -> None:
    kernel = mail_kernel(make_kernel, engine, None)
    actor = mailer(kernel)
    person(kernel, "خوب", "نشانی", None, email="good@example.ir")
    with pytest.raises(FormErrors) as caught, kernel.session(actor) as s:
        compose.compose(kernel, s, actor, compose.Draft(
            audience={"kind": "filter", "query": ""}, category_id=category(kernel, REMINDER), body="سلام",
            channel="email", subject="موضوع"))
    assert kernel.t("fa", caught.value.errors["channel"].msgid) == (
        "ایمیل پیکربندی نشده است: از مدیر سامانه بخواهید سرور SMTP را تنظیم کند (PEYVAND_SMTP_HOST)")
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Send)) == 0
