"""A campaign's e-mail step (MKT-01 with MKT-03): it runs through compose's e-mail channel —
``Draft(channel="email", subject=...)`` — to the campaign's list: a send of channel "email",
one message per target's address with the subject, queued in the e-mail outbox, then mailed by
the worker through a real local SMTP server."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kernel.outbox import OutboxMessage
from kernel.testing import create_record, jalali_at
from modules.marketing.campaigns import steps
from modules.marketing.dispatch import TOPICS
from modules.marketing.models import Message, Send
from modules.marketing.tests.campaigns_helpers import ENGINES, approved, campaign, jdate, world
from modules.marketing.tests.compose_helpers import ADS, category
from modules.marketing.tests.mail_helpers import drain, mail_kernel


@pytest.mark.parametrize("engine", ENGINES)
def test_an_email_step_is_a_send_of_emails_to_the_targets(make_kernel: Any, engine: str, smtp: Any) -> None:
    kernel = mail_kernel(make_kernel, engine, smtp.port)
    w = world(kernel)
    with kernel.session() as s:
        from modules.base.models import Partner

        for pid, email in ((w.ali, "ali@example.ir"), (w.maryam, "maryam@example.ir")):
            row = s.get(Partner, pid)
            assert row is not None
            row.email = email
    cid = campaign(w)
    sid = create_record(kernel, w.mina, "marketing.campaign_step", campaign_id=cid, kind="email",
                        on_date=jdate(1405, 9, 25), category_id=category(kernel, ADS), subject="دعوت به حراج",
                        body="{first_name} گرامی، حراج پاییزه از فردا")
    approved(w, cid)
    with kernel.session() as s:
        steps.run_step(kernel, s, sid, jalali_at(1405, 9, 25, 10))
    with kernel.sessions() as s:
        send = s.scalars(select(Send)).one()
        rows = s.execute(select(Message.address, Message.subject, Message.state).order_by(Message.id)).all()
        topics = set(s.scalars(select(OutboxMessage.topic)))
    assert send.channel == "email"
    assert rows == [("ali@example.ir", "دعوت به حراج", "queued"), ("maryam@example.ir", "دعوت به حراج", "queued")]
    assert topics == {TOPICS["email"]}
    drain(kernel)
    got = smtp.to("ali@example.ir")
    assert len(got) == 1 and got[0]["Subject"] == "دعوت به حراج"
    assert "علی گرامی، حراج پاییزه از فردا" in got[0].get_body(preferencelist=("plain",)).get_content()
    assert len(smtp.to("maryam@example.ir")) == 1
