"""``kernel.records.create_record``'s ``complete``: a service fills, after the checks and before
the INSERT, what it derives from more than the values (finance writes a document's totals so,
issue 11's chain) — written by the record's one INSERT, in its one history row."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from kernel import testing
from kernel.models import History
from kernel.records import FormErrors, create_record

GARAGE = {"modules": ("garage",), "packages": ("peyvand_garage",)}


@pytest.fixture
def garage(make_kernel: Any) -> Any:
    return make_kernel(**GARAGE)


def test_what_complete_fills_goes_in_with_the_insert_and_its_one_history_row(garage: Any) -> None:
    from peyvand_garage.models import Vehicle

    seen: list[Any] = []

    def complete(obj: Any) -> None:
        seen.append(obj.id)  # not written yet
        obj.model_year = 1403

    actor = testing.actor_of(garage, testing.create_user(garage, "mech", perms=("garage.vehicle.*",)))
    with garage.session(actor) as s:
        vid = create_record(garage, s, actor, garage.resources["garage.vehicle"], {"plate": "۱۲ب۳۴۵"}, complete).id
    assert seen == [None]
    with garage.sessions() as s:
        assert s.get(Vehicle, vid).model_year == 1403
        rows = s.scalars(select(History).where(History.table_name == "garage_vehicle",
                                               History.record_id == vid)).all()
    assert [h.action for h in rows] == ["create"]
    assert json.loads(rows[0].changes)["model_year"] == [None, 1403]


def test_complete_is_not_called_for_values_the_checks_refuse(garage: Any) -> None:
    from peyvand_garage.models import Vehicle

    called: list[Any] = []
    actor = testing.actor_of(garage, testing.create_user(garage, "mech", perms=("garage.vehicle.*",)))
    with pytest.raises(FormErrors), garage.session(actor) as s:
        create_record(garage, s, actor, garage.resources["garage.vehicle"], {"plate": "ABC"}, called.append)
    assert called == []
    with garage.sessions() as s:
        assert s.query(Vehicle).count() == 0
