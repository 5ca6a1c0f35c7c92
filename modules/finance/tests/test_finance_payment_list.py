"""The plans' payments as a list and an API (issue 12): every payment with its day, invoice,
customer, kind, amount, state and cheque; filtered by kind, state and a Jalali date; limited to
the customers the user may see (a Tehran payment is not found by the Isfahan clerk); and the
permission given by the migration to the roles that see receipts — on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.migration_helpers import add_roles, migrate
from modules.finance.tests.plan_helpers import PERMS, invoice, make_plan, new_cheque, pay, plan_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _world(k: Any) -> dict[str, Any]:
    w = plan_world(k, (*PERMS, "finance.payment.view"))
    inv = w["invoice"]
    ids = make_plan(k, w, inv, cash=24_000_000, count=4, first=jdate(1405, 7, 30))
    w["cash"] = pay(k, w, inv, "cash", 24_000_000, ids[0], on=jdate(1405, 6, 31))
    cheque = new_cheque(k, w, "771001", "1000000000000001", 24_000_000, jdate(1405, 7, 30))
    w["cheque"] = pay(k, w, inv, "cheque", None, ids[1], cheque_id=cheque, on=jdate(1405, 7, 5))
    w["promise"] = pay(k, w, inv, "promise", 24_000_000, ids[2], on=jdate(1405, 9, 30))
    tehran = invoice(k, w, partner="vanak")
    tids = make_plan(k, w, tehran, cash=120_000_000, count=0)
    w["tehran"] = pay(k, w, tehran, "cash", 120_000_000, tids[0], on=jdate(1405, 7, 1))
    return w


@pytest.mark.parametrize("engine", ENGINES)
def test_the_payments_list_filters_and_scope(make_kernel: Any, web_client: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = _world(k)
    boss = web_client(k, "boss")
    page = boss.get("/finance/payment/")
    assert page.status_code == 200
    # The cheque's number, the invoice's number, the customer, the kind and the state, in Persian.
    for text in ("۷۷۱۰۰۱", "INV-۱۴۰۵-۰۰۰۰۱", "گز اصفهان", "ونک تجارت", "وعدهٔ پرداخت", "۱۴۰۵/۰۶/۳۱"):
        assert text in page.text, text
    assert 'href="/finance/payment/new"' not in page.text
    api = boss.get("/api/finance/payment", params={"f_kind": "cheque"}).json()
    assert [p["id"] for p in api["items"]] == [w["cheque"]]
    api = boss.get("/api/finance/payment", params={"f_state": "pending"}).json()
    assert sorted(p["id"] for p in api["items"]) == sorted([w["cheque"], w["promise"]])
    api = boss.get("/api/finance/payment", params={"f_date__from": "۱۴۰۵/۰۷/۰۱", "f_date__to": "۱۴۰۵/۰۷/۳۰"}).json()
    assert sorted(p["id"] for p in api["items"]) == sorted([w["cheque"], w["tehran"]])
    bad = boss.get("/finance/payment/", params={"f_date__from": "۱۴۰۵/۱۳/۴۰"})
    assert bad.status_code == 200 and '<span class="error">' in bad.text  # a clear message on the filter, no 500
    # The Isfahan clerk: Isfahan's payments only; Tehran's is not found, in the list, the API, the page.
    isf = web_client(k, "isf")
    ids = sorted(p["id"] for p in isf.get("/api/finance/payment").json()["items"])
    assert ids == sorted([w["cash"], w["cheque"], w["promise"]])
    assert isf.get(f"/finance/payment/{w['tehran']}").status_code == 404
    assert isf.get(f"/api/finance/payment/{w['tehran']}").status_code == 404
    assert "ونک تجارت" not in isf.get("/finance/payment/").text
    # Without the permission: refused.
    assert web_client(k, "viewer").get("/finance/payment/").status_code == 403
    assert web_client(k, "viewer").get("/api/finance/payment").status_code == 403


@pytest.mark.parametrize("engine", ENGINES)
def test_upgrading_gives_the_payments_list_to_the_roles_that_see_receipts(make_kernel: Any, engine: str) -> None:
    from kernel.models import Role, RolePermission

    k = make_kernel(edition="tier3", engine=engine)
    migrate(k, "c4d8e2f6a913-1", down=True)  # to just before its migration
    with k.engine.begin() as conn:
        assert "ix_finance_payment_date" not in {ix["name"] for ix in sa.inspect(conn).get_indexes("finance_payment")}
        add_roles(conn, (("cashier", ("finance.receipt.view", "finance.receipt.export")),
                         ("seller", ("finance.invoice.view",))))
    migrate(k, "heads")
    with k.sessions() as s:
        rows = s.execute(sa.select(Role.name, RolePermission.permission)
                         .join(RolePermission, RolePermission.role_id == Role.id)
                         .where(RolePermission.permission.like("finance.payment.%"))
                         .order_by(Role.name, RolePermission.permission)).all()
        assert [tuple(r) for r in rows] == [("cashier", "finance.payment.export"), ("cashier", "finance.payment.view")]
