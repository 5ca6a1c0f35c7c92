"""Document numbers (kernel.numbering): gapless per series and Jalali fiscal year, in the declared
format, safe with 50 concurrent writers on SQLite and PostgreSQL, and the administrator's page.

The series come from the test module ``notes`` (tests/support/peyvand_notes/hooks.py):
``notes.memo`` (prefix "N-", 5 digits) and ``notes.receipt`` (prefix "R/", 3 digits). The
numbered "documents" are notes whose title is the number they were given.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel import UnknownSeries, take_number
from kernel.declarations import NumberSeries
from kernel.errors import ModuleError
from kernel.models import CacheSignal
from kernel.numbering import check_declaration, fiscal_year
from kernel.persian.jalali import jalali_to_date
from kernel.persian.numbers import format_code
from kernel.persian.textnorm import LRI, PDI
from kernel.testing import create_user, csrf
from kernel.timezone import local_today
from kernel.web.app import build_app

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
DAY = jalali_to_date(1405, 3, 10)
NOTES = {"modules": ("notes",), "packages": ("peyvand_notes",)}


class Undo(Exception):
    """Raised inside a transaction to roll its document back."""


def notes_kernel(make_kernel: Any, engine: str = "sqlite", edition: str = "tier1") -> Any:
    return make_kernel(engine=engine, edition=edition, **NOTES)


def write_note(kernel: Any, series: str = "notes.memo", on: dt.date = DAY, undo: bool = False) -> str:
    """A document numbered in the transaction that writes it; ``undo`` rolls it back."""
    from peyvand_notes.models import Note

    try:
        with kernel.session() as s:
            note = Note(kind="plain")
            s.add(note)  # pending, title (NOT NULL) still empty: take_number must not flush it
            note.title = take_number(s, series, on)
            s.flush()
            if undo:
                raise Undo(note.title)
            return note.title
    except Undo as exc:
        return f"undone {exc}"


def committed_titles(kernel: Any) -> list[str]:
    from peyvand_notes.models import Note

    with kernel.sessions() as s:
        return list(s.scalars(select(Note.title).order_by(Note.id)))


@pytest.mark.parametrize("engine", ENGINES)
def test_numbers_follow_one_another_in_the_declared_format(make_kernel, engine):
    k = notes_kernel(make_kernel, engine)
    assert [write_note(k) for _ in range(3)] == ["N-1405-00001", "N-1405-00002", "N-1405-00003"]
    assert write_note(k, "notes.receipt") == "R/1405-001"
    assert committed_titles(k) == ["N-1405-00001", "N-1405-00002", "N-1405-00003", "R/1405-001"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rolled_back_document_gives_its_number_back(make_kernel, engine):
    k = notes_kernel(make_kernel, engine)
    assert write_note(k) == "N-1405-00001"
    assert write_note(k, undo=True) == "undone N-1405-00002"
    assert write_note(k) == "N-1405-00002"  # the next committed document fills it
    assert committed_titles(k) == ["N-1405-00001", "N-1405-00002"]


@pytest.mark.parametrize("engine", ENGINES)
def test_each_series_and_fiscal_year_counts_on_its_own(make_kernel, engine):
    k = notes_kernel(make_kernel, engine)
    last_of_1404, nowruz_1405 = jalali_to_date(1404, 12, 29), jalali_to_date(1405, 1, 1)
    assert nowruz_1405 - last_of_1404 == dt.timedelta(days=1)
    assert (fiscal_year(last_of_1404), fiscal_year(nowruz_1405)) == (1404, 1405)
    assert write_note(k, on=last_of_1404) == "N-1404-00001"
    assert write_note(k, on=last_of_1404) == "N-1404-00002"
    assert write_note(k, on=nowruz_1405) == "N-1405-00001"
    assert write_note(k, "notes.receipt", on=nowruz_1405) == "R/1405-001"
    # A late document of the closing year goes on with that year's count.
    assert write_note(k, on=last_of_1404) == "N-1404-00003"
    assert write_note(k, on=nowruz_1405) == "N-1405-00002"


@pytest.mark.parametrize("engine", ENGINES)
def test_fifty_concurrent_writers_number_the_committed_documents_one_to_n(make_kernel, engine):
    """50 threads, each its own transaction, start together on a series with no counter row yet
    (the row's creation races too). Half of them go through a second kernel on the same database
    — a second server process: on SQLite it meets this one only at the database lock. Every
    seventh rolls its document back. The committed numbers are exactly 1..N."""
    first = notes_kernel(make_kernel, engine)
    second = make_kernel(engine=engine, same_database_as=first, migrate=False, **NOTES)
    start = threading.Barrier(50)

    def writer(i: int) -> str:
        start.wait()
        return write_note(first if i % 2 else second, on=DAY, undo=i % 7 == 3)

    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(writer, range(50)))
    undone = [a for a in answers if a.startswith("undone")]
    assert len(undone) == len([i for i in range(50) if i % 7 == 3]) == 7
    titles = committed_titles(first)
    assert sorted(titles) == sorted(a for a in answers if not a.startswith("undone"))
    numbers = sorted(int(t.rsplit("-", 1)[1]) for t in titles)
    assert numbers == list(range(1, 44)), numbers  # no duplicate, no gap
    assert all(re.fullmatch(r"N-1405-\d{5}", t) for t in titles)
    assert write_note(second) == "N-1405-00044"


def test_an_undeclared_series_a_datetime_and_a_read_session_are_refused(make_kernel):
    k = notes_kernel(make_kernel)
    with k.session() as s, pytest.raises(UnknownSeries, match="'finance.invoice'.*register_number_series"):
        take_number(s, "finance.invoice", DAY)
    with k.session() as s, pytest.raises(TypeError, match="local date"):
        take_number(s, "notes.memo", dt.datetime(2026, 3, 20, 21, 0))
    with k.sessions() as s, pytest.raises(RuntimeError, match="write transaction"):
        take_number(s, "notes.memo", DAY)
    # The refusals took nothing.
    assert write_note(k) == "N-1405-00001"


def test_a_kernel_without_the_declaring_module_refuses_its_series(make_kernel):
    k = make_kernel()  # tier 1 without notes: nobody declares notes.memo
    with k.session() as s, pytest.raises(UnknownSeries):
        take_number(s, "notes.memo", DAY)


@pytest.mark.parametrize(("series", "says"), [
    (NumberSeries("notes.memo", "Memos", default_prefix="فاکتور-"), "default_prefix"),
    (NumberSeries("notes.memo", "Memos", default_padding=0), "default_padding"),
    (NumberSeries("notes.memo", ""), "label"),
    (NumberSeries("Notes memo", "Memos"), "<module>.<name>"),
])
def test_a_bad_declaration_stops_start_up_naming_the_series(series, says):
    with pytest.raises(ModuleError, match=re.escape(says)):
        check_declaration(series)


def test_taking_a_number_does_not_drop_what_pages_keep_but_a_new_prefix_does(make_kernel):
    """Counters change with every document: outside the memo's watched tables (kernel.memo)."""
    k = notes_kernel(make_kernel)

    def signal() -> int:
        with k.sessions() as s:
            return int(s.scalar(select(CacheSignal.version).where(CacheSignal.id == 1)) or 0)

    before = signal()
    write_note(k)
    assert signal() == before
    from kernel.numbering import set_style

    with k.session() as s:
        set_style(s, k.number_series["notes.memo"], "M-", "4")
    assert signal() == before + 1
    assert write_note(k) == "M-1405-0002"


def test_a_number_is_shown_with_persian_digits_left_to_right():
    assert format_code("INV-1405-00012", "fa") == f"{LRI}INV-۱۴۰۵-۰۰۰۱۲{PDI}"
    assert format_code("INV-1405-00012", "en") == "INV-1405-00012"
    assert format_code("", "fa") == ""


# -- the administration page ---------------------------------------------------------------------
@pytest.fixture
def admin_page(make_kernel, login_as):
    k = notes_kernel(make_kernel, edition="tier2")  # four seats
    create_user(k, "admin", admin=True)
    create_user(k, "clerk", perms=("notes.note.view",))
    create_user(k, "accountant", perms=("kernel.admin.numbering",))
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        c.kernel = k
        yield c


def _series_form(page: str, key: str) -> str:
    found = re.search(rf'<form[^>]*data-series="{re.escape(key)}".*?</form>', page, re.S)
    assert found, f"no form for {key}"
    return found.group(0)


def test_the_page_shows_each_series_and_its_next_number_and_changes_the_prefix(admin_page):
    k, today = admin_page.kernel, local_today(admin_page.kernel.config.timezone)
    year = fiscal_year(today)
    write_note(k, on=today)
    write_note(k, on=today)
    page = admin_page.get("/admin/numbering")
    assert page.status_code == 200 and "شمارهٔ اسناد" in page.text
    memo = _series_form(page.text, "notes.memo")
    fa_year = str(year).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f"{LRI}N-{fa_year}-۰۰۰۰۳{PDI}" in memo and 'data-next="3"' in memo
    assert 'name="prefix" value="N-"' in memo and 'name="padding" value="5"' in memo
    receipt = _series_form(page.text, "notes.receipt")
    assert f"{LRI}R/{fa_year}-۰۰۱{PDI}" in receipt and 'data-next="1"' in receipt

    token = csrf(admin_page, "/admin/numbering")
    saved = admin_page.post("/admin/numbering", data={"csrf": token, "series": "notes.memo",
                                                      "prefix": " MEMO-۲۰ ", "padding": "۴"})
    assert saved.status_code == 200 and "ذخیره شد" in saved.text  # after the redirect
    # Only numbers taken from now on: the two given keep their prefix, the count goes on.
    assert write_note(k, on=today) == f"MEMO-20{year}-0003"
    assert committed_titles(k)[:2] == [f"N-{year}-00001", f"N-{year}-00002"]
    assert 'value="MEMO-20"' in _series_form(admin_page.get("/admin/numbering").text, "notes.memo")


@pytest.mark.parametrize(("data", "says"), [
    ({"prefix": "فاکتور-", "padding": "5"}, "پیشوند فقط می‌تواند حروف لاتین"),
    ({"prefix": "A" * 21, "padding": "5"}, "پیشوند حداکثر ۲۰ نویسه دارد"),
    ({"prefix": "X-", "padding": "0"}, "تعداد رقم باید بین ۱ و ۱۲ باشد"),
    ({"prefix": "X-", "padding": "پنج"}, "عدد معتبر نیست"),
    ({"prefix": "X-", "padding": ""}, "یک عدد وارد کنید"),
    ({"series": "finance.invoice", "prefix": "X-", "padding": "5"}, "چنین سری شماره‌ای وجود ندارد"),
], ids=["persian-prefix", "long-prefix", "zero-digits", "digits-in-words", "no-digits", "unknown-series"])
def test_bad_input_is_refused_in_persian_and_changes_nothing(admin_page, data, says):
    token = csrf(admin_page, "/admin/numbering")
    answer = admin_page.post("/admin/numbering", data={"csrf": token, "series": "notes.memo", **data})
    assert answer.status_code == 400 and says in answer.text, answer.text[-2000:]
    assert 'name="prefix" value="N-"' in _series_form(answer.text, "notes.memo")
    assert write_note(admin_page.kernel) == "N-1405-00001"


def test_the_page_needs_its_permission_and_the_csrf_token(admin_page, login_as):
    k = admin_page.kernel
    with TestClient(build_app(k)) as clerk:
        login_as(clerk, "clerk")
        assert clerk.get("/admin/numbering").status_code == 403
        token = csrf(clerk, "/")
        refused = clerk.post("/admin/numbering", data={"csrf": token, "series": "notes.memo",
                                                       "prefix": "HACK-", "padding": "5"})
        assert refused.status_code == 403
        assert "/admin/numbering" not in clerk.get("/").text  # no menu entry either
    with TestClient(build_app(k)) as accountant:
        login_as(accountant, "accountant")
        assert accountant.get("/admin/numbering").status_code == 200
        assert 'href="/admin/numbering"' in accountant.get("/").text
        forged = accountant.post("/admin/numbering", data={"series": "notes.memo", "prefix": "HACK-", "padding": "5"})
        assert forged.status_code == 403
    assert write_note(k) == "N-1405-00001"


def test_without_a_numbering_module_there_is_no_menu_entry(make_kernel, login_as):
    k = make_kernel()
    create_user(k, "admin", admin=True)
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        assert "/admin/numbering" not in c.get("/").text
        page = c.get("/admin/numbering")
        assert page.status_code == 200 and "هیچ ماژول فعالی سند شماره‌دار ندارد" in page.text
