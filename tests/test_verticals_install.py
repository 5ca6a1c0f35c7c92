"""Issue 16's promise: a vertical is only a module set. Installing it on a live database that
already holds tier-4 data (the tier's demo: partners, invoices, cheques, campaigns, tasks, deals…)
creates its tables and keeps every row of every other table; models and migrations agree; its
branch goes down (its tables only) and up again with every other row kept; and it then works
beside the old data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, table

from kernel import migrations
from kernel.actor import SYSTEM
from kernel.demo import load_demo
from kernel.kernel import Kernel
from kernel.testing import create_user

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def rows(kernel: Any) -> dict[str, int]:
    """Every table's row count but Alembic's own (it holds the heads, which move)."""
    names = [n for n in inspect(kernel.engine).get_table_names() if n != "alembic_version"]
    with kernel.engine.connect() as conn:
        return {n: int(conn.scalar(select(func.count()).select_from(table(n))) or 0) for n in names}


def own_tables(kernel: Any, prefix: str) -> set[str]:
    # SQLite's full-text tables of a searchable resource are the kernel's search index, made at
    # start-up beside the table, not by the branch's migrations.
    return {n for n in inspect(kernel.engine).get_table_names() if n.startswith(prefix) and "_fts" not in n}


@contextmanager
def installed(make_kernel: Any, engine: str, home: Any, module: str, edition: str = "tier4",
              beside: tuple[str, ...] = (), before_install: Callable[[Any], Any] | None = None,
              demo: bool = True) -> Iterator[Any]:
    """A live ``edition`` database (with the modules ``beside`` it) holding its demo and what
    ``before_install`` adds, then ``module`` enabled and migrated on it — with every check of the
    promise made on the way; the kernel with the vertical, to try it (``kernel.before`` holds what
    ``before_install`` answered)."""
    live = make_kernel(edition=edition, engine=engine, home=home, modules=beside)
    if demo:
        create_user(live, "owner", admin=True)
        load_demo(live)
    made = before_install(live) if before_install is not None else None
    before = rows(live)
    assert before["finance_invoice"] > 0 and (before["base_partner"] > 100 or not demo)
    assert not own_tables(live, f"{module}_")
    bigger = Kernel(live.config.__class__(**{**live.config.__dict__, "extra_modules": (*beside, module)}))
    bigger.before = made
    try:
        migrations.upgrade(bigger)
        assert {n: c for n, c in rows(bigger).items() if n in before} == before
        assert own_tables(bigger, f"{module}_")
        assert migrations.diff(bigger) == [] and not migrations.pending(bigger)
        with migrations.migrating(bigger) as conn:  # the branch down to nothing …
            cfg = migrations.alembic_config(bigger)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, f"{module}@base")
        assert not own_tables(bigger, f"{module}_")
        migrations.upgrade(bigger)  # … and up again
        assert {n: c for n, c in rows(bigger).items() if n in before} == before
        assert migrations.diff(bigger) == []
        yield bigger
    finally:
        bigger.engine.dispose()


@pytest.mark.parametrize("engine", ENGINES)
def test_medical_installs_on_a_live_tier4_database_and_keeps_every_row(make_kernel: Any, engine: str,
                                                                       tmp_path: Any) -> None:
    from modules.medical.models import Appointment
    from modules.medical.services import booking
    from modules.medical.tests.calendar_helpers import doctor, person

    with installed(make_kernel, engine, tmp_path / "h", "medical") as clinic:
        # The clinic works beside the old data: a doctor, a patient, an appointment.
        rahimi = doctor(clinic, "مهدی", "رحیمی", None, "قلب")
        patient = person(clinic, "مریم", "احمدی", "+989121119999")
        with clinic.session() as s:
            starts = booking.slots.offered(s, [s.get(booking.Doctor, rahimi)], dt.date.today() + dt.timedelta(days=1),
                                           dt.date.today() + dt.timedelta(days=14), clinic.config.timezone)[rahimi]
            first = min(t for day in starts.values() for t in day)
            booking.book(clinic, s, SYSTEM, doctor_id=rahimi, patient_id=patient, start_at=first)
        with clinic.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Appointment)) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_installing_insurance_on_a_live_tier4_database_keeps_every_row(make_kernel: Any, engine: str,
                                                                       tmp_path: Any) -> None:
    with installed(make_kernel, engine, tmp_path / "live", "insurance") as agency:
        assert {n: c for n, c in rows(agency).items() if n in own_tables(agency, "insurance_")} == {
            "insurance_insurer": 0, "insurance_notice": 0, "insurance_policy": 0, "insurance_policy_type": 0}


@pytest.mark.parametrize("engine", ENGINES)
def test_carpet_installs_on_a_live_tier4_database_and_keeps_every_row(make_kernel: Any, engine: str,
                                                                      tmp_path: Any) -> None:
    from kernel.testing import create_record
    from modules.carpet.models import WarrantyCard
    from modules.carpet.tests.carpet_helpers import receive
    from modules.finance.tests.purchase_helpers import buy, purchase_world, sell

    def a_carpet_sold(live: Any) -> tuple[dict[str, Any], int]:
        w = purchase_world(live)
        buy(live, w, [(w["carpet"], "10", 1_000)])  # finance's purchase
        receive(live, w["carpet"], "10")  # inventory's receipt
        return w, sell(live, w, [(w["carpet"], "3", 2_000)])

    # Finance's purchase world (its users and stock) instead of the demo, whose users it would repeat.
    with installed(make_kernel, engine, tmp_path / "shop", "carpet", beside=("inventory",),
                   before_install=a_carpet_sold, demo=False) as k:
        w, sold = k.before
        assert own_tables(k, "carpet_") >= {"carpet_design", "carpet_dealer", "carpet_warranty_batch",
                                             "carpet_warranty_card"}
        # The carpet sold before stays without a card; once it is a design, the next sale makes one.
        create_record(k, None, "carpet.design", code="700", name="کاشان", product_id=w["carpet"], reeds=700)
        again = sell(k, w, [(w["carpet"], "2", 2_000)])
        with k.sessions() as s:
            assert s.scalar(select(func.count()).select_from(WarrantyCard).where(WarrantyCard.invoice_id == sold)) == 0
            assert s.scalar(select(func.count()).select_from(WarrantyCard).where(WarrantyCard.invoice_id == again)) == 2
