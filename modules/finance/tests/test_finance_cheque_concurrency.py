"""Two users changing one cheque at once (FIN-09): one wins, the other is told, nothing is half
applied — real threads, each with its own connection and transaction, on PostgreSQL (row lock)
and SQLite (writers take turns)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select

from kernel import Conflict
from kernel.records import FormErrors
from modules.finance.models import Cheque, ChequeEvent
from modules.finance.services import cheques
from modules.finance.tests.cheque_helpers import cheque, cheque_world

ENGINES = [pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


@pytest.mark.parametrize("rounds", [5])
def test_two_users_change_one_cheque_at_once(kernel: Any, rounds: int) -> None:
    w = cheque_world(kernel)
    for r in range(rounds):
        cid = cheque(kernel, w["boss_id"], w["gaz"], w["mellat"], number=f"77{r}", sayad=None)
        start = threading.Barrier(2)

        def act(job: tuple[Any, str], start: threading.Barrier = start, cid: int = cid) -> Any:
            actor, to = job
            # Both ask at the same moment with the revision they saw (0). On SQLite the second
            # writer waits for the first's transaction; a timeout keeps the barrier from waiting
            # on a thread that is itself waiting for the database.
            start.wait(timeout=5)
            with kernel.session(actor) as s:
                try:
                    return cheques.change_state(kernel, s, actor, cid, to, revision=0,
                                                endorsed_to_id=w["supplier"] if to == "endorsed" else None,
                                                note=f"{to} by {actor.username}").state
                except (Conflict, FormErrors) as exc:
                    return exc

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(act, [(w["boss"], "deposited"), (w["isf"], "endorsed")]))
        won = [a for a in answers if isinstance(a, str)]
        lost = [a for a in answers if not isinstance(a, str)]
        assert len(won) == 1 and len(lost) == 1, answers
        assert isinstance(lost[0], Conflict) and "Someone else changed this cheque" in lost[0].msgid
        with kernel.sessions() as s:
            c = s.get(Cheque, cid)
            assert (c.state, c.revision) == (won[0], 1)
            assert c.endorsed_to_id == (w["supplier"] if won[0] == "endorsed" else None)
            events = s.scalars(select(ChequeEvent.to_state).where(ChequeEvent.cheque_id == cid)
                               .order_by(ChequeEvent.id)).all()
            assert events == ["received", won[0]]  # the loser left no history row
