"""kernel.mail (MKT-03): a message with an HTML body carries a plain-text alternative, its
attachments and its Reply-To, and reaches a real SMTP server in that shape; a refused recipient
is an SMTP error the caller can tell apart (5xx for good, 4xx for now); no server → not configured."""

from __future__ import annotations

import smtplib
from pathlib import Path
from typing import Any

import pytest

from kernel.config import Config
from kernel.mail import MailNotConfigured, build_mail, deliver, send_mail


def config(port: int) -> Config:
    return Config(home=Path("/tmp"), database_url="sqlite://", smtp_host="127.0.0.1", smtp_port=port, smtp_from="crm@peyvand.test")


def test_html_with_its_plain_part_and_a_file_reaches_the_server(smtp_server: Any) -> None:
    send_mail(config(smtp_server.port), "ali@example.ir", "سلام و احترام", "متن ساده", message_id="m-1",
              html="<p dir=\"rtl\">متن <b>پررنگ</b></p>", reply_to="sales@peyvand.test",
              attachments=[("نامه.pdf", "application/pdf", b"%PDF-1.4 x")])
    (mail,) = smtp_server.messages
    assert mail["Subject"] == "سلام و احترام" and mail["Reply-To"] == "sales@peyvand.test"
    assert mail["Message-ID"] == "<m-1@peyvand.test>" and mail.get_content_type() == "multipart/mixed"
    body = next(mail.iter_parts())
    assert body.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in body.iter_parts()] == ["text/plain", "text/html"]  # plain first
    assert mail.get_body(("plain",)).get_content().strip() == "متن ساده"
    assert "<b>پررنگ</b>" in mail.get_body(("html",)).get_content()
    assert [(a.get_filename(), a.get_content()) for a in mail.iter_attachments()] == [("نامه.pdf", b"%PDF-1.4 x")]


def test_without_html_the_message_stays_one_plain_part_as_before(smtp_server: Any) -> None:
    send_mail(config(smtp_server.port), "ali@example.ir", "یادآوری", "فقط متن")
    (mail,) = smtp_server.messages
    assert mail.get_content_type() == "text/plain" and mail.get_content().strip() == "فقط متن"


def test_a_refused_recipient_is_an_smtp_error_with_its_code_and_the_rest_still_go() -> None:
    import socket

    from aiosmtpd.controller import Controller

    got: list[str] = []

    class Picky:
        async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
            if address.startswith("no"):
                return "550 5.1.1 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            got.extend(envelope.rcpt_tos)
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Picky(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        conf = config(port)
        msgs = [build_mail(conf, to, "s", "b") for to in ("no@example.ir", "yes@example.ir")]
        answers = [(m["To"], e) for m, e in deliver(conf, msgs)]
        with pytest.raises(smtplib.SMTPResponseException) as caught:
            send_mail(conf, "no@example.ir", "s", "b")
    finally:
        controller.stop()
    assert answers[1] == ("yes@example.ir", None) and got == ["yes@example.ir"]
    assert isinstance(answers[0][1], smtplib.SMTPResponseException) and answers[0][1].smtp_code == 550
    assert caught.value.smtp_code == 550


def test_without_a_server_nothing_is_tried() -> None:
    with pytest.raises(MailNotConfigured):
        send_mail(Config(home=Path("/tmp"), database_url="sqlite://"), "ali@example.ir", "s", "b")
