"""Whom a send reaches (MKT-02): a range of mobiles, a filtered partner list on the sender's
scope, a group, a company's personnel — never a company — and the rules applied when the
messages are written: opt-outs of advertising, no mobile, the same mobile twice."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from kernel.outbox import OutboxMessage
from kernel.records import FormErrors
from modules.marketing.compose import Draft, compose
from modules.marketing.dispatch import TOPICS
from modules.marketing.models import OptOut, Send
from modules.marketing.tests.compose_helpers import (
    ADS,
    ENGINES,
    REMINDER,
    category,
    company,
    count_sends,
    make,
    messages,
    person,
    sender,
)


def send(kernel: Any, actor: Any, audience: dict[str, Any], body: str = "سلام {first_name}", cat: str = ADS) -> int:
    with kernel.session(actor) as s:
        return int(compose(kernel, s, actor, Draft(audience, category(kernel, cat), body)).id)


def refused(kernel: Any, actor: Any, audience: dict[str, Any], cat: str = ADS) -> dict[str, str]:
    with pytest.raises(FormErrors) as caught, kernel.session(actor) as s:
        compose(kernel, s, actor, Draft(audience, category(kernel, cat), "سلام"))
    return {k: kernel.t("fa", e.msgid, **e.params) for k, e in caught.value.errors.items()}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_range_of_a_hundred_mobiles_typed_in_persian_digits(make_kernel: Any, engine: str) -> None:
    from modules.marketing.tests.compose_helpers import marketing_kernel

    kernel = marketing_kernel(make_kernel, engine)
    sara = sender(kernel)
    # One number of the range is a customer's, who opted out of advertising.
    ali = person(kernel, "علی", "رضایی", "+989121111250")
    with kernel.session() as s:
        s.add(OptOut(partner_id=ali, source="flag"))
    sid = send(kernel, sara, {"kind": "range", "start": "۰۹۱۲۱۱۱۱۲۰۰", "end": "۰۹۱۲ ۱۱۱ ۱۲۹۹"},
               body="تخفیف ویژهٔ پاییز برای شما")
    rows = messages(kernel, sid)
    assert len(rows) == 100 and rows[0][0] == "+989121111200" and rows[-1][0] == "+989121111299"
    skipped = [r for r in rows if r[1] == "skipped"]
    assert skipped == [("+989121111250", "skipped", "از دریافت پیام تبلیغاتی انصراف داده است", 0)]
    assert all(r[3] == 1 for r in rows if r[1] == "queued")
    with kernel.sessions() as s:
        got = s.get(Send, sid)
        assert got is not None and (got.state, got.total, got.skipped) == ("queued", 100, 1)
        assert json.loads(got.audience) == {"kind": "range", "start": "09121111200", "end": "09121111299"}
        batches = [json.loads(p) for p in s.scalars(select(OutboxMessage.payload)
                                                    .where(OutboxMessage.topic == TOPICS["sms"]))]
    assert sum(len(b["messages"]) for b in batches) == 99


@pytest.mark.parametrize("engine", ENGINES)
def test_bad_ranges_are_refused_in_persian_and_nothing_is_written(make_kernel: Any, engine: str) -> None:
    from modules.marketing.tests.compose_helpers import marketing_kernel

    kernel = marketing_kernel(make_kernel, engine)
    sara = sender(kernel)
    assert refused(kernel, sara, {"kind": "range", "start": "09121111200", "end": "0912111"}) == {
        "range_end": "شمارهٔ همراه نیست: 0912111"}
    assert refused(kernel, sara, {"kind": "range", "start": "02188776655", "end": "09121111299"}) == {
        "range_start": "شمارهٔ همراه نیست: 02188776655"}
    assert "پایان بازه" in refused(kernel, sara, {"kind": "range", "start": "09121111299", "end": "09121111200"})[
        "range_end"]
    too_many = refused(kernel, sara, {"kind": "range", "start": "09120000000", "end": "09120001000"})
    assert too_many == {"range_end": "هر بازه حداکثر ۱۰۰۰ شماره دارد؛ این بازه ۱۰۰۱ شماره دارد"}
    # The maximum is a setting.
    with kernel.session() as s:
        kernel.set_setting(s, "marketing.range_max", 5000)
    send(kernel, sara, {"kind": "range", "start": "09120000000", "end": "09120001000"})
    assert count_sends(kernel) == (1, 1001)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_filtered_list_reaches_only_what_the_sender_sees_and_never_a_company(make_kernel: Any, engine: str) -> None:
    from modules.marketing.tests.compose_helpers import marketing_kernel

    kernel = marketing_kernel(make_kernel, engine)
    sara, reza = sender(kernel, "sara", scope="own"), sender(kernel, "reza", scope="own")
    mine = person(kernel, "مریم", "احمدی", "+989121000001", sara, title="dr", gender="female")
    no_mobile = person(kernel, "سامان", "نیک", None, sara)
    co = company(kernel, "صنایع البرز", "+989121000003", sara)
    person(kernel, "زهرا", "کریمی", "+989121000004", reza)  # reza's: sara may not see her
    sid = send(kernel, sara, {"kind": "filter", "query": "f_kind=&q=&sort=name"}, body="{name} عزیز، سلام")
    rows = {a or "": (st, r) for a, st, r, _ in messages(kernel, sid)}
    assert rows == {"+989121000001": ("queued", None), "": ("skipped", "شمارهٔ همراه ندارد"),
                    "+989121000003": ("skipped", "شرکت است؛ پیامک برای اشخاص فرستاده می‌شود — کارکنانش را انتخاب کنید")}
    with kernel.sessions() as s:
        from modules.marketing.models import Message

        body = s.scalars(select(Message.body).where(Message.partner_id == mine)).one()
    assert body == "سرکار خانم دکتر مریم احمدی عزیز، سلام"
    assert no_mobile and co
    # The list's own filters: persons only.
    only_persons = send(kernel, sara, {"kind": "filter", "query": "f_kind=person"})
    assert {a for a, *_ in messages(kernel, only_persons)} == {"+989121000001", ""}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_company_alone_is_refused_and_its_personnel_may_be_chosen(make_kernel: Any, engine: str) -> None:
    from modules.marketing.tests.compose_helpers import marketing_kernel

    kernel = marketing_kernel(make_kernel, engine)
    sara = sender(kernel)
    co = company(kernel, "پارس‌تلفن", "+989121000010")
    staff = [person(kernel, "نگار", "امینی", "+989121000011"), person(kernel, "رضا", "محمدی", "+989121000012")]
    person(kernel, "کسی", "دیگر", "+989121000013")
    for p in staff:
        make(kernel, "base.employment", person_id=p, company_id=co, position="کارشناس")
    assert refused(kernel, sara, {"kind": "partner", "id": co}) == {
        "partner_id": "«پارس‌تلفن» شرکت است و پیامک برای اشخاص فرستاده می‌شود؛ به‌جای آن برای کارکنانش بفرستید"}
    assert count_sends(kernel) == (0, 0)
    sid = send(kernel, sara, {"kind": "personnel", "id": co}, cat=REMINDER)
    assert [(a, st) for a, st, *_ in messages(kernel, sid)] == [("+989121000011", "queued"), ("+989121000012", "queued")]


@pytest.mark.parametrize("engine", ENGINES)
def test_opt_outs_hold_for_advertising_only_and_a_mobile_gets_one_message(make_kernel: Any, engine: str) -> None:
    from modules.marketing.tests.compose_helpers import marketing_kernel

    kernel = marketing_kernel(make_kernel, engine)
    sara = sender(kernel)
    group = make(kernel, "base.group", name="مشتریان طلایی")
    sub = make(kernel, "base.group", name="تهران", parent_id=group)
    flagged = person(kernel, "الف", "یک", "+989121000021", group_id=group)
    by_reply = person(kernel, "ب", "دو", "+989121000022", group_id=sub)
    person(kernel, "پ", "سه", "+989121000022", group_id=sub)  # the same mobile on a second partner
    person(kernel, "ت", "چهار", "+989121000024")  # in no group
    with kernel.session() as s:
        s.add_all([OptOut(partner_id=flagged, source="flag"), OptOut(address="+989121000022", source="reply")])
    ads = send(kernel, sara, {"kind": "group", "id": group})
    assert [(a, st, r) for a, st, r, _ in messages(kernel, ads)] == [
        ("+989121000021", "skipped", "از دریافت پیام تبلیغاتی انصراف داده است"),
        ("+989121000022", "skipped", "از دریافت پیام تبلیغاتی انصراف داده است"),
        ("+989121000022", "skipped", "از دریافت پیام تبلیغاتی انصراف داده است")]
    reminder = send(kernel, sara, {"kind": "group", "id": group}, cat=REMINDER)
    assert [(a, st, r) for a, st, r, _ in messages(kernel, reminder)] == [
        ("+989121000021", "queued", None), ("+989121000022", "queued", None),
        ("+989121000022", "skipped", "این شماره پیش‌تر در همین ارسال آمده است")]
    assert by_reply
