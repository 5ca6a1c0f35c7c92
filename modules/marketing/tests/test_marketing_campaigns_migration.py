"""The campaigns' revision: its tables agree with the models, and it goes down and up again on a
database that holds a campaign (the letters' revision below it is untouched)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect

from kernel import migrations
from modules.finance.tests.migration_helpers import migrate
from modules.marketing.tests.campaigns_helpers import ENGINES, campaign, world
from modules.marketing.tests.compose_helpers import marketing_kernel

CAMPAIGNS, BEFORE = "b7d41c9e2a06", "d9c30f02e16e"  # the revision it follows (occasions)
TABLES = {"marketing_campaign", "marketing_campaign_step", "marketing_campaign_target"}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_campaigns_revision_goes_down_and_up(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    assert migrations.diff(kernel) == []
    campaign(world(kernel))
    migrate(kernel, BEFORE, down=True)
    tables = set(inspect(kernel.engine).get_table_names())
    assert not TABLES & tables and "marketing_letter" in tables
    migrate(kernel, CAMPAIGNS)
    assert TABLES <= set(inspect(kernel.engine).get_table_names())
    migrate(kernel, "heads")  # any revision chained above this one after the merge
    assert migrations.diff(kernel) == []
