"""Templates and their placeholders (MKT-02): {name} as base addresses a person, first and last
name, mobile, today's Jalali date; another module's placeholder through
``register_marketing_placeholders``; an unknown one refused on the field, naming it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.persian.jalali import format_jalali
from kernel.testing import create_user, csrf
from kernel.timezone import local_today
from modules.marketing.compose import Draft, compose
from modules.marketing.models import Message, Template
from modules.marketing.tests.compose_helpers import (
    ENGINES,
    REMINDER,
    category,
    marketing_kernel,
    person,
    sender,
)

sys.path.insert(0, str(Path(__file__).parent / "support"))


@pytest.mark.parametrize("engine", ENGINES)
def test_an_unknown_placeholder_is_refused_on_the_template_form(make_kernel: Any, web_client: Any,
                                                                engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    create_user(kernel, "sara", perms=("marketing.template.*", "marketing.category.view"))
    c = web_client(kernel, "sara")
    data = {"csrf": csrf(c, "/marketing/template/new"), "name": "یادآوری قسط", "channel": "sms",
            "body": "{name} گرامی، مانده {balance} تا {due_date}"}
    resp = c.post("/marketing/template/new", data=data)
    assert resp.status_code in (400, 422) and "جای‌نگهدار ناشناخته: {balance}" in resp.text
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Template)) == 0
    ok = c.post("/marketing/template/new", data={**data, "body": "{name} گرامی، امروز {today}"},
                follow_redirects=False)
    assert ok.status_code == 303
    with kernel.sessions() as s:
        assert s.scalars(select(Template.body)).one() == "{name} گرامی، امروز {today}"


def test_placeholders_are_filled_per_recipient(make_kernel: Any) -> None:
    kernel = marketing_kernel(make_kernel)
    sara = sender(kernel)
    eng = person(kernel, "علی", "رضایی", "+989121111201", title="eng", gender="male")
    plain = person(kernel, "سامان", "نیک", "+989121111202")
    with kernel.session() as s:
        s.add(Template(name="سلام", channel="sms", body="{name}، {first_name}/{last_name} {mobile} — {today}"))
    with kernel.sessions() as s:
        template = s.scalars(select(Template.id)).one()
    with kernel.session(sara) as s:
        compose(kernel, s, sara, Draft({"kind": "filter", "query": "f_kind=person"}, category(kernel, REMINDER),
                                       template_id=template))
    today = format_jalali(local_today())
    with kernel.sessions() as s:
        bodies = {pid: body for pid, body in s.execute(select(Message.partner_id, Message.body))}
    assert bodies[eng] == f"جناب آقای مهندس علی رضایی، علی/رضایی ۰۹۱۲ ۱۱۱ ۱۲۰۱ — {today}"
    assert bodies[plain] == f"سامان نیک، سامان/نیک ۰۹۱۲ ۱۱۱ ۱۲۰۲ — {today}"


def test_another_module_adds_a_placeholder_through_the_marketing_hook(make_kernel: Any) -> None:
    from peyvand_mkt_ledger.hooks import BALANCES

    kernel = make_kernel(edition="tier1", modules=("marketing", "mkt_ledger"), packages=("peyvand_mkt_ledger",))
    sara = sender(kernel)
    ali = person(kernel, "علی", "رضایی", "+989121111201")
    BALANCES[ali] = 12_500_000
    with kernel.session(sara) as s:
        compose(kernel, s, sara, Draft({"kind": "partner", "id": ali}, category(kernel, REMINDER),
                                       "مانده حساب شما {balance_words} است"))
    with kernel.sessions() as s:
        assert s.scalars(select(Message.body)).one() == "مانده حساب شما دوازده میلیون و پانصد هزار ریال است"
    # Without that module the same text is refused, naming the placeholder.
    bare = marketing_kernel(make_kernel)
    page_user = sender(bare, "reza")
    from kernel.records import FormErrors

    with pytest.raises(FormErrors) as caught, bare.session(page_user) as s:
        compose(bare, s, page_user, Draft({"kind": "range", "start": "09121111200", "end": "09121111200"},
                                          category(bare, REMINDER), "مانده {balance_words}"))
    error = caught.value.errors["body"]
    assert bare.t("fa", error.msgid, **error.params).startswith("جای‌نگهدار ناشناخته: {balance_words}")
