"""The letters' revision: its tables agree with the models, and it goes down and up again on a
database that holds letters (nothing else of marketing's is touched)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, select

from kernel import migrations
from kernel.testing import create_record
from modules.finance.tests.migration_helpers import migrate
from modules.marketing.models import Category
from modules.marketing.tests.letters_helpers import ENGINES, jdate, world

LETTERS = "a5c3e1d07b42"


@pytest.mark.parametrize("engine", ENGINES)
def test_the_letters_revision_goes_down_and_up(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(edition="tier1", modules=("marketing",), engine=engine)
    assert migrations.diff(kernel) == []
    w = world(kernel)
    create_record(kernel, w["uid"], "marketing.letter", number="1", date=jdate(1405, 1, 1), partner_id=w["kashi"],
                  subject="s", body="")
    migrate(kernel, "e8fb1d837a69", down=True)
    tables = set(inspect(kernel.engine).get_table_names())
    assert "marketing_letter" not in tables and "marketing_letter_template" not in tables
    with kernel.sessions() as s:
        assert len(s.scalars(select(Category)).all()) == 6  # the module's first revision is intact
    migrate(kernel, LETTERS)
    assert {"marketing_letter", "marketing_letter_template"} <= set(inspect(kernel.engine).get_table_names())
    migrate(kernel, "heads")  # the revisions after the letters' too, for the comparison
    assert migrations.diff(kernel) == []
