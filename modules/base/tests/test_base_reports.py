"""BASE-13 reports: persons by position, partners by province and role, communications per user,
each user's day — with the reader's record scope and as xlsx."""

import datetime as dt
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.models import Role, User
from kernel.testing import create_user
from kernel.web.app import build_app


def cells(html):
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", html, re.S)]


def seed(k):
    from modules.base.models import Communication, Employment, Partner, PartnerRole, Province, RoleKind

    with k.session() as s:
        teh, isf = Province(name="تهران", area_code="21"), Province(name="اصفهان", area_code="31")
        s.add_all([teh, isf, RoleKind(code="customer", name="مشتری")])
        s.flush()
        co1 = Partner(kind="company", name="پخش البرز", province_id=teh.id)
        co2 = Partner(kind="company", name="نساجی زاینده‌رود", province_id=isf.id)
        p1 = Partner(kind="person", first_name="رضا", last_name="احمدی", province_id=teh.id, mobile="+989121111111")
        p2 = Partner(kind="person", first_name="مریم", last_name="حسینی", province_id=isf.id)
        s.add_all([co1, co2, p1, p2])
        s.flush()
        s.add_all([PartnerRole(partner_id=co1.id, role="customer"), PartnerRole(partner_id=co2.id, role="customer"),
                   Employment(person_id=p1.id, company_id=co1.id, position="مدیرعامل", is_liaison=True),
                   Employment(person_id=p2.id, company_id=co2.id, position="مدیرعامل"),
                   Employment(person_id=p2.id, company_id=co2.id, position="کارشناس", ended_on=dt.date(2025, 1, 1))])
        admin = s.scalars(select(User).where(User.username == "admin")).one()
        # 1405/09/01 10:00 and 1405/09/02 09:00 Tehran time, stored UTC.
        s.add_all([
            Communication(kind="call", subject="سفارش آذر", partner_id=co1.id, started_at=dt.datetime(2026, 11, 22, 6, 30),
                          owner_id=admin.id),
            Communication(kind="visit", subject="بازدید کارخانه", partner_id=co2.id,
                          started_at=dt.datetime(2026, 11, 23, 5, 30), owner_id=admin.id),
        ])


def test_reports_answer_with_scope_and_export(make_kernel, login_as):
    from modules.base.models import Province, RoleProvince

    k = make_kernel()
    create_user(k, "admin", admin=True)
    create_user(k, "isf", perms=("base.partner.view", "base.communication.view", "base.by_position.report",
                                 "base.communications_summary.report", "base.daily.report"))
    seed(k)
    with k.session() as s:
        role = s.scalars(select(Role).where(Role.name == "role-isf")).one()
        isf = s.scalars(select(Province).where(Province.name == "اصفهان")).one()
        s.add(RoleProvince(role_id=role.id, province_id=isf.id))
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        rows = cells(c.get("/reports/base.by_position", params={"position": "مدیرعامل"}).text)
        # Ordered by province, then company; a former position (کارشناس) is not listed.
        assert rows == ["مریم حسینی", "مدیرعامل", "", "نساجی زاینده‌رود", "اصفهان", "", "",
                        "رضا احمدی", "مدیرعامل", "", "پخش البرز", "تهران", "\u2066۰۹۱۲ ۱۱۱ ۱۱۱۱\u2069", "بله"]  # kept left to right
        summary = cells(c.get("/reports/base.communications_summary", params={"from": "۱۴۰۵/۰۹/۰۱",
                                                                              "to": "۱۴۰۵/۰۹/۰۱"}).text)
        assert summary[1:] == ["تماس تلفنی", "۱"]
        day = cells(c.get("/reports/base.daily", params={"day": "1405/09/02"}).text)
        assert "بازدید کارخانه" in day and "سفارش آذر" not in day and "۰۹:۰۰" in day
        bad = c.get("/reports/base.communications_summary", params={"from": "۱۴۰۵/۰۹/۱۰", "to": "۱۴۰۵/۰۹/۰۱"})
        assert bad.status_code == 400
        ws = load_workbook(io.BytesIO(c.get("/reports/base.partners_by_province.xlsx").content)).active
        assert sorted(tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)) == [
            ("اصفهان", "مشتری", 1), ("تهران", "مشتری", 1)]
    with TestClient(build_app(k)) as c:
        login_as(c, "isf")
        page = c.get("/reports/base.by_position").text
        rows = cells(page)
        assert "مریم حسینی" in rows and "رضا احمدی" not in rows
        # The province drop-down offers only the reader's own province.
        offered = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page.split('name="province"', 1)[1].split("</select>")[0])
        assert offered == ["اصفهان"]
        summary = cells(c.get("/reports/base.communications_summary", params={"from": "۱۴۰۵/۰۹/۰۱",
                                                                              "to": "۱۴۰۵/۰۹/۰۲"}).text)
        assert summary[1:] == ["بازدید", "۱"]
