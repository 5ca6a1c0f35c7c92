"""The totals kept per customer (``finance_customer_total``, report (c)) always equal a count made
afresh from the documents: after random sequences of what users do to documents — issue a
proforma or an invoice, convert (an issued proforma or a draft at once), cancel, void, receive
cash, edit an issued document's header (its date into another Jalali year, its kind, its
customer, its shipping) or its lines, send a proforma to the recycle bin and back, merge a
customer into another — and after a change that fails halfway (rolled back with its increments),
on SQLite and PostgreSQL. The recount (:func:`modules.finance.customer_totals.counted`) is Python
over the documents' rows, not the SQL that keeps the table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kernel import Conflict, InputError
from kernel.records import FormErrors, delete_record, restore_record, update_record
from kernel.testing import create_record
from modules.base.merge import merge_partners
from modules.finance.customer_totals import counted, kept
from modules.finance.models import Invoice, Proforma
from modules.finance.services import drafts, issuing, receipts
from modules.finance.services.documents import INVOICE, PROFORMA
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.report_helpers import invoice, line, proforma, provinces_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
# Both sides of Nowruz 1405 and a summer day: a date moved between them changes the year's row.
DAYS = (jdate(1404, 12, 29), jdate(1405, 1, 1), jdate(1405, 6, 1))


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _docs(kernel: Any, model: Any, *where: Any) -> list[Any]:
    with kernel.sessions() as s:
        return list(s.execute(select(model.id, model.state, model.received if model is Invoice else model.id)
                              .where(*where).order_by(model.id)))


def _pick(rows: list[Any], n: int) -> Any:
    return rows[n % len(rows)] if rows else None


class Ops:
    """What users do to documents; each takes (n, flag) to choose what and how."""

    def __init__(self, kernel: Any, w: dict[str, Any]) -> None:
        self.k, self.w, self.boss = kernel, w, w["boss"]

    def _customer(self, flag: int) -> int:
        return int(self.w["gaz"] if flag else self.w["vanak"])

    def _lines(self, n: int) -> tuple[list[dict[str, Any]], str]:
        return ([line(self.w["carpet"], str(1 + n % 3))], "goods") if n % 2 else ([line(self.w["repair"], "2")], "service")

    def proforma(self, n: int, flag: int, issue: bool = True) -> None:
        lines, kind = self._lines(n)
        proforma(self.k, self.boss, self._customer(flag), DAYS[n % 3], lines, issue=issue, kind=kind)

    def draft(self, n: int, flag: int) -> None:
        self.proforma(n, flag, issue=False)

    def invoice(self, n: int, flag: int) -> None:
        lines, kind = self._lines(n)
        invoice(self.k, self.boss, self._customer(flag), DAYS[n % 3], lines, kind=kind)

    def convert(self, n: int, flag: int) -> None:
        pf = _pick(_docs(self.k, Proforma, Proforma.state.in_(("draft", "issued")), Proforma.deleted_at.is_(None)), n)
        if pf is not None:
            with self.k.session(self.boss) as s:
                issuing.convert(self.k, s, self.boss, pf.id)

    def cancel(self, n: int, flag: int) -> None:
        pf = _pick(_docs(self.k, Proforma, Proforma.state.in_(("draft", "issued")), Proforma.deleted_at.is_(None)), n)
        if pf is not None:
            with self.k.session(self.boss) as s:
                issuing.cancel_proforma(self.k, s, self.boss, pf.id, "مشتری منصرف شد")

    def void(self, n: int, flag: int) -> None:
        inv = _pick(_docs(self.k, Invoice, Invoice.state == "issued", Invoice.received == 0), n)
        if inv is not None:
            with self.k.session(self.boss) as s:
                issuing.void_invoice(self.k, s, self.boss, inv.id, "اشتباه در مبلغ")

    def receive(self, n: int, flag: int) -> None:
        inv = _pick(_docs(self.k, Invoice, Invoice.state == "issued", Invoice.balance > 0), n)
        if inv is not None:
            with self.k.session(self.boss) as s:
                receipts.receive_cash(self.k, s, self.boss, inv.id, 1_000_000, DAYS[2])

    def edit(self, n: int, flag: int) -> None:
        """The header of an issued document through its form's path: date, kind, customer or shipping."""
        model, name = (Invoice, "finance.invoice") if flag else (Proforma, "finance.proforma")
        doc = _pick(_docs(self.k, model, model.state == "issued", model.deleted_at.is_(None)), n)
        if doc is None:
            return
        with self.k.sessions() as s:
            current = s.get(model, doc.id)
            changes: list[dict[str, Any]] = [
                {"date": DAYS[(DAYS.index(current.date) + 1) % 3] if current.date in DAYS else DAYS[0]},
                {"kind": "service" if current.kind == "goods" else "goods"},
                {"partner_id": self.w["gaz"] if current.partner_id == self.w["vanak"] else self.w["vanak"]},
                {"shipping": (current.shipping or 0) + 250_000},
            ]
            change = changes[n % 4]
        with self.k.session(self.boss) as s:
            update_record(self.k, s, self.boss, self.k.resources[name], doc.id, change)

    def add_line(self, n: int, flag: int) -> None:
        model, doc_type = (Invoice, INVOICE) if flag else (Proforma, PROFORMA)
        doc = _pick(_docs(self.k, model, model.state == "issued", model.deleted_at.is_(None)), n)
        if doc is not None:
            with self.k.session(self.boss) as s:
                drafts.add_line(self.k, s, self.boss, doc_type, doc.id, line(self.w["carpet"]))

    def bin(self, n: int, flag: int) -> None:
        """A proforma to the recycle bin, or one back from it."""
        res = self.k.resources["finance.proforma"]
        if flag:
            doc = _pick(_docs(self.k, Proforma, Proforma.deleted_at.is_not(None)), n)
            if doc is not None:
                with self.k.session(self.boss) as s:
                    restore_record(self.k, s, self.boss, res, doc.id)
            return
        doc = _pick(_docs(self.k, Proforma, Proforma.deleted_at.is_(None), Proforma.state != "converted"), n)
        if doc is not None:
            with self.k.session(self.boss) as s:
                delete_record(self.k, s, self.boss, res, doc.id)

    def merge(self, n: int, flag: int) -> None:
        """A duplicate customer, with documents of its own, merged into one of the two."""
        dup = create_record(self.k, None, "base.partner", kind="company", name=f"تکراری {n}")
        lines, kind = self._lines(n)
        invoice(self.k, self.boss, dup, DAYS[n % 3], lines, kind=kind)
        proforma(self.k, self.boss, dup, DAYS[(n + 1) % 3], lines, kind=kind)
        with self.k.session(self.boss) as s:
            merge_partners(self.k, s, self.boss, self._customer(flag), dup)

    def fails_halfway(self, n: int, flag: int) -> None:
        """A draft issued and an invoice voided, then an error: nothing of it stays."""
        pf = _pick(_docs(self.k, Proforma, Proforma.state == "draft", Proforma.deleted_at.is_(None)), n)
        inv = _pick(_docs(self.k, Invoice, Invoice.state == "issued", Invoice.received == 0), n)
        with pytest.raises(RuntimeError), self.k.session(self.boss) as s:
            if pf is not None:
                issuing.issue_proforma(self.k, s, self.boss, pf.id)
            if inv is not None:
                issuing.void_invoice(self.k, s, self.boss, inv.id, "آزمایش")
            s.flush()
            raise RuntimeError("the change fails after its writes")


OPS = ("proforma", "draft", "invoice", "convert", "cancel", "void", "receive", "edit", "add_line", "bin", "merge",
       "fails_halfway")


def _agree(kernel: Any) -> dict[tuple[int, int], list[int]]:
    with kernel.sessions() as s:
        found, expected = kept(s), counted(s)
    assert found == expected
    return found


def test_kept_totals_equal_a_recount_after_random_sequences(kernel: Any) -> None:
    w = provinces_world(kernel)
    ops = Ops(kernel, w)
    seen: set[str] = set()

    @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 40), st.integers(0, 1)), min_size=1, max_size=7))
    def sequence(steps: list[tuple[str, int, int]]) -> None:
        for name, n, flag in steps:
            run: Callable[[int, int], None] = getattr(ops, name)
            try:
                run(n, flag)
            except (Conflict, FormErrors, InputError):
                pass  # refused as a user would be: nothing changed, and the totals must say so
            seen.add(name)
            _agree(kernel)

    sequence()
    # Every kind of change ran at least once over the examples, with documents to act on.
    for name in OPS:
        if name not in seen:
            getattr(ops, name)(1, 1)
            _agree(kernel)
    rows = _agree(kernel)
    assert rows and any(year == 0 for _pid, year in rows) and any(year == 1405 for _pid, year in rows)


def test_a_change_in_each_state_moves_exactly_its_share(kernel: Any) -> None:
    """The same facts by hand: an invoice counts under its customer, kind and year (and all
    years); voiding takes it out; moving its date over Nowruz moves it between years."""
    w = provinces_world(kernel)
    boss, gaz = w["boss"], w["gaz"]
    inv = invoice(kernel, boss, gaz, jdate(1404, 12, 29), [line(w["carpet"])])  # 11,000,000 with VAT
    pf = proforma(kernel, boss, gaz, jdate(1405, 1, 1), [line(w["repair"])], kind="service")  # 2,000,000
    rows = _agree(kernel)
    cells = {(1404, "invoice"): [0, 0, 0, 0, 1, 11_000_000, 0, 0, 0, 11_000_000],
             (1405, "proforma"): [0, 0, 1, 2_000_000, 0, 0, 0, 0, 2_000_000, 0]}
    assert rows == {(gaz, 1404): cells[(1404, "invoice")], (gaz, 1405): cells[(1405, "proforma")],
                    (gaz, 0): [0, 0, 1, 2_000_000, 1, 11_000_000, 0, 0, 2_000_000, 11_000_000]}
    with kernel.session(boss) as s:
        update_record(kernel, s, boss, kernel.resources["finance.invoice"], inv, {"date": jdate(1405, 1, 1)})
    rows = _agree(kernel)
    assert (gaz, 1404) not in rows and rows[(gaz, 1405)][4:6] == [1, 11_000_000]
    with kernel.session(boss) as s:
        issuing.void_invoice(kernel, s, boss, inv, "اشتباه")
        issuing.convert(kernel, s, boss, pf)  # the proforma stays counted; its invoice joins
    rows = _agree(kernel)
    assert rows[(gaz, 1405)] == [0, 0, 1, 2_000_000, 0, 0, 1, 2_000_000, 2_000_000, 2_000_000]
    # A draft converted at once counts as an offer too (the claim's UPDATE is not the ORM's).
    drafted = proforma(kernel, boss, gaz, jdate(1405, 2, 1), [line(w["repair"])], issue=False, kind="service")
    assert _agree(kernel) == rows
    with kernel.session(boss) as s:
        issuing.convert(kernel, s, boss, drafted)
    assert _agree(kernel)[(gaz, 1405)] == [0, 0, 2, 4_000_000, 0, 0, 2, 4_000_000, 4_000_000, 4_000_000]


def test_the_migration_counts_the_documents_already_there(kernel: Any) -> None:
    """A database with documents from before the table: the upgrade's backfill (SQL, one
    GROUP BY) gives what the documents say, years split at Nowruz, drafts, void and cancelled
    documents and the recycle bin left out."""
    from alembic import command

    from kernel.migrations import alembic_config

    w = provinces_world(kernel)
    ops = Ops(kernel, w)
    for n, (name, flag) in enumerate([("invoice", 1), ("invoice", 0), ("proforma", 1), ("draft", 0), ("proforma", 0),
                                      ("convert", 0), ("void", 0), ("cancel", 1), ("bin", 0), ("invoice", 1)]):
        getattr(ops, name)(n, flag)
    before = _agree(kernel)
    with kernel.engine.begin() as conn:
        cfg = alembic_config(kernel)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "a7d4c2e9b1f6-1")  # to just before the kept totals
    with kernel.engine.begin() as conn:
        cfg = alembic_config(kernel)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    assert _agree(kernel) == before
    assert {year for _pid, year in before} == {0, 1404, 1405}


def test_a_conversion_racing_direct_invoices_keeps_the_totals(kernel: Any) -> None:
    """Writers of one customer at once (threads, each its own transaction): each adds its share."""
    from concurrent.futures import ThreadPoolExecutor

    w = provinces_world(kernel)
    boss = w["boss"]
    pfs = [proforma(kernel, boss, w["gaz"], DAYS[2], [line(w["carpet"])]) for _ in range(3)]
    drafted = proforma(kernel, boss, w["gaz"], DAYS[2], [line(w["carpet"])], issue=False)

    def work(i: int) -> Any:
        try:
            with kernel.session(boss) as s:
                if i < 4:
                    return issuing.convert(kernel, s, boss, [*pfs, drafted][i]).id
                return issuing.invoice_directly(kernel, s, boss, {"partner_id": w["gaz"], "date": DAYS[2],
                                                                     "kind": "service"},
                                                [line(w["repair"])]).id
        except Conflict as exc:
            return exc

    n = 12 if kernel.engine.dialect.name == "postgresql" else 8
    with ThreadPoolExecutor(n) as pool:
        answers = list(pool.map(work, range(n)))
    assert all(isinstance(a, int) for a in answers), answers
    rows = _agree(kernel)
    assert rows[(w["gaz"], 1405)][4] == 4 and rows[(w["gaz"], 1405)][6] == n - 4



def test_each_keeper_can_be_imported_first() -> None:
    """The models' package imports both keepers at its end; either imported first (a script, a
    browser test) once failed on a half-made module. Each in a fresh interpreter."""
    import subprocess
    import sys

    for name in ("modules.finance.customer_totals", "modules.finance.standing", "modules.finance.models"):
        done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True)
        assert done.returncode == 0, (name, done.stderr[-500:])
