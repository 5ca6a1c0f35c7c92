"""Tax rates as base data (issue 11): the rate typed and shown as a percent («۹٪», «۹٫۵»), kept
as basis points; bad rates refused on the field in Persian; VAT and municipal tax as two kinds
of row with their own dates, municipal seeded at 0 (it is inside the VAT law's one rate), and a
document paying each at the rate in force on its date."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text

from kernel.testing import create_record, create_user, csrf, pdf_text
from modules.finance.models import Proforma, TaxRate
from modules.finance.models.tax import rates_on
from modules.finance.services import drafts
from modules.finance.tests.finance_helpers import PROFORMA, jdate, three_lines, world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _count(kernel: Any) -> int:
    with kernel.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(TaxRate)) or 0)


def test_the_rate_is_typed_as_a_percent_and_shown_as_one(kernel: Any, web_client: Any, api_client: Any) -> None:
    create_user(kernel, "sara", perms=("finance.tax_rate.*",))
    c = web_client(kernel, "sara")
    form = c.get("/finance/tax_rate/new").text
    assert 'name="rate"' in form and 'inputmode="decimal"' in form
    made = []
    for typed, day, bp in (("۹٪", "۱۴۰۵/۰۷/۰۱", 900), ("9", "۱۴۰۵/۰۸/۰۱", 900), ("۹.۵", "۱۴۰۵/۰۹/۰۱", 950),
                           ("10%", "۱۴۰۵/۱۰/۰۱", 1000), ("۱۲٫۲۵", "۱۴۰۵/۱۱/۰۱", 1225)):
        r = c.post("/finance/tax_rate/new", follow_redirects=False,
                   data={"csrf": csrf(c), "kind": "vat", "rate": typed, "valid_from": day})
        assert r.status_code == 303, (typed, r.text[:1500])
        made.append((day, bp))
    with kernel.sessions() as s:
        # Kept as basis points in the column; the documents take basis points.
        assert sorted(s.execute(text("SELECT rate FROM finance_tax_rate WHERE kind = 'vat' "
                                     "AND valid_from > '2026-01-01'")).scalars()) == [900, 900, 950, 1000, 1225]
        assert rates_on(s, jdate(1405, 9, 15)) == (950, 0)
        assert s.scalars(select(TaxRate.rate).where(TaxRate.valid_from == jdate(1405, 9, 1))).one() == Decimal("9.5")
    before = _count(kernel)
    for bad, words in (("نه درصد", "درصد را به عدد بنویسید"), ("-۱", "بین ۰ و ۱۰۰"), ("۱۰۱", "بین ۰ و ۱۰۰"),
                       ("۹٫۱۲۵", "دو رقم اعشار"), ("abc", "درصد را به عدد بنویسید")):
        r = c.post("/finance/tax_rate/new", data={"csrf": csrf(c), "kind": "vat", "rate": bad,
                                                  "valid_from": "۱۴۰۶/۰۱/۰۱"})
        assert r.status_code == 400, bad
        error = re.search(r'id="f-rate".*?<p class="error field-error" role="alert">([^<]*)</p>', r.text, re.S)
        assert error and words in error.group(1), (bad, r.text[:3000])
    assert _count(kernel) == before
    # The list, its PDF and an edit form show a percent, never basis points.
    page = c.get("/finance/tax_rate/", params={"f_kind": "vat"}).text
    assert "۹٫۵٪" in page and "۱۲٫۲۵٪" in page and "۱۰٪" in page and "۹۵۰" not in page
    pdf = "\n".join(pdf_text(c.get("/finance/tax_rate/export.pdf", params={"f_kind": "vat"}).content))
    assert re.search("۹٫۵٪|٪۹٫۵", pdf) and "۹۵۰" not in pdf, pdf
    with kernel.sessions() as s:
        rid = s.scalars(select(TaxRate.id).where(TaxRate.valid_from == jdate(1405, 9, 1))).one()
    assert 'value="9.5"' in c.get(f"/finance/tax_rate/{rid}/edit").text
    # The API takes and gives the percent too.
    api = api_client(kernel, "sara")
    r = api.post("/api/finance/tax_rate", json={"kind": "municipal", "rate": 1.5, "valid_from": "2027-03-21"})
    assert r.status_code == 201, r.text
    assert api.get(f"/api/finance/tax_rate/{r.json()['id']}").json()["rate"] in ("1.50", "1.5")
    assert api.post("/api/finance/tax_rate", json={"kind": "vat", "rate": 900,
                                                   "valid_from": "2027-03-21"}).status_code == 422


def test_municipal_tax_is_its_own_rate_by_date_and_the_totals_take_both(kernel: Any) -> None:
    with kernel.sessions() as s:
        seeded = s.execute(select(TaxRate.kind, TaxRate.rate, TaxRate.valid_from).where(TaxRate.kind == "municipal")).all()
    # Seeded at 0: the VAT law's one rate (9 %, 10 % from 1403) already holds the municipal share.
    assert seeded == [("municipal", Decimal("0.00"), jdate(1399, 1, 1))]
    w = world(kernel)
    # From 1405/07/01 a separate 1 % duty applies (an administrator's row).
    create_record(kernel, None, "finance.tax_rate", kind="municipal", rate=Decimal(1), valid_from=jdate(1405, 7, 1))

    def proforma(day: Any) -> int:
        with kernel.session(w["actor"]) as s:
            return int(drafts.create_document(kernel, s, w["actor"], PROFORMA, {
                "partner_id": w["customer"], "date": day, "discount_kind": "rial",
                "discount_value": Decimal(1_000_000), "shipping": 500_000}, three_lines(w)).id)

    before, after = proforma(jdate(1405, 6, 31)), proforma(jdate(1405, 7, 1))
    with kernel.sessions() as s:
        old, new = s.get(Proforma, before), s.get(Proforma, after)
        assert (old.vat_rate_bp, old.municipal_rate_bp) == (1000, 0)
        assert (new.vat_rate_bp, new.municipal_rate_bp) == (1000, 100)
        # The docs' worked example: VAT 2,455,556 either side; 1 % of the taxed lines' 21,666,667 and
        # 2,888,889 is 216,667 + 28,889 (each half up); the exempt set-up pays neither.
        assert (old.vat_amount, old.municipal_amount, old.grand_total) == (2_455_556, 0, 28_955_556)
        assert (new.vat_amount, new.municipal_amount) == (2_455_556, 245_556)
        assert new.grand_total == 26_000_000 + 2_455_556 + 245_556 + 500_000
