"""API values are parsed to what the database stores: date-times as naive UTC."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel.errors import InputError
from kernel.fields import Field


def test_a_datetime_with_an_offset_is_stored_in_utc() -> None:
    f = Field(name="due_at", kind="datetime")
    assert f.from_json("2026-11-24T10:00:00+03:30") == dt.datetime(2026, 11, 24, 6, 30)
    assert f.from_json("2026-11-24T06:30:00Z") == dt.datetime(2026, 11, 24, 6, 30)
    # Without an offset the value is taken as UTC already (what the API documents).
    assert f.from_json("2026-11-24T06:30:00") == dt.datetime(2026, 11, 24, 6, 30)


def test_a_bad_datetime_is_an_input_error() -> None:
    with pytest.raises(InputError):
        Field(name="due_at", kind="datetime").from_json("فردا")
