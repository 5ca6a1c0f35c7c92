"""What every PostgreSQL connection of the app is set to (kernel.db.make_engine)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text


@pytest.mark.postgres
def test_the_jit_is_off_on_every_connection(make_kernel: Any) -> None:
    kernel = make_kernel(engine="postgresql")
    with kernel.engine.connect() as first, kernel.engine.connect() as second:
        assert first.scalar(text("SHOW jit")) == "off"
        assert second.scalar(text("SHOW jit")) == "off"
