"""make_kernel's databases are copies of one migrated template per module set: each test still
gets a database of its own, fully migrated, and a reopened one is left as it is."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from kernel import migrations
from kernel.models import User
from kernel.testing import create_user


def _usernames(kernel) -> list[str]:
    with kernel.sessions() as s:
        return list(s.scalars(select(User.username).order_by(User.username)))


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_each_kernel_gets_its_own_migrated_copy(make_kernel, engine, tmp_path):
    first = make_kernel(edition="tier3", engine=engine)
    second = make_kernel(edition="tier3", engine=engine)
    assert first.config.database_url != second.config.database_url
    assert not migrations.pending(first) and not migrations.pending(second)
    create_user(first, "sara")
    assert _usernames(first) == ["sara"] and _usernames(second) == []
    # A second process on the same database sees its rows; nothing is copied over them.
    again = make_kernel(edition="tier3", engine=engine, same_database_as=first)
    assert _usernames(again) == ["sara"]
    if engine == "sqlite":
        # A home whose database exists (a restarted server) keeps it and is only migrated.
        reopened = make_kernel(edition="tier3", home=first.config.home)
        assert _usernames(reopened) == ["sara"]
    # Another module set has its own template: its tables are there, and only its own.
    tier1 = make_kernel(engine=engine)
    assert not migrations.pending(tier1) and "finance" not in tier1.module_names
    with tier1.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert "base_partner" in tables and not any(t.startswith("finance_") for t in tables)
    # migrate=False still gives an empty database.
    empty = make_kernel(engine=engine, migrate=False)
    with empty.engine.connect() as conn:
        assert not [t for t in inspect(conn).get_table_names() if t.startswith(("kernel_", "base_"))]
