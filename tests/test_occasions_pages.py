"""The occasions admin page, the Gregorian-beside-Jalali preference and the PDF option (KER-19)."""

import datetime as dt
import re
import subprocess

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.occasions import Occasion
from kernel.testing import create_user, csrf
from kernel.web.app import build_app

LTR_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.fixture
def site(make_kernel, login_as):
    k = make_kernel(modules=("notes",), packages=("peyvand_notes",))
    create_user(k, "admin", admin=True)
    create_user(k, "clerk", perms=("notes.note.*",))
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        yield k, c


def row_id(kernel, year, key):
    with kernel.sessions() as s:
        return s.scalars(select(Occasion.id).where(Occasion.year == year, Occasion.key == key)).one()


def test_the_year_page_lists_jalali_with_hijri_beside(site):
    k, c = site
    page = c.get("/admin/occasions?year=1405").text
    assert "عاشورای حسینی" in page and "۴ تیر ۱۴۰۵" in page and "۱۰ محرم ۱۴۴۸ ق" in page
    assert "میلاد رسول اکرم (به روایت اهل سنت)" in page and "اهل سنت" in page
    assert "جشن سده" in page and "زرتشتی" in page
    assert "مناسبت‌ها و تعطیلات" in c.get("/").text  # the admin menu entry


def test_only_permitted_users_open_the_page(site, login_as):
    k, _ = site
    with TestClient(build_app(k)) as clerk:
        login_as(clerk, "clerk")
        assert clerk.get("/admin/occasions").status_code == 403
        assert clerk.post("/admin/occasions", data={"csrf": csrf(clerk, "/"), "op": "fill"}).status_code == 403


def test_an_invalid_hijri_date_is_refused_in_persian_and_nothing_changes(site):
    k, c = site
    oid = row_id(k, 1405, "ashura")
    token = csrf(c, f"/admin/occasions/{oid}")
    resp = c.post(f"/admin/occasions/{oid}", data={"csrf": token, "name": "عاشورا", "date": "1405/04/04",
                                                  "hijri": "1448/01/30", "holiday": "1"})
    assert resp.status_code == 400
    assert "ماه ۱ سال ۱۴۴۸ قمری ۲۹ روز است" in resp.text
    resp = c.post(f"/admin/occasions/{oid}", data={"csrf": token, "name": "عاشورا", "hijri": "1448/13/10"})
    assert resp.status_code == 400 and "ماه قمری باید بین ۱ و ۱۲ باشد" in resp.text
    with k.sessions() as s:
        row = s.get(Occasion, oid)
        assert (row.name, row.date, row.source) == ("عاشورای حسینی", dt.date(2026, 6, 25), "computed")


def test_move_add_remove_and_refill_through_the_page(site):
    k, c = site
    oid = row_id(k, 1405, "ashura")
    token = csrf(c, f"/admin/occasions/{oid}")
    form = c.get(f"/admin/occasions/{oid}").text
    assert 'value="1448/01/10"' in form and 'value="1405/04/04"' in form
    resp = c.post(f"/admin/occasions/{oid}", data={"csrf": token, "name": "عاشورای حسینی", "date": "1405/04/04",
                                                  "hijri": "1448/01/11", "holiday": "1", "religion": "islam",
                                                  "sect": "shia"}, follow_redirects=False)
    assert resp.status_code == 303
    c.post("/admin/occasions", data={"csrf": token, "op": "add", "year": "1405", "name": "تعطیلی آلودگی هوا",
                                     "date": "۱۴۰۵/۰۹/۲۰", "holiday": "1"})
    c.post("/admin/occasions", data={"csrf": token, "op": "remove", "year": "1405", "id": row_id(k, 1405, "yalda")})
    c.post("/admin/occasions", data={"csrf": token, "op": "fill", "year": "1405"})
    with k.sessions() as s:
        ashura = s.get(Occasion, oid)
        assert (ashura.date, ashura.source) == (dt.date(2026, 6, 26), "edited")
        closure = s.scalars(select(Occasion).where(Occasion.source == "added")).one()
        assert (closure.date, closure.holiday, closure.year) == (dt.date(2026, 12, 11), True, 1405)
    page = c.get("/admin/occasions?year=1405").text
    assert "ویرایش‌شده توسط مدیر" in page and "تعطیلی آلودگی هوا" in page
    assert "مناسبت‌های حذف‌شده" in page  # Yalda can be restored from there
    bad = c.post("/admin/occasions", data={"csrf": token, "op": "add", "year": "1405", "name": "",
                                           "date": "1405/09/20"})
    assert bad.status_code == 400


def test_the_working_week_form(site):
    k, c = site
    token = csrf(c, "/admin/occasions")
    c.post("/admin/occasions", data={"csrf": token, "op": "weekend", "weekend": ["3", "4"], "half": []})
    from kernel.occasions import half_days, weekend

    with k.sessions() as s:
        assert weekend(s) == {3, 4} and half_days(s) == set()
    resp = c.post("/admin/occasions", data={"csrf": token, "op": "weekend", "weekend": [str(d) for d in range(7)]})
    assert resp.status_code == 400 and "دست‌کم یک روز هفته" in resp.text


def test_the_preference_shows_gregorian_beside_jalali(site):
    k, c = site
    token = csrf(c, "/notes/note/new")
    resp = c.post("/notes/note/new", data={"csrf": token, "title": "قرارداد", "kind": "plain", "due": "1405/09/15"},
                  follow_redirects=False)
    detail = resp.headers["location"]
    assert "۱۴۰۵/۰۹/۱۵" in c.get(detail).text and "2026-12-06" not in c.get(detail).text
    c.post("/preferences", data={"csrf": token, "lang": "fa", "money_unit": "rial", "gregorian": "1"})
    assert 'name="gregorian" value="1" checked' in c.get("/preferences").text
    page = c.get(detail).text
    assert "۱۴۰۵/۰۹/۱۵ \u2066(2026-12-06)\u2069" in page
    assert "2026-12-06" in c.get("/notes/note/").text  # lists too
    c.post("/preferences", data={"csrf": token, "lang": "fa", "money_unit": "rial"})
    assert "2026-12-06" not in c.get(detail).text


def pdf_text(content: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    for ch in LTR_MARKS:
        text = text.replace(ch, " ")
    return text


def test_pdfs_show_gregorian_only_with_the_instance_option(site):
    k, c = site
    token = csrf(c, "/notes/note/new")
    c.post("/notes/note/new", data={"csrf": token, "title": "قرارداد", "kind": "plain", "due": "1405/09/15"})
    # The user's own preference does not decide what a customer reads on a PDF.
    c.post("/preferences", data={"csrf": token, "lang": "fa", "money_unit": "rial", "gregorian": "1"})
    without = pdf_text(c.get("/notes/note/export.pdf").content)
    assert "۱۴۰۵/۰۹/۱۵" in without and "2026-12-06" not in without
    c.post("/admin/settings", data={"csrf": token, "company.name": "نمونه", "documents.gregorian": "1"})
    assert 'name="documents.gregorian" value="1" checked' in c.get("/admin/settings").text
    with_option = pdf_text(c.get("/notes/note/export.pdf").content)
    assert "۱۴۰۵/۰۹/۱۵" in with_option and "2026-12-06" in with_option
    # A spreadsheet column keeps one kind of value.
    assert c.get("/notes/note/export.csv").text.count("2026-12-06") == 0


def test_the_dashboard_block_lists_the_weeks_occasions(site, monkeypatch):
    k, c = site
    from kernel.occasions import hooks

    # Tasua 1405 in Tehran (Ashura tomorrow).
    monkeypatch.setattr(hooks, "now", lambda: dt.datetime(2026, 6, 23, 21, 0))
    page = c.get("/").text
    assert "مناسبت‌های این هفته" in page
    block = page[page.index('data-block="kernel.occasions_week"'):]
    block = block[:block.index("</section>")]
    assert "تاسوعای حسینی" in block and "عاشورای حسینی" in block and "تعطیل رسمی" in block
    assert block.index("تاسوعا") < block.index("عاشورا")


def test_the_page_in_english(site):
    k, c = site
    c.post("/lang", data={"csrf": csrf(c, "/"), "lang": "en"})
    c.post("/preferences", data={"csrf": csrf(c, "/preferences"), "lang": "en", "money_unit": "rial"})
    page = c.get("/admin/occasions?year=1404").text
    assert "Occasions and holidays" in page and "Ashura" in page
    # Ashura 1447 in Iran was 6 July 2025 (Umm al-Qura alone: the 5th).
    assert "15 Tir 1404" in page and "10 Muharram 1447 AH" in page


def test_the_hijri_filter_follows_irans_observed_months(site):
    k, c = site
    # The edit page's heading uses the hijri filter: the render context carries the shipped
    # corrections, so Ashura 1404 (6 July 2025) reads 10 Muharram, not Umm al-Qura's 11th.
    page = c.get(f"/admin/occasions/{row_id(k, 1404, 'ashura')}").text
    assert "۱۵ تیر ۱۴۰۴ · ۱۰ محرم ۱۴۴۷ ق" in page


def test_saving_the_form_untouched_keeps_the_day(site):
    k, c = site
    with k.sessions() as s:
        eid = s.scalars(select(Occasion).where(Occasion.year == 1404, Occasion.key == "eid-al-fitr-1",
                                               Occasion.occurrence == 1)).one()
        assert eid.date == dt.date(2025, 3, 31)  # Iran's day, a day after Umm al-Qura's
    form = c.get(f"/admin/occasions/{eid.id}").text
    fields = dict(re.findall(r'name="(date|hijri|hijri_was)"[^>]*value="([^"]*)"', form))
    assert fields["hijri"] == fields["hijri_was"] == "1446/10/01"
    resp = c.post(f"/admin/occasions/{eid.id}", data={"csrf": csrf(c, "/"), "name": "عید فطر", "holiday": "1",
                                                      "religion": "islam", **fields}, follow_redirects=False)
    assert resp.status_code == 303
    with k.sessions() as s:
        row = s.get(Occasion, eid.id)
        assert (row.name, row.date, row.source) == ("عید فطر", dt.date(2025, 3, 31), "edited")


def test_the_administrator_declares_when_a_lunar_month_began(site):
    k, c = site
    token = csrf(c, "/admin/occasions")
    # Muharram 1448 is computed to begin on 16 June 2026 (26 Khordad 1405); Iran saw it a day later.
    resp = c.post("/admin/occasions", data={"csrf": token, "op": "month_start", "year": "1405", "hyear": "1448",
                                            "hmonth": "1", "first": "۱۴۰۵/۰۳/۲۷"}, follow_redirects=False)
    assert resp.status_code == 303
    page = c.get("/admin/occasions?year=1405").text
    row = page[page.index('data-key="ashura"'):]
    row = row[:row.index("</tr>")]
    assert "۵ تیر ۱۴۰۵" in row and "۱۰ محرم ۱۴۴۸ ق" in row and "محاسبه‌شده" in row
    bad = c.post("/admin/occasions", data={"csrf": token, "op": "month_start", "year": "1405", "hyear": "1448",
                                           "hmonth": "13", "first": "1405/03/27"})
    assert bad.status_code == 400 and "ماه قمری باید بین ۱ و ۱۲ باشد" in bad.text
    far = c.post("/admin/occasions", data={"csrf": token, "op": "month_start", "year": "1405", "hyear": "1448",
                                           "hmonth": "1", "first": "1405/04/10"})
    assert far.status_code == 400 and "حداکثر دو روز" in far.text
    with k.sessions() as s:
        ashura = s.scalars(select(Occasion).where(Occasion.year == 1405, Occasion.key == "ashura")).one()
        assert ashura.date == dt.date(2026, 6, 26)
