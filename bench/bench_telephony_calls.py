"""Telephony: SMDR lines parsed, and calls matched and logged, on a database of partners.

    python bench/gen_partners.py --partners 200000 --communications 1
    python bench/bench_telephony_calls.py --partners 200000 [--calls 1000] [--postgres URL]

Runs on the database ``bench/gen_partners.py`` filled (telephony's tables are added by the
upgrade). Prints: the parser's rate on SMDR lines alone; then, for ``--calls`` records whose
callers are partners' mobiles printed as a PBX prints them (``0912…``), the time of
``modules.telephony.sink.record_event`` per call (its own transaction: canonical number, the
partner by mobile/phone/contact, the extension's user, the insert, the event) as p50/p95 and
calls per second; and the *bare SQL* of the match (the same SELECTs on a raw DB-API connection).
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

from sqlalchemy import select, text  # noqa: E402

DATA = ROOT / "bench" / "data"


def kernel_for(url: str, home: Path):  # type: ignore[no-untyped-def]
    from kernel import migrations
    from kernel.config import Config
    from kernel.kernel import Kernel

    k = Kernel(Config(home=home, database_url=url, secret_key="bench", extra_modules=("telephony",),
                      extra_packages=("modules.telephony",)))
    migrations.upgrade(k)
    return k


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--partners", type=int, default=200_000)
    ap.add_argument("--calls", type=int, default=1_000)
    ap.add_argument("--postgres", metavar="URL")
    args = ap.parse_args()
    if args.postgres:
        url, home = args.postgres, DATA / "base-home-postgres"
    else:
        home = DATA / f"base-sqlite-{args.partners}"
        url = f"sqlite:///{home / 'bench.sqlite3'}"
    from devices.drivers.panasonic_smdr import PanasonicSmdr
    from devices.simulators.panasonic_pbx import SimCall, format_record
    from modules.base.models import Partner
    from modules.telephony.models import Call, Device
    from modules.telephony.sink import record_event

    k = kernel_for(url, home)
    with k.sessions() as session:
        mobiles = list(session.scalars(select(Partner.mobile).where(Partner.mobile.is_not(None))
                                       .order_by(Partner.id).limit(args.calls)))
        total = session.scalar(text("SELECT count(*) FROM base_partner"))
    with k.session() as session:
        device = Device(name="bench", driver="panasonic_smdr", port="/dev/null")
        session.add(device)
        session.flush()
        device_id = device.id
    start = dt.datetime(2026, 12, 7, 9, 0) + dt.timedelta(days=int(time.time()) % 1000)
    lines = [format_record(SimCall("0" + m[3:], start + dt.timedelta(minutes=i))) for i, m in enumerate(mobiles)]
    driver = PanasonicSmdr("Asia/Tehran")
    payload = ("\r\n".join(lines * max(1, 100_000 // len(lines))) + "\r\n").encode("latin-1")
    t0 = time.perf_counter()
    events = driver.feed(payload, start)
    parse = time.perf_counter() - t0
    print(f"partners: {total:,}; parser: {len(events):,} lines in {parse:.2f} s = {len(events) / parse:,.0f} lines/s")
    times = []
    for event in events[:len(lines)]:
        t0 = time.perf_counter()
        record_event(k, device_id, event)
        times.append((time.perf_counter() - t0) * 1000)
    with k.sessions() as session:
        matched = session.scalar(select(text("count(*)")).select_from(Call).where(Call.device_id == device_id,
                                                                                Call.partner_id.is_not(None)))
    q = statistics.quantiles(times, n=20)
    print(f"record_event: {len(times)} calls, p50 {statistics.median(times):.2f} ms, p95 {q[18]:.2f} ms, "
          f"{len(times) / (sum(times) / 1000):,.0f} calls/s, matched {matched}")
    raw = k.engine.raw_connection()
    try:
        cur = raw.cursor()
        mark = "%s" if k.engine.dialect.name == "postgresql" else "?"
        sql = (f"SELECT id FROM base_partner WHERE mobile = {mark} AND deleted_at IS NULL ORDER BY id LIMIT 1")
        bare = []
        for m in mobiles:
            t0 = time.perf_counter()
            cur.execute(sql, (m,))
            cur.fetchall()
            bare.append((time.perf_counter() - t0) * 1000)
        qb = statistics.quantiles(bare, n=20)
        print(f"bare SQL `{sql}`: p50 {statistics.median(bare):.3f} ms, p95 {qb[18]:.3f} ms")
    finally:
        raw.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
