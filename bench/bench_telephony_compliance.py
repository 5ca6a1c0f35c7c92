"""Telephony's compliance report (FAQ 19) over a million calls: the time of its query for one
Jalali month, and its plan (the calls' range on ix_telephony_call_started, one NOT EXISTS probe
of ix_base_communication_partner_started per call).

    python bench/bench_telephony_compliance.py [--calls 1000000] [--partners 100000] [--postgres URL]

Fills its own database (SQLite under bench/data, or the PostgreSQL given) once: partners, calls
spread over 100 days (10,000 a day at a million), two thirds of the answered ones logged as a
communication 5 minutes after the call ended. Prints the rows found and p50/p95 of five runs of
the report's statement as an administrator, the bare SQL time, and the plan.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from sqlalchemy import func, insert, select, text  # noqa: E402

DATA = ROOT / "bench" / "data"
FIRST = dt.datetime(2026, 8, 29, 4, 30)  # 1405/06/07 08:00 Tehran; a month of days from 1405/07/01 is inside
BATCH = 20_000


def fill(k: object, calls: int, partners: int) -> None:
    from modules.base.models import Communication, Partner
    from modules.telephony.models import Call, Device

    with k.session() as s:  # type: ignore[attr-defined]
        if s.scalar(select(func.count()).select_from(Call)):
            return
        device = Device(name="bench", driver="panasonic_smdr", port="/dev/null")
        s.add(device)
        s.flush()
        device_id = device.id
    now = dt.datetime(2026, 12, 1)
    with k.engine.begin() as conn:  # type: ignore[attr-defined]
        for start in range(0, partners, BATCH):
            conn.execute(insert(Partner), [
                {"kind": "person", "name": f"p{i}", "contact_numbers": "", "search_key": "", "sort_key": "",
                 "mobile": f"+98912{i:07d}", "created_at": now, "updated_at": now}
                for i in range(start, min(partners, start + BATCH))])
    spacing = dt.timedelta(days=100) / calls
    for start in range(0, calls, BATCH):
        rows, comms = [], []
        for i in range(start, min(calls, start + BATCH)):
            at = FIRST + spacing * i
            partner = i % partners + 1
            answered = i % 5 != 0
            rows.append({"device_id": device_id, "key": f"{i:064d}", "direction": "incoming",
                         "number_canonical": f"+98912{partner - 1:07d}", "partner_id": partner, "user_id": None,
                         "started_at": at, "duration_seconds": 90 if answered else 0, "answered": answered,
                         "raw": "bench", "created_at": now})
            if answered and i % 3:
                comms.append({"kind": "call", "direction": "in", "subject": "تماس", "partner_id": partner,
                              "started_at": at + dt.timedelta(seconds=90 + 300), "search_key": "",
                              "created_at": now, "updated_at": now})
        with k.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(insert(Call), rows)
            if comms:
                conn.execute(insert(Communication), comms)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--partners", type=int, default=100_000)
    ap.add_argument("--postgres", metavar="URL")
    args = ap.parse_args()
    from bench_telephony_calls import kernel_for

    from kernel.actor import SYSTEM
    from kernel.persian.jalali import jalali_month_range
    from kernel.timezone import to_utc
    from modules.telephony.report_compliance import DEFAULT_MINUTES, unlogged_calls

    if args.postgres:
        home, url = DATA / "compliance-home-postgres", args.postgres
    else:
        home = DATA / f"compliance-sqlite-{args.calls}"
        url = f"sqlite:///{home / 'bench.sqlite3'}"
    home.mkdir(parents=True, exist_ok=True)
    k = kernel_for(url, home)
    t0 = time.perf_counter()
    fill(k, args.calls, args.partners)
    print(f"filled in {time.perf_counter() - t0:.0f} s")
    with k.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    first, last = jalali_month_range(1405, 7)
    low = to_utc(dt.datetime.combine(first, dt.time()), k.config.timezone)
    high = to_utc(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()), k.config.timezone)
    stmt = unlogged_calls(k, SYSTEM, low, high, DEFAULT_MINUTES, None)
    with k.sessions() as s:
        in_month = s.scalar(select(func.count()).select_from(text("telephony_call"))
                            .where(text("started_at >= :a AND started_at < :b")), {"a": low, "b": high})
        times, found = [], 0
        for _ in range(5):
            t = time.perf_counter()
            found = len(s.execute(stmt).all())
            times.append(time.perf_counter() - t)
    compiled = stmt.compile(k.engine, compile_kwargs={"literal_binds": True})
    with k.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        cur = raw.cursor()
        bare = []
        for _ in range(5):
            t = time.perf_counter()
            cur.execute(str(compiled))
            cur.fetchall()
            bare.append(time.perf_counter() - t)
        plan_sql = ("EXPLAIN QUERY PLAN " if k.engine.dialect.name == "sqlite" else "EXPLAIN ") + str(compiled)
        cur.execute(plan_sql)
        plan = "\n".join(" ".join(str(c) for c in row) for row in cur.fetchall())
    times.sort()
    print(f"{k.engine.dialect.name}: {args.calls:,} calls, {in_month:,} in the month 1405/07, {found:,} listed "
          f"(capped at 5,000); report p50 {statistics.median(times) * 1000:.0f} ms, p95 {times[-1] * 1000:.0f} ms; "
          f"bare SQL p50 {statistics.median(sorted(bare)) * 1000:.0f} ms")
    print(plan)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
