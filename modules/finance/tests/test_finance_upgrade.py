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
from modules.finance.tests.migration_helpers import add_roles, migrate

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


@pytest.mark.parametrize("engine", ENGINES)
def test_upgrading_gives_the_mail_permission_to_printers_and_rates_in_percent(make_kernel: Any, engine: str,
                                                                             web_client: Any) -> None:
    """A finance database from before revision 338e80b3e3d0: its rates (and their history) read
    as percents after the upgrade, the municipal rate is seeded once, and every role that could
    e-mail a document (it held a print permission) still can; the others cannot."""
    import sqlalchemy as sa
    from alembic import command

    from kernel.migrations import alembic_config
    from kernel.models import History, Role, RolePermission
    from modules.finance.models import TaxRate

    k = make_kernel(edition="tier3", engine=engine)
    with k.engine.begin() as conn:
        cfg = alembic_config(k)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "f1a7b3c5d901")
    with k.engine.begin() as conn:
        assert not conn.scalar(sa.text("SELECT count(*) FROM finance_tax_rate WHERE kind = 'municipal'"))
        rid = conn.scalar(sa.text("SELECT id FROM finance_tax_rate WHERE rate_bp = 1000"))
        conn.execute(sa.text("INSERT INTO kernel_history (table_name, record_id, action, at, changes) VALUES "
                             "('finance_tax_rate', :rid, 'update', :at, :changes)"),
                     {"rid": rid, "at": jdate(1403, 1, 2), "changes": '{"rate_bp": [900, 1000]}'})
        add_roles(conn, (("printer", ("finance.proforma.print",)),
                         ("both", ("finance.invoice.print", "finance.proforma.print")),
                         ("viewer", ("finance.proforma.view",))))
    migrate(k, "heads")
    with k.sessions() as s:
        granted = s.execute(sa.select(Role.name).join(RolePermission, RolePermission.role_id == Role.id)
                            .where(RolePermission.permission == "finance.document.mail").order_by(Role.name))
        assert granted.scalars().all() == ["both", "printer"]
        assert s.get(TaxRate, rid).rate == 10 and rates_on(s, jdate(1403, 1, 1)) == (1000, 0)
        assert s.scalar(sa.select(sa.func.count()).where(TaxRate.kind == "municipal")) == 1
        (changes,) = s.scalars(sa.select(History.changes).where(History.table_name == "finance_tax_rate",
                                                                History.record_id == rid)).all()
        assert changes == '{"rate": ["9.00", "10.00"]}'
    create_user(k, "sara", perms=("finance.tax_rate.*",))
    history = web_client(k, "sara").get(f"/finance/tax_rate/{rid}").text.split('id="history"', 1)[1]
    assert "۹٪" in history and "۱۰٪" in history, history
