"""Upgrading grants "Profit per product at average cost" and "Payables to suppliers" (revision
03e0b1a1efa7) to the roles that already see what they show: payables to every role that sees
purchases; profit only to a role that sees purchases (our costs) and the per-product sales report
(the revenue), never to a sales role that does not know what we pay. On both engines; the users of
those roles then open the reports, the others are refused."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from kernel.testing import create_user
from modules.finance.tests.migration_helpers import migrate

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
REVISION = "03e0b1a1efa7"
PROFIT, PAYABLES = "finance.profit_per_product.report", "finance.payables.report"
ROLES = {
    "manager": ("finance.invoice.view", "finance.sales_by_product.report", "finance.purchase.view"),
    "buyer": ("finance.purchase.view", "finance.purchase.create", "finance.own_cheque.view"),
    "seller": ("finance.invoice.view", "finance.sales_by_product.report", "finance.customer_totals.report"),
    "clerk": ("base.partner.view",),
}


def _granted(k: Any) -> dict[str, set[str]]:
    from kernel.models import Role, RolePermission

    with k.sessions() as s:
        rows = s.execute(sa.select(Role.name, RolePermission.permission)
                         .join(RolePermission, RolePermission.role_id == Role.id)
                         .where(RolePermission.permission.in_((PROFIT, PAYABLES))))
        out: dict[str, set[str]] = {f"role-{name}": set() for name in ROLES}
        for name, perm in rows:
            out[name].add(perm)
        return out


@pytest.mark.parametrize("engine", ENGINES)
def test_upgrading_grants_the_two_reports_to_the_roles_that_see_their_data(make_kernel: Any, engine: str,
                                                                           web_client: Any) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    migrate(k, f"{REVISION}-1", down=True)  # a database from before the grants, its roles as they were
    for name, perms in ROLES.items():
        create_user(k, name, perms=perms)
    assert all(not perms for perms in _granted(k).values())
    migrate(k, "heads")
    assert _granted(k) == {"role-manager": {PROFIT, PAYABLES}, "role-buyer": {PAYABLES}, "role-seller": set(),
                           "role-clerk": set()}
    answers = {name: tuple(web_client(k, name).get(f"/reports/{key}").status_code
                           for key in ("finance.profit_per_product", "finance.payables")) for name in ROLES}
    assert answers == {"manager": (200, 200), "buyer": (403, 200), "seller": (403, 403), "clerk": (403, 403)}
    migrate(k, f"{REVISION}-1", down=True)  # and back: the grants go with the revision
    assert all(not perms for perms in _granted(k).values())
