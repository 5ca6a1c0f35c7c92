"""Promotion and move (BASE-04) keep earlier communications' positions; letters are addressed
to a company's liaison or a person's title and name (BASE-03)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel import InputError, PermissionDenied, records, security
from kernel.actor import SYSTEM
from kernel.testing import create_user, csrf
from kernel.web.app import build_app
from modules.base.models import Communication, Employment
from modules.base.services.addressee import Addressee, addressee
from modules.base.services.positions import change_position, current_jobs


def make(kernel: Any, resource: str, actor: Any = SYSTEM, **values: Any) -> int:
    with kernel.session(actor) as s:
        return int(records.create_record(kernel, s, actor, kernel.resources[resource], values).id)


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel()


@pytest.fixture
def admin(kernel: Any, login_as: Any) -> Any:
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel)) as c:
        yield login_as(c, "admin")


def jobs(kernel: Any, person: int) -> list[tuple[int, str | None, dt.date | None, dt.date | None]]:
    with kernel.sessions() as s:
        rows = s.scalars(select(Employment).where(Employment.person_id == person).order_by(Employment.id))
        return [(e.company_id, e.position, e.started_on, e.ended_on) for e in rows]


def log_call(client: Any, company: int, person: int, subject: str, when: str) -> None:
    data = {"partner_id": str(company), "contact_id": str(person), "kind": "call", "direction": "out",
            "subject": subject, "started_at": when, "csrf": csrf(client, "/base/communication/new")}
    resp = client.post("/base/communication/new", data=data, follow_redirects=False)
    assert resp.status_code == 303, resp.text[:2000]


def test_promotion_keeps_the_earlier_calls_position(kernel: Any, admin: Any) -> None:
    co = make(kernel, "base.partner", kind="company", name="پارس‌تلفن")
    person = make(kernel, "base.partner", kind="person", title="eng", first_name="مریم", last_name="کاظمی")
    make(kernel, "base.employment", person_id=person, company_id=co, position="کارشناس فروش",
         department="فروش", started_on=dt.date(2024, 3, 20))
    log_call(admin, co, person, "تماس پیش از ارتقا", "۱۴۰۴/۰۱/۱۵ ۱۰:۳۰")
    # Promoted on 1 Mehr 1404, through the form on the person's profile.
    url = f"/base/partner/{person}/profile"
    page = admin.get(url).text
    assert f'action="/base/partner/{person}/position"' in page
    resp = admin.post(f"/base/partner/{person}/position", follow_redirects=False, data={
        "csrf": csrf(admin, url), "company_id": str(co), "position": "مدیر فروش", "department": "فروش",
        "is_liaison": "1", "on_date": "۱۴۰۴/۰۷/۰۱"})
    assert resp.status_code == 303 and resp.headers["location"].startswith(url)
    log_call(admin, co, person, "تماس پس از ارتقا", "۱۴۰۴/۰۷/۱۰ ۰۹:۰۰")
    promoted = dt.date(2025, 9, 23)  # ۱۴۰۴/۰۷/۰۱
    assert jobs(kernel, person) == [(co, "کارشناس فروش", dt.date(2024, 3, 20), promoted),
                                    (co, "مدیر فروش", promoted, None)]
    with kernel.sessions() as s:
        calls = {c.subject: c for c in s.scalars(select(Communication))}
        old_job, new_job = s.scalars(select(Employment.id).order_by(Employment.id)).all()
    assert calls["تماس پیش از ارتقا"].employment_id == old_job
    assert calls["تماس پیش از ارتقا"].contact_position == "کارشناس فروش — فروش — پارس‌تلفن"
    assert calls["تماس پس از ارتقا"].employment_id == new_job
    # Both profiles show the first call under the old position and the second under the new one.
    for profile in (url, f"/base/partner/{co}/profile"):
        html = admin.get(profile).text
        rows = re.findall(r"<tr><td>.*?</tr>", html, re.S)
        before = next(r for r in rows if "تماس پیش از ارتقا" in r)
        after = next(r for r in rows if "تماس پس از ارتقا" in r)
        assert "کارشناس فروش — فروش" in before and "مدیر فروش" not in before
        assert "مدیر فروش — فروش" in after
    career = re.search(r'<ol class="career">.*?</ol>', admin.get(url).text, re.S)
    assert career and career.group(0).index("کارشناس فروش") < career.group(0).index("مدیر فروش")


def test_move_to_another_company_ends_every_open_position(kernel: Any) -> None:
    a = make(kernel, "base.partner", kind="company", name="الف")
    b = make(kernel, "base.partner", kind="company", name="ب")
    person = make(kernel, "base.partner", kind="person", first_name="رضا", last_name="نوری")
    make(kernel, "base.employment", person_id=person, company_id=a, position="مدیر", started_on=dt.date(2020, 1, 1))
    with kernel.session() as s:
        change_position(s, SYSTEM, person, b, "مدیرعامل", None, False, dt.date(2025, 1, 1), kernel=kernel)
    assert jobs(kernel, person) == [(a, "مدیر", dt.date(2020, 1, 1), dt.date(2025, 1, 1)),
                                    (b, "مدیرعامل", dt.date(2025, 1, 1), None)]
    with kernel.sessions() as s:
        assert [j.company_id for j in current_jobs(s, person)] == [b]


def test_position_change_is_checked(kernel: Any) -> None:
    co = make(kernel, "base.partner", kind="company", name="الف")
    person = make(kernel, "base.partner", kind="person", first_name="رضا", last_name="نوری")
    make(kernel, "base.employment", person_id=person, company_id=co, position="مدیر", started_on=dt.date(2024, 1, 1))
    cases = [
        ((person, co, "مدیرعامل", dt.date(2023, 1, 1)), "The new position cannot start before the current one did"),
        ((co, co, "مدیرعامل", dt.date(2025, 1, 1)), "Only a person can hold a position"),
        ((person, person, "مدیرعامل", dt.date(2025, 1, 1)), "A position is held at a company"),
        ((person, co, "  ", dt.date(2025, 1, 1)), "Enter the position"),
    ]
    for (pid, cid, position, on), msgid in cases:
        with pytest.raises(InputError) as err, kernel.session() as s:
            change_position(s, SYSTEM, pid, cid, position, None, False, on, kernel=kernel)
        assert err.value.msgid == msgid
    assert len(jobs(kernel, person)) == 1
    uid = create_user(kernel, "viewer", perms=("base.partner.view", "base.employment.view"))
    with kernel.sessions() as s:
        viewer = security.load_actor(s, uid)
    assert viewer is not None
    with pytest.raises(PermissionDenied), kernel.session() as s:
        change_position(s, viewer, person, co, "مدیرعامل", None, False, dt.date(2025, 1, 1), kernel=kernel)


def test_position_form_needs_permission_and_csrf_and_reports_errors(kernel: Any, login_as: Any) -> None:
    create_user(kernel, "admin", admin=True)
    create_user(kernel, "viewer", perms=("base.partner.view", "base.employment.view"))
    co = make(kernel, "base.partner", kind="company", name="الف")
    person = make(kernel, "base.partner", kind="person", first_name="رضا", last_name="نوری")
    make(kernel, "base.employment", person_id=person, company_id=co, position="مدیر", started_on=dt.date(2024, 1, 1))
    form = {"person_id": str(person), "position": "مدیرعامل", "on_date": "۱۴۰۴/۰۱/۰۱"}
    with TestClient(build_app(kernel)) as c:
        viewer = login_as(c, "viewer")
        page = viewer.get(f"/base/partner/{co}/profile").text
        assert "/position" not in page and "مدیر" in page
        token = csrf(viewer, f"/base/partner/{co}/profile")
        assert viewer.post(f"/base/partner/{co}/position", data={**form, "csrf": token}).status_code == 403
    with TestClient(build_app(kernel)) as c:
        admin = login_as(c, "admin")
        assert admin.post(f"/base/partner/{co}/position", data=form).status_code == 403  # no CSRF token
        token = csrf(admin, f"/base/partner/{co}/profile")
        page = admin.post(f"/base/partner/{co}/position", data={**form, "csrf": token, "on_date": "۱۴۰۴/۱۳/۰۱"}).text
        assert "ماه باید بین ۱ و ۱۲ باشد" in page
        assert len(jobs(kernel, person)) == 1
        # From the company's profile: a person among its personnel.
        admin.post(f"/base/partner/{co}/position", data={**form, "csrf": token})
    assert [j[1] for j in jobs(kernel, person)] == ["مدیر", "مدیرعامل"]
    assert jobs(kernel, person)[0][3] == dt.date(2025, 3, 21)


# -- letters' addressee -------------------------------------------------------------------------
def test_person_is_addressed_by_salutation_title_and_name(kernel: Any) -> None:
    eng = make(kernel, "base.partner", kind="person", title="eng", gender="male", first_name="علی", last_name="رضایی")
    dr = make(kernel, "base.partner", kind="person", title="dr", gender="female", first_name="مریم", last_name="احمدی")
    mrs = make(kernel, "base.partner", kind="person", title="mrs", first_name="زهرا", last_name="کریمی")
    plain = make(kernel, "base.partner", kind="person", first_name="سامان", last_name="نیک")
    with kernel.sessions() as s:
        assert addressee(s, eng) == Addressee("جناب آقای مهندس علی رضایی", "", "")
        assert addressee(s, dr) == Addressee("سرکار خانم دکتر مریم احمدی", "", "")
        assert addressee(s, mrs).name_line == "سرکار خانم زهرا کریمی"
        assert addressee(s, plain).name_line == "سامان نیک"
        assert addressee(s, eng, lang="en").name_line == "Eng. علی رضایی"
        assert addressee(s, mrs, lang="en").name_line == "Mrs. زهرا کریمی"


def test_company_is_addressed_to_its_current_liaison(kernel: Any) -> None:
    co = make(kernel, "base.partner", kind="company", name="شرکت پارس‌تلفن")
    boss = make(kernel, "base.partner", kind="person", title="dr", gender="male", first_name="حسن", last_name="تهرانی")
    clerk = make(kernel, "base.partner", kind="person", gender="female", first_name="نگار", last_name="امینی")
    make(kernel, "base.employment", person_id=clerk, company_id=co, position="کارشناس", is_liaison=False)
    make(kernel, "base.employment", person_id=boss, company_id=co, position="مدیر بازرگانی", is_liaison=True,
         started_on=dt.date(2024, 1, 1))
    with kernel.sessions() as s:
        got = addressee(s, co)
    assert got == Addressee("جناب آقای دکتر حسن تهرانی", "مدیر بازرگانی محترم", "شرکت پارس‌تلفن")
    assert got.lines == ["جناب آقای دکتر حسن تهرانی", "مدیر بازرگانی محترم", "شرکت پارس‌تلفن"]
    # Promoted away from liaison duty: the letter goes to the new liaison.
    with kernel.session() as s:
        change_position(s, SYSTEM, boss, co, "مدیرعامل", None, False, dt.date(2025, 1, 1), kernel=kernel)
        change_position(s, SYSTEM, clerk, co, "مسئول ارتباطات", None, True, dt.date(2025, 1, 1), kernel=kernel)
    with kernel.sessions() as s:
        assert addressee(s, co) == Addressee("سرکار خانم نگار امینی", "مسئول ارتباطات محترم", "شرکت پارس‌تلفن")


def test_company_without_liaison_goes_to_its_management(kernel: Any) -> None:
    co = make(kernel, "base.partner", kind="company", name="صنایع البرز")
    former = make(kernel, "base.partner", kind="person", first_name="سابق", last_name="رابط")
    make(kernel, "base.employment", person_id=former, company_id=co, position="رابط", is_liaison=True,
         started_on=dt.date(2020, 1, 1), ended_on=dt.date(2022, 1, 1))
    with kernel.sessions() as s:
        got = addressee(s, co)
        assert got == Addressee("مدیریت محترم صنایع البرز", "", "صنایع البرز")
        assert got.lines == ["مدیریت محترم صنایع البرز"]
        assert addressee(s, co, lang="en").name_line == "The management of صنایع البرز"


def test_a_call_moved_to_another_contact_takes_their_position_and_an_edit_keeps_it(kernel: Any) -> None:
    co = make(kernel, "base.partner", kind="company", name="پارس‌تلفن")
    maryam = make(kernel, "base.partner", kind="person", first_name="مریم", last_name="کاظمی")
    reza = make(kernel, "base.partner", kind="person", first_name="رضا", last_name="احمدی")
    make(kernel, "base.employment", person_id=maryam, company_id=co, position="کارشناس فروش",
         started_on=dt.date(2024, 3, 20))
    make(kernel, "base.employment", person_id=reza, company_id=co, position="مدیر خرید",
         started_on=dt.date(2024, 3, 20))
    call = make(kernel, "base.communication", partner_id=co, contact_id=maryam, kind="call", direction="out",
                subject="پیگیری", started_at=dt.datetime(2025, 4, 1, 7, 0))
    res = kernel.resources["base.communication"]

    def position() -> str | None:
        with kernel.sessions() as s:
            found = s.get(Communication, call)
            assert found is not None
            return found.contact_position

    assert position() == "کارشناس فروش — پارس‌تلفن"
    with kernel.session(SYSTEM) as s:
        records.update_record(kernel, s, SYSTEM, res, call, {"contact_id": reza})
    assert position() == "مدیر خرید — پارس‌تلفن"
    # Reza is promoted later; fixing the old call's subject keeps the position it had.
    with kernel.session(SYSTEM) as s:
        job = s.scalars(select(Employment).where(Employment.person_id == reza)).one()
        job.position = "مدیر بازرگانی"
    with kernel.session(SYSTEM) as s:
        records.update_record(kernel, s, SYSTEM, res, call, {"subject": "پیگیری سفارش"})
    assert position() == "مدیر خرید — پارس‌تلفن"
    with kernel.session(SYSTEM) as s:
        records.update_record(kernel, s, SYSTEM, res, call, {"contact_id": None})
    assert position() is None


def test_a_companys_personnel_are_in_persian_alphabetical_order(kernel: Any) -> None:
    """گ before ل, چ before ل: code-point order put them after و (issue 10)."""
    from modules.base.services.positions import personnel

    co = make(kernel, "base.partner", kind="company", name="شرکت پارس‌تلفن")
    for first in ("وحید", "لادن", "گلناز", "چنگیز", "احمد"):
        person = make(kernel, "base.partner", kind="person", first_name=first, last_name="رضایی")
        make(kernel, "base.employment", person_id=person, company_id=co, position="کارشناس")
    with kernel.sessions() as s:
        current, _ = personnel(kernel, s, SYSTEM, co)
    assert [name for _job, name in current] == ["احمد رضایی", "چنگیز رضایی", "گلناز رضایی", "لادن رضایی", "وحید رضایی"]
