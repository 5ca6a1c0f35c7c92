"""Write throughput with 1, 8 and 32 concurrent writers (issue 9, item 1).

    python bench/bench_writes.py                                  # SQLite file, 10 s per step
    python bench/bench_writes.py --postgres postgresql+psycopg://user@127.0.0.1:5432/db
    python bench/bench_writes.py --seconds 5 --writers 1 8 32

A real server: ``peyvand serve`` (one uvicorn worker) in its own process on a fresh instance,
and N client threads, each creating partners through ``POST /api/base/partner`` with a Bearer
token for the given time. Printed per step: requests per second, errors (any status but 201),
p50/p95 latency — beside the bare SQL of the same write (an INSERT of one partner row in its
own transaction, N threads each on their own connection) on the same engine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    peyvand = str(Path(sys.executable).with_name("peyvand"))
    proc = subprocess.Popen([peyvand, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def _timed(writers: int, seconds: float, client: Callable[[int, Callable[[], bool]], None]) -> dict[str, Any]:
    """Run ``writers`` threads for ``seconds``; each calls ``client(n, once)`` where ``once()``
    times one write (its function returns True when it succeeded) until the time is up."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(n: int) -> None:
        mine: list[float] = []
        bad = 0

        def loop(write: Callable[[int], bool]) -> None:
            nonlocal bad
            i = 0
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                ok = write(i)
                mine.append(time.perf_counter() - t0)
                bad += not ok
                i += 1

        client(n, loop)  # type: ignore[arg-type]
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=run, args=(n,)) for n in range(writers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _figures(latencies, errors[0], time.perf_counter() - t0)


def through_api(url: str, token: str, writers: int, seconds: float) -> dict[str, Any]:
    import httpx

    def client(n: int, loop: Any) -> None:
        with httpx.Client(base_url=url, headers={"authorization": f"Bearer {token}"}, timeout=60) as c:
            loop(lambda i: c.post("/api/base/partner", json={"kind": "company", "name": f"شرکت آزمون {n}-{i}"})
                 .status_code == 201)

    return _timed(writers, seconds, client)


def bare_sql(database_url: str, writers: int, seconds: float) -> dict[str, Any]:
    """The same row written by plain SQL: one INSERT per transaction, a connection per thread.

    The row copies every column of a partner the API wrote (so the database does the same
    work), with its own name and search key.
    """
    from sqlalchemy import inspect, text

    from kernel.db import make_engine, make_sessionmaker, transaction

    engine = make_engine(database_url, pool_size=writers + 2) if "postgresql" in database_url else make_engine(database_url)
    sessions = make_sessionmaker(engine)
    cols = [c["name"] for c in inspect(engine).get_columns("base_partner") if c["name"] not in ("id", "name", "search_key")]
    listed = ", ".join(cols)
    with engine.connect() as conn:
        template = conn.execute(text("SELECT min(id) FROM base_partner")).scalar_one()
    insert = text(f"INSERT INTO base_partner (name, search_key, {listed}) "
                  f"SELECT :n, :n, {listed} FROM base_partner WHERE id = :t")

    def client(n: int, loop: Any) -> None:
        def write(i: int) -> bool:
            try:
                with transaction(sessions) as s:
                    s.execute(insert, {"n": f"bare {n}-{i}", "t": template})
            except Exception:
                return False
            return True

        loop(write)

    try:
        return _timed(writers, seconds, client)
    finally:
        engine.dispose()


def _figures(latencies: list[float], errors: int, elapsed: float) -> dict[str, Any]:
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0
    return {"n": len(latencies), "per_s": len(latencies) / elapsed, "errors": errors,
            "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0, "p95_ms": p95 * 1000}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postgres", help="a PostgreSQL URL (a fresh schema is made in it); SQLite otherwise")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--writers", type=int, nargs="+", default=[1, 8, 32])
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="peyvand-bench-writes-"))
    env = {**os.environ, "PEYVAND_HOME": str(home), "PEYVAND_SCHEDULER": "0", "PEYVAND_EDITION": "tier1"}
    if args.postgres:
        import sqlalchemy as sa

        schema = "bench_" + uuid.uuid4().hex[:8]
        engine = sa.create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        sep = "&" if "?" in args.postgres else "?"
        env["PEYVAND_DATABASE_URL"] = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
    peyvand = str(Path(sys.executable).with_name("peyvand"))
    subprocess.run([peyvand, "init", "--password", "bench-password"], env=env, check=True, stdout=subprocess.DEVNULL)
    token = subprocess.run([peyvand, "token", "create", "admin"], env=env, check=True, capture_output=True,
                           text=True).stdout.strip()
    database_url = env.get("PEYVAND_DATABASE_URL") or f"sqlite:///{home / 'peyvand.sqlite3'}"
    engine_name = "PostgreSQL" if args.postgres else "SQLite"
    port = free_port()
    server = start_server(env, port)
    print(f"{engine_name}, {args.seconds:g} s a step, one uvicorn worker")
    print(f"{'writers':>7} | {'API req/s':>9} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} | "
          f"{'SQL tx/s':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    try:
        for writers in args.writers:
            api = through_api(f"http://127.0.0.1:{port}", token, writers, args.seconds)
            sql = bare_sql(database_url, writers, args.seconds)
            print(f"{writers:>7} | {api['per_s']:>9.1f} {api['errors']:>6} {api['p50_ms']:>7.1f} {api['p95_ms']:>7.1f} | "
                  f"{sql['per_s']:>8.1f} {sql['errors']:>6} {sql['p50_ms']:>7.1f} {sql['p95_ms']:>7.1f}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
