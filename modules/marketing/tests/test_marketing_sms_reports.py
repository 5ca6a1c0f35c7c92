"""Delivery reports and inbound SMS (issue 13, MKT-07): the panel's webhook and the polling job
move messages to delivered or failed (the partner's timeline follows), ignore ids they do not
know, log received messages once on the partner's timeline, turn «لغو۱۱» replies into opt-outs,
and leave the unmatched in the inbox, where a user assigns them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kernel import hookimpl
from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.jobs import run_due
from kernel.testing import create_record, create_user, csrf, serving
from modules.base.models import Communication
from modules.marketing import inbound
from modules.marketing.events import InboundReceived
from modules.marketing.fake_panel import FakePanel
from modules.marketing.models import Inbound, Message, OptOut, Panel
from modules.marketing.testing import add_panel, queue_sms
from modules.marketing.tests.sms_helpers import ENGINES, T0, drain, send_row, states


def _hook_url(kernel: Any, base: str, panel_id: int) -> str:
    with kernel.sessions() as s:
        panel = s.get(Panel, panel_id)
        assert panel is not None
        return f"{base}/marketing/panel/{panel.webhook_token}/hook"


@pytest.mark.parametrize("engine", ENGINES)
def test_delivery_reports_by_webhook_move_messages_and_their_timeline_unknown_ids_change_nothing(
        make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    panel_id = add_panel(kernel, fake_panel)
    ok = create_record(kernel, None, "base.partner", kind="person", first_name="سارا", last_name="احمدی",
                       mobile="+989121230001")
    bad = create_record(kernel, None, "base.partner", kind="person", first_name="رضا", last_name="نوری",
                        mobile="+989121230009")  # ends in 9: the fake panel never delivers it
    send_id = queue_sms(kernel, ["+989121230001", "+989121230009"], partner_ids=[ok, bad])
    drain(kernel)
    with kernel.sessions() as s:
        provider = dict(s.execute(select(Message.partner_id, Message.provider_id)).all())

    with serving(kernel) as base:
        url = _hook_url(kernel, base, panel_id)
        assert fake_panel.report_delivery(url, int(str(provider[ok]))).status_code == 200
        assert fake_panel.report_delivery(url, int(str(provider[bad]))).status_code == 200
        again = fake_panel.report_delivery(url, int(str(provider[ok])))  # a panel retrying its call
        unknown = httpx.post(url, data={"messageid": "123456789", "status": "10"})
        forged = httpx.post(f"{base}/marketing/panel/not-the-token-of-any-panel/hook",
                            data={"messageid": provider[ok], "status": "11"})

    assert again.json()["moved"] == 0 and unknown.status_code == 200 and unknown.json()["moved"] == 0
    assert forged.status_code == 404
    assert states(kernel) == {"delivered": 1, "failed": 1}
    send = send_row(kernel, send_id)
    assert (send.sent, send.delivered, send.failed) == (2, 1, 1)
    with kernel.sessions() as s:
        results = dict(s.execute(select(Communication.partner_id, Communication.result)
                                 .where(Communication.kind == "sms")).all())
    assert results == {ok: "پیامک به گیرنده رسید",
                       bad: "پیامک به گیرنده نرسید: پنل گزارش داد که به گیرنده نرسید"}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_polling_job_reads_delivery_states_and_received_messages(
        make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_panel(kernel, fake_panel)
    partner = create_record(kernel, None, "base.partner", kind="person", first_name="نگار", last_name="صالحی",
                            mobile="+989351112233")
    queue_sms(kernel, ["+989351112233", "+989351112239"])
    now = drain(kernel)
    fake_panel.state.add_inbound("09351112233", "ممنون، دریافت شد")

    run_due(kernel, now=now + dt.timedelta(minutes=5))

    assert states(kernel) == {"delivered": 1, "failed": 1}
    with kernel.sessions() as s:
        got = s.scalars(select(Inbound)).one()
        comm = s.get(Communication, got.communication_id)
    assert (got.partner_id, got.state, got.address, got.body) == (partner, "matched", "+989351112233",
                                                                 "ممنون، دریافت شد")
    assert comm is not None and (comm.direction, comm.kind, comm.partner_id) == ("in", "sms", partner)
    run_due(kernel, now=now + dt.timedelta(minutes=10))  # read once: the panel marks them read
    with kernel.sessions() as s:
        assert len(s.scalars(select(Inbound)).all()) == 1


class _Listener:
    def __init__(self) -> None:
        self.seen: list[InboundReceived] = []

    @hookimpl
    def handle_event(self, event: Any) -> None:
        if isinstance(event, InboundReceived):
            self.seen.append(event)


@pytest.mark.parametrize("body", ["لغو۱۱", "لغو 11", "لغو", " لغو١١ ", "لغو\u200c11"])
def test_opt_out_replies_in_any_script_become_an_opt_out(make_kernel: Any, body: str) -> None:
    kernel = make_kernel(modules=("marketing",))
    listener = _Listener()
    kernel.pm.register(listener)
    partner = create_record(kernel, None, "base.partner", kind="person", first_name="حسن", last_name="یزدی",
                            mobile="+989131234567")
    with transaction(kernel.sessions, SYSTEM) as s:
        row = inbound.receive(kernel, s, channel="sms", source="panel:1", provider_id="77", address="۰۹۱۳۱۲۳۴۵۶۷",
                              body=body, received_at=T0)
        assert row.state == "opt_out"
    with kernel.sessions() as s:
        opt = s.scalars(select(OptOut)).one()
    assert (opt.partner_id, opt.address, opt.source) == (partner, "+989131234567", "reply")
    assert [(e.partner_id, e.opt_out) for e in listener.seen] == [(partner, True)]


@pytest.mark.parametrize("engine", ENGINES)
def test_inbound_is_logged_once_and_the_unmatched_wait_in_the_inbox_to_be_assigned(
        make_kernel: Any, fake_panel: FakePanel, web_client: Any, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    listener = _Listener()
    kernel.pm.register(listener)
    panel_id = add_panel(kernel, fake_panel)
    partner = create_record(kernel, None, "base.partner", kind="person", first_name="زهرا", last_name="امینی",
                            mobile="+989120000001")
    with serving(kernel) as base:
        url = _hook_url(kernel, base, panel_id)
        first = fake_panel.report_inbound(url, "09387776655", "کارت گارانتی ۱۲۳۴۵")
        mid = fake_panel.state.inbox[-1].messageid
        httpx.post(url, data={"messageid": str(mid), "from": "09387776655", "to": "10004346",
                              "message": "کارت گارانتی ۱۲۳۴۵"})  # the panel calls again
    assert first.status_code == 200
    with kernel.sessions() as s:
        row = s.scalars(select(Inbound)).one()
    assert (row.state, row.partner_id, row.address) == ("unassigned", None, "+989387776655")
    assert [(e.address, e.partner_id, e.body) for e in listener.seen] == [("+989387776655", None, "کارت گارانتی ۱۲۳۴۵")]

    create_user(kernel, "nahid", perms=("marketing.inbound.view", "marketing.inbound.assign", "base.partner.view"))
    client = web_client(kernel, "nahid")
    page = client.get("/marketing/inbox")
    assert page.status_code == 200 and "کارت گارانتی ۱۲۳۴۵" in page.text and "صندوق" in page.text
    token = csrf(client, "/marketing/inbox")
    wrong = client.post(f"/marketing/inbox/{row.id}/assign", data={"csrf": token, "partner_id": "abc"},
                        follow_redirects=False)
    assert wrong.status_code == 303 and "error=" in wrong.headers["location"]
    assert "یک طرف حساب را انتخاب کنید" in client.get(wrong.headers["location"]).text
    done = client.post(f"/marketing/inbox/{row.id}/assign", data={"csrf": token, "partner_id": str(partner)},
                       follow_redirects=False)
    assert done.status_code == 303
    with kernel.sessions() as s:
        row = s.scalars(select(Inbound)).one()
        comm = s.get(Communication, row.communication_id)
    assert (row.state, row.partner_id) == ("assigned", partner)
    assert comm is not None and (comm.partner_id, comm.direction, comm.link_resource) == (partner, "in",
                                                                                          "marketing.inbound")
    assert "کارت گارانتی ۱۲۳۴۵" not in client.get("/marketing/inbox").text


def test_the_inbox_needs_its_permission(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(modules=("marketing",))
    create_user(kernel, "guest", perms=("marketing.category.view",))
    client = web_client(kernel, "guest")
    assert client.get("/marketing/inbox").status_code == 403
    token = csrf(client, "/marketing/category/")
    assert client.post("/marketing/inbox/1/assign", data={"csrf": token, "partner_id": "1"}).status_code == 403
