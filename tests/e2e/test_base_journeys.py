"""Journeys of a tier-1 user through the partner file and the communications log, in Persian."""

import datetime as dt
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select
from test_browser_smoke import login

from kernel.persian.jalali import format_jalali
from kernel.testing import create_user
from kernel.timezone import local_today

pytestmark = pytest.mark.browser


def seed_provinces(kernel: Any) -> dict[str, int]:
    from modules.base.models import Province

    with kernel.session() as s:
        rows = [Province(name="تهران", area_code="21"), Province(name="اصفهان", area_code="31")]
        s.add_all(rows)
        s.flush()
        return {p.name: p.id for p in rows}


def new_partner(page: Any, kind: str, **fields: str) -> str:
    page.goto("/base/partner/new")
    page.select_option("#f-kind", kind)
    for name, value in fields.items():
        el = page.locator(f"#f-{name}")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(label=value)
        else:
            el.fill(value)
    page.click("form.record-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/base/partner/\d+$"))
    return page.url.rsplit("/", 1)[1]


def test_company_with_personnel_and_a_back_dated_call(page: Any, live_server: Any) -> None:
    seed_provinces(live_server.kernel)
    login(page, live_server)
    company = new_partner(page, "company", name="شرکت پخش البرز", province_id="تهران", phone="۰۲۱-۸۸۷۷۶۶۵۵")
    expect(page.locator("dl.record")).to_contain_text("۰۲۱ ۸۸۷۷ ۶۶۵۵")
    ali = new_partner(page, "person", first_name="علي", last_name="رضايي", mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷")
    sara = new_partner(page, "person", first_name="سارا", last_name="کریمی")
    for person, position, liaison in ((ali, "مدیر فروش", True), (sara, "کارشناس خرید", False)):
        page.goto(f"/base/employment/new?company_id={company}&person_id={person}")
        page.fill("#f-position", position)
        if liaison:
            page.check("#f-is_liaison")
        page.click("form.record-form button[type=submit]")
        expect(page.locator("dl.record")).to_contain_text(position)
    page.goto(f"/base/employment/?f_company_id={company}")
    expect(page.locator("table.grid tbody tr[data-href]")).to_have_count(2)
    # A call of last week, typed afterwards.
    last_week = format_jalali(dt.date.today() - dt.timedelta(days=7), "fa") + " ۱۰:۳۰"
    page.goto(f"/base/communication/new?partner_id={company}&contact_id={ali}")
    page.select_option("#f-kind", "call")
    page.fill("#f-subject", "پیگیری پیش‌فاکتور")
    page.fill("#f-started_at", last_week)
    page.click("form.record-form button[type=submit]")
    record = page.locator("dl.record")
    expect(record).to_contain_text(last_week)
    expect(record).to_contain_text("علی رضایی")
    # The partner cannot be deleted while it has communications and personnel; the page says why.
    page.goto(f"/base/partner/{company}")
    page.on("dialog", lambda d: d.accept())
    page.click("form[action$='/delete'] button")
    expect(page.locator("p.error")).to_contain_text("ارتباطات")
    expect(page.locator("h1")).to_have_text("شرکت پخش البرز")


def test_communications_filtered_by_province_exported_to_excel(page: Any, live_server: Any, tmp_path: Any) -> None:
    from modules.base.models import Communication, Partner

    ids = seed_provinces(live_server.kernel)
    with live_server.kernel.session() as s:
        tehran = Partner(kind="company", name="تهران‌کالا", province_id=ids["تهران"])
        isfahan = Partner(kind="company", name="نقش جهان", province_id=ids["اصفهان"])
        s.add_all([tehran, isfahan])
        s.flush()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        s.add_all([Communication(kind="call", subject="تماس تهران", partner_id=tehran.id, started_at=now),
                   Communication(kind="visit", subject="بازدید اصفهان", partner_id=isfahan.id, started_at=now)])
    login(page, live_server)
    page.goto("/base/communication/")
    page.select_option("select[name=f_province_id]", label="اصفهان")
    page.click("form.filters button[type=submit]")
    rows = page.locator("table.grid tbody tr[data-href]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("بازدید اصفهان")
    with page.expect_download() as download:
        page.click("a[href*='export.xlsx']")
    path = tmp_path / "comms.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).active
    subjects = [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert subjects == ["بازدید اصفهان"] and sheet.sheet_view.rightToLeft


def test_isfahan_own_records_user_sees_only_theirs(page: Any, live_server: Any) -> None:
    from kernel.models import Role
    from modules.base.models import Partner, RoleProvince

    k = live_server.kernel
    ids = seed_provinces(k)
    perms = ("base.partner.view", "base.partner.create", "base.partner.export")
    uid = create_user(k, "isf", perms=perms, scope="own")
    with k.session() as s:
        role = s.scalars(select(Role).where(Role.name == "role-isf")).one()
        s.add(RoleProvince(role_id=role.id, province_id=ids["اصفهان"]))
        s.add_all([Partner(kind="company", name="اصفهانی من", province_id=ids["اصفهان"], owner_id=uid),
                   Partner(kind="company", name="تهرانی من", province_id=ids["تهران"], owner_id=uid),
                   Partner(kind="company", name="اصفهانی دیگری", province_id=ids["اصفهان"])])
    page.goto("/login")
    page.fill("input[name=username]", "isf")
    page.fill("input[name=password]", live_server.password)
    page.click("form.login button[type=submit]")
    page.goto("/base/partner/")
    rows = page.locator("table.grid tbody tr[data-href]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("اصفهانی من")
    page.locator("[data-live-search]").fill("اصفهانی")
    hits = page.locator(".live-results a")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("اصفهانی من")
    api = page.request.get("/api/base/partner").json()
    assert [i["name"] for i in api["items"]] == ["اصفهانی من"]


def test_person_with_birthday_and_two_roles_then_promoted(page: Any, live_server: Any) -> None:
    from modules.base.models import RoleKind

    with live_server.kernel.session() as s:
        s.add_all([RoleKind(code="customer", name="مشتری"), RoleKind(code="supplier", name="تأمین‌کننده")])
    seed_provinces(live_server.kernel)
    login(page, live_server)
    company = new_partner(page, "company", name="صنایع آریا")
    person = new_partner(page, "person", first_name="مریم", last_name="احمدی", birthday="۱۳۶۸/۱۱/۲۲")
    expect(page.locator("dl.record")).to_contain_text("۱۳۶۸/۱۱/۲۲")
    page.goto(f"/base/partner/{person}/profile")
    page.check("input[name=role][value=customer]")
    page.check("input[name=role][value=supplier]")
    page.click("section#roles button")
    expect(page.locator("input[name=role][value=customer]")).to_be_checked()
    expect(page.locator("input[name=role][value=supplier]")).to_be_checked()
    # Her first position, a call with her in it, then a promotion.
    page.goto(f"/base/employment/new?company_id={company}&person_id={person}")
    page.fill("#f-position", "کارشناس فروش")
    page.click("form.record-form button[type=submit]")
    page.goto(f"/base/communication/new?partner_id={company}&contact_id={person}")
    page.select_option("#f-kind", "call")
    page.fill("#f-subject", "تماس پیش از ارتقا")
    page.fill("#f-started_at", format_jalali(dt.date.today() - dt.timedelta(days=3), "fa") + " ۰۹:۰۰")
    page.click("form.record-form button[type=submit]")
    page.goto(f"/base/partner/{person}/profile")
    page.click("details.position-change summary")
    page.select_option("#pos-company", label="صنایع آریا")  # few companies: a drop-down
    page.fill("#pos-position", "مدیر فروش")
    page.click("details.position-change button.primary")
    expect(page.locator("section#positions")).to_contain_text("مدیر فروش")
    page.goto(f"/base/partner/{company}/profile")
    row = page.locator("section#communications tr", has_text="تماس پیش از ارتقا")
    expect(row.locator(".position-then")).to_contain_text("کارشناس فروش")


def test_duplicate_warned_while_typing_then_merged(page: Any, live_server: Any) -> None:
    from modules.base.models import Communication, Partner

    k = live_server.kernel
    with k.session() as s:
        first = Partner(kind="person", first_name="علی", last_name="کریمی", mobile="+989121234567")
        second = Partner(kind="person", first_name="علي", last_name="كريمي", national_id="0012345679")
        s.add_all([first, second])
        s.flush()
        s.add(Communication(kind="call", subject="تماس با پروندهٔ دوم", partner_id=second.id,
                            started_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
        keep, drop = first.id, second.id
    login(page, live_server)
    page.goto("/base/partner/new")
    page.select_option("#f-kind", "person")
    page.fill("#f-mobile", "۰۹۱۲ ۱۲۳ ۴۵۶۷")
    warning = page.locator(".base-duplicates")
    expect(warning).to_be_visible()
    expect(warning.locator(f"a[href*='/base/partner/{keep}']").first).to_be_visible()
    page.goto(f"/base/partner/merge?keep={keep}&drop={drop}")
    page.on("dialog", lambda d: d.accept())
    page.click("form[action='/base/partner/merge'] button.danger")
    expect(page).to_have_url(re.compile(rf"/base/partner/{keep}(/profile)?$"))
    with k.sessions() as s:
        moved = s.scalars(select(Communication.partner_id)).all()
        kept = s.get(Partner, keep)
        gone = s.get(Partner, drop)
    assert moved == [keep] and kept.national_id == "0012345679" and gone.deleted_at is not None
    page.goto(f"/base/partner/{keep}/profile")
    expect(page.locator("section#communications")).to_contain_text("تماس با پروندهٔ دوم")


def test_f9_opens_a_communication_for_the_partner_on_screen(page: Any, live_server: Any) -> None:
    """KER-17: F9 on a partner's page (or profile) opens a new communication for that partner,
    started now; F9 inside the new form does nothing."""
    login(page, live_server)
    company = new_partner(page, "company", name="شرکت پخش البرز")
    page.keyboard.press("F9")
    expect(page).to_have_url(re.compile(rf"/base/communication/new\?partner_id={company}&started_at="))
    started = page.locator("#f-started_at").input_value()
    # The browser's own clock and zone give "now" (Tehran for users in Iran; the machine's here).
    days = {local_today(), dt.date.today()}
    assert started[:10] in {format_jalali(d, lang) for d in days for lang in ("fa", "en")}, started
    page.keyboard.press("F9")
    expect(page).to_have_url(re.compile(r"/base/communication/new\?"))
    page.goto(f"/base/partner/{company}/profile")
    page.keyboard.press("F9")
    expect(page).to_have_url(re.compile(rf"/base/communication/new\?partner_id={company}&"))
