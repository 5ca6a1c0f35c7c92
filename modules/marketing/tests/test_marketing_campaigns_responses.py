"""Responses per target (MKT-01): an SMS from a target while the campaign runs marks it "replied"
on its own (an opt-out reply: "not interested"); one before the campaign's dates or to a
campaign not approved does not; a response set by hand stays as the user set it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kernel import InputError, NotFound
from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.testing import jalali_at
from modules.marketing import inbound
from modules.marketing.campaigns import responses
from modules.marketing.tests.campaigns_helpers import (
    ENGINES,
    approved,
    campaign,
    jdate,
    sms_step,
    targets,
    world,
)
from modules.marketing.tests.compose_helpers import marketing_kernel, person


def sms_from(kernel: Any, mobile: str, body: str, at: dt.datetime, ident: str) -> None:
    with transaction(kernel.sessions, SYSTEM) as s:
        inbound.receive(kernel, s, channel="sms", source="panel:1", provider_id=ident, address=mobile, body=body,
                        received_at=at)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_sms_from_a_target_during_the_campaign_is_its_reply(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    hassan = person(kernel, "حسن", "کریمی", "+989121000004")
    cid = campaign(w)
    sms_step(w, cid, jdate(1405, 9, 25))
    draft = campaign(w, name="طرح دیگر")  # never submitted: its list is the same, nothing changes there
    sms_step(w, draft, jdate(1405, 9, 25))
    approved(w, cid)
    sms_from(kernel, "09121000001", "سلام، قیمت‌ها؟", jalali_at(1405, 9, 19, 12), "1")  # before the campaign
    assert targets(kernel, cid)[w.ali].response == "none"
    sms_from(kernel, "۰۹۱۲۱۰۰۰۰۰۱", "بله، علاقه دارم", jalali_at(1405, 9, 26, 12), "2")
    sms_from(kernel, "09121000004", "لغو۱۱", jalali_at(1405, 9, 26, 13), "3")
    mina = w.actor(w.mina)
    with kernel.session(mina) as s:  # a response the marketer set from a call stays theirs
        responses.set_response(kernel, s, mina, cid, targets(kernel, cid)[w.maryam].id, "bought", "دو فرش خرید")
    sms_from(kernel, "09121000002", "ممنون", jalali_at(1405, 9, 27, 9), "4")
    got = targets(kernel, cid)
    assert (got[w.ali].response, got[w.ali].response_note) == ("replied", "بله، علاقه دارم")
    assert got[w.ali].response_at == jalali_at(1405, 9, 26, 12)
    assert got[hassan].response == "not_interested"
    assert (got[w.maryam].response, got[w.maryam].response_note, got[w.maryam].response_by_id) == (
        "bought", "دو فرش خرید", w.mina)
    assert targets(kernel, draft) == {}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_response_is_one_of_the_list_on_a_target_of_that_campaign(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    cid = campaign(w)
    sms_step(w, cid, jdate(1405, 9, 25))
    other = campaign(w, name="طرح دوم")
    sms_step(w, other, jdate(1405, 9, 25))
    approved(w, cid)
    approved(w, other)
    mina = w.actor(w.mina)
    ali_here, ali_there = targets(kernel, cid)[w.ali].id, targets(kernel, other)[w.ali].id
    with kernel.session(mina) as s, pytest.raises(InputError) as exc:
        responses.set_response(kernel, s, mina, cid, ali_here, "maybe")
    assert exc.value.msgid == "Choose one of the listed values"
    with kernel.session(mina) as s, pytest.raises(NotFound):  # a target of another campaign
        responses.set_response(kernel, s, mina, cid, ali_there, "bought")
    assert {t.response for t in targets(kernel, cid).values()} == {"none"}
    assert {t.response for t in targets(kernel, other).values()} == {"none"}
