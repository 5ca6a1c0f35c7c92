"""A paged report (``Report(page_size=...)``): its page shows ``page_size`` rows and a link to the
next page that keeps the form's values; following the links shows every row once, in order; the
xlsx and PDF hold every row from the first; a cursor the report refuses is a Persian message with
400, not a 500. The test module ``notes`` declares ``notes.titles`` (two rows a page)."""

from __future__ import annotations

import html
import io
import re
from typing import Any

from openpyxl import load_workbook

from kernel.testing import create_record, create_user

NOTES = {"modules": ("notes",), "packages": ("peyvand_notes",)}
PERMS = ("notes.note.view", "notes.note.export", "notes.note.create", "notes.titles.report")


def _titles(page: str) -> list[str]:
    return re.findall(r"<td>(یادداشت [^<]+)</td>", page)


def _next(page: str) -> str | None:
    found = re.search(r'<a href="\?([^"]*)" rel="next">', page)
    return html.unescape(found.group(1)) if found else None


def test_pages_of_a_paged_report_show_every_row_once_in_order(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(**NOTES)
    create_user(k, "reader", perms=PERMS)
    titles = [f"یادداشت {i}" for i in "الف ب پ ت ث".split()]
    for title in titles:
        create_record(k, None, "notes.note", title=title, amount=1000, kind="plain")
    create_record(k, None, "notes.note", title="یادداشت محرمانه", kind="secret")
    c = web_client(k, "reader")
    page = c.get("/reports/notes.titles", params={"kind": "plain"})
    assert page.status_code == 200 and _titles(page.text) == titles[:2]
    assert 'rel="first"' not in page.text  # the first page needs no way back to itself
    seen, query = _titles(page.text), _next(page.text)
    while query:
        assert "kind=plain" in query  # the form's values go on to the next page
        page = c.get(f"/reports/notes.titles?{query}")
        assert page.status_code == 200 and 'rel="first"' in page.text
        seen += _titles(page.text)
        query = _next(page.text)
    assert seen == titles  # every row once, in the report's order; the secret kind left out
    # The xlsx reads from the first row, whatever page it was asked from.
    sheet = load_workbook(io.BytesIO(c.get("/reports/notes.titles.xlsx?kind=plain&after=999").content)).active
    assert [row[0].value for row in sheet.iter_rows()][1:] == titles
    bad = c.get("/reports/notes.titles", params={"after": "not-a-cursor"})
    assert bad.status_code == 400 and "یک عدد صحیح" in bad.text
