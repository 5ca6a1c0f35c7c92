"""A document number typed in the top-bar search or in a document list's search box is answered
by the number key (``number_seq``/``number_year``: ``Resource.lookup``), and the trigram search
of the documents' ``search_key`` does not run for it (issue 11: every invoice shares the trigrams
of ``inv-1405-``). A text that is no number still searches the documents' text; the record scope
applies either way (an Isfahan clerk never finds a Tehran customer's invoice by its number)."""

from __future__ import annotations

from typing import Any

import pytest

from modules.finance.tests.finance_helpers import jdate, statements
from modules.finance.tests.report_helpers import invoice, line, proforma, provinces_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _text_searched(sql: list[str], table: str) -> bool:
    """Did a statement search ``table``'s text (its search key, or SQLite's FTS index of it)?"""
    return any(f"{table}.search_key LIKE" in s or f"{table}_fts" in s for s in sql)


def _world(kernel: Any) -> dict[str, Any]:
    w = provinces_world(kernel)
    boss = w["boss"]
    w["vanak_inv"] = invoice(kernel, boss, w["vanak"], jdate(1405, 1, 10), [line(w["carpet"])],
                             title="فرش کاشان برای دفتر")                                  # INV-1405-00001
    w["gaz_inv"] = invoice(kernel, boss, w["gaz"], jdate(1405, 2, 1), [line(w["carpet"])])  # INV-1405-00002
    w["gaz_pf"] = proforma(kernel, boss, w["gaz"], jdate(1405, 1, 5), [line(w["repair"])],
                           title="رفوگری فرش ۷ متری")                                      # PF-1405-00001
    return w


def _rows(page: str, url: str) -> list[str]:
    """The ids of the documents a list page shows (its rows link to their pages)."""
    import re

    return sorted(set(re.findall(rf'data-href="{url}(\d+)"', page)))


def test_a_number_is_found_both_ways_by_its_key_not_by_the_text_search(kernel: Any, web_client: Any) -> None:
    w = _world(kernel)
    boss = web_client(kernel, "boss")
    gaz = str(w["gaz_inv"])
    for typed in ("INV-1405-00002", "inv-۱۴۰۵-۰۰۰۰۲", "۱۴۰۵/۲", "00002"):
        with statements(kernel.engine) as sql:
            found = boss.get("/search", params={"q": typed, "format": "json"}).json()
        assert [h["url"] for h in found if h["url"].startswith("/finance/")] == [f"/finance/invoice/{gaz}"], typed
        assert not _text_searched(sql, "finance_invoice") and not _text_searched(sql, "finance_proforma"), typed
        # Found once, by the finance provider: the kernel's search of the documents is skipped.
        assert sum("FROM finance_invoice" in s for s in sql) == 1, typed
        with statements(kernel.engine) as sql:
            page = boss.get("/finance/invoice/", params={"q": typed})
        assert page.status_code == 200 and _rows(page.text, "/finance/invoice/") == [gaz], typed
        assert any("number_seq" in s for s in sql) and not _text_searched(sql, "finance_invoice"), typed
    # The running number alone names that number in every series it exists in.
    assert _rows(boss.get("/finance/proforma/", params={"q": "۱"}).text, "/finance/proforma/") == [str(w["gaz_pf"])]
    assert _rows(boss.get("/finance/invoice/", params={"q": "PF-1405-00001"}).text, "/finance/invoice/") == []
    # The API's search is the list's.
    answer = boss.get("/api/finance/invoice", params={"q": "۱۴۰۵-۱"}).json()
    assert [item["id"] for item in answer["items"]] == [w["vanak_inv"]]


def test_a_text_still_searches_the_documents_text(kernel: Any, web_client: Any) -> None:
    w = _world(kernel)
    boss = web_client(kernel, "boss")
    with statements(kernel.engine) as sql:
        found = boss.get("/search", params={"q": "کاشان", "format": "json"}).json()
    assert f"/finance/invoice/{w['vanak_inv']}" in [h["url"] for h in found]
    assert _text_searched(sql, "finance_invoice")
    page = boss.get("/finance/proforma/", params={"q": "رفوگری فرش"}).text
    assert _rows(page, "/finance/proforma/") == [str(w["gaz_pf"])]
    # "7 متری" is a text with a number in it, not a document number.
    assert _rows(boss.get("/finance/proforma/", params={"q": "۷ متری"}).text, "/finance/proforma/") == [str(w["gaz_pf"])]


def test_a_number_outside_the_scope_is_not_shown_either_way(kernel: Any, web_client: Any) -> None:
    w = _world(kernel)
    isf = web_client(kernel, "isf")
    vanak = str(w["vanak_inv"])  # Tehran's: the Isfahan clerk may not see it
    for typed in ("INV-1405-00001", "۱۴۰۵-۱", "1"):
        found = isf.get("/search", params={"q": typed, "format": "json"}).json()
        assert all(h["url"] != f"/finance/invoice/{vanak}" for h in found) and "ونک" not in str(found), typed
        assert _rows(isf.get("/finance/invoice/", params={"q": typed}).text, "/finance/invoice/") == [], typed
    assert isf.get("/api/finance/invoice", params={"q": "INV-1405-00001"}).json()["items"] == []
    # Isfahan's own invoice is found the same ways.
    gaz = str(w["gaz_inv"])
    assert _rows(isf.get("/finance/invoice/", params={"q": "۲"}).text, "/finance/invoice/") == [gaz]
    assert f"/finance/invoice/{gaz}" in [h["url"] for h in isf.get("/search", params={"q": "2", "format": "json"}).json()]
