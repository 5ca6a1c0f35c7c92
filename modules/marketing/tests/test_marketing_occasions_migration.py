"""The occasions migration (d9c30f02e16e) goes down and up again with a rule and its batch in
the database (the sends kept), and the models and migrations agree afterwards, on both engines."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from kernel import migrations
from kernel.persian.jalali import jalali_to_date
from kernel.testing import jalali_at
from modules.marketing.tests.compose_helpers import ENGINES, marketing_kernel, person
from modules.marketing.tests.occasions_helpers import manager, rule, run_job, sends
from modules.marketing.tests.test_marketing_compose_migration import migrate


@pytest.mark.parametrize("engine", ENGINES)
def test_the_occasions_tables_go_down_and_up_again_keeping_the_sends(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    assert migrations.diff(kernel) == []
    person(kernel, "مریم", "احمدی", "+989121000001", birthday=jalali_to_date(1370, 9, 16))
    rule(kernel, manager(kernel), "birthday")
    run_job(kernel, jalali_at(1405, 9, 16, 10))
    assert len(sends(kernel)) == 1
    migrate(kernel, "c9e4a2b6d813", down=True)
    with kernel.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    assert "marketing_occasion_rule" not in tables and "marketing_occasion_run" not in tables
    assert "marketing_send" in tables
    migrate(kernel, "heads")
    assert migrations.diff(kernel) == []
    assert len(sends(kernel)) == 1
