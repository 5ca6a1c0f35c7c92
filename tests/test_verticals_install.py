"""Issue 16's promise: a vertical installs on a live database that already holds tier-4 data and
keeps every row; its branch goes down and up again cleanly, and models and migrations agree.
One function per vertical (the lead merges the three)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import MetaData, func, inspect, select

from kernel import migrations
from kernel.demo import load_demo
from kernel.kernel import Kernel
from kernel.testing import create_user

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def row_counts(kernel: Any) -> dict[str, int]:
    meta = MetaData()
    meta.reflect(kernel.engine)
    with kernel.engine.connect() as conn:
        return {name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for name, table in meta.tables.items() if not name.startswith("alembic")}


def with_modules(kernel: Any, *names: str) -> Any:
    return Kernel(kernel.config.__class__(**{**kernel.config.__dict__, "extra_modules": names}))


def branch(kernel: Any, target: str, down: bool) -> None:
    from alembic import command

    from kernel.migrations import alembic_config, migrating

    with migrating(kernel) as conn:
        cfg = alembic_config(kernel)
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, target)


@pytest.mark.parametrize("engine", ENGINES)
def test_medical_installs_on_a_live_tier4_database_and_keeps_every_row(make_kernel: Any, engine: str,
                                                                       tmp_path: Any) -> None:
    from modules.medical.models import Appointment
    from modules.medical.services import booking
    from modules.medical.tests.calendar_helpers import doctor, person

    live = make_kernel(edition="tier4", engine=engine, home=tmp_path / "h")
    create_user(live, "admin", admin=True)
    load_demo(live)
    before = row_counts(live)
    assert before["base_partner"] > 100 and before["finance_invoice"] > 0 and before["sales_opportunity"] > 0
    clinic = with_modules(live, "medical")
    migrations.upgrade(clinic)
    tables = set(inspect(clinic.engine).get_table_names())
    assert {"medical_doctor", "medical_appointment", "medical_taken_slot"} <= tables
    after = row_counts(clinic)
    assert {t: n for t, n in after.items() if t in before} == before
    assert migrations.diff(clinic) == [] and not migrations.pending(clinic)
    # The branch goes down (its tables only) and up again, the rows of the others untouched.
    branch(clinic, "medical@base", down=True)
    # (SQLite's full-text tables of a searchable resource are the kernel's search index, made at
    # start-up beside the table, not by the branch's migrations.)
    assert not {t for t in inspect(clinic.engine).get_table_names() if t.startswith("medical_") and "_fts" not in t}
    branch(clinic, "heads", down=False)
    assert {t: n for t, n in row_counts(clinic).items() if t in before} == before
    # And the clinic works beside the old data: a doctor, a patient, an appointment.
    rahimi = doctor(clinic, "مهدی", "رحیمی", None, "قلب")
    patient = person(clinic, "مریم", "احمدی", "+989121119999")
    with clinic.session() as s:
        starts = booking.slots.offered(s, [s.get(booking.Doctor, rahimi)], dt.date.today() + dt.timedelta(days=1),
                                       dt.date.today() + dt.timedelta(days=14), clinic.config.timezone)[rahimi]
        first = min(t for day in starts.values() for t in day)
        booking.book(clinic, s, booking_actor(), doctor_id=rahimi, patient_id=patient, start_at=first)
    with clinic.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Appointment)) == 1
    clinic.engine.dispose()


def booking_actor() -> Any:
    from kernel.actor import SYSTEM

    return SYSTEM
