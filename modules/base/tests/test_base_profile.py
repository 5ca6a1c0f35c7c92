"""The 360° profile (BASE-11): identity, roles (BASE-05), contacts, addresses, personnel and
career (BASE-03), communications with their frozen positions, attachments, history, and the
slot later modules fill; all inside the record scope, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from markupsafe import Markup
from sqlalchemy import event, select
from starlette.testclient import TestClient

from kernel import hookimpl, records
from kernel.testing import actor_of, create_user, csrf
from kernel.web.app import build_app
from modules.base.models import Employment, PartnerRole, RoleKind


def section(html: str, name: str) -> str:
    """One panel of the profile (the page's head carries other modules' scripts and texts)."""
    found = re.search(rf'<section class="panel {name}".*?</section>', html, re.S)
    assert found, name
    return found.group(0)



def make(kernel: Any, actor: Any, resource: str, **values: Any) -> int:
    with kernel.session(actor) as s:
        return int(records.create_record(kernel, s, actor, kernel.resources[resource], values).id)


def company_with_staff(kernel: Any, actor: Any, staff: int = 2, calls: int = 2) -> dict[str, Any]:
    """A company with ``staff`` current personnel (the first the liaison), one former, numbers,
    an address and ``calls`` communications."""
    co = make(kernel, actor, "base.partner", kind="company", name="پارس‌تلفن", economic_code="411111111111")
    people = []
    for i in range(staff):
        pid = make(kernel, actor, "base.partner", kind="person", first_name=f"کارمند{i}", last_name="احمدی")
        make(kernel, actor, "base.employment", person_id=pid, company_id=co, position=f"سمت{i}",
             department="فروش", is_liaison=i == 0, started_on=dt.date(2024, 1, 1))
        people.append(pid)
    gone = make(kernel, actor, "base.partner", kind="person", first_name="رفته", last_name="رفتگان")
    make(kernel, actor, "base.employment", person_id=gone, company_id=co, position="حسابدار",
         started_on=dt.date(2020, 1, 1), ended_on=dt.date(2023, 1, 1))
    make(kernel, actor, "base.contact", partner_id=co, kind="phone", value="02188776655")
    make(kernel, actor, "base.address", partner_id=co, purpose="head_office", street="خیابان ولیعصر، پلاک ۱۲")
    for i in range(calls):
        make(kernel, actor, "base.communication", partner_id=co, contact_id=people[0], kind="call",
             subject=f"تماس شمارهٔ {i}", started_at=dt.datetime(2025, 1, 1, 8, 0) + dt.timedelta(hours=i))
    return {"company": co, "people": people, "former": gone}


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel()


@pytest.fixture
def admin(kernel: Any, login_as: Any) -> Any:
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel)) as c:
        yield login_as(c, "admin")


def admin_actor(kernel: Any) -> Any:
    with kernel.sessions() as s:
        from kernel.models import User

        uid = s.scalars(select(User.id).where(User.username == "admin")).one()
    return actor_of(kernel, uid)


def test_company_profile_shows_everything_linked(kernel: Any, admin: Any) -> None:
    data = company_with_staff(kernel, admin_actor(kernel))
    co = data["company"]
    html = admin.get(f"/base/partner/{co}/profile").text
    assert f'data-partner-id="{co}"' in html  # F9 reads it
    assert "پارس‌تلفن" in html and "۴۱۱۱۱۱۱۱۱۱۱۱" in html  # identity, Persian digits as on the detail page
    identity = section(html, "profile-identity")
    assert "کد اقتصادی" in identity and "نام خانوادگی" not in identity  # the company's fields only
    assert "۰۲۱ ۸۸۷۷ ۶۶۵۵" in html and "خیابان ولیعصر" in html
    assert f"/base/contact/new?partner_id={co}" in html and f"/base/address/new?partner_id={co}" in html
    # Personnel: the liaison marked, the former one greyed.
    liaison_row = re.search(r'<tr class="position-current liaison">.*?</tr>', html, re.S)
    assert liaison_row and "کارمند0 احمدی" in liaison_row.group(0) and "رابط" in liaison_row.group(0)
    former_row = re.search(r'<tr class="position-former">.*?</tr>', html, re.S)
    assert former_row and "رفته رفتگان" in former_row.group(0) and "۱۴۰۱/۱۰/۱۱" in former_row.group(0)
    # Communications, newest first, with the position frozen when they were logged.
    assert html.index("تماس شمارهٔ 1") < html.index("تماس شمارهٔ 0")
    assert "سمت0 — فروش — پارس‌تلفن" in html
    assert f"/base/communication/?f_partner_id={co}" in html
    assert "پیوست‌ها: ۰" in html
    assert f'href="/base/partner/{co}"' in html  # record page with the history


def test_person_profile_shows_the_career_line_and_their_calls(kernel: Any, admin: Any) -> None:
    actor = admin_actor(kernel)
    data = company_with_staff(kernel, actor)
    other = make(kernel, actor, "base.partner", kind="company", name="صنایع البرز")
    pid = data["people"][0]
    make(kernel, actor, "base.employment", person_id=pid, company_id=other, position="کارآموز",
         started_on=dt.date(2019, 3, 1), ended_on=dt.date(2023, 12, 1))
    html = admin.get(f"/base/partner/{pid}/profile").text
    career = re.search(r'<ol class="career">.*?</ol>', html, re.S)
    assert career is not None
    text = career.group(0)
    assert text.index("کارآموز") < text.index("سمت0")  # by date
    assert 'class="position-former"' in text and "صنایع البرز" in text
    assert "سوابق شغلی" in html and "کد اقتصادی" not in section(html, "profile-identity")
    # Calls at the company where the person was the contact appear on the person's profile.
    assert "تماس شمارهٔ 0" in html and "(پارس‌تلفن)" in html


def test_later_modules_add_sections_through_the_slot(kernel: Any, admin: Any) -> None:
    class Tickets:
        @hookimpl
        def template_slot(self, slot: str, context: dict[str, Any], request: Any) -> Any:
            if slot == "base.partner.profile":
                return Markup("<section id='tickets'>tickets of {}</section>").format(context["record"].id)
            return None

    kernel.pm.register(Tickets(), name="test_tickets")
    co = make(kernel, admin_actor(kernel), "base.partner", kind="company", name="ساینا")
    assert f"<section id='tickets'>tickets of {co}</section>" in admin.get(f"/base/partner/{co}/profile").text


def test_detail_page_links_to_the_profile_and_carries_the_partner_id(kernel: Any, admin: Any) -> None:
    co = make(kernel, admin_actor(kernel), "base.partner", kind="company", name="ساینا")
    html = admin.get(f"/base/partner/{co}").text
    assert f'href="/base/partner/{co}/profile"' in html and f'data-partner-id="{co}"' in html
    assert f"/base/communication/new?partner_id={co}" in html


def test_profile_queries_do_not_grow_with_the_rows(kernel: Any, admin: Any) -> None:
    actor = admin_actor(kernel)
    small = company_with_staff(kernel, actor, staff=1, calls=1)["company"]
    big = company_with_staff(kernel, actor, staff=12, calls=15)["company"]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    def queries(url: str) -> int:
        statements.clear()
        event.listen(kernel.engine, "before_cursor_execute", count)
        try:
            assert admin.get(url).status_code == 200
        finally:
            event.remove(kernel.engine, "before_cursor_execute", count)
        return len(statements)

    for company in (small, big):  # what every page reads is kept after the first request (kernel.memo)
        admin.get(f"/base/partner/{company}/profile")
    assert queries(f"/base/partner/{small}/profile") == queries(f"/base/partner/{big}/profile")
    # A fixed number per section and panel (identity, roles, numbers, addresses, positions, calls,
    # photo, relations, plans, reminders) and the cache signal: 20 today (31 before kernel.memo).
    assert queries(f"/base/partner/{big}/profile") <= 32, "\n".join(s[:90].replace("\n", " ") for s in statements)


def test_own_scope_gives_404_on_another_users_partner(kernel: Any, login_as: Any) -> None:
    create_user(kernel, "admin", admin=True)
    perms = ("base.partner.*", "base.communication.*", "base.employment.*", "base.contact.*", "base.address.*")
    sara_id = create_user(kernel, "sara", perms=perms, scope="own")
    theirs = make(kernel, admin_actor(kernel), "base.partner", kind="company", name="مال مدیر")
    mine = make(kernel, actor_of(kernel, sara_id), "base.partner", kind="company", name="مال سارا")
    with TestClient(build_app(kernel)) as c:
        sara = login_as(c, "sara")
        assert sara.get(f"/base/partner/{theirs}/profile").status_code == 404
        assert "مال سارا" in sara.get(f"/base/partner/{mine}/profile").text
        token = csrf(sara, f"/base/partner/{mine}/profile")
        resp = sara.post(f"/base/partner/{theirs}/roles", data={"csrf": token, "role": "lead"}, follow_redirects=False)
        assert resp.status_code == 404
    with kernel.sessions() as s:
        assert s.scalars(select(PartnerRole).where(PartnerRole.partner_id == theirs)).all() == []


def seed_roles(kernel: Any) -> None:
    with kernel.session() as s:
        for i, (code, name) in enumerate((("lead", "سرنخ"), ("customer", "مشتری"), ("supplier", "تأمین‌کننده"))):
            s.add(RoleKind(code=code, name=name, sequence=i))


def held(kernel: Any, pid: int) -> list[str]:
    with kernel.sessions() as s:
        return sorted(s.scalars(select(PartnerRole.role).where(PartnerRole.partner_id == pid)))


def test_roles_are_edited_with_checkboxes_in_one_post(kernel: Any, admin: Any) -> None:
    seed_roles(kernel)
    pid = make(kernel, admin_actor(kernel), "base.partner", kind="person", first_name="علی", last_name="رضایی")
    url = f"/base/partner/{pid}/profile"
    html = admin.get(url).text
    assert html.count('type="checkbox" name="role"') == 3 and "تأمین‌کننده" in html
    token = csrf(admin, url)
    resp = admin.post(f"/base/partner/{pid}/roles", data={"csrf": token, "role": ["lead", "customer"]},
                      follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith(url)
    assert held(kernel, pid) == ["customer", "lead"]
    assert re.search(r'value="lead" checked', admin.get(url).text)
    admin.post(f"/base/partner/{pid}/roles", data={"csrf": token, "role": ["customer", "supplier"]})
    assert held(kernel, pid) == ["customer", "supplier"]
    # An unknown role is refused with a message and nothing changes.
    page = admin.post(f"/base/partner/{pid}/roles", data={"csrf": token, "role": ["customer", "king"]}).text
    assert "یکی از گزینه‌های فهرست را انتخاب کنید" in page
    assert held(kernel, pid) == ["customer", "supplier"]
    # Without the CSRF token nothing happens.
    assert admin.post(f"/base/partner/{pid}/roles", data={"role": ["lead"]}).status_code == 403
    assert held(kernel, pid) == ["customer", "supplier"]


def test_roles_need_the_edit_permission(kernel: Any, login_as: Any) -> None:
    seed_roles(kernel)
    create_user(kernel, "admin", admin=True)
    create_user(kernel, "viewer", perms=("base.partner.view",))
    pid = make(kernel, admin_actor(kernel), "base.partner", kind="company", name="ساینا")
    with kernel.session() as s:
        s.add(PartnerRole(partner_id=pid, role="customer"))
    with TestClient(build_app(kernel)) as c:
        viewer = login_as(c, "viewer")
        html = viewer.get(f"/base/partner/{pid}/profile").text
        assert 'name="role"' not in html and "مشتری" in html  # shown, not editable
        assert "/base/contact/new" not in html and "پیوست‌ها" in html  # no sections they may not see
        token = csrf(viewer, f"/base/partner/{pid}/profile")
        assert viewer.post(f"/base/partner/{pid}/roles", data={"csrf": token, "role": "lead"}).status_code == 403
    assert held(kernel, pid) == ["customer"]


def test_built_in_roles_until_roles_are_configured(kernel: Any, admin: Any) -> None:
    pid = make(kernel, admin_actor(kernel), "base.partner", kind="company", name="ساینا")
    html = admin.get(f"/base/partner/{pid}/profile").text
    assert 'value="lead"' in html and 'value="competitor"' in html and "رقیب" in html


def test_profile_on_postgresql(make_kernel: Any, login_as: Any) -> None:
    pg = make_kernel(engine="postgresql")
    create_user(pg, "admin", admin=True)
    data = company_with_staff(pg, admin_actor(pg), staff=2, calls=3)
    with pg.session() as s:
        s.add(RoleKind(code="lead", name="سرنخ"))
        job = s.scalars(select(Employment).where(Employment.person_id == data["people"][1])).one()
        job.ended_on = dt.date(2025, 6, 1)
    with TestClient(build_app(pg)) as c:
        admin = login_as(c, "admin")
        html = admin.get(f"/base/partner/{data['company']}/profile").text
        assert "کارمند0 احمدی" in html and html.count('class="position-former"') == 2
        assert "تماس شمارهٔ 2" in html and "۰۲۱ ۸۸۷۷ ۶۶۵۵" in html
        token = csrf(admin, f"/base/partner/{data['company']}/profile")
        admin.post(f"/base/partner/{data['company']}/roles", data={"csrf": token, "role": "lead"})
    assert held(pg, data["company"]) == ["lead"]
