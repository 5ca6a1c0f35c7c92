"""Closing the fiscal year (FIN-16), through the services, on SQLite and PostgreSQL: every reason
of a refusal listed with nothing changed, the close's opening balances (their sum the open
balances at the year's end) and carried items, new-year numbering from 1, the undo allowed and
then refused, a second close refused."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.models import History
from kernel.testing import create_record
from modules.finance.models import FiscalCarry, FiscalOpening, FiscalYear, Invoice, Receipt
from modules.finance.services import fiscal_close
from modules.finance.services.fiscal_close import Refused
from modules.finance.services.fiscal_view import next_numbers
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.fiscal_helpers import draft_proforma, fiscal_world, invoice_on, receive

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _close(kernel: Any, w: dict[str, Any], year: int = 1404) -> FiscalYear:
    with kernel.session(w["boss"]) as s:
        return fiscal_close.close(kernel, s, w["boss"], year)


def _reopen(kernel: Any, w: dict[str, Any], year: int = 1404) -> FiscalYear:
    with kernel.session(w["boss"]) as s:
        return fiscal_close.reopen(kernel, s, w["boss"], year)


def _written(kernel: Any) -> tuple[int, int, int]:
    with kernel.sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                     for m in (FiscalYear, FiscalOpening, FiscalCarry))


def _carried(kernel: Any, year: int = 1405) -> dict[str, list[tuple[str | None, int]]]:
    with kernel.sessions() as s:
        out: dict[str, list[tuple[str | None, int]]] = {}
        for row in s.scalars(select(FiscalCarry).where(FiscalCarry.year == year).order_by(FiscalCarry.id)):
            out.setdefault(row.kind, []).append((row.reference, row.amount))
        return out


def test_every_reason_is_listed_and_nothing_changes(kernel: Any) -> None:
    w = fiscal_world(kernel)
    draft_proforma(kernel, w, "gaz", jdate(1404, 12, 25))
    with kernel.session(w["boss"]) as s:
        from modules.finance.services.drafts import create_document
        from modules.finance.tests.finance_helpers import INVOICE

        create_document(kernel, s, w["boss"], INVOICE, {"partner_id": w["gaz"], "date": jdate(1404, 12, 26)},
                        [{"product_id": w["product"], "quantity": "1"}])
    # A cheque that fell due in 1404 and never left the desk.
    create_record(kernel, w["boss_id"], "finance.cheque", partner_id=w["gaz"], bank_id=w["mellat"], number="4455",
                  sayad_id="9999888877776666", amount=1_000_000, due_date=jdate(1404, 12, 1),
                  received_on=jdate(1404, 11, 1), issuer="رضا محمدی")
    with pytest.raises(Refused) as refused:
        _close(kernel, w)
    said = [r.msgid for r in refused.value.reasons]
    assert len(said) == 3, said
    assert "draft proformas" in said[0] and "draft invoices" in said[1] and "at the desk" in said[2]
    assert all(r.records for r in refused.value.reasons)  # each with the records to settle, linked
    assert refused.value.reasons[0].records[0][0].startswith("/finance/proforma/")
    # This year has not ended, and 1404 (before it) is open: both said at once.
    with pytest.raises(Refused) as later:
        _close(kernel, w, 1405)
    said = [r.msgid for r in later.value.reasons]
    assert any("has not ended yet" in m for m in said) and any("still open" in m for m in said)
    assert later.value.reasons[1].params["earlier"] == "۱۴۰۴"
    assert _written(kernel) == (0, 0, 0)


def test_an_earlier_year_with_documents_must_be_closed_first(kernel: Any) -> None:
    w = fiscal_world(kernel)
    invoice_on(kernel, w, "gaz", jdate(1403, 6, 1))
    with pytest.raises(Refused) as refused:
        _close(kernel, w)
    assert [r.msgid for r in refused.value.reasons] == ["The fiscal year {earlier} is still open: close it first"]
    assert _written(kernel) == (0, 0, 0)
    _close(kernel, w, 1403)
    _close(kernel, w, 1404)
    assert _written(kernel)[0] == 2


def test_the_close_writes_the_opening_balances_and_the_carried_items(kernel: Any) -> None:
    w = fiscal_world(kernel)
    row = _close(kernel, w)
    assert row.state == "closed" and row.closed_by_id == w["boss_id"] and row.closed_at is not None
    with kernel.sessions() as s:
        openings = {p: a for p, a in s.execute(select(FiscalOpening.partner_id, FiscalOpening.amount)
                                               .where(FiscalOpening.year == 1405))}
        open_balances = s.scalar(select(func.sum(Invoice.balance)).where(Invoice.state == "issued"))
        year = s.scalars(select(FiscalYear)).one()
        history = s.scalars(select(History).where(History.table_name == "finance_fiscal_year")).all()
    assert openings == {w["gaz"]: 6_000_000, w["vanak"]: 8_000_000}
    assert sum(openings.values()) == open_balances == year.opening_total == 14_000_000
    assert year.openings == 2
    assert history and '"closed"' in history[-1].changes  # the kernel's history of the year's row
    carried = _carried(kernel)
    assert sorted(a for _, a in carried["invoice"]) == [6_000_000, 8_000_000]
    # The unpaid instalments of the plan: two of 4,000,000 (the cash part was paid).
    assert [a for _, a in carried["instalment"]] == [4_000_000, 4_000_000]
    assert carried["instalment"][0][0] is not None and carried["instalment"][0][0].startswith("INV-1404-")
    assert carried["cheque"] == [("778899", 3_000_000)]
    assert [r for r, _ in carried["proforma"]] == ["PF-1404-00001"]
    assert year.carried == 6
    # Nothing was moved: the invoices keep their numbers, dates and balances.
    with kernel.sessions() as s:
        inv = s.get(Invoice, w["inv1"])
        assert inv.number == "INV-1404-00001" and inv.balance == 6_000_000


def test_the_openings_are_the_balances_at_the_year_end_not_today(kernel: Any) -> None:
    w = fiscal_world(kernel)
    receive(kernel, w, w["inv1"], 1_000_000, jdate(1405, 1, 10))  # paid after the year ended
    _close(kernel, w)
    with kernel.sessions() as s:
        gaz = s.scalar(select(FiscalOpening.amount).where(FiscalOpening.partner_id == w["gaz"]))
        balances = s.scalar(select(func.sum(Invoice.balance)).where(Invoice.state == "issued"))
        later = s.scalar(select(func.sum(Receipt.amount)).where(Receipt.date >= jdate(1405, 1, 1)))
        total = s.scalar(select(func.sum(FiscalOpening.amount)))
    assert gaz == 6_000_000 and total == balances + later == 14_000_000


def test_new_year_numbering_starts_at_one(kernel: Any) -> None:
    w = fiscal_world(kernel)
    _close(kernel, w)
    with kernel.sessions() as s:
        assert next_numbers(s, 1405) == [("Proformas", "PF-1405-00001"), ("Invoices", "INV-1405-00001"),
                                           ("Purchase invoices", "PUR-1405-00001")]
    first = invoice_on(kernel, w, "gaz", jdate(1405, 1, 5))
    with kernel.sessions() as s:
        assert s.get(Invoice, first).number == "INV-1405-00001"
        assert next_numbers(s, 1405)[1] == ("Invoices", "INV-1405-00002")


def test_undo_until_the_first_document_of_the_new_year(kernel: Any) -> None:
    w = fiscal_world(kernel)
    _close(kernel, w)
    row = _reopen(kernel, w)
    assert row.state == "open" and row.reopened_by_id == w["boss_id"]
    assert _written(kernel) == (1, 0, 0)  # the openings and carried items of that close are gone
    receive(kernel, w, w["inv1"], 500_000, jdate(1404, 12, 28))  # an open year takes it again
    _close(kernel, w)
    assert _written(kernel)[1:] == (2, 6)
    # The first document of 1405 is issued: the close can no longer be undone.
    first = invoice_on(kernel, w, "gaz", jdate(1405, 1, 5))
    with pytest.raises(Refused) as refused:
        _reopen(kernel, w)
    reason = refused.value.reasons[0]
    assert "can no longer be undone" in reason.msgid and reason.records[0][0] == f"/finance/invoice/{first}"
    assert _written(kernel) == (1, 2, 6)
    with kernel.sessions() as s:
        assert s.scalars(select(FiscalYear.state)).one() == "closed"


def test_a_receipt_of_the_new_year_also_ends_the_undo(kernel: Any) -> None:
    w = fiscal_world(kernel)
    _close(kernel, w)
    receive(kernel, w, w["inv1"], 1_000_000, jdate(1405, 1, 2))  # an old invoice paid in the new year
    with pytest.raises(Refused):
        _reopen(kernel, w)


def test_a_second_close_is_refused(kernel: Any) -> None:
    w = fiscal_world(kernel)
    _close(kernel, w)
    with pytest.raises(Refused) as refused:
        _close(kernel, w)
    assert refused.value.reasons[0].msgid == "The fiscal year {year} is already closed"
    assert _written(kernel) == (1, 2, 6)


def test_two_closes_at_the_same_moment_make_one(kernel: Any) -> None:
    """Two users press "close" at once: real threads, each its own transaction. On PostgreSQL the
    second waits for the first's row of the year (its unique key) and then finds the year closed;
    on SQLite the writers take turns. One close, one refusal, the rows written once."""
    w = fiscal_world(kernel)
    start = threading.Barrier(2)

    def act(actor: Any) -> Any:
        start.wait(timeout=5)
        with kernel.session(actor) as s:
            try:
                return fiscal_close.close(kernel, s, actor, 1404).state
            except Refused as exc:
                return exc

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(act, [w["boss"], w["boss"]]))
    assert sorted(map(str, answers)).count("closed") == 1, answers
    lost = next(a for a in answers if isinstance(a, Refused))
    assert lost.reasons[0].msgid == "The fiscal year {year} is already closed"
    assert _written(kernel) == (1, 2, 6)
