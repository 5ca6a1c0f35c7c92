"""Issue 11: the line editor saves several lines in one request (``op=save``: new lines kept with
Shift+Enter, lines changed in place, removals; the "Save all" button, Alt+S). Over HTTP, on both
engines: the lines and totals are what the services give line by line; a bad row in a batch
saves none of the batch, and every bad row is answered on its own fields in Persian."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.models import History
from kernel.testing import create_user, csrf
from modules.finance.models import Proforma, ProformaLine
from modules.finance.services import drafts
from modules.finance.tests.finance_helpers import PERMS, PROFORMA, jdate, three_lines, world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _draft(kernel: Any, w: dict[str, Any], lines: list[dict[str, Any]] | None = None) -> int:
    with kernel.session(w["actor"]) as s:
        return int(drafts.create_document(kernel, s, w["actor"], PROFORMA, {
            "partner_id": w["customer"], "date": jdate(1405, 3, 10), "discount_kind": "rial",
            "discount_value": 1_000_000, "shipping": 500_000}, lines or []).id)


def _state(kernel: Any, pid: int) -> tuple[Any, ...]:
    """Everything a refused batch must leave as it was: the lines, the totals, the history."""
    with kernel.sessions() as s:
        doc = s.get(Proforma, pid)
        lines = s.execute(select(ProformaLine.id, ProformaLine.position, ProformaLine.product_id,
                                 ProformaLine.quantity, ProformaLine.unit_price, ProformaLine.net)
                          .where(ProformaLine.proforma_id == pid).order_by(ProformaLine.id)).all()
        return (tuple(lines), doc.grand_total, doc.vat_amount, s.scalar(select(func.count()).select_from(History)))


def _rows(rows: dict[str, dict[str, str]]) -> dict[str, str]:
    return {"op": "save", **{f"{key}.{name}": value for key, row in rows.items() for name, value in row.items()}}


def test_three_new_lines_in_one_request_total_as_the_services_do(kernel: Any, web_client: Any) -> None:
    """The docs' worked example typed as three new rows and saved at once (Persian digits): the
    same lines, amounts and grand total as the services give (28,955,556 Rials at 10 % VAT)."""
    w = world(kernel)
    pid = _draft(kernel, w)
    c = web_client(kernel, "sara")
    token = {"X-CSRF-Token": csrf(c)}
    rows = {f"n{i}": {k: str(v) for k, v in line.items()} for i, line in enumerate(three_lines(w), 1)}
    r = c.post(f"/finance/proforma/{pid}/lines", headers=token, data=_rows(rows))
    assert r.status_code == 200, r.text
    assert "۲۸٬۹۵۵٬۵۵۶ ریال" in r.json()["html"]  # the grand total, drawn in the answer
    reference = _draft(kernel, w, three_lines(w))  # the same document through the services
    with kernel.sessions() as s:
        got, want = (s.scalars(select(ProformaLine).where(ProformaLine.proforma_id == d)
                               .order_by(ProformaLine.position)).all() for d in (pid, reference))
        assert [(li.position, li.product_id, li.quantity, li.unit_price, li.discount_amount, li.document_discount,
                 li.vat, li.total, li.serial_number) for li in got] == \
               [(li.position, li.product_id, li.quantity, li.unit_price, li.discount_amount, li.document_discount,
                 li.vat, li.total, li.serial_number) for li in want]
        assert s.get(Proforma, pid).grand_total == s.get(Proforma, reference).grand_total == 28_955_556
        # One entry in the document's history for the whole batch, naming each new line.
        notes = s.scalars(select(History.changes).where(History.table_name == "finance_proforma",
                                                        History.record_id == pid).order_by(History.id)).all()
    lines = [n for n in notes if "قلم" in n]
    assert len(lines) == 1 and all(f"قلم {n}" in lines[0] for n in (1, 2, 3)), notes


def test_changes_removals_and_new_lines_together(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    pid = _draft(kernel, w, three_lines(w))
    with kernel.sessions() as s:
        carpet, cloth, setup = s.scalars(select(ProformaLine.id).where(ProformaLine.proforma_id == pid)
                                         .order_by(ProformaLine.position)).all()
    c = web_client(kernel, "sara")
    r = c.post(f"/finance/proforma/{pid}/lines", headers={"X-CSRF-Token": csrf(c)}, data=_rows({
        str(carpet): {"quantity": "۳"}, str(cloth): {"delete": "1"},
        "n1": {"product_id": str(w["cloth"]), "quantity": "۱"}, "n2": {"product_id": str(w["carpet"]), "quantity": "۱"}}))
    assert r.status_code == 200, r.text
    with kernel.sessions() as s:
        lines = s.scalars(select(ProformaLine).where(ProformaLine.proforma_id == pid)
                          .order_by(ProformaLine.position)).all()
        assert [(li.id == carpet, li.product_id, li.quantity, li.position) for li in lines] == [
            (True, w["carpet"], 3, 1), (False, w["setup"], 1, 3), (False, w["cloth"], 1, 4), (False, w["carpet"], 1, 5)]
        assert lines[1].id == setup
        doc = s.get(Proforma, pid)
        # The totals are those of the four lines now on it (the document discount split anew).
        assert doc.net_amount == sum(li.net for li in lines) and doc.discount_amount == 1_000_000
        assert sum(li.document_discount for li in lines) == 1_000_000
        assert doc.grand_total == sum(li.total for li in lines) + 500_000


def test_a_bad_row_saves_none_of_the_batch_and_each_is_answered_on_its_fields(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    pid = _draft(kernel, w, three_lines(w))
    with kernel.sessions() as s:
        carpet = s.scalars(select(ProformaLine.id).where(ProformaLine.proforma_id == pid)
                           .order_by(ProformaLine.position)).first()
    c = web_client(kernel, "sara")
    token = {"X-CSRF-Token": csrf(c)}
    url = f"/finance/proforma/{pid}/lines"
    before = _state(kernel, pid)
    r = c.post(url, headers=token, data=_rows({
        str(carpet): {"quantity": "۵"},  # good
        "n1": {"product_id": str(w["cloth"]), "quantity": "۲"},  # good
        "n2": {"product_id": str(w["carpet"]), "quantity": "-۲"},
        "n3": {"quantity": "1"},  # no product
        "n6": {"product_id": str(w["carpet"]), "quantity": "1", "discount_value": "۱۲الف"},  # not a number
        "n4": {"product_id": str(w["cloth"]), "quantity": "۱٫۲۳۴۵"},  # more decimals than the line keeps
        "n5": {"product_id": str(w["carpet"]), "quantity": "1", "discount_kind": "percent", "discount_value": "۱۲٫۳۴۵"}}))
    assert r.status_code == 400, r.text
    errors = r.json()["errors"]
    assert set(errors) == {"n2.quantity", "n3.product_id", "n4.quantity", "n5.discount_value", "n6.discount_value"}
    assert "بیشتر از صفر" in errors["n2.quantity"] and "کالا" in errors["n3.product_id"]
    assert "اعشار" in errors["n4.quantity"] and "۳" in errors["n4.quantity"]
    assert "اعشار" in errors["n5.discount_value"]
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in text) for text in errors.values()), errors
    assert _state(kernel, pid) == before
    # A price typed over the rules' needs the override permission: refused on that row's field.
    r = c.post(url, headers=token, data=_rows({"n1": {"product_id": str(w["carpet"]), "quantity": "1"},
                                               "n2": {"product_id": str(w["carpet"]), "quantity": "1",
                                                      "unit_price": "۹٬۰۰۰٬۰۰۰"}}))
    assert r.status_code == 400 and set(r.json()["errors"]) == {"n2.unit_price"}
    assert "مجوز" in r.json()["errors"]["n2.unit_price"]
    assert _state(kernel, pid) == before


def test_rows_that_are_not_this_documents_or_not_rows_are_refused(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    pid, other = _draft(kernel, w, three_lines(w)), _draft(kernel, w, three_lines(w))
    with kernel.sessions() as s:
        foreign = s.scalars(select(ProformaLine.id).where(ProformaLine.proforma_id == other)).first()
        mine = s.scalars(select(ProformaLine.id).where(ProformaLine.proforma_id == pid)).first()
    c = web_client(kernel, "sara")
    token = {"X-CSRF-Token": csrf(c)}
    url = f"/finance/proforma/{pid}/lines"
    before, before_other = _state(kernel, pid), _state(kernel, other)
    new = {"n1": {"product_id": str(w["cloth"]), "quantity": "1"}}
    for data, status in (
            (_rows({**new, str(foreign): {"quantity": "9"}}), 404),  # another document's line
            (_rows({**new, str(foreign): {"delete": "1"}}), 404),
            ({**_rows(new), "x1.quantity": "2"}, 400),  # not a row's name
            (_rows({f"n{i}": {"product_id": str(w["cloth"]), "quantity": "1"} for i in range(201)}), 400),
            (_rows({**new, str(mine): {"quantity": "9"}}), 403)):  # no CSRF token
        r = c.post(url, headers={} if status == 403 else token, data=data)
        assert r.status_code == status, (status, r.text[:300])
        if status == 400:
            assert any("\u0600" <= ch <= "\u06ff" for ch in r.json()["error"]), r.text
    assert _state(kernel, pid) == before and _state(kernel, other) == before_other
    # Without the permission to edit proformas: refused, nothing saved.
    create_user(kernel, "viewer", perms=("finance.proforma.view", "finance.product.view", "base.partner.view"))
    viewer = web_client(kernel, "viewer")
    assert viewer.post(url, headers={"X-CSRF-Token": csrf(viewer)}, data=_rows(new)).status_code == 403
    assert _state(kernel, pid) == before


def test_the_editor_page_offers_save_all(kernel: Any, web_client: Any) -> None:
    w = world(kernel, perms=(*PERMS, "finance.proforma.convert"))
    pid = _draft(kernel, w, three_lines(w))
    page = web_client(kernel, "sara").get(f"/finance/proforma/{pid}/lines").text
    assert "data-ed-save-all" in page and 'data-shortcut="s"' in page and "ذخیرهٔ همه" in page
    assert "Shift+Enter" in page  # the hint above the lines
