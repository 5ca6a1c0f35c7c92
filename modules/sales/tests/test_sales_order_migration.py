"""The sales orders' revision on a live database, both ways: down to the first slice (orders gone,
every deal kept with its old approval), up again (the tables back, models and migrations agree)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect

from kernel import migrations
from kernel.models import Role, RolePermission
from modules.finance.tests.migration_helpers import migrate
from modules.sales.tests.sales_helpers import ENGINES, deal, opportunity, partner, people, sales_kernel


@pytest.mark.parametrize("engine", ENGINES)
def test_the_orders_revision_goes_down_and_up_keeping_every_deal(make_kernel: Any, engine: str) -> None:
    from modules.sales.models import Opportunity

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    opp = deal(k, u["sara"], "فرش لابی", partner(k, u["sara"]))
    with k.session() as s:  # approved under the first slice's rule, before sales orders
        s.get(Opportunity, opp).approved_by_id = u["maryam"]
    migrate(k, "f2f49a4b70fd", down=True)
    assert not {"sales_order", "sales_order_line"} & set(inspect(k.engine).get_table_names())
    with k.session() as s:  # roles made before orders and the SAL-05 reports existed
        seller, manager = Role(name="فروشنده قدیمی", record_scope="own"), Role(name="مدیر قدیمی", record_scope="team")
        seller.permissions = [RolePermission(permission=p) for p in ("sales.opportunity.create", "sales.agents.report")]
        manager.permissions = [RolePermission(permission="sales.opportunity.*")]
        s.add_all([seller, manager])
    migrate(k, "heads")
    assert {"sales_order", "sales_order_line"} <= set(inspect(k.engine).get_table_names())
    assert migrations.diff(k) == [] and opportunity(k, opp).approved_by_id == u["maryam"]
    with k.session() as s:  # they keep working deals: orders, approvals and the new reports
        held = {r.name: {p.permission for p in r.permissions} for r in s.query(Role).filter(
            Role.name.in_(("فروشنده قدیمی", "مدیر قدیمی")))}
    assert {"sales.order.create", "sales.conversion_stage.report", "sales.customers.report"} <= held["فروشنده قدیمی"]
    assert "sales.order.approve" not in held["فروشنده قدیمی"]
    assert {"sales.order.approve", "sales.profit.report"} <= held["مدیر قدیمی"]
