"""A resource declaration gives lists, forms, history, soft delete, exports and search (KER-05, KER-07)."""

import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel import records
from kernel.actor import SYSTEM
from kernel.models import History
from kernel.testing import create_user, csrf
from kernel.web.app import build_app


@pytest.fixture(params=["sqlite", "postgresql"])
def notes_kernel(make_kernel, request):
    """Every resource behaviour is checked on both engines."""
    return make_kernel(modules=("notes",), packages=("peyvand_notes",), engine=request.param)


@pytest.fixture
def admin(notes_kernel, login_as):
    create_user(notes_kernel, "admin", admin=True)
    with TestClient(build_app(notes_kernel)) as c:
        yield login_as(c, "admin")


def new_note(client, **fields):
    data = {"title": "یادداشت", "kind": "plain", **fields, "csrf": csrf(client, "/notes/note/new")}
    return client.post("/notes/note/new", data=data, follow_redirects=False)


def test_form_parses_persian_input_and_detail_shows_it_in_persian(admin):
    resp = new_note(admin, title="علي كريمي", amount="۱۲٬۵۰۰٬۰۰۰", due="۱۴۰۵/۰۹/۰۱", phone="۰۹۱۲ ۱۲۳ ۴۵۶۷")
    assert resp.status_code == 303
    page = admin.get(resp.headers["location"]).text
    assert "علی کریمی" in page  # Arabic ي/ك stored as Persian
    assert "۱۲٬۵۰۰٬۰۰۰ ریال" in page and "۱۴۰۵/۰۹/۰۱" in page and "۰۹۱۲ ۱۲۳ ۴۵۶۷" in page


def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(admin, notes_kernel):
    resp = new_note(admin, title="", amount="۱۲a۳", due="۱۴۰۴/۱۲/۳۰", phone="0912123456")
    assert resp.status_code == 400
    html = resp.text
    assert html.count('class="error field-error"') == 4
    assert "۱۴۰۴/۱۲/۳۰" in html  # what the user typed is kept in the form
    with notes_kernel.sessions() as s:
        from peyvand_notes.models import Note

        assert s.scalars(select(Note)).all() == []


def test_history_records_who_changed_what(admin, notes_kernel):
    loc = new_note(admin, title="اول", amount="100").headers["location"]
    rid = int(loc.rsplit("/", 1)[1])
    data = {"title": "دوم", "amount": "250", "kind": "plain", "csrf": csrf(admin, loc + "/edit")}
    assert admin.post(loc + "/edit", data=data, follow_redirects=False).status_code == 303
    with notes_kernel.sessions() as s:
        rows = s.scalars(select(History).where(History.record_id == rid).order_by(History.id)).all()
    assert [r.action for r in rows] == ["create", "update"]
    changes = json.loads(rows[1].changes)
    assert changes["title"] == ["اول", "دوم"] and changes["amount"] == [100, 250]
    assert rows[1].user_id is not None
    assert "دوم" in admin.get(loc).text


def test_search_ignores_yeh_kaf_zwnj_and_digits(admin):
    new_note(admin, title="شرکت پارس‌تلفن", phone="09121234567")
    new_note(admin, title="دیگری")
    for query in ("پارس تلفن", "پارستلفن", "پارس‌تلفن", "تلفن", "۰۹۱۲۱۲۳۴۵۶۷", "شركت"):
        page = admin.get("/notes/note/", params={"q": query}).text
        assert "پارس‌تلفن" in page and "دیگری" not in page, query


def test_keyset_pages_cover_every_row_once_in_both_directions(notes_kernel):
    from peyvand_notes.models import Note

    with notes_kernel.session() as s:
        s.add_all([Note(title=f"n{i:03d}", amount=i % 7 if i % 5 else None) for i in range(53)])
    res = notes_kernel.resources["notes.note"]
    for sort in ("title", "-title", "amount", "-amount", "-id"):
        seen, q = [], records.ListQuery(limit=10, sort=sort)
        with notes_kernel.sessions() as s:
            while True:
                page = records.list_records(notes_kernel, s, SYSTEM, res, q)
                seen += [o.id for o in page.items]
                if not page.next_cursor:
                    break
                q = records.ListQuery(limit=10, sort=sort, after=page.next_cursor)
            assert len(seen) == 53 and len(set(seen)) == 53, sort
            last = records.list_records(notes_kernel, s, SYSTEM, res, records.ListQuery(limit=10, sort=sort, last=True))
            assert [o.id for o in last.items] == seen[-10:], sort
            back = records.list_records(notes_kernel, s, SYSTEM, res,
                                        records.ListQuery(limit=10, sort=sort, before=last.prev_cursor))
            assert [o.id for o in back.items] == seen[-20:-10], sort


def test_broken_cursor_gets_a_message_not_a_500(admin):
    resp = admin.get("/notes/note/", params={"after": "garbage!!"})
    assert resp.status_code == 200 and 'role="alert"' in resp.text


def test_filters_by_jalali_range_and_choice(admin):
    new_note(admin, title="آذر", due="۱۴۰۵/۰۹/۱۰")
    new_note(admin, title="دی", due="۱۴۰۵/۱۰/۱۰")
    page = admin.get("/notes/note/", params={"f_due__from": "۱۴۰۵/۰۹/۰۱", "f_due__to": "۱۴۰۵/۰۹/۳۰"}).text
    assert "آذر" in page and ">دی<" not in page
    bad = admin.get("/notes/note/", params={"f_due__from": "۱۴۰۵/۱۳/۰۱"})
    assert bad.status_code == 200 and "error" in bad.text


def test_column_choice_is_remembered_per_user(admin):
    token = csrf(admin, "/notes/note/")
    admin.post("/notes/note/columns", data={"csrf": token, "col": ["title", "phone"]})
    new_note(admin, title="ستون", phone="09121234567")
    page = admin.get("/notes/note/").text
    assert "۰۹۱۲ ۱۲۳ ۴۵۶۷" in page
    xlsx = load_workbook(io.BytesIO(admin.get("/notes/note/export.xlsx").content))
    ws = xlsx.active
    kernel = admin.app.state.kernel
    assert [c.value for c in ws[1]] == [kernel.t("fa", "Title"), kernel.t("fa", "Phone")]  # the user's language
    assert ws.sheet_view.rightToLeft is True
    assert ws.cell(2, 1).value == "ستون"


def test_soft_delete_refused_with_the_names_of_dependants_then_recycle_bin(admin, notes_kernel):
    from modules.base.models import Province

    with notes_kernel.session() as s:
        p = Province(name="اصفهان", area_code="31")
        s.add(p)
        s.flush()
        pid = p.id
    loc = new_note(admin, title="وابسته", province_id=str(pid)).headers["location"]
    resp = admin.post(f"/base/province/{pid}/delete", data={"csrf": csrf(admin, "/base/province/")},
                      follow_redirects=True)
    assert "Notes" in resp.text or "یادداشت" in resp.text
    assert "اصفهان" in admin.get("/base/province/").text
    # Delete the note: it goes to the recycle bin, and can be restored.
    rid = loc.rsplit("/", 1)[1]
    admin.post(f"{loc}/delete", data={"csrf": csrf(admin, loc)})
    assert "وابسته" not in admin.get("/notes/note/").text
    assert "وابسته" in admin.get("/trash").text
    admin.post("/trash", data={"csrf": csrf(admin, "/trash"), "resource": "notes.note", "id": rid, "op": "restore"})
    assert "وابسته" in admin.get("/notes/note/").text
    admin.post(f"{loc}/delete", data={"csrf": csrf(admin, loc)})
    admin.post("/trash", data={"csrf": csrf(admin, "/trash"), "resource": "notes.note", "id": rid, "op": "purge"})
    assert "وابسته" not in admin.get("/trash").text
    with notes_kernel.sessions() as s:
        actions = s.scalars(select(History.action).where(History.table_name == "notes_note")).all()
    assert actions == ["create", "delete", "restore", "delete", "purge"]


def test_attachments_checked_by_size_and_type_and_follow_the_record_scope(admin, notes_kernel, login_as):
    loc = new_note(admin, title="پیوست").headers["location"]
    rid = loc.rsplit("/", 1)[1]
    token = csrf(admin, loc)
    ok = admin.post("/attachments", data={"csrf": token, "resource": "notes.note", "record_id": rid},
                    files={"file": ("scan.pdf", b"%PDF-1.4 test", "application/pdf")}, follow_redirects=True)
    assert "scan.pdf" in ok.text
    fake = admin.post("/attachments", data={"csrf": token, "resource": "notes.note", "record_id": rid},
                      files={"file": ("evil.pdf", b"<script>", "application/pdf")}, follow_redirects=True)
    assert "evil.pdf" not in fake.text
    assert re.search(r"<svg class=\"icon\"[^>]*><path[^>]*/></svg>۱</td>", admin.get("/notes/note/").text)  # clip + count
    att = next(a for a in notes_kernel.sessions().scalars(select(__import__("kernel.models").models.Attachment)))
    dl = admin.get(f"/attachments/{att.id}")
    assert dl.content == b"%PDF-1.4 test" and dl.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in dl.headers["content-disposition"]
    create_user(notes_kernel, "other", perms=("notes.note.*",), scope="own")
    with TestClient(build_app(notes_kernel)) as c:
        login_as(c, "other")
        assert c.get(f"/attachments/{att.id}").status_code == 404


def test_pdf_export_is_a_persian_pdf_with_the_company_letterhead(admin, tmp_path):
    from PIL import Image

    logo = io.BytesIO()
    Image.new("RGB", (40, 20), (15, 110, 140)).save(logo, "PNG")
    token = csrf(admin, "/admin/settings")
    fake = admin.post("/admin/settings", data={"csrf": token}, files={"logo": ("logo.png", b"<svg onload=x>", "image/png")})
    assert fake.status_code == 400
    admin.post("/admin/settings", data={"csrf": token, "company.name": "بازرگانی نمونه",
                                        "company.pdf_title": "واحد فروش", "company.pdf_footer": "تلفن ۸۸۷۷۶۶۵۵"},
               files={"logo": ("logo.png", logo.getvalue(), "image/png")})
    new_note(admin, title="گزارش آزمایشی", amount="۱۲٬۵۰۰٬۰۰۰")
    resp = admin.get("/notes/note/export.pdf")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=resp.content, capture_output=True, check=True).stdout.decode()
    cleaned = text.replace("\u200c", "")
    for ch in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e":
        cleaned = cleaned.replace(ch, " ")
    assert "آزمایشی" in cleaned and "۱۲٬۵۰۰٬۰۰۰" in cleaned
    words = set(cleaned.split())
    assert {"بازرگانی", "نمونه", "واحد", "فروش", "۸۸۷۷۶۶۵۵"} <= words
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(resp.content)
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert re.search(r"image\s+40\s+20\s", listing), listing  # the uploaded logo, embedded


def test_count_is_exact_up_to_the_cap_then_a_lower_bound(notes_kernel, monkeypatch):
    from peyvand_notes.models import Note

    with notes_kernel.session() as s:
        s.add_all([Note(title=f"c{i}") for i in range(12)])
    res = notes_kernel.resources["notes.note"]
    with notes_kernel.sessions() as s:
        page = records.list_records(notes_kernel, s, SYSTEM, res, records.ListQuery(limit=5))
        assert (page.total, page.total_capped) == (12, False)
        monkeypatch.setattr(records, "COUNT_CAP", 10)
        page = records.list_records(notes_kernel, s, SYSTEM, res, records.ListQuery(limit=5))
        assert (page.total, page.total_capped) == (10, True)
        page = records.list_records(notes_kernel, s, SYSTEM, res, records.ListQuery(limit=5, search="c1"))
        assert (page.total, page.total_capped) == (3, False)  # c1, c10, c11


def test_history_shows_values_as_the_page_does(admin, notes_kernel):
    from modules.base.models import Province

    with notes_kernel.session() as s:
        p = Province(name="فارس", area_code="71")
        s.add(p)
        s.flush()
        pid = p.id
    loc = new_note(admin, title="تاریخچه", amount="۱۲۵۰۰۰۰۰", due="۱۴۰۵/۰۹/۰۱", province_id=str(pid)).headers["location"]
    history = admin.get(loc).text.split('class="panel history"')[1]
    assert "۱۲٬۵۰۰٬۰۰۰ ریال" in history and "۱۴۰۵/۰۹/۰۱" in history and "فارس" in history
    assert "2026-11-22" not in history and "12500000" not in history
    assert "Admin" in history  # the owner by name, not by id


def test_a_module_can_veto_a_change_and_nothing_is_kept(admin, notes_kernel):
    from peyvand_notes.models import Note

    resp = new_note(admin, title="ممنوع")
    assert resp.status_code == 400 and "This title is not allowed" in resp.text
    api = admin.post("/api/notes/note", json={"title": "ممنوع"}, headers={"x-csrf-token": csrf(admin)})
    assert api.status_code == 422 and "__all__" in api.json()["errors"]
    with notes_kernel.sessions() as s:
        assert s.scalars(select(Note)).all() == []
        assert s.scalars(select(History).where(History.table_name == "notes_note")).all() == []


def test_custom_filter_and_a_module_report_with_exports(admin, notes_kernel):
    new_note(admin, title="با مبلغ", amount="1000")
    new_note(admin, title="بی مبلغ")
    new_note(admin, title="رازدار", amount="500", kind="secret")
    page = admin.get("/notes/note/", params={"f_priced": "1"}).text
    assert "با مبلغ" in page and "بی مبلغ" not in page
    report = admin.get("/reports/notes.totals").text
    assert "Notes by kind" in report or "notes.totals" in report
    cells = re.findall(r"<td>([^<]*)</td>", report)
    assert cells == ["plain", "۲", "۱٬۰۰۰", "secret", "۱", "۵۰۰"]
    only_plain = re.findall(r"<td>([^<]*)</td>", admin.get("/reports/notes.totals", params={"kind": "plain"}).text)
    assert only_plain == ["plain", "۲", "۱٬۰۰۰"]
    ws = load_workbook(io.BytesIO(admin.get("/reports/notes.totals.xlsx").content)).active
    assert [c.value for c in ws[2]] == ["plain", 2, 1000]
    assert admin.get("/reports/notes.totals.pdf").content.startswith(b"%PDF")
    assert "/reports/notes.totals" in admin.get("/reports/").text


def test_rows_owned_by_a_record_do_not_block_its_deletion(make_kernel):
    from kernel import records as rec
    from modules.base.models import Partner, PartnerRole

    k = make_kernel()
    with k.session() as s:
        p = Partner(kind="company", name="با نقش")
        s.add(p)
        s.flush()
        s.add(PartnerRole(partner_id=p.id, role="customer"))
        pid = p.id
    res = k.resources["base.partner"]
    with k.session() as s:
        assert rec.dependants(k, s, res, pid) == []
        rec.delete_record(k, s, SYSTEM, res, pid)
    with k.session() as s:
        rec.purge_record(k, s, SYSTEM, res, pid)
    with k.sessions() as s:
        assert s.scalars(select(PartnerRole)).all() == []  # gone with their partner
