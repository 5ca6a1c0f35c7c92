"""Report (c) read from the kept totals, a page at a time: the largest buyers first (invoiced,
then offered, then the newer customer), every customer once across the pages, the same rows
for a Jalali year and for all years; the record scope applies — an Isfahan clerk sees Isfahan's
customers, a clerk of "own records" sees the totals of their own documents only (aggregated from
them), a clerk without the proformas sees no proforma figures nor customers with proformas only."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kernel import ReportPage
from kernel.testing import actor_of, create_record, create_user
from modules.finance.report_customers import customer_totals
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.report_helpers import ALL, invoice, line, proforma, provinces_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
DAY = jdate(1405, 2, 1)


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _pages(kernel: Any, actor: Any, size: int, **params: str) -> list[list[list[Any]]]:
    """Every page of the report, following its cursors."""
    pages, after = [], ""
    while True:
        with kernel.sessions() as s:
            _cols, rows, after = customer_totals(session=s, actor=actor, params=params, kernel=kernel, lang="fa",
                                                 page=ReportPage(after, size))
        pages.append(rows)
        if not after:
            return pages


def _world(kernel: Any) -> dict[str, Any]:
    w = provinces_world(kernel)
    boss, c, r = w["boss"], w["carpet"], w["repair"]
    from modules.base.models import Partner

    with kernel.sessions() as s:
        isf_province = s.get(Partner, w["gaz"]).province_id
    w["sepahan"] = create_record(kernel, None, "base.partner", kind="company", name="سپاهان", province_id=isf_province)
    w["naghsh"] = create_record(kernel, None, "base.partner", kind="company", name="نقش جهان", province_id=isf_province)
    invoice(kernel, boss, w["gaz"], DAY, [line(c, "2")])                                   # 22,000,000
    invoice(kernel, boss, w["vanak"], DAY, [line(c)])                                      # 11,000,000
    invoice(kernel, boss, w["sepahan"], DAY, [line(c)])                                    # 11,000,000
    proforma(kernel, boss, w["sepahan"], DAY, [line(r)], kind="service")                   # offered 2,000,000
    proforma(kernel, boss, w["naghsh"], jdate(1404, 5, 1), [line(c)])                      # offers only, 1404
    return w


def test_pages_walk_every_customer_once_largest_first(kernel: Any) -> None:
    w = _world(kernel)
    everyone = [row for page in _pages(kernel, w["boss"], 50, year="all") for row in page]
    assert everyone == [["گز اصفهان", 0, 0, 0, 0, 1, 22_000_000, 0, 0],
                        ["سپاهان", 0, 0, 1, 2_000_000, 1, 11_000_000, 0, 0],  # offered more: first of the ties
                        ["ونک تجارت", 0, 0, 0, 0, 1, 11_000_000, 0, 0],
                        ["نقش جهان", 1, 11_000_000, 0, 0, 0, 0, 0, 0]]
    pages = _pages(kernel, w["boss"], 1, year="all")
    assert [len(p) for p in pages] == [1, 1, 1, 1] and [p[0] for p in pages] == everyone
    assert [r[0] for p in _pages(kernel, w["boss"], 3, year="all") for r in p] == [r[0] for r in everyone]
    # A year: only that year's documents (1 Farvardin to the end of Esfand).
    assert [r[0] for p in _pages(kernel, w["boss"], 2, year="۱۴۰۵") for r in p] == [r[0] for r in everyone[:3]]
    assert [p for p in _pages(kernel, w["boss"], 2, year="1404")] == [[everyone[3]]]
    assert _pages(kernel, w["boss"], 2, year="1390") == [[]]


def test_the_scope_applies_to_the_kept_rows_and_to_own_documents(kernel: Any) -> None:
    w = _world(kernel)
    isf = [r[0] for p in _pages(kernel, w["isf"], 1, year="all") for r in p]
    assert isf == ["گز اصفهان", "سپاهان", "نقش جهان"]  # Tehran's customer is not there
    # "Own records": their own customer, and of its documents only theirs.
    own_uid = create_user(kernel, "own", perms=ALL, scope="own")
    own = actor_of(kernel, own_uid)
    mine = create_record(kernel, own_uid, "base.partner", kind="company", name="مشتری خودم")
    invoice(kernel, own, mine, DAY, [line(w["repair"])], kind="service")                  # 2,000,000, theirs
    invoice(kernel, w["boss"], mine, DAY, [line(w["carpet"], "3")])                        # 33,000,000, the boss's
    rows = [r for p in _pages(kernel, own, 1, year="all") for r in p]
    assert rows == [["مشتری خودم", 0, 0, 0, 0, 0, 0, 1, 2_000_000]]
    everyone = [r for p in _pages(kernel, w["boss"], 50, year="all") for r in p]
    assert everyone[0] == ["مشتری خودم", 0, 0, 0, 0, 1, 33_000_000, 1, 2_000_000]
    # Without the proformas: no proforma figures, no customer with proformas only.
    seller = actor_of(kernel, create_user(kernel, "seller", perms=("finance.invoice.*", "base.partner.*",
                                                                   "finance.customer_totals.report")))
    rows = [r for p in _pages(kernel, seller, 2, year="all") for r in p]
    assert [r[0] for r in rows] == ["مشتری خودم", "گز اصفهان", "سپاهان", "ونک تجارت"]
    assert all(r[1:5] == [0, 0, 0, 0] for r in rows)


def test_the_page_offers_the_years_and_a_next_page(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(edition="tier3")
    w = _world(kernel)
    from modules.finance import report_customers

    boss = web_client(kernel, "boss")
    page = boss.get("/reports/finance.customer_totals", params={"year": "all"})
    assert page.status_code == 200 and 'rel="next"' not in page.text  # four rows fit on one page
    assert re.search(r'<option value="all" selected>همهٔ سال‌ها</option>', page.text)
    assert '<option value="1405" >۱۴۰۵</option>' in page.text and '<option value="1404" >۱۴۰۴</option>' in page.text
    assert "۲۲٬۰۰۰٬۰۰۰" in page.text and "ونک تجارت" in page.text
    assert report_customers.PAGE_SIZE == 50
    # A cursor goes on from its row, here after the first two customers.
    first = _pages(kernel, w["boss"], 2, year="all")
    with kernel.sessions() as s:
        _c, _r, after = customer_totals(session=s, actor=w["boss"], params={"year": "all"}, kernel=kernel, lang="fa",
                                        page=ReportPage("", 2))
    page = boss.get("/reports/finance.customer_totals", params={"year": "all", "after": after})
    assert page.status_code == 200 and 'rel="first"' in page.text
    assert "ونک تجارت" in page.text and "گز اصفهان" not in page.text and first[1][0][0] == "ونک تجارت"
