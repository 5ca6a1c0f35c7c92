"""The campaign's pages (MKT-01), in Persian: "Create a campaign for this list" on a filtered
partner list fills the new campaign's targets; the form refuses bad dates and, once submitted,
a new budget, on the field; approving without the permission is a 403 with the reason; a step of
an unapproved campaign does not run; the campaign page shows its state, steps and totals, and
the targets page each target's delivery state, where a response is set."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from kernel.jobs import run_due
from kernel.testing import csrf, jalali_at
from modules.marketing.models import Campaign, Send
from modules.marketing.testing import add_panel
from modules.marketing.tests.campaigns_helpers import ENGINES, campaign, jdate, sms_step, targets, world
from modules.marketing.tests.compose_helpers import marketing_kernel

FORM = {"name": "جشنواره زمستانه", "goal": "معرفی کالاهای نو", "target_query": "f_kind=person",
        "start_on": "۱۴۰۵/۰۹/۲۰", "end_on": "۱۴۰۵/۱۰/۲۰", "budget": "۵٬۰۰۰٬۰۰۰", "manual_cost": ""}


@pytest.mark.parametrize("engine", ENGINES)
def test_from_the_partner_list_to_a_refused_and_then_saved_campaign(make_kernel: Any, engine: str,
                                                                    web_client: Any) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    world(kernel)
    mina = web_client(kernel, "mina")
    page = mina.get("/base/partner/?f_kind=person&q=رضایی")
    link = next(a for a in page.text.split('href="')[1:] if "data-campaign-list" in a.split(">")[0])
    url = link.split('"')[0].replace("&amp;", "&")
    assert "طرح بازاریابی برای این فهرست" in page.text
    assert parse_qs(urlparse(url).query)["target_query"] == ["f_kind=person&q=%D8%B1%D8%B6%D8%A7%DB%8C%DB%8C"]
    assert "f_kind=person" in mina.get(url).text  # the new campaign's form, its targets filled

    token = csrf(mina, "/marketing/campaign/new")
    bad = mina.post("/marketing/campaign/new", data={**FORM, "end_on": "۱۴۰۵/۰۹/۰۱", "csrf": token})
    assert bad.status_code == 400 and "پایان طرح پیش از آغاز آن است" in bad.text
    negative = mina.post("/marketing/campaign/new", data={**FORM, "budget": "-۱۰۰۰", "csrf": token})
    assert negative.status_code == 400 and "مبلغ نمی‌تواند منفی باشد" in negative.text
    with kernel.sessions() as s:
        assert s.scalars(select(Campaign)).all() == []
    saved = mina.post("/marketing/campaign/new", data={**FORM, "csrf": token}, follow_redirects=False)
    assert saved.status_code == 303
    with kernel.sessions() as s:
        c = s.scalars(select(Campaign)).one()
        assert (c.name, c.budget, c.state, c.start_on) == ("جشنواره زمستانه", 5_000_000, "draft", jdate(1405, 9, 20))


@pytest.mark.parametrize("engine", ENGINES)
def test_submit_approve_run_and_track_through_the_pages(make_kernel: Any, engine: str, web_client: Any,
                                                        fake_panel: Any) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    add_panel(kernel, fake_panel)
    w = world(kernel)
    cid = campaign(w)
    sid = sms_step(w, cid, jdate(1405, 9, 25))
    mina, reza = web_client(kernel, "mina"), web_client(kernel, "reza")
    token = csrf(mina, f"/marketing/campaign/{cid}")
    early = mina.post(f"/marketing/campaign_step/{sid}/run", data={"csrf": token})
    assert early.status_code == 400 and "مرحله تنها وقتی اجرا می‌شود که طرح آن تأیید شده باشد" in early.text
    assert mina.post(f"/marketing/campaign/{cid}/submit", data={"csrf": token}).status_code == 200
    page = mina.get(f"/marketing/campaign/{cid}").text
    assert "فرستاده برای تأیید" in page and "فهرست مخاطبان اکنون ۲ شخص دارد." in page
    assert 'data-move="approve"' not in page  # the marketer has no approve button …
    denied = mina.post(f"/marketing/campaign/{cid}/approve", data={"csrf": token})
    assert denied.status_code == 403  # … nor may post it
    edit = mina.post(f"/marketing/campaign/{cid}/edit", data={**FORM, "budget": "۹٬۰۰۰٬۰۰۰", "csrf": token})
    assert edit.status_code == 400 and "مخاطبان و بودجهٔ آن دیگر تغییر نمی‌کند" in edit.text

    manager_page = reza.get(f"/marketing/campaign/{cid}").text
    assert 'data-move="approve"' in manager_page and 'data-move="reject"' in manager_page
    ok = reza.post(f"/marketing/campaign/{cid}/approve", data={"csrf": csrf(reza, f"/marketing/campaign/{cid}")})
    assert ok.status_code == 200 and "طرح تأیید شد." in ok.text
    assert mina.post(f"/marketing/campaign_step/{sid}/run", data={"csrf": token}).status_code == 200
    for minute in (0, 10, 20):  # the panel's delivery reports come in
        run_due(kernel, now=jalali_at(1405, 9, 25, 10, minute))
    with kernel.sessions() as s:
        assert len(s.scalars(select(Send)).all()) == 1

    board = mina.get(f"/marketing/campaign/{cid}/targets")
    assert board.status_code == 200
    assert board.text.count('data-got="delivered"') == 2 and "رسیده" in board.text
    assert 'data-total="reached">۲<' in board.text and 'data-total="targets">۲<' in board.text
    target = targets(kernel, cid)[w.ali].id
    answered = mina.post(f"/marketing/campaign/{cid}/targets/{target}/response",
                         data={"csrf": token, "response": "interested", "note": "قیمت خواست"}, follow_redirects=False)
    assert answered.status_code == 303
    wrong = mina.post(f"/marketing/campaign/{cid}/targets/{target}/response",
                      data={"csrf": token, "response": "maybe"})
    assert wrong.status_code == 400 and "یکی از گزینه‌های فهرست را انتخاب کنید" in wrong.text
    assert (targets(kernel, cid)[w.ali].response, targets(kernel, cid)[w.ali].response_note) == (
        "interested", "قیمت خواست")
    assert 'data-total="responded">۱<' in mina.get(f"/marketing/campaign/{cid}").text
