"""A write dated in last year and the close of that year at the same moment (FIN-16), on
PostgreSQL, two real transactions in two threads: never both committed with the close not
knowing of the write. Either the close waits for the write in flight and then counts it, or the
write waits for the close in flight and is then refused. (On SQLite write transactions take the
database's write lock up front, so the two cannot overlap at all.)"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select, text

from kernel.records import FormErrors
from modules.finance.models import FiscalCarry, FiscalOpening, Invoice
from modules.finance.services import fiscal_close, issuing
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.fiscal_helpers import PRICE, fiscal_world

pytestmark = pytest.mark.postgres
LATE = jdate(1404, 12, 25)  # in the year being closed
PATIENCE = 20.0  # seconds: far more than either side needs on a busy machine


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine="postgresql")


def _backend(session: Any, pids: queue.Queue[int]) -> None:
    pids.put(int(session.scalar(text("SELECT pg_backend_pid()"))))


def _waits_or_ends(kernel: Any, pid: int, future: Future[Any]) -> bool:
    """True once the backend ``pid`` waits for a lock; False if its work ended without waiting."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if future.done():
            return False
        with kernel.sessions() as s:
            if s.scalar(text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND NOT granted"), {"pid": pid}):
                return True
        time.sleep(0.05)
    raise AssertionError("neither waiting nor done")


def _invoice(kernel: Any, s: Any, w: dict[str, Any]) -> int:
    return int(issuing.invoice_directly(kernel, s, w["boss"], {"partner_id": w["gaz"], "date": LATE},
                                        [{"product_id": w["product"], "quantity": "1"}]).id)


def _in_flight(first: Callable[[], Any], second: Callable[[], Any], started: threading.Event,
               release: threading.Event, kernel: Any, pids: queue.Queue[int]) -> tuple[bool, Any, Any]:
    """``first`` runs and holds its transaction open; ``second`` starts meanwhile. Whether
    ``second`` waited for ``first``, and what each answered."""
    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(first)
        assert started.wait(PATIENCE)
        two = pool.submit(second)
        try:
            waited = _waits_or_ends(kernel, pids.get(timeout=PATIENCE), two)
        finally:
            release.set()
        return waited, one.result(timeout=PATIENCE), two.result(timeout=PATIENCE)


def _opening(kernel: Any, partner: int) -> int:
    with kernel.sessions() as s:
        return int(s.scalar(select(FiscalOpening.amount).where(FiscalOpening.partner_id == partner)) or 0)


def test_the_close_waits_for_a_backdated_write_in_flight_and_counts_it(kernel: Any) -> None:
    w = fiscal_world(kernel)
    started, release, pids = threading.Event(), threading.Event(), queue.Queue[int]()

    def write() -> int:
        with kernel.session(w["boss"]) as s:
            made = _invoice(kernel, s, w)  # issued, dated 1404/12/25, not committed yet
            started.set()
            release.wait(PATIENCE)
            return made

    def close() -> Any:
        with kernel.session(w["boss"]) as s:
            _backend(s, pids)
            try:
                return fiscal_close.close(kernel, s, w["boss"], 1404).state
            except fiscal_close.Refused as exc:
                return exc

    waited, made, closed = _in_flight(write, close, started, release, kernel, pids)
    assert waited, "the close did not wait for the write in flight"
    assert closed == "closed", closed
    # The invoice written meanwhile is in the close: in gaz's opening and among the carried items.
    assert _opening(kernel, w["gaz"]) == 6_000_000 + PRICE
    with kernel.sessions() as s:
        carried = set(s.scalars(select(FiscalCarry.invoice_id).where(FiscalCarry.kind == "invoice")))
    assert made in carried


def test_a_backdated_write_waits_for_the_close_in_flight_and_is_refused(kernel: Any) -> None:
    w = fiscal_world(kernel)
    started, release, pids = threading.Event(), threading.Event(), queue.Queue[int]()
    with kernel.sessions() as s:
        invoices = s.scalar(select(func.count()).select_from(Invoice))

    def close() -> str:
        with kernel.session(w["boss"]) as s:
            state = fiscal_close.close(kernel, s, w["boss"], 1404).state  # not committed yet
            started.set()
            release.wait(PATIENCE)
            return state

    def write() -> Any:
        with kernel.session(w["boss"]) as s:
            _backend(s, pids)
            try:
                return _invoice(kernel, s, w)
            except FormErrors as exc:
                return exc

    waited, closed, written = _in_flight(close, write, started, release, kernel, pids)
    assert waited, "the write did not wait for the close in flight"
    assert closed == "closed"
    assert isinstance(written, FormErrors), written
    said = " ".join(kernel.t("fa", e.msgid, **e.params) for e in written.errors.values())
    assert "سال مالی ۱۴۰۴ بسته شده است" in said
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == invoices
    assert _opening(kernel, w["gaz"]) == 6_000_000


def test_the_undo_of_a_close_waits_for_a_new_year_document_in_flight_and_is_refused(kernel: Any) -> None:
    """A close is undone only until the new year's first document; an invoice of the new year
    being written at that very moment is waited for and then refuses the undo: never a new year
    whose documents stand on openings that were removed."""
    w = fiscal_world(kernel)
    with kernel.session(w["boss"]) as s:
        fiscal_close.close(kernel, s, w["boss"], 1404)
    started, release, pids = threading.Event(), threading.Event(), queue.Queue[int]()

    def write() -> int:
        with kernel.session(w["boss"]) as s:
            made = int(issuing.invoice_directly(kernel, s, w["boss"], {"partner_id": w["gaz"], "date": jdate(1405, 1, 15)},
                                                [{"product_id": w["product"], "quantity": "1"}]).id)
            started.set()  # issued in 1405, not committed yet
            release.wait(PATIENCE)
            return made

    def undo() -> Any:
        with kernel.session(w["boss"]) as s:
            _backend(s, pids)
            try:
                return fiscal_close.reopen(kernel, s, w["boss"], 1404).state
            except fiscal_close.Refused as exc:
                return exc

    waited, _made, undone = _in_flight(write, undo, started, release, kernel, pids)
    assert waited, "the undo did not wait for the new year's invoice in flight"
    assert isinstance(undone, fiscal_close.Refused), undone
    assert _opening(kernel, w["gaz"]) == 6_000_000  # the close's openings are still there
