"""Telephony's own Alembic branch: its tables come and go with it, and match the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from kernel import migrations
from modules.telephony.tests.telephony_helpers import ENGINES, telephony_kernel

TABLES = {"telephony_device", "telephony_device_status", "telephony_garbled_line", "telephony_extension",
          "telephony_call"}


@pytest.mark.parametrize("engine", ENGINES)
def test_upgrade_downgrade_and_no_drift(make_kernel, engine):
    k = telephony_kernel(make_kernel, engine)
    assert migrations.diff(k) == []
    assert TABLES <= set(sa.inspect(k.engine).get_table_names())
    cfg = migrations.alembic_config(k)
    with k.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "telephony@base")
    assert not TABLES & set(sa.inspect(k.engine).get_table_names())
    assert "base_partner" in sa.inspect(k.engine).get_table_names()
    migrations.upgrade(k)
    assert TABLES <= set(sa.inspect(k.engine).get_table_names())
    assert migrations.diff(k) == []
