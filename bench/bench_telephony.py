"""Caller ID end to end at full scale: a simulated Panasonic PBX (or caller-ID modem) on a
pseudo-terminal, in a process of its own as the device is, prints call lines at a set rate into
the real device service (pyserial reading the pty, the driver, the telephony sink writing each
call in its own transaction) on a copy of the 1,000,000-partner data set. Does it keep up with 50
calls a second, and what is the most it sustains?

    cp /work/main/bench/data/base-sqlite-1000000/bench.sqlite3 /tmp/tel-bench.sqlite3   # a COPY
    python bench/bench_telephony.py sqlite:////tmp/tel-bench.sqlite3 --run pbx:50 --run pbx:0 --run modem:50
    psql -h 127.0.0.1 -p 40629 -U postgres -c "CREATE DATABASE tel_bench TEMPLATE bench1m"
    python bench/bench_telephony.py postgresql+psycopg://postgres@127.0.0.1:40629/tel_bench --run pbx:50 --run pbx:0

The database is first migrated with telephony enabled, as an administrator would: a home whose
``peyvand.json`` lists the module, then ``peyvand db upgrade`` (a subprocess). Each ``--run
DEVICE:RATE`` (lines per second for ``--seconds``; rate ``0``: ``--flood`` lines as fast as the
pty takes them) adds a new device and reads it with ``DeviceService`` exactly as ``peyvand
telephony run`` builds it. Callers are real partners' numbers in the shapes a PBX prints them —
``0912…``, ``0098912…``, ``912…`` (no trunk zero), a Tehran landline as its 8-digit local
number — or, for a modem, ``+98912…``, ``0912…`` and the local number; plus numbers no partner
has (two in ten). Persian digits never come down a serial line (PBXs and modems print ASCII; the
drivers read latin-1): ``modules/telephony/tests`` match them at the sink. Printed: lines/s
written and committed; lag p50/p95/max from a line written into the pty to its call row
committed; ``record_event`` per call; the SQL of the match alone (its statements' cursor time,
``bench_base.capturing``) and the same statements replayed bare on a raw connection
(``bench_base.bare_sql``); and whether every call found the right partner (checked in SQL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from bench_base import bare_sql, capturing  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

# The shapes of the caller's number, one in ten each: as a PBX prints them, and as a caller-ID
# modem reports them (a modem passes on what the line sends, "+98…" included).
SHAPES = {
    "pbx": ("national", "national", "national", "international", "international", "no_trunk_zero",
            "local", "local", "unknown", "unknown"),
    "modem": ("plus", "plus", "plus", "national", "national", "national", "local", "local", "unknown", "unknown"),
}
MOBILE_SHAPES = ("national", "international", "no_trunk_zero", "plus")
MATCH_TABLES = ("FROM base_partner", "FROM base_contact")
# The shared data sets (bench/data/ in a checkout, the bench cluster's generated databases).
ORIGINALS = {"bench1m", "bench1m_finance", "bench_pay", "bench_customers", "mkt_compose"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))] if ordered else float("nan")


# -- the database ------------------------------------------------------------------------------
def migrate(url: str, home: Path) -> None:
    """``peyvand db upgrade`` with telephony enabled in the home, as an administrator runs it."""
    from kernel.config import write_instance

    write_instance(home, ("telephony",))
    env = {**os.environ, "PEYVAND_HOME": str(home), "PEYVAND_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    code = "import sys; from kernel.cli import main; sys.exit(main(['db', 'upgrade']))"
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"peyvand db upgrade failed:\n{done.stdout}\n{done.stderr}")
    print(f"peyvand db upgrade (telephony enabled): {time.perf_counter() - t0:.1f} s", flush=True)


def open_kernel(url: str, home: Path) -> Any:
    from kernel.config import from_env
    from kernel.kernel import Kernel

    return Kernel(from_env({"PEYVAND_HOME": str(home), "PEYVAND_DATABASE_URL": url,
                            "PEYVAND_SECRET_KEY": "bench-telephony", "PEYVAND_SCHEDULER": "0"}))


@dataclass(frozen=True)
class Caller:
    printed: str  # as the PBX prints it after <I>
    shape: str
    known: bool


def callers(kernel: Any, runs: list[tuple[str, int]], seed: int) -> list[list[Caller]]:
    """For each (device, lines) run, distinct callers: partners' mobiles and Tehran landlines
    spread through the table, in that device's shapes, and numbers no partner, phone or contact
    row has. No number is used twice across the runs (a line is known by its number)."""
    from modules.base.models import Contact, Partner

    rnd = random.Random(seed)
    plans = []
    for device, size in runs:
        shapes = [SHAPES[device][i % 10] for i in range(size)]
        rnd.shuffle(shapes)
        plans.append(shapes)
    every = [shape for shapes in plans for shape in shapes]
    need = {s: every.count(s) for s in set(every)}
    mobiles_needed = sum(need.get(s, 0) for s in MOBILE_SHAPES)
    with kernel.sessions() as s:
        top = int(s.scalar(select(func.max(Partner.id))) or 0)
        live = Partner.deleted_at.is_(None)
        # Spread through the table: the ids of the middle and the end cost the same as the first.
        step = max(1, top // (mobiles_needed * 2 + 1))
        mobiles = list(dict.fromkeys(s.scalars(select(Partner.mobile).where(
            live, Partner.mobile.like("+989%"), (Partner.id % step) == 0).order_by(Partner.id))))
        step = max(1, top // (need.get("local", 0) * 20 + 1))  # about one partner in twelve has one
        landlines = list(dict.fromkeys(s.scalars(select(Partner.phone).where(
            live, Partner.phone.like("+9821%"), (Partner.id % step) == 0).order_by(Partner.id))))
        taken = set(s.scalars(select(Partner.mobile).where(Partner.mobile.like("+98999%"))))
        taken |= set(s.scalars(select(Partner.phone).where(Partner.phone.like("+98999%"))))
        taken |= set(s.scalars(select(Contact.value).where(Contact.value.like("+98999%"))))
    # A landline that is also somebody's mobile cannot be: the forms differ. A mobile that is
    # some older partner's phone would match that partner — equally "the right one".
    rnd.shuffle(mobiles)
    rnd.shuffle(landlines)
    if len(mobiles) < mobiles_needed or len(landlines) < need.get("local", 0):
        sys.exit(f"not enough partners' numbers: {len(mobiles)} mobiles, {len(landlines)} landlines")
    unknown: list[str] = []
    while len(unknown) < need.get("unknown", 0):
        number = f"+98999{rnd.randrange(10**7):07d}"
        if number not in taken and number not in unknown:
            unknown.append(number)
    out = []
    for shapes in plans:
        lines = []
        for shape in shapes:
            if shape == "local":
                lines.append(Caller(landlines.pop()[5:], shape, True))  # +9821 88776655 → 88776655
            elif shape == "unknown":
                lines.append(Caller("0" + unknown.pop()[3:], shape, False))
            else:
                national = mobiles.pop()[3:]  # +98 912… → 912…
                printed = {"national": "0" + national, "international": "0098" + national,
                           "no_trunk_zero": national, "plus": "+98" + national}[shape]
                lines.append(Caller(printed, shape, True))
        out.append(lines)
    return out


def add_device(kernel: Any, name: str, driver: str, port: str) -> int:
    from modules.telephony.models import Device

    with kernel.session() as s:
        for old in s.scalars(select(Device).where(Device.active.is_(True))):
            old.active = False  # one device per run: the service reads every active one
        device = Device(name=name, driver=driver, port=port)
        s.add(device)
        s.flush()
        return int(device.id)


def add_extensions(kernel: Any) -> None:
    """Extensions 101–110 answered by the first user: the sink looks the user up for each call."""
    from kernel.models import User
    from modules.telephony.models import Extension

    with kernel.session() as s:
        if s.scalar(select(func.count()).select_from(Extension)):
            return
        user_id = s.scalar(select(User.id).order_by(User.id).limit(1))
        for n in range(101, 111):
            s.add(Extension(number=str(n), user_id=user_id))


# -- one run ------------------------------------------------------------------------------------
@dataclass
class Run:
    device: str  # pbx | modem
    rate: float
    lines: list[Caller]
    written: dict[str, float] = field(default_factory=dict)  # printed number → time.monotonic()
    committed: dict[str, float] = field(default_factory=dict)
    record_ms: list[float] = field(default_factory=list)
    match_ms: list[float] = field(default_factory=list)
    match_sql: list[list[tuple[float, str, Any]]] = field(default_factory=list)
    garbled: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def simulate(device: str, link: str, numbers: list[str], rate: float, conn: Any) -> None:
    """The PBX (or modem) in its own process, as the real one is: the service's process runs only
    the service. Answers its path, waits for "go", waits until the service reads (and, a modem,
    was told to report caller ID), prints the lines on time and answers when each was written
    (``time.monotonic``: one clock for every process of the machine)."""
    import datetime as dt

    from devices.simulators.cid_modem import CidModemSim
    from devices.simulators.panasonic_pbx import PanasonicPbx, SimCall

    sim: PanasonicPbx | CidModemSim = (PanasonicPbx(link) if device == "pbx" else CidModemSim(link)).start()
    try:
        conn.send(sim.path)
        conn.recv()
        deadline = time.monotonic() + 10
        # Open, the header printed and read (a PBX), or told to report caller ID (a modem).
        while not sim.drain(0.1) or not sim.listening() or (isinstance(sim, CidModemSim) and not sim.caller_id):
            if time.monotonic() > deadline:
                conn.send(None)
                return
        time.sleep(0.5)
        start = dt.datetime(2026, 12, 7, 8, 0)  # each line its own minute: no line is printed twice
        written: dict[str, float] = {}
        t_start = time.monotonic()
        for i, number in enumerate(numbers):
            if rate > 0:
                pause = t_start + i / rate - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
            at = start + dt.timedelta(minutes=i)
            written[number] = time.monotonic()
            if isinstance(sim, PanasonicPbx):
                sim.call(SimCall(number, at, extension=str(101 + i % 12), duration_seconds=30 + i % 300,
                                 ring_seconds=i % 40, condition="NA" if i % 17 == 0 else ""))
            else:
                sim.ring(number, at, rings=1)
        conn.send(written)
        conn.recv()  # closing the pty loses what the reader has not read: wait to be told
    finally:
        sim.close()


def run_once(kernel: Any, run: Run, workdir: Path, tag: str) -> None:
    import multiprocessing

    from devices.events import CallRecord, CallStarted, Event, Garbled
    from devices.service import CONNECTED, DeviceService
    from modules.telephony.runner import device_specs
    from modules.telephony.sink import record_event, set_state

    ctx = multiprocessing.get_context("spawn")  # no fork of a process with threads and connections
    mine, theirs = ctx.Pipe()
    process = ctx.Process(target=simulate, args=(run.device, str(workdir / f"{run.device}-{tag}"),
                                                 [c.printed for c in run.lines], run.rate, theirs), daemon=True)
    process.start()
    if not mine.poll(60):
        sys.exit("the simulator did not start")
    path = mine.recv()
    device_id = add_device(kernel, f"bench {tag}", "panasonic_smdr" if run.device == "pbx" else "cid_modem", path)
    with capturing(kernel.engine) as seen:

        def sink(key: Any, event: Event) -> None:
            # Only the device's thread runs SQL while this runs: its statements are this call's.
            first = len(seen)
            t0 = time.monotonic()
            record_event(kernel, key, event)
            done = time.monotonic()
            if isinstance(event, Garbled):
                run.garbled += 1
                return
            if not isinstance(event, CallRecord | CallStarted):
                return
            match = [x for x in seen[first:] if any(t in x[1] for t in MATCH_TABLES)]
            with run.lock:
                run.committed[event.number] = done
                run.record_ms.append((done - t0) * 1000)
                run.match_ms.append(sum(x[0] for x in match) * 1000)
                run.match_sql.append(match)

        service = DeviceService(device_specs(kernel), sink=sink,
                                on_state=lambda key, state, error: set_state(kernel, key, state, error))
        service.start()
        try:
            deadline = time.monotonic() + 10
            while service.states[device_id].state != CONNECTED:
                if time.monotonic() > deadline:
                    sys.exit(f"the service did not open {path}: {service.states[device_id]}")
                time.sleep(0.05)
            mine.send("go")
            written = mine.recv()
            if written is None:
                sys.exit(f"the simulator was not read: {service.states[device_id]}")
            run.written.update(written)
            last_write = max(written.values())
            # The tail: done when every line is committed, or nothing moved for 30 s.
            progress, moved = len(run.committed), time.monotonic()
            while len(run.committed) < len(run.lines) and time.monotonic() - moved < 30:
                time.sleep(0.05)
                if len(run.committed) != progress:
                    progress, moved = len(run.committed), time.monotonic()
            print(f"  written in {last_write - min(written.values()):.1f} s; {len(run.committed):,} of "
                  f"{len(run.lines):,} committed", flush=True)
        finally:
            service.stop()
            mine.send("close")
            process.join(10)


def report(kernel: Any, run: Run, device_tag: str) -> dict[str, Any]:
    from modules.base.models import Partner
    from modules.telephony.models import Call, Device

    written = [run.written[c.printed] for c in run.lines]
    done = [run.committed[c.printed] for c in run.lines if c.printed in run.committed]
    lags = [(run.committed[c.printed] - run.written[c.printed]) * 1000 for c in run.lines
            if c.printed in run.committed]
    tenth = max(1, len(lags) // 10)
    span_write = max(written) - min(written)
    span_commit = (max(done) - min(written)) if done else float("nan")
    with kernel.sessions() as s:
        device_id = s.scalar(select(Device.id).where(Device.name == f"bench {device_tag}"))
        calls = Call.device_id == device_id
        matched = int(s.scalar(select(func.count()).select_from(Call).where(calls, Call.partner_id.is_not(None))) or 0)
        # Right partner: the call's canonical number is that partner's mobile or phone (the local
        # shapes are landlines; every known caller here is one of the two columns).
        right = int(s.scalar(select(func.count()).select_from(Call).join(Partner, Partner.id == Call.partner_id)
                             .where(calls, (Partner.mobile == Call.number_canonical)
                                    | (Partner.phone == Call.number_canonical))) or 0)
        logged = int(s.scalar(select(func.count()).select_from(Call).where(calls)) or 0)
    known = sum(c.known for c in run.lines)
    # The match's statements replayed bare, on one raw connection, for up to 500 calls.
    sample = run.match_sql[:: max(1, len(run.match_sql) // 500)]
    flat = [x for stmts in sample for x in stmts]
    replayed = bare_sql(kernel, flat, repeat=3)
    bare_ms, k = [], 0
    for stmts in sample:
        bare_ms.append(sum(t for t, _s, _p in replayed[k:k + len(stmts)]) * 1000)
        k += len(stmts)
    first_sql = next((" ".join(st.split()) for stmts in sample for _t, st, _p in stmts), "")
    return {
        "device": run.device, "rate": run.rate or "max", "lines": len(run.lines), "logged": logged, "garbled": run.garbled,
        "written_per_s": len(written) / span_write if span_write > 0 else float("inf"),
        "committed_per_s": len(done) / span_commit if done else 0.0,
        "lag_p50": pct(lags, 0.5), "lag_p95": pct(lags, 0.95), "lag_max": max(lags) if lags else float("nan"),
        "lag_first_tenth_p50": pct(lags[:tenth], 0.5), "lag_last_tenth_p50": pct(lags[-tenth:], 0.5),
        "record_p50": pct(run.record_ms, 0.5), "record_p95": pct(run.record_ms, 0.95),
        "match_p50": pct(run.match_ms, 0.5), "match_p95": pct(run.match_ms, 0.95),
        "bare_p50": pct(bare_ms, 0.5), "bare_p95": pct(bare_ms, 0.95),
        "statements_per_match": len(flat) / len(sample) if sample else 0.0,
        "known": known, "matched": matched, "right_partner": right, "sql": first_sql,
    }


def parse_run(spec: str) -> tuple[str, float]:
    device, _, rate = spec.partition(":")
    if device not in SHAPES or not rate.replace(".", "", 1).isdigit():
        raise argparse.ArgumentTypeError(f"expected pbx:RATE or modem:RATE, not {spec!r}")
    return device, float(rate)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("url", help="a COPY of a generated data set (sqlite:////tmp/x.sqlite3 or postgresql+psycopg://…)")
    ap.add_argument("--run", type=parse_run, action="append", metavar="DEVICE:RATE",
                    help="pbx:50 = a PBX printing 50 lines/s for --seconds; pbx:0 = --flood lines as fast as the "
                         "pty takes them; modem:20 = a caller-ID modem. Repeatable; default pbx:50 pbx:0")
    ap.add_argument("--seconds", type=float, default=60.0, help="length of each paced run (default 60)")
    ap.add_argument("--flood", type=int, default=6000, help="lines of a rate-0 run (default 6,000)")
    ap.add_argument("--seed", type=int, default=1405)
    ap.add_argument("--json", metavar="FILE", help="also write the figures here")
    args = ap.parse_args()
    if "bench/data/" in args.url or args.url.rsplit("/", 1)[-1].split("?")[0] in ORIGINALS:
        sys.exit("run it on a copy: this script migrates the database and writes calls to it")
    runs = args.run or [("pbx", 50.0), ("pbx", 0.0)]
    sizes = [args.flood if rate <= 0 else max(1, round(rate * args.seconds)) for _d, rate in runs]
    workdir = Path(tempfile.mkdtemp(prefix="peyvand-bench-tel-"))
    migrate(args.url, workdir / "home")
    kernel = open_kernel(args.url, workdir / "home")
    with kernel.sessions() as s:
        partners = int(s.scalar(text("SELECT count(*) FROM base_partner")) or 0)
    add_extensions(kernel)
    t0 = time.perf_counter()
    pools = callers(kernel, [(d, n) for (d, _r), n in zip(runs, sizes, strict=True)], args.seed)
    print(f"{kernel.engine.dialect.name}: {partners:,} partners; {sum(sizes):,} callers chosen in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    results = []
    stamp = time.strftime("%H%M%S")
    for n, ((device, rate), lines) in enumerate(zip(runs, pools, strict=True)):
        label = f"{rate:g} lines/s for {args.seconds:g} s" if rate > 0 else f"{len(lines):,} lines as fast as they go"
        print(f"run {n + 1}, {device}: {label}", flush=True)
        run = Run(device, rate, lines)
        tag = f"{stamp}-{n}"
        run_once(kernel, run, workdir, tag)
        results.append(report(kernel, run, tag))
    engine = kernel.engine.dialect.name
    print(f"\nCaller ID end to end — {engine}, {partners:,} partners (ms unless said)")
    print(f"{'device':>6} {'rate':>5} {'lines':>6} {'written/s':>9} {'committed/s':>11} {'lag p50':>8} {'p95':>8} "
          f"{'max':>8} {'1st/last tenth p50':>19} {'record p95':>10} {'match p50':>9} {'p95':>6} {'bare p50':>8} "
          f"{'p95':>6} {'right/known':>12}")
    for r in results:
        print(f"{r['device']:>6} {r['rate']!s:>5} {r['lines']:>6} {r['written_per_s']:9.1f} {r['committed_per_s']:11.1f} "
              f"{r['lag_p50']:8.1f} {r['lag_p95']:8.1f} {r['lag_max']:8.1f} "
              f"{r['lag_first_tenth_p50']:9.1f}/{r['lag_last_tenth_p50']:<9.1f} {r['record_p95']:10.2f} "
              f"{r['match_p50']:9.3f} {r['match_p95']:6.3f} {r['bare_p50']:8.3f} {r['bare_p95']:6.3f} "
              f"{r['right_partner']:>5}/{r['known']:<6}")
        if r["logged"] != r["lines"] or r["matched"] != r["known"] or r["right_partner"] != r["known"]:
            print(f"  !! logged {r['logged']} of {r['lines']}, matched {r['matched']}, right {r['right_partner']}, "
                  f"known {r['known']}, garbled {r['garbled']}")
    if results:
        print(f"\nmatch statements per call: {results[0]['statements_per_match']:.2f}; the first:\n  {results[0]['sql']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"engine": engine, "partners": partners, "runs": results},
                                              ensure_ascii=False, indent=1), encoding="utf-8")
    kernel.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
