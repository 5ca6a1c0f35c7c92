"""FIN-05: the F4 follow-up of a proforma — owner, note, next date (Jalali date and time) ringing
as a kernel reminder for the owner: an alarm in tier 3 (no tasks module) and in the owner's work
queue in tier 4; the date moved or the owner changed moves the one reminder; cancelling needs a
listed reason; converting stops the follow-up; the history stays on the proforma's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.jobs import run_due
from kernel.persian.jalali import format_jalali
from kernel.reminders.models import Alarm, Reminder
from kernel.testing import actor_of, create_user, csrf
from kernel.timezone import local_today, to_utc
from modules.finance.models import CancelReason, FollowUp, Proforma
from modules.finance.services import drafts, issuing
from modules.finance.tests.finance_helpers import PERMS, PROFORMA, world

DOCS = (*PERMS, "finance.proforma.convert")


def _proforma(k: Any, w: dict[str, Any]) -> int:
    with k.session(w["actor"]) as s:
        doc = drafts.create_document(k, s, w["actor"], PROFORMA, {"partner_id": w["customer"],
                                                                    "date": local_today(k.config.timezone)},
                                     [{"product_id": w["carpet"], "quantity": "1"}])
        return int(doc.id)


def _tomorrow(k: Any) -> tuple[str, dt.datetime]:
    day = local_today(k.config.timezone) + dt.timedelta(days=1)
    return format_jalali(day, "fa"), to_utc(dt.datetime.combine(day, dt.time(10, 30)), k.config.timezone)


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("edition", ["tier3", "tier4"])
def test_f4_follow_up_rings_for_its_owner_and_cancelling_needs_a_listed_reason(make_kernel: Any, web_client: Any,
                                                                              edition: str, engine: str) -> None:
    k = make_kernel(edition=edition, engine=engine)
    w = world(k, perms=DOCS)
    reza = create_user(k, "reza", perms=(*PERMS, "tasks.task.view") if edition == "tier4" else PERMS)
    pid = _proforma(k, w)
    c = web_client(k, "sara")
    page = c.get(f"/finance/proforma/{pid}/follow-up")
    assert page.status_code == 200 and 'name="next_date"' in page.text
    jday, at = _tomorrow(k)
    url = f"/finance/proforma/{pid}/follow-up"
    bad = [({"next_date": "۱۴۰۵/۱۳/۰۱"}, "next_date"), ({"next_date": jday, "next_time": "۲۵:۰۰"}, "next_time"),
           ({"next_date": "۱۴۰۰/۰۱/۰۱"}, "next_date"), ({"note": ""}, "note"),
           ({"assignee_id": "999999", "note": "x"}, "assignee_id")]
    for data, field in bad:
        r = c.post(url, data={"csrf": csrf(c), "assignee_id": str(reza), **data}, follow_redirects=False)
        assert r.status_code == 400, (data, r.status_code)
        assert f'data-error-for="{field}"' in r.text, data
    with k.sessions() as s:
        assert s.scalar(select(func.count()).select_from(FollowUp)) == 0
    ok = c.post(url, data={"csrf": csrf(c), "assignee_id": str(reza), "note": "تماس گرفتم، فردا تصمیم می‌گیرد",
                           "next_date": jday, "next_time": "۱۰:۳۰"}, follow_redirects=False)
    assert ok.status_code == 303, ok.text[:2000]
    with k.sessions() as s:
        (rem,) = s.scalars(select(Reminder)).all()
        assert (rem.user_id, rem.first_at, rem.link_resource, rem.link_id) == (reza, at, "finance.proforma", pid)
    # It rings for reza at its time, in every edition.
    run_due(k, now=at + dt.timedelta(minutes=1))
    with k.sessions() as s:
        (alarm,) = s.scalars(select(Alarm)).all()
        assert alarm.user_id == reza and "پیگیری پیش‌فاکتور" in alarm.title
    r = web_client(k, "reza")
    assert "پیگیری پیش‌فاکتور" in r.get("/alarms").text
    if edition == "tier4":
        from modules.tasks.queue import work_queue

        with k.sessions() as s:
            parts = {p.key: p for p in work_queue(k, s, actor_of(k, reza), reza, now=at + dt.timedelta(minutes=2))}
            assert [a.id for a in parts["alarms"].rows] == [alarm.id]
        assert "پیگیری پیش‌فاکتور" in r.get("/tasks/kartable").text
    # A new date for sara moves the one reminder.
    later = format_jalali(local_today(k.config.timezone) + dt.timedelta(days=3), "fa")
    assert c.post(url, data={"csrf": csrf(c), "assignee_id": str(w["uid"]), "note": "دوباره",
                             "next_date": later}, follow_redirects=False).status_code == 303
    with k.sessions() as s:
        (rem,) = s.scalars(select(Reminder)).all()
        assert rem.user_id == w["uid"] and rem.active
    # The history on the proforma's page: each note with its writer.
    doc_page = c.get(f"/finance/proforma/{pid}").text
    assert "تماس گرفتم، فردا تصمیم می‌گیرد" in doc_page and "دوباره" in doc_page and "F4" in doc_page
    # Cancelling: a listed reason or nothing happens.
    cancel = f"/finance/proforma/{pid}/follow-up/cancel"
    for reason in ("", "abc", "999999"):
        r = c.post(cancel, data={"csrf": csrf(c), "reason_id": reason}, follow_redirects=False)
        assert r.status_code == 400 and "علت" in r.text, reason
    with k.sessions() as s:
        assert s.get(Proforma, pid).state == "draft"
        reason = s.scalars(select(CancelReason).order_by(CancelReason.sequence)).first()
        assert reason is not None and reason.name == "مشتری از جای دیگری خرید کرد"
    assert c.get(f"/finance/proforma/{pid}/cancel", follow_redirects=False).headers["location"].endswith(
        f"/finance/proforma/{pid}/follow-up#cancel")
    r = c.post(f"/finance/proforma/{pid}/cancel", data={"csrf": csrf(c), "reason_id": str(reason.id),
                                                        "cancel_note": "قیمت رقیب کمتر بود"}, follow_redirects=False)
    assert r.status_code == 303
    with k.sessions() as s:
        doc = s.get(Proforma, pid)
        assert (doc.state, doc.cancel_reason) == ("cancelled", reason.name)
        assert not s.scalars(select(Reminder)).one().active
    assert c.post(url, data={"csrf": csrf(c), "note": "x"}, follow_redirects=False).status_code == 409


@pytest.mark.parametrize("engine", ENGINES)
def test_converting_ends_the_follow_up_and_the_form_is_scoped(make_kernel: Any, web_client: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = world(k, perms=DOCS)
    pid = _proforma(k, w)
    jday, _ = _tomorrow(k)
    c = web_client(k, "sara")
    assert c.post(f"/finance/proforma/{pid}/follow-up", data={"csrf": csrf(c), "assignee_id": str(w["uid"]),
                                                              "note": "پیگیری", "next_date": jday},
                  follow_redirects=False).status_code == 303
    with k.session(w["actor"]) as s:
        issuing.convert(k, s, w["actor"], pid)
    with k.sessions() as s:
        assert not s.scalars(select(Reminder)).one().active
    # Someone without the edit permission gets no form.
    create_user(k, "viewer", perms=("finance.proforma.view",))
    assert web_client(k, "viewer").get(f"/finance/proforma/{pid}/follow-up").status_code == 403


def test_the_reminder_names_an_issued_proforma_by_its_number_in_persian_digits(make_kernel: Any) -> None:
    """The reminder's title is Persian text shown as it is (alarm tray, work queue, e-mail): the
    proforma's number in it reads ⁦PF-۱۴۰۵-۰۰۰۰۱⁩, not PF-1405-00001 (the browser journey saw it)."""
    from kernel.persian.numbers import format_code
    from modules.finance.services import follow_ups

    k = make_kernel(edition="tier3")
    w = world(k, perms=DOCS)
    pid = _proforma(k, w)
    with k.session(w["actor"]) as s:
        number = issuing.issue_proforma(k, s, w["actor"], pid).number
        follow_ups.record(k, s, w["actor"], pid, assignee_id=w["uid"], note="", next_at=_tomorrow(k)[1])
    with k.sessions() as s:
        title = s.scalars(select(Reminder)).one().title
    assert title == f"پیگیری پیش‌فاکتور {format_code(number, 'fa')}"
    assert not any(ch.isascii() and ch.isdigit() for ch in title), title
