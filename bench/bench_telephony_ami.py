"""Telephony through Asterisk's manager interface: AMI events parsed, and calls from the simulated
Asterisk through panoramisk and the device service into the database.

    python bench/bench_telephony_ami.py [--calls 500] [--postgres URL]

On a fresh database: SQLite in a temporary folder, or the PostgreSQL database given — a
throwaway one: it is upgraded to every head, and a device "bench-ami" with its calls is written
(its calls from an earlier run deleted). Prints: the driver's rate
on AMI blocks alone (a call is 9 events, as the simulator sends them); the latency from the
simulator sending ``DialBegin`` to the ringing call committed (``record_event`` returned), p50 and
p95 over 100 calls one at a time; and a burst of ``--calls`` whole calls sent at once: how long
until every one is in the database, complete, and the rate. Matching cost at scale is
bench_telephony_calls.py's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, select  # noqa: E402

AT = dt.datetime(2026, 12, 7, 10, 0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=500)
    ap.add_argument("--postgres", metavar="URL")
    args = ap.parse_args()
    from bench_telephony_calls import kernel_for

    from devices.drivers.asterisk_ami import AsteriskAmi
    from devices.events import CallStarted
    from devices.service import DeviceService, DeviceSpec
    from devices.simulators.asterisk_ami import AsteriskSim
    from modules.telephony.models import Call, Device
    from modules.telephony.sink import record_event

    home = Path(tempfile.mkdtemp(prefix="bench-ami-"))
    k = kernel_for(args.postgres or f"sqlite:///{home / 'bench.sqlite3'}", home)
    with AsteriskSim() as sim:
        blocks = [b for n in range(2000) for b in sim.call(f"0912{n:07d}", "201", at=AT).events]  # nobody listens yet
        data = "".join(blocks).encode()
        driver = AsteriskAmi("Asia/Tehran")
        start = time.perf_counter()
        events = driver.feed(data, AT)
        parse = time.perf_counter() - start
        print(f"driver: {len(blocks)} AMI events in {parse * 1000:.0f} ms = {len(blocks) / parse:,.0f} events/s "
              f"({2000 / parse:,.0f} calls/s), {len(events)} call events")

        with k.session() as session:
            device = session.scalar(select(Device.id).where(Device.name == "bench-ami"))
            if device is None:
                row = Device(name="bench-ami", driver="asterisk_ami", port=sim.address, username="peyvand",
                             secret=sim.secret)
                session.add(row)
                session.flush()
                device = row.id
            session.execute(delete(Call).where(Call.device_id == device))  # only the bench device's calls
        committed: dict[str, float] = {}
        done = threading.Event()

        def sink(key: object, event: object) -> None:
            record_event(k, int(device), event)  # type: ignore[arg-type]
            if isinstance(event, CallStarted):
                committed[event.number] = time.perf_counter()
                done.set()

        spec = DeviceSpec(device, sim.address, lambda: AsteriskAmi(k.config.timezone), link="ami",
                          username="peyvand", secret=sim.secret)
        service = DeviceService([spec], sink=sink, backoff_min=0.05, backoff_max=0.2).start()
        try:
            assert sim.wait_for_listener(10), "the service did not log in"
            latencies = []
            for n in range(100):
                done.clear()
                number = f"0935{n:07d}"
                sent = time.perf_counter()
                sim.call(number, "201", at=AT)
                assert done.wait(10), "a call was not recorded"
                latencies.append((committed[number] - sent) * 1000)
            latencies.sort()
            print(f"DialBegin -> ringing call committed: p50 {statistics.median(latencies):.1f} ms, "
                  f"p95 {latencies[94]:.1f} ms (100 calls, {k.engine.dialect.name})")

            def complete() -> int:
                with k.sessions() as session:
                    return int(session.scalar(select(func.count()).select_from(Call).where(
                        Call.answered.is_not(None))) or 0)

            before = complete()
            start = time.perf_counter()
            for n in range(args.calls):
                sim.call(f"0919{n:07d}", "201", at=AT)
            while complete() < before + args.calls:
                time.sleep(0.05)
            took = time.perf_counter() - start
            print(f"burst: {args.calls} calls ({args.calls * 9} events) sent at once, all complete in the "
                  f"database after {took:.2f} s = {args.calls / took:,.0f} calls/s")
        finally:
            service.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
