"""Our own cheques at the fiscal year's close (FIN-16 with FIN-18), on SQLite and PostgreSQL: a
cheque of ours given to a supplier up to the year's end and not yet cleared by the bank is carried
into the new year as its own kind, with its number, due date and amount — shown on the fiscal
year page and in the carried items' list with its Persian label, linked to the cheque. One cleared,
one come back (its purchase is carried as owed instead) and one given in the new year are not."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.testing import actor_of, create_user
from kernel.web.app import build_app
from modules.finance.models import FiscalCarry
from modules.finance.services import fiscal_close, own_cheques
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.fiscal_helpers import fiscal_world, purchase_on

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
LABEL = "چک ما، هنوز وصول‌نشده"


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _give(kernel: Any, payer: Any, w: dict[str, Any], purchase: int, number: str, amount: int, on: Any, due: Any,
          then: str | None = None) -> int:
    """Our cheque paying ``purchase``, then moved to ``then`` on its due date if asked: its id."""
    with kernel.session(payer) as s:
        payment = own_cheques.give(kernel, s, payer, purchase, amount=amount, on=on, account_id=w["account"],
                                   number=number, due_date=due)
        cheque = int(payment.own_cheque_id or 0)
    if then:
        with kernel.session(payer) as s:
            own_cheques.change(kernel, s, payer, cheque, then, due)
    return cheque


def _carried(kernel: Any, kind: str) -> list[tuple[Any, ...]]:
    with kernel.sessions() as s:
        return sorted((c.own_cheque_id, c.purchase_id, c.partner_id, c.reference, c.date, c.amount)
                      for c in s.scalars(select(FiscalCarry).where(FiscalCarry.kind == kind)))


def test_our_cheques_not_yet_cleared_are_carried_and_shown(kernel: Any, login_as: Any) -> None:
    w = fiscal_world(kernel)
    payer = actor_of(kernel, create_user(kernel, "payer", perms=(
        "finance.own_cheque.*", "finance.own_cheque.edit", "finance.purchase.*", "finance.purchase_payment.*",
        "finance.bank_account.view", "base.partner.view")))
    bought = purchase_on(kernel, w, w["supplier"], jdate(1404, 10, 5), 5_000_000)
    out = _give(kernel, payer, w, bought, "445566", 2_000_000, jdate(1404, 10, 6), jdate(1405, 2, 1))
    _give(kernel, payer, w, bought, "445567", 1_000_000, jdate(1404, 11, 1), jdate(1404, 12, 1), "cleared")
    _give(kernel, payer, w, bought, "445568", 1_000_000, jdate(1404, 11, 2), jdate(1404, 11, 3), "returned")
    _give(kernel, payer, w, bought, "445569", 500_000, jdate(1405, 1, 5), jdate(1405, 3, 1))  # the new year's
    with kernel.session(w["boss"]) as s:
        row = fiscal_close.close(kernel, s, w["boss"], 1404)
        carried = row.carried
    assert _carried(kernel, "own_cheque") == [(out, None, w["supplier"], "445566", jdate(1405, 2, 1), 2_000_000)]
    # The returned cheque paid nothing: the purchase is carried by what was owed on the year's last
    # day (5,000,000 less the 3,000,000 our two counting cheques of 1404 paid); the new year's
    # cheque is given back.
    assert [(r[1], r[2], r[5]) for r in _carried(kernel, "purchase")] == [(bought, w["supplier"], 2_000_000)]
    assert carried == 6 + 1 + 1  # the world's six, the purchase, our cheque
    with TestClient(build_app(kernel)) as c:
        login_as(c, "boss")
        page = c.get("/finance/fiscal-year").text
        assert LABEL in page and f'href="/finance/own_cheque/{out}"' in page and "۴۴۵۵۶۶" in page
        listed = c.get("/finance/fiscal_carry/?f_year=1405&f_kind=own_cheque").text
        assert LABEL in listed and "۴۴۵۵۶۶" in listed and "۴۴۵۵۶۷" not in listed
