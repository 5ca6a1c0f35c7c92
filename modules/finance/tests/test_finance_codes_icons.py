"""Issue 11, the two kernel gaps on finance's documents: a document number is a ``code`` (Persian
digits on fa pages, kept left to right; ASCII in the API and in spreadsheets), and a converted
proforma carries a green arrow in the list, labelled with its invoice for screen readers, exported
as text."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.persian.textnorm import LRI, PDI
from kernel.testing import create_user, pdf_text
from kernel.web.app import build_app
from modules.finance.models import Invoice, Proforma
from modules.finance.services import drafts, issuing
from modules.finance.tests.finance_helpers import PERMS, PROFORMA, jdate, three_lines, world

DOCS = (*PERMS, "finance.proforma.convert")


@pytest.fixture
def two_proformas(make_kernel: Any) -> Any:
    """One proforma converted into its invoice, one only issued."""
    kernel = make_kernel(edition="tier3")
    w = world(kernel, perms=DOCS)
    ids = []
    for title in ("converted", "issued only"):
        with kernel.session(w["actor"]) as s:
            doc = drafts.create_document(kernel, s, w["actor"], PROFORMA,
                                         {"partner_id": w["customer"], "date": jdate(1405, 2, 1), "title": title},
                                         three_lines(w))
            ids.append(doc.id)
    with kernel.session(w["actor"]) as s:
        issuing.convert(kernel, s, w["actor"], ids[0])
        issuing.issue_proforma(kernel, s, w["actor"], ids[1])
    kernel.ids = ids
    return kernel


def _rows(html: str) -> dict[str, str]:
    """Each list row's markup by the proforma number it shows."""
    rows = html.split("<tr data-href=")[1:]
    return {num: row for row in rows for num in ("PF-۱۴۰۵-۰۰۰۰۱", "PF-۱۴۰۵-۰۰۰۰۲") if num in row}


def test_numbers_are_codes_on_pages_and_ascii_in_the_api_and_spreadsheets(two_proformas: Any, login_as: Any,
                                                                         api_client: Any) -> None:
    kernel = two_proformas
    with kernel.sessions() as s:
        inv = s.scalars(select(Invoice)).one()
        assert inv.number == "INV-1405-00001"
    with TestClient(build_app(kernel)) as c:
        create_user(kernel, "boss", perms=(*DOCS, "finance.proforma.export"))
        login_as(c, "boss")
        listing = c.get("/finance/proforma/").text
        # The proforma's own number and the invoice it became, both isolated with Persian digits.
        assert f"{LRI}PF-۱۴۰۵-۰۰۰۰۱{PDI}" in listing and f"{LRI}INV-۱۴۰۵-۰۰۰۰۱{PDI}" in listing
        assert "INV-1405-00001" not in listing
        page = c.get(f"/finance/invoice/{inv.id}").text
        assert f"{LRI}INV-۱۴۰۵-۰۰۰۰۱{PDI}" in page
        sheet = load_workbook(io.BytesIO(c.get("/finance/proforma/export.xlsx").content)).active
        values = {v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)}
        assert {"PF-1405-00001", "PF-1405-00002", "INV-1405-00001"} <= values
        rows = list(csv.reader(io.StringIO(c.get("/finance/proforma/export.csv").content.decode("utf-8-sig"))))
        flat = [v for row in rows for v in row]
        assert "INV-1405-00001" in flat and not any(LRI in v for v in flat)
        # The list's PDF keeps the number's parts in order on its right-to-left rows.
        assert "INV-۱۴۰۵-۰۰۰۰۱" in "\n".join(pdf_text(c.get("/finance/proforma/export.pdf").content))
    api = api_client(kernel, "boss")
    item = api.get(f"/api/finance/invoice/{inv.id}").json()
    assert item["number"] == "INV-1405-00001" and item["_title"] == "INV-1405-00001"


def test_a_converted_proforma_has_the_green_arrow_labelled_with_its_invoice(two_proformas: Any,
                                                                           login_as: Any) -> None:
    kernel = two_proformas
    create_user(kernel, "boss", perms=(*DOCS, "finance.proforma.export"))
    with TestClient(build_app(kernel)) as c:
        login_as(c, "boss")
        rows = _rows(c.get("/finance/proforma/").text)
        converted, issued = rows["PF-۱۴۰۵-۰۰۰۰۱"], rows["PF-۱۴۰۵-۰۰۰۰۲"]
        label = f"تبدیل‌شده به {LRI}INV-۱۴۰۵-۰۰۰۰۱{PDI}"
        assert 'class="cell-icon tone-green"' in converted and f'title="{label}"' in converted
        assert f'<span class="visually-hidden">{label}</span>' in converted
        assert "M19 12H5" in converted  # the arrow's path, from kernel/icons.py
        assert "cell-icon" not in issued
        # The export carries the text (the invoice's number), never the icon's markup.
        sheet = load_workbook(io.BytesIO(c.get("/finance/proforma/export.xlsx").content)).active
        cells = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        assert "INV-1405-00001" in cells and not any("<svg" in v or "cell-icon" in v for v in cells)


def test_a_code_typed_in_persian_digits_is_stored_in_ascii(two_proformas: Any) -> None:
    kernel = two_proformas
    f = kernel.resources["finance.proforma"].field("number")
    assert f.kind == "code"
    assert f.parse("PF-۱۴۰۵-۰۰۰۰۷") == "PF-1405-00007"
    assert f.display("PF-1405-00007", "fa") == f"{LRI}PF-۱۴۰۵-۰۰۰۰۷{PDI}"
    assert f.display("PF-1405-00007", "en") == "PF-1405-00007"
    with kernel.sessions() as s:
        assert [p.converted_invoice_id is not None for p in s.scalars(select(Proforma).order_by(Proforma.id))] \
            == [True, False]
