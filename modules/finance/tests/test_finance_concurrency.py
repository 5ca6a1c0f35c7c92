"""Exactly once and gapless under concurrency (FIN-06, FIN-07): many converters of one proforma,
conversions racing direct invoices, receipts racing for one balance — real threads, each with its
own connection and transaction, on PostgreSQL (50 at once) and SQLite (writers take turns)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import Conflict
from kernel.records import FormErrors
from modules.finance.models import Invoice, Proforma
from modules.finance.services import drafts, issuing, receipts
from modules.finance.tests.finance_helpers import PROFORMA, jdate, three_lines, world

ENGINES = [pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"]
DAY = jdate(1403, 8, 1)


def _race(n: int, job: Callable[[int], Any]) -> list[Any]:
    """Run ``job(i)`` for i < n on n threads at once; each answer, or the refusal it raised."""
    def guarded(i: int) -> Any:
        try:
            return job(i)
        except (Conflict, FormErrors) as exc:
            return exc
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(guarded, range(n)))


def _issued_proforma(kernel: Any, w: dict[str, Any]) -> int:
    with kernel.session(w["actor"]) as s:
        doc = drafts.create_document(kernel, s, w["actor"], PROFORMA, {"partner_id": w["customer"], "date": DAY},
                                     three_lines(w))
        return int(issuing.issue_proforma(kernel, s, w["actor"], doc.id).id)


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _threads(kernel: Any) -> int:
    return 50 if kernel.engine.dialect.name == "postgresql" else 16


def test_many_conversions_of_one_proforma_give_exactly_one_invoice(kernel: Any) -> None:
    w = world(kernel)
    pid = _issued_proforma(kernel, w)

    def convert(_: int) -> int:
        with kernel.session(w["actor"]) as s:
            return int(issuing.convert(kernel, s, w["actor"], pid).id)

    answers = _race(_threads(kernel), convert)
    won = [a for a in answers if isinstance(a, int)]
    assert len(won) == 1, answers
    assert all(isinstance(a, Conflict) for a in answers if not isinstance(a, int))
    with kernel.sessions() as s:
        assert s.scalars(select(Invoice.number)).all() == ["INV-1403-00001"]
        assert s.get(Proforma, pid).converted_invoice_id == won[0]


def test_conversions_racing_direct_invoices_give_unique_gapless_numbers(kernel: Any) -> None:
    w = world(kernel)
    n = _threads(kernel)
    proformas = [_issued_proforma(kernel, w) for _ in range(5)]

    def work(i: int) -> int:
        with kernel.session(w["actor"]) as s:
            if i % 2:  # half convert (each proforma by several threads), half invoice directly
                return int(issuing.convert(kernel, s, w["actor"], proformas[i % 5]).id)
            return int(issuing.invoice_directly(kernel, s, w["actor"], {"partner_id": w["customer"], "date": DAY},
                                                three_lines(w)).id)

    answers = _race(n, work)
    direct = n // 2 + n % 2
    assert sum(isinstance(a, int) for a in answers) == direct + 5, answers
    with kernel.sessions() as s:
        numbers = sorted(s.scalars(select(Invoice.number)))
        assert numbers == [f"INV-1403-{k:05d}" for k in range(1, direct + 6)]  # unique and gapless
        per_proforma = s.execute(select(Invoice.proforma_id, func.count()).where(Invoice.proforma_id.is_not(None))
                                 .group_by(Invoice.proforma_id)).all()
        assert sorted(per_proforma) == sorted((p, 1) for p in proformas)
        assert {p.converted_invoice_id is not None for p in s.scalars(select(Proforma))} == {True}


def test_concurrent_receipts_never_take_more_than_the_balance(kernel: Any) -> None:
    w = world(kernel)
    with kernel.session(w["actor"]) as s:
        inv = issuing.invoice_directly(kernel, s, w["actor"], {"partner_id": w["customer"], "date": DAY},
                                       three_lines(w))
        inv_id, total = inv.id, inv.grand_total
    part = total // 8  # eight parts fit (with a remainder open); the other threads must be refused

    def pay(_: int) -> int:
        with kernel.session(w["actor"]) as s:
            return int(receipts.receive_cash(kernel, s, w["actor"], inv_id, part, DAY).id)

    answers = _race(_threads(kernel), pay)
    assert sum(isinstance(a, int) for a in answers) == 8, answers
    with kernel.sessions() as s:
        inv = s.get(Invoice, inv_id)
        assert (inv.received, inv.balance) == (8 * part, total - 8 * part)
        assert Decimal(inv.balance) < part
