"""Domain events beside RecordChanged (issue 8, item 2): deleted, restored and purged from the
kernel, "partners merged" from base, every one in the caller's transaction; the event registry;
and a merge moves every module's rows (foreign keys and generic links) to the kept partner."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kernel import (
    InputError,
    RecordChanged,
    RecordDeleted,
    RecordPurged,
    RecordRestored,
    hookimpl,
    records,
    security,
    testing,
)
from kernel.actor import SYSTEM
from kernel.models import User
from modules.base.events import PartnersMerged
from modules.base.merge import merge_partners

GARAGE = {"modules": ("garage",), "packages": ("peyvand_garage",)}


class Listener:
    """A module's handle_event, registered on one kernel: records what it heard, may veto."""

    def __init__(self, veto: type | None = None) -> None:
        self.heard: list[object] = []
        self.veto = veto

    @hookimpl
    def handle_event(self, event, session):
        self.heard.append(event)
        if self.veto is not None and isinstance(event, self.veto):
            raise InputError("Not now")


def _listen(k, veto=None) -> Listener:
    listener = Listener(veto)
    k.pm.register(listener, name="listener")
    return listener


def test_delete_restore_purge_emit_their_events(kernel):
    pid = testing.create_record(kernel, None, "base.partner", kind="person", name="نرگس")
    listener = _listen(kernel)
    res = kernel.resources["base.partner"]
    for action in (records.delete_record, records.restore_record, records.delete_record, records.purge_record):
        with kernel.session() as s:
            action(kernel, s, SYSTEM, res, pid)
    specific = [e for e in listener.heard if not isinstance(e, RecordChanged)]
    assert specific == [RecordDeleted("base.partner", pid), RecordRestored("base.partner", pid),
                        RecordDeleted("base.partner", pid), RecordPurged("base.partner", pid)]


def test_a_listener_vetoes_a_delete_and_nothing_changes(kernel):
    pid = testing.create_record(kernel, None, "base.partner", kind="person", name="نرگس")
    _listen(kernel, veto=RecordDeleted)
    with pytest.raises(InputError), kernel.session() as s:
        records.delete_record(kernel, s, SYSTEM, kernel.resources["base.partner"], pid)
    from modules.base.models import Partner

    with kernel.sessions() as s:
        assert s.get(Partner, pid).deleted_at is None


def test_the_registry_lists_kernel_and_module_events(kernel):
    assert kernel.event_types["kernel.RecordDeleted"] is RecordDeleted
    assert kernel.event_types["kernel.RecordPurged"] is RecordPurged
    assert kernel.event_types["base.PartnersMerged"] is PartnersMerged


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_merge_moves_every_modules_rows_and_announces_it(make_kernel, engine):
    k = make_kernel(engine=engine, **GARAGE)
    keep = testing.create_record(k, None, "base.partner", kind="person", name="رضا کریمی")
    drop = testing.create_record(k, None, "base.partner", kind="person", name="رضا كريمي")
    car = testing.create_record(k, None, "garage.vehicle", plate="۱۲ب۳۴۵", owner_partner_id=drop)
    visit = testing.create_record(k, None, "garage.visit", visited_on=dt.date(2026, 12, 3), vehicle_id=car,
                                  link_resource="base.partner", link_id=drop)
    # A generic link to another resource with the same id is not the partner's.
    other = testing.create_record(k, None, "garage.visit", visited_on=dt.date(2026, 12, 4), vehicle_id=car,
                                  link_resource="garage.vehicle", link_id=drop)
    testing.create_user(k, "boss", admin=True)
    listener = _listen(k)
    from peyvand_garage.models import Vehicle, Visit

    with k.sessions() as s:
        actor = security.load_actor(s, s.scalars(select(User.id).where(User.username == "boss")).one())
    with k.session(actor) as s:
        result = merge_partners(k, s, actor, keep, drop)
    assert result.moved["garage_vehicle.owner_partner_id"] == 1 and result.moved["garage_visit.link_id"] == 1
    with k.sessions() as s:
        assert s.get(Vehicle, car).owner_partner_id == keep
        assert (s.get(Visit, visit).link_resource, s.get(Visit, visit).link_id) == ("base.partner", keep)
        assert s.get(Visit, other).link_id == drop
    assert PartnersMerged(keep, drop) in listener.heard and RecordDeleted("base.partner", drop) in listener.heard


def test_a_vetoed_merge_moves_nothing(make_kernel):
    k = make_kernel(**GARAGE)
    keep = testing.create_record(k, None, "base.partner", kind="person", name="الف")
    drop = testing.create_record(k, None, "base.partner", kind="person", name="ب")
    car = testing.create_record(k, None, "garage.vehicle", plate="۱۱ج۲۲۲", owner_partner_id=drop)
    _listen(k, veto=PartnersMerged)
    with pytest.raises(InputError), k.session(SYSTEM) as s:
        merge_partners(k, s, SYSTEM, keep, drop)
    from peyvand_garage.models import Vehicle

    with k.sessions() as s:
        assert s.get(Vehicle, car).owner_partner_id == drop


class VisitsGuard:
    """A garage module's reaction to a vehicle's deletion: refuse while a visit is open, or take
    the vehicle's visits along to the recycle bin."""

    def __init__(self, take_along: bool) -> None:
        self.take_along = take_along

    @hookimpl
    def handle_event(self, event, session):
        from peyvand_garage.models import Visit

        if not (isinstance(event, RecordDeleted) and event.resource == "garage.vehicle"):
            return
        visits = list(session.scalars(select(Visit).where(Visit.vehicle_id == event.record_id,
                                                          Visit.deleted_at.is_(None))))
        if not self.take_along and any(v.visited_on >= dt.date(2026, 12, 1) for v in visits):
            raise InputError("This vehicle is in the workshop: finish its visit first")
        for v in visits:
            v.deleted_at = dt.datetime(2026, 12, 6)


@pytest.mark.parametrize("take_along", [False, True])
def test_delete_vetoes_run_before_the_dependants_check(make_kernel, take_along):
    from peyvand_garage.models import Vehicle

    k = make_kernel(**GARAGE)
    car = testing.create_record(k, None, "garage.vehicle", plate="۱۲ب۳۴۵")
    testing.create_record(k, None, "garage.visit", visited_on=dt.date(2026, 12, 3), vehicle_id=car)
    k.pm.register(VisitsGuard(take_along), name="guard")
    res = k.resources["garage.vehicle"]
    if take_along:
        with k.session() as s:
            records.delete_record(k, s, SYSTEM, res, car)
        with k.sessions() as s:
            assert s.get(Vehicle, car).deleted_at is not None
        return
    # The module's reason, not "Cannot delete: Service visits depend on it".
    with pytest.raises(InputError, match="in the workshop"), k.session() as s:
        records.delete_record(k, s, SYSTEM, res, car)
    with k.sessions() as s:
        assert s.get(Vehicle, car).deleted_at is None


def test_without_a_veto_dependants_still_refuse_and_nothing_changes(make_kernel):
    from peyvand_garage.models import Vehicle

    from kernel import Conflict

    k = make_kernel(**GARAGE)
    car = testing.create_record(k, None, "garage.vehicle", plate="۱۲ب۳۴۵")
    testing.create_record(k, None, "garage.visit", visited_on=dt.date(2025, 1, 3), vehicle_id=car)
    listener = _listen(k)
    with pytest.raises(Conflict, match="Service visits"), k.session() as s:
        records.delete_record(k, s, SYSTEM, k.resources["garage.vehicle"], car)
    assert RecordDeleted("garage.vehicle", car) in listener.heard
    with k.sessions() as s:
        assert s.get(Vehicle, car).deleted_at is None
