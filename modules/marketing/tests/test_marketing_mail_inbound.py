"""Inbound e-mail (MKT-07) and bounce reports (MKT-03) from a real IMAP server (Dovecot): a mail
from a partner's address (any case) joins the partner's timeline, an unknown sender waits in the
inbox, each mail is read once across runs, and a DSN naming one of our messages marks it bounced."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kernel.jobs import run_due
from kernel.testing import create_user
from modules.base.models import Communication
from modules.marketing.mail.imap import poll_mailbox
from modules.marketing.mail.imap_server import ImapServer
from modules.marketing.models import Inbound, Message
from modules.marketing.tests.compose_helpers import REMINDER, category, person
from modules.marketing.tests.mail_helpers import (
    ENGINES,
    T0,
    Smtp,
    by_address,
    drain,
    dsn,
    mail_kernel,
    mailer,
)


def mail(sender: str, subject: str, body: str, message_id: str) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "crm@peyvand.test", subject
    msg["Message-ID"], msg["Date"] = message_id, "Mon, 07 Dec 2026 09:30:00 +0330"
    msg.set_content(body)
    return msg.as_bytes()


def poll(kernel: Any) -> int:
    with kernel.session() as s:
        return poll_mailbox(kernel, s, T0)


@pytest.mark.parametrize("engine", ENGINES)
def test_mail_from_a_partner_joins_the_timeline_an_unknown_one_waits_and_each_is_read_once(
        make_kernel: Any, web_client: Any, imap_server: ImapServer, engine: str) -> None:
    kernel = mail_kernel(make_kernel, engine, None)
    maryam = person(kernel, "مریم", "کریمی", None, email="maryam@example.ir")
    with kernel.session() as s:
        kernel.set_setting(s, "marketing.imap", imap_server.settings())
    imap_server.append(mail("Maryam Karimi <Maryam@Example.IR>", "سؤال دربارهٔ فاکتور", "فاکتور شمارهٔ ۱۲ رسید؟",
                            "<q1@example.ir>"))
    imap_server.append(mail("stranger@elsewhere.ir", "همکاری", "سلام، پیشنهاد همکاری داریم.", "<q2@elsewhere.ir>"))

    assert poll(kernel) == 2
    assert poll(kernel) == 0  # the UIDs read are kept: nothing is logged twice
    imap_server.append(mail("maryam@example.ir", "پیگیری", "منتظر پاسخ هستم.", "<q3@example.ir>"))
    assert poll(kernel) == 1

    with kernel.sessions() as s:
        rows = {r.provider_id: r for r in s.scalars(select(Inbound).order_by(Inbound.id))}
        comms = list(s.scalars(select(Communication).where(Communication.partner_id == maryam)
                               .order_by(Communication.id)))
    assert set(rows) == {"<q1@example.ir>", "<q2@elsewhere.ir>", "<q3@example.ir>"}
    first = rows["<q1@example.ir>"]
    assert (first.channel, first.address, first.partner_id, first.state) == ("email", "maryam@example.ir", maryam,
                                                                            "matched")
    assert first.subject == "سؤال دربارهٔ فاکتور" and "فاکتور شمارهٔ ۱۲ رسید؟" in first.body
    stranger = rows["<q2@elsewhere.ir>"]
    assert (stranger.state, stranger.partner_id, stranger.address) == ("unassigned", None, "stranger@elsewhere.ir")
    assert [(c.kind, c.direction, c.subject) for c in comms] == [("email", "in", "سؤال دربارهٔ فاکتور"),
                                                                  ("email", "in", "پیگیری")]
    create_user(kernel, "nahid", perms=("marketing.inbound.view", "marketing.inbound.assign", "base.partner.view"))
    inbox = web_client(kernel, "nahid").get("/marketing/inbox").text
    assert "stranger@elsewhere.ir" in inbox and "همکاری" in inbox and "پیشنهاد همکاری داریم" in inbox
    assert "maryam@example.ir" not in inbox  # matched: on her timeline, not waiting


@pytest.mark.parametrize("engine", ENGINES)
def test_a_bounce_report_in_the_mailbox_marks_the_sent_message_failed(
        make_kernel: Any, imap_server: ImapServer, smtp: Smtp, engine: str) -> None:
    from modules.marketing import compose

    kernel = mail_kernel(make_kernel, engine, smtp.port)
    actor = mailer(kernel)
    pid = person(kernel, "رضا", "دور", None, email="far@remote.ir")
    person(kernel, "سیما", "نزدیک", None, email="near@remote.ir")
    with kernel.session(actor) as s:
        compose.compose(kernel, s, actor, compose.Draft(
            audience={"kind": "filter", "query": "f_kind=person"}, category_id=category(kernel, REMINDER),
            body="نوروز مبارک", channel="email", subject="نوروز مبارک"))
    drain(kernel)
    assert {st for st, _ in by_address(kernel).values()} == {"sent"}
    with kernel.sessions() as s:
        far = s.scalars(select(Message.id).where(Message.address == "far@remote.ir")).one()
    with kernel.session() as s:
        kernel.set_setting(s, "marketing.imap", imap_server.settings())
    imap_server.append(dsn(far, "far@remote.ir"))

    run_due(kernel, now=T0.replace(hour=12), limit=100)  # the periodic IMAP job

    got = by_address(kernel)
    assert got["near@remote.ir"] == ("sent", None)
    assert got["far@remote.ir"][0] == "failed"
    assert got["far@remote.ir"][1] == "برگشت خورد: smtp; 550 5.1.1 <far@remote.ir>: Mailbox does not exist"
    with kernel.sessions() as s:
        comm = s.scalars(select(Communication).where(Communication.partner_id == pid)).one()
        logged = s.scalar(select(Inbound.id))
    assert comm.result.startswith("ایمیل نرسید: برگشت خورد")
    assert logged is None  # a bounce of ours is no message from a customer: nothing in the inbox


@pytest.mark.parametrize("engine", ENGINES)
def test_a_plain_mailer_daemon_message_quoting_our_message_id_is_a_bounce_too(
        make_kernel: Any, imap_server: ImapServer, smtp: Smtp, engine: str) -> None:
    """Not every server sends a DSN: a mailer-daemon's plain message that quotes the original's
    headers is recognised by the Message-ID it quotes; its subject is the reason."""
    from modules.marketing import compose

    kernel = mail_kernel(make_kernel, engine, smtp.port)
    actor = mailer(kernel)
    person(kernel, "رضا", "دور", None, email="far@remote.ir")
    with kernel.session(actor) as s:
        compose.compose(kernel, s, actor, compose.Draft(
            audience={"kind": "filter", "query": "f_kind=person"}, category_id=category(kernel, REMINDER),
            body="سلام", channel="email", subject="سلام"))
    drain(kernel)
    with kernel.sessions() as s:
        mid = s.scalars(select(Message.id)).one()
    with kernel.session() as s:
        kernel.set_setting(s, "marketing.imap", imap_server.settings())
    quoted = f"Your message could not be delivered.\n\n--- original headers ---\nMessage-ID: <marketing-{mid}@peyvand.test>\n"
    imap_server.append(mail("MAILER-DAEMON@mx.remote.ir", "Delivery failure: mailbox full", quoted, "<nd-1@mx>"))

    assert poll(kernel) == 1

    assert by_address(kernel)["far@remote.ir"] == ("failed", "برگشت خورد: Delivery failure: mailbox full")
