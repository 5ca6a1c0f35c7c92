"""Clinic calendar (issue 16): a doctor's week view and the next free slot across 50 doctors at
2,000,000 appointments, through the real application and services, beside the bare SQL of the
same statements.

    python bench/bench_clinic.py --generate                 # SQLite in bench/data/clinic/ (once)
    python bench/bench_clinic.py
    python bench/bench_clinic.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_clinic --generate
    python bench/bench_clinic.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_clinic

The data: 50 doctors (15-minute slots, 08:00–16:00 Saturday to Thursday), 50,000 patients, and
2,000,000 appointments over about four years of working days up to ten weeks ahead: past ones
seen, no-show or cancelled, coming ones booked — every slot of the next ten days and 85 % of the
slots after — each live one holding its row of ``medical_taken_slot``.

Rows (p50/p95 over ``--requests`` calls after three warm-ups; *bare* is the read statements of one
call replayed on a raw DB-API connection, ``bench_base.bare_sql``):

* ``week``: ``GET /medical/calendar?doctor=…&view=week`` of a busy doctor's coming week, as an
  administrator (target p95 40 ms);
* ``next free``: ``booking.next_free_for`` of the group of all 50 doctors, whose first ten days
  are full (target 50 ms).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_partners as gen  # noqa: E402
from bench_base import bare_sql, capturing, explain, p  # noqa: E402
from bench_sales import login  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

DOCTORS = 50
PATIENTS = 50_000
APPOINTMENTS = 2_000_000
SLOT = 15
PER_DAY = 32  # 08:00–16:00
AHEAD = 70  # days of coming appointments
FULL = 10  # the first days ahead are fully booked
BATCH = 20_000
TARGETS = {"week": 40.0, "next free": 50.0}
USER = "bench-admin"


def open_kernel(url: str, home: Path) -> Any:
    from kernel import migrations
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    config = dataclasses.replace(gen.make_config(url, home), edition="tier1", extra_modules=("medical",))
    kernel = Kernel(config)
    migrations.upgrade(kernel)
    return kernel


def working_days(kernel: Any, first: dt.date, last: dt.date) -> list[dt.date]:
    from kernel.occasions import working_days as wd

    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    with kernel.sessions() as s:
        return wd(s, days)


def generate(kernel: Any) -> None:
    from kernel import security
    from kernel.timezone import local_today, to_utc
    from modules.base.models import Partner
    from modules.medical.models import Appointment, Doctor, DoctorGroup, GroupMember, Shift, TakenSlot

    rnd = random.Random(16)
    tz = kernel.config.timezone
    t0 = time.perf_counter()
    with kernel.session() as s:
        if s.scalar(select(func.count()).select_from(Appointment)):
            print("already generated")
            return
        security.create_user(kernel, s, USER, gen.PASSWORD, full_name="مدیر سنجش", is_admin=True, lang="fa")
        first = int(s.scalar(select(func.coalesce(func.max(Partner.id), 0)))) + 1
        names = ("مریم", "علی", "زهرا", "رضا", "فاطمه", "حسین", "نرگس", "مهدی")
        lasts = ("احمدی", "کاظمی", "رحیمی", "صالحی", "موسوی", "حسینی", "کریمی", "نوروزی")
        for start in range(0, DOCTORS + PATIENTS, BATCH):
            rows = [{"id": first + i, "kind": "person", "first_name": names[i % 8], "last_name": lasts[(i // 8) % 8],
                     "name": f"{names[i % 8]} {lasts[(i // 8) % 8]} {i}", "search_key": "", "sort_key": ""}
                    for i in range(start, min(start + BATCH, DOCTORS + PATIENTS))]
            s.execute(insert(Partner), rows)
        for i in range(DOCTORS):
            s.add(Doctor(id=i + 1, partner_id=first + i, name=f"دکتر {i + 1}", specialties="عمومی",
                         slot_minutes=SLOT, active=True))
        s.flush()
        for i in range(DOCTORS):
            for weekday in range(6):
                s.add(Shift(doctor_id=i + 1, weekday=weekday, starts="08:00", ends="16:00"))
        group = DoctorGroup(name="همهٔ پزشکان")
        s.add(group)
        s.flush()
        for i in range(DOCTORS):
            s.add(GroupMember(group_id=group.id, doctor_id=i + 1))
    today = local_today(tz)
    per_doctor = APPOINTMENTS // DOCTORS
    days_needed = per_doctor // PER_DAY + 1
    # Working days back from today + AHEAD until there are enough.
    days: list[dt.date] = []
    end = today + dt.timedelta(days=AHEAD)
    start = end - dt.timedelta(days=int(days_needed * 7 / 5.6) + 30)
    days = working_days(kernel, start, end)[-days_needed:]
    slot_times = [(d, to_utc(dt.datetime.combine(d, dt.time(8, 0)), tz)) for d in days]
    made = 0
    appt_id = 1
    rows: list[dict[str, Any]] = []
    taken: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal rows, taken
        with kernel.session() as s:
            if rows:
                s.execute(insert(Appointment), rows)
            if taken:
                s.execute(insert(TakenSlot), taken)
        rows, taken = [], []

    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for doctor in range(1, DOCTORS + 1):
        for day, morning in slot_times:
            future = day > today
            for n in range(PER_DAY):
                if made >= APPOINTMENTS:
                    break
                at = morning + dt.timedelta(minutes=SLOT * n)
                if future and (day - today).days > FULL and rnd.random() > 0.85:
                    continue
                if at > now:
                    state = "booked"
                else:
                    r = rnd.random()
                    state = "seen" if r < 0.82 else "no_show" if r < 0.92 else "cancelled"
                rows.append({"id": appt_id, "doctor_id": doctor, "patient_id": first + DOCTORS + rnd.randrange(PATIENTS),
                             "start_at": at, "end_at": at + dt.timedelta(minutes=SLOT), "minutes": SLOT, "state": state,
                             "created_at": now, "updated_at": now})
                if state in ("booked", "seen"):
                    taken.append({"doctor_id": doctor, "slot_at": at, "appointment_id": appt_id})
                appt_id += 1
                made += 1
                if len(rows) >= BATCH:
                    flush()
        print(f"  doctor {doctor}: {made:,} appointments ({time.perf_counter() - t0:.0f} s)", flush=True)
    flush()
    if kernel.engine.dialect.name == "postgresql":
        with kernel.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    else:
        with kernel.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    print(f"generated {made:,} appointments in {time.perf_counter() - t0:.0f} s")


def summary(times: list[float], sql: list[Any], calls: int, kernel: Any, plans: bool) -> dict[str, Any]:
    per = len(sql) // calls
    bare = bare_sql(kernel, sql[-per:], repeat=max(5, calls // 3))
    slowest = max(bare, key=lambda b: b[0])
    out = {"p50": p(times, 0.5), "p95": p(times, 0.95), "queries": len(sql) / calls,
           "sql_ms": sum(x[0] for x in sql) * 1000 / calls, "bare_ms": sum(b[0] for b in bare) * 1000,
           "slowest": slowest}
    if plans:
        out["plan"] = explain(kernel, slowest[1], slowest[2])
    return out


def week_view(kernel: Any, requests: int, plans: bool) -> dict[str, Any]:
    from starlette.testclient import TestClient

    from kernel.gc_tuning import freeze_startup
    from kernel.timezone import local_today
    from kernel.web.app import build_app

    day = (local_today(kernel.config.timezone) + dt.timedelta(days=7)).isoformat()
    path = f"/medical/calendar?doctor=7&view=week&day={day}"
    app = build_app(kernel)
    freeze_startup()
    with TestClient(app, base_url="http://testserver") as client:
        login(client, USER)
        for _ in range(3):
            resp = client.get(path)
            assert resp.status_code == 200 and "med-week" in resp.text, resp.text[:300]
        times = []
        with capturing(kernel.engine) as sql:
            for _ in range(requests):
                t0 = time.perf_counter()
                resp = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
    out = summary(times, sql, requests, kernel, plans)
    out["note"] = f"{resp.text.count('med-booked')} booked, {resp.text.count('med-free')} free slots shown"
    return out


def next_free(kernel: Any, requests: int, plans: bool) -> dict[str, Any]:
    from modules.medical.models import DoctorGroup
    from modules.medical.services import booking

    with kernel.sessions() as s:
        group = s.scalar(select(DoctorGroup.id))
    found = None
    for _ in range(3):
        with kernel.sessions() as s:
            found = booking.next_free_for(kernel, s, group_id=group)
    times = []
    with capturing(kernel.engine) as sql:
        for _ in range(requests):
            t0 = time.perf_counter()
            with kernel.sessions() as s:
                found = booking.next_free_for(kernel, s, group_id=group)
            times.append((time.perf_counter() - t0) * 1000)
    out = summary(times, sql, requests, kernel, plans)
    out["note"] = f"found doctor {found[0].id} at {found[1]:%Y-%m-%d %H:%M} UTC" if found else "none found"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--postgres", metavar="URL")
    ap.add_argument("--generate", action="store_true")
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--explain", action="store_true")
    args = ap.parse_args(argv)
    home = ROOT / "bench" / "data" / ("clinic-pg" if args.postgres else "clinic")
    url = args.postgres or f"sqlite:///{home / 'clinic.sqlite3'}"
    home.mkdir(parents=True, exist_ok=True)
    kernel = open_kernel(url, home)
    if args.generate:
        generate(kernel)
    with kernel.sessions() as s:
        n = s.scalar(text("SELECT count(*) FROM medical_appointment"))
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Clinic calendar — {n:,} appointments, {DOCTORS} doctors, {engine}, {args.requests} calls (ms)")
    print(f"{'row':12} {'p50':>6} {'p95':>6} {'target':>6} {'SQL/call':>8} {'in-call':>7} {'bare':>6}")
    for name, fn in (("week", week_view), ("next free", next_free)):
        r = fn(kernel, args.requests, args.explain)
        flag = "" if r["p95"] <= TARGETS[name] else "  MISSED"
        print(f"{name:12} {r['p50']:6.1f} {r['p95']:6.1f} {TARGETS[name]:6.0f} {r['queries']:8.1f} {r['sql_ms']:7.1f} "
              f"{r['bare_ms']:6.1f}{flag}   {r['note']}")
        print(f"  slowest statement ({r['slowest'][0] * 1000:.1f} ms bare): {' '.join(r['slowest'][1].split())[:600]}")
        if r.get("plan"):
            print(r["plan"])
    kernel.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
