"""Occasion messages (MKT-06): each day the occasions job makes, for each rule whose day and hour
have come, one pending batch with the text each recipient will get; a user with the approve
permission previews and approves it (→ the outbox → the local fake panel) or rejects it; a rule
may send without approval. Never twice for one rule and day: the job run again, or two workers
racing. Birthdays on 30 Esfand are greeted on a 29-day Esfand's last day."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import utcnow
from kernel.jobs import run_due
from kernel.persian.jalali import jalali_to_date
from kernel.testing import csrf, jalali_at
from modules.marketing.models import OccasionRule, OccasionRun
from modules.marketing.occasions import batches
from modules.marketing.occasions.job import run_rule
from modules.marketing.testing import add_panel
from modules.marketing.tests.compose_helpers import ENGINES, company, marketing_kernel, person
from modules.marketing.tests.occasions_helpers import manager, rule, run_job, sends, texts

BIRTH_DAY = (9, 16)  # 16 Azar: "today" of these tests is 16 Azar 1405


def born(month: int, day: int, year: int = 1370) -> Any:
    return jalali_to_date(year, month, day)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_birthday_batch_waits_for_approval_then_goes_out_once(make_kernel: Any, web_client: Any, engine: str,
                                                                fake_panel: Any) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    add_panel(kernel, fake_panel)
    nasrin = manager(kernel)
    person(kernel, "مریم", "احمدی", "+989121000001", gender="female", birthday=born(*BIRTH_DAY))
    person(kernel, "علی", "رضایی", "+989121000002", gender="male", title="eng", birthday=born(*BIRTH_DAY, 1365))
    person(kernel, "سارا", "نیکو", None, gender="female", birthday=born(*BIRTH_DAY))  # no mobile: skipped
    person(kernel, "رضا", "کاظمی", "+989121000004", birthday=born(9, 17))  # tomorrow
    company(kernel, "صنایع البرز", "+989121000005")
    rule(kernel, nasrin, "birthday")

    run_job(kernel, jalali_at(1405, 9, 16, 8, 30))  # before the rule's hour: nothing
    assert sends(kernel) == []
    run_job(kernel, jalali_at(1405, 9, 16, 9, 5))
    run_job(kernel, jalali_at(1405, 9, 16, 15))  # again the same day: nothing twice
    [(sid, state, label)] = sends(kernel)
    assert (state, label) == ("pending", "تبریک birthday — ۱۴۰۵/۰۹/۱۶")
    assert texts(kernel, sid) == [
        ("+989121000001", "pending", None, "سرکار خانم مریم احمدی، زادروزتان خجسته باد"),
        ("+989121000002", "pending", None, "جناب آقای مهندس علی رضایی، زادروزتان خجسته باد"),
        ("", "skipped", "شمارهٔ همراه ندارد", "{name}، زادروزتان خجسته باد"),
    ]
    run_due(kernel, now=utcnow())  # a pending batch is not in the outbox
    assert fake_panel.state.sends_per_mobile == {}

    c = web_client(kernel, "nasrin")
    page = c.get(f"/marketing/occasions/batch/{sid}")
    assert page.status_code == 200
    assert 'data-count="to_send">۲<' in page.text and "شمارهٔ همراه ندارد: ۱" in page.text
    assert "جناب آقای مهندس علی رضایی، زادروزتان خجسته باد" in page.text
    assert c.get("/marketing/occasions/pending").text.count("data-pending=") == 1
    token = csrf(c, f"/marketing/occasions/batch/{sid}")
    approved = c.post(f"/marketing/occasions/batch/{sid}/approve", data={"csrf": token}, follow_redirects=False)
    assert approved.status_code == 303
    again = c.post(f"/marketing/occasions/batch/{sid}/approve", data={"csrf": token})
    assert again.status_code == 409 and "این دسته دیگر در انتظار تأیید نیست" in again.text
    run_due(kernel, now=utcnow())
    run_due(kernel, now=utcnow() + dt.timedelta(minutes=2))  # the delivery reports polled
    assert [st for _, st, _, _ in texts(kernel, sid)] == ["delivered", "delivered", "skipped"]
    assert fake_panel.state.sends_per_mobile == {"09121000001": 1, "09121000002": 1}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rejected_batch_sends_nothing_and_approval_needs_its_permission(make_kernel: Any, web_client: Any,
                                                                         engine: str, fake_panel: Any) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    add_panel(kernel, fake_panel)
    nasrin = manager(kernel)
    manager(kernel, "kaveh", perms=("marketing.send.view", "marketing.occasion_rule.view"))
    person(kernel, "مریم", "احمدی", "+989121000001", birthday=born(*BIRTH_DAY))
    rule(kernel, nasrin, "birthday")
    run_job(kernel, jalali_at(1405, 9, 16, 10))
    [(sid, _, _)] = sends(kernel)
    kaveh = web_client(kernel, "kaveh")
    seen = kaveh.get(f"/marketing/occasions/batch/{sid}")
    assert seen.status_code == 200 and "مریم احمدی، زادروزتان خجسته باد" in seen.text
    assert f"/marketing/occasions/batch/{sid}/approve" not in seen.text  # no buttons without the permission
    denied = kaveh.post(f"/marketing/occasions/batch/{sid}/approve",
                        data={"csrf": csrf(kaveh, f"/marketing/occasions/batch/{sid}")})
    assert denied.status_code == 403
    with kernel.session(nasrin) as s:
        batches.reject(kernel, s, nasrin, sid)
    run_due(kernel, now=utcnow())
    assert sends(kernel)[0][1] == "cancelled"
    assert texts(kernel, sid) == [("+989121000001", "skipped", "در تأیید رد شد", "مریم احمدی، زادروزتان خجسته باد")]
    assert fake_panel.state.sends_per_mobile == {}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rule_without_approval_queues_by_itself(make_kernel: Any, engine: str, fake_panel: Any) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    add_panel(kernel, fake_panel)
    nasrin = manager(kernel)
    person(kernel, "مریم", "احمدی", "+989121000001", marriage_date=jalali_to_date(1398, 9, 16))
    person(kernel, "علی", "رضایی", "+989121000002", birthday=born(*BIRTH_DAY))  # a birthday, not a wedding
    rule(kernel, nasrin, "marriage", body="{first_name} گرامی، سالگرد ازدواجتان مبارک", auto_send=True)
    run_job(kernel, jalali_at(1405, 9, 16, 9))
    [(sid, state, _)] = sends(kernel)
    assert state == "queued"
    run_due(kernel, now=utcnow())
    run_due(kernel, now=utcnow())
    assert fake_panel.state.sends_per_mobile == {"09121000001": 1}
    assert texts(kernel, sid)[0][3] == "مریم گرامی، سالگرد ازدواجتان مبارک"


@pytest.mark.parametrize("engine", ENGINES)
def test_two_workers_racing_make_one_batch(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    nasrin = manager(kernel)
    for i in range(20):
        person(kernel, "مهمان", f"شمارهٔ {i}", f"+98912100{i:04d}", birthday=born(*BIRTH_DAY))
    rid = rule(kernel, nasrin, "birthday")
    day, now = jalali_to_date(1405, 9, 16), jalali_at(1405, 9, 16, 9, 30)
    start = threading.Barrier(2)
    made: list[Any] = []
    failed: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            with kernel.session() as s:
                got = s.get(OccasionRule, rid)
                assert got is not None
                send = run_rule(kernel, s, got, day, now)
                made.append(send.id if send is not None else None)
        except BaseException as exc:  # reported by the test below, not lost in the thread
            failed.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failed == []
    assert sorted(m is None for m in made) == [False, True]
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(OccasionRun)) == 1
    assert len(sends(kernel)) == 1 and len(texts(kernel, sends(kernel)[0][0])) == 20


@pytest.mark.parametrize("engine", ENGINES)
def test_a_30_esfand_birthday_is_greeted_on_the_last_day_of_a_29_day_esfand(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    nasrin = manager(kernel)
    person(kernel, "نوروز", "پیشواز", "+989121000001", birthday=jalali_to_date(1399, 12, 30))
    person(kernel, "اسفند", "آخر", "+989121000002", birthday=jalali_to_date(1400, 12, 29))
    rule(kernel, nasrin, "birthday", body="{first_name} گرامی، زادروزتان خجسته")
    run_job(kernel, jalali_at(1404, 12, 29, 10))  # 1404 is not a leap year: both on 29 Esfand
    run_job(kernel, jalali_at(1403, 12, 29, 10))  # 1403 is: each on their own day
    run_job(kernel, jalali_at(1403, 12, 30, 10))
    got = {label: sorted(b for _, _, _, b in texts(kernel, sid)) for sid, _, label in sends(kernel)}
    assert got == {
        "تبریک birthday — ۱۴۰۴/۱۲/۲۹": ["اسفند گرامی، زادروزتان خجسته", "نوروز گرامی، زادروزتان خجسته"],
        "تبریک birthday — ۱۴۰۳/۱۲/۲۹": ["اسفند گرامی، زادروزتان خجسته"],
        "تبریک birthday — ۱۴۰۳/۱۲/۳۰": ["نوروز گرامی، زادروزتان خجسته"],
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_a_greeting_reaches_who_opted_out_of_advertising_an_advertising_rule_does_not(make_kernel: Any,
                                                                                     engine: str) -> None:
    from modules.marketing.models import OptOut
    from modules.marketing.tests.compose_helpers import ADS, category

    kernel = marketing_kernel(make_kernel, engine)
    nasrin = manager(kernel)
    maryam = person(kernel, "مریم", "احمدی", "+989121000001", birthday=born(*BIRTH_DAY))
    with kernel.session() as s:
        s.add(OptOut(partner_id=maryam, source="reply"))  # «لغو۱۱»: every advertising category
    rule(kernel, nasrin, "birthday", body="{first_name} گرامی، زادروزتان خجسته", name="تبریک")
    rule(kernel, nasrin, "birthday", body="{first_name}، هدیهٔ زادروز: ۲۰٪ تخفیف", name="حراج زادروز",
         category_id=category(kernel, ADS))
    run_job(kernel, jalali_at(1405, 9, 16, 9, 30))
    got = {label: texts(kernel, sid) for sid, _, label in sends(kernel)}
    assert got["تبریک — ۱۴۰۵/۰۹/۱۶"] == [("+989121000001", "pending", None, "مریم گرامی، زادروزتان خجسته")]
    assert got["حراج زادروز — ۱۴۰۵/۰۹/۱۶"] == [("+989121000001", "skipped", "از دریافت پیام تبلیغاتی انصراف داده است",
                                               "{first_name}، هدیهٔ زادروز: ۲۰٪ تخفیف")]
