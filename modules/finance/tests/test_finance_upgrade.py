"""A tier-2 database (base and tasks, already in use) that gains finance keeps every row, gets the
documents' tables and the seeded tax rates, and its models and migrations agree."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, select

from kernel import migrations
from kernel.kernel import Kernel
from kernel.testing import actor_of, create_record, create_user
from modules.finance.models.tax import rates_on
from modules.finance.services import issuing
from modules.finance.tests.finance_helpers import jdate

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_tier2_database_that_adds_finance_keeps_every_row(make_kernel: Any, engine: str, tmp_path: Any) -> None:
    from modules.base.models import Partner
    from modules.tasks.models import Task

    k = make_kernel(edition="tier2", engine=engine, home=tmp_path / "h")
    partner = create_record(k, None, "base.partner", kind="company", name="فرش کاشان")
    create_record(k, None, "tasks.task", title="پیگیری سفارش", partner_id=partner)
    assert "finance_invoice" not in inspect(k.engine).get_table_names()
    bigger = Kernel(k.config.__class__(**{**k.config.__dict__, "extra_modules": ("finance",)}))
    migrations.upgrade(bigger)
    assert {"finance_invoice", "finance_proforma", "finance_receipt"} <= set(inspect(bigger.engine).get_table_names())
    assert migrations.diff(bigger) == []
    with bigger.sessions() as s:
        assert s.scalars(select(Partner.name)).all() == ["فرش کاشان"]
        assert s.scalars(select(Task.title)).all() == ["پیگیری سفارش"]
        assert rates_on(s, jdate(1402, 12, 29)) == (900, 0) and rates_on(s, jdate(1403, 1, 1)) == (1000, 0)
    # And it works: an invoice for the old partner.
    uid = create_user(bigger, "sara", perms=("finance.invoice.*", "finance.product.view", "base.partner.view"))
    product = create_record(bigger, None, "finance.product", name="فرش", price=1_000_000)
    with bigger.session(actor_of(bigger, uid)) as s:
        inv = issuing.invoice_directly(bigger, s, actor_of(bigger, uid), {"partner_id": partner,
                                                                          "date": jdate(1403, 2, 1)},
                                       [{"product_id": product, "quantity": "2"}])
        assert (inv.number, inv.grand_total) == ("INV-1403-00001", 2_200_000)
    bigger.engine.dispose()
