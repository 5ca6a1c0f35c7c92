"""What every PostgreSQL connection of the app is set to (kernel.db.make_engine)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text


@pytest.mark.postgres
def test_the_jit_is_off_and_the_urls_own_options_are_kept(make_kernel: Any) -> None:
    kernel = make_kernel(engine="postgresql")
    # The test database's URL carries its schema in ``options=-csearch_path=…``: both must hold.
    wanted = str(kernel.engine.url.query["options"]).split("search_path=")[1].split()[0]
    with kernel.engine.connect() as first, kernel.engine.connect() as second:
        for conn in (first, second):
            assert conn.scalar(text("SHOW jit")) == "off"
            assert conn.scalar(text("SELECT current_schema()")) == wanted != "public"
