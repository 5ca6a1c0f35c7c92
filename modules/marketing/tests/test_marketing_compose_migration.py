"""The date-rules migration (c3a9d27e5f14) goes down and up again with sends and messages in the
database, and the models and migrations agree afterwards, on both engines."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from kernel import migrations
from modules.marketing.compose import Draft, compose
from modules.marketing.tests.compose_helpers import (
    ENGINES,
    REMINDER,
    category,
    count_sends,
    marketing_kernel,
    sender,
)


def migrate(kernel: Any, target: str, down: bool = False) -> None:
    from alembic import command

    from kernel.migrations import alembic_config, migrating

    with migrating(kernel) as conn:
        cfg = alembic_config(kernel)
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, target)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_date_rules_go_down_and_up_again_keeping_the_sends(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    assert migrations.diff(kernel) == []
    sara = sender(kernel)
    with kernel.session(sara) as s:
        compose(kernel, s, sara, Draft({"kind": "range", "start": "09121111200", "end": "09121111209"},
                                       category(kernel, REMINDER), "سلام"))
    migrate(kernel, "e8fb1d837a69", down=True)
    with kernel.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    assert "marketing_date_rule" not in tables and "marketing_date_rule_sent" not in tables
    assert "marketing_message" in tables
    migrate(kernel, "heads")
    assert migrations.diff(kernel) == []
    assert count_sends(kernel) == (1, 10)
