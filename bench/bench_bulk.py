"""10,000 partners through the bulk API, in calls of 1,000 (issue 10, item 1).

    python bench/bench_bulk.py                                  # SQLite file
    python bench/bench_bulk.py --postgres postgresql+psycopg://user@127.0.0.1:5432/db
    python bench/bench_bulk.py --rows 10000 --batch 1000 --profile /tmp/bulk.prof

A real server (``peyvand serve``, one uvicorn worker) on a fresh instance, as in
``bench_writes.py``; one client posts ``POST /api/base/partner/bulk`` with a Bearer token.
Printed: the time of all calls and of the slowest one, the server's CPU time, beside the bare SQL of the same rows on
the same engine (one executemany INSERT of the rows the API wrote, names and search keys
included, into an empty copy of the table). ``--profile FILE`` also writes a cProfile of one
call made in-process (Starlette's TestClient) on a second fresh instance.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_writes import free_port, start_server  # noqa: E402

FIRST = ("علی", "محمد", "حسین", "رضا", "مهدی", "زهرا", "فاطمه", "مریم", "سارا", "نرگس", "امیرحسین", "محمدرضا")
LAST = ("کریمی", "احمدی", "حسینی", "رضایی", "موسوی", "محمدی", "حسین‌زاده", "جعفری", "قاسمی", "صادقی", "نوروزی")
PREFIXES = ("0912", "0935", "0919", "0901", "0938", "0917")


def partners(rows: int, seed: int = 1) -> list[dict[str, Any]]:
    """Persons with Persian names and distinct mobiles; every fifth a company."""
    rnd = random.Random(seed)
    out: list[dict[str, Any]] = []
    for i in range(rows):
        mobile = f"{rnd.choice(PREFIXES)}{i:07d}"
        if i % 5 == 4:
            out.append({"kind": "company", "name": f"شرکت {rnd.choice(LAST)} {i}", "mobile": mobile})
        else:
            out.append({"kind": "person", "first_name": rnd.choice(FIRST), "last_name": rnd.choice(LAST),
                        "mobile": mobile})
    return out


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used: on a shared machine the wall clock also
    counts the time other people's work took the cores."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def through_api(url: str, token: str, items: list[dict[str, Any]], batch: int) -> tuple[float, float]:
    import httpx

    slowest = 0.0
    with httpx.Client(base_url=url, headers={"authorization": f"Bearer {token}"}, timeout=600) as c:
        t0 = time.perf_counter()
        for start in range(0, len(items), batch):
            t1 = time.perf_counter()
            resp = c.post("/api/base/partner/bulk", json={"items": items[start:start + batch]})
            slowest = max(slowest, time.perf_counter() - t1)
            if resp.status_code != 201:
                raise SystemExit(f"call at {start}: {resp.status_code} {resp.text[:500]}")
        return time.perf_counter() - t0, slowest


def bare_sql(database_url: str) -> tuple[float, int]:
    """The rows the API wrote, inserted again by one executemany into an empty copy of the
    table: the floor any code path pays on this engine."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url)
    cols = [c["name"] for c in inspect(engine).get_columns("base_partner") if c["name"] != "id"]
    listed = ", ".join(cols)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(text(f"SELECT {listed} FROM base_partner ORDER BY id"))]
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_copy AS SELECT * FROM base_partner WHERE 1 = 0"))
    insert = text(f"INSERT INTO bench_copy ({listed}) VALUES ({', '.join(':' + c for c in cols)})")
    try:
        with engine.begin() as conn:
            t0 = time.perf_counter()
            conn.execute(insert, rows)
            elapsed = time.perf_counter() - t0
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE bench_copy"))
        engine.dispose()
    return elapsed, len(rows)


def fresh_instance(postgres: str | None) -> dict[str, str]:
    home = Path(tempfile.mkdtemp(prefix="peyvand-bench-bulk-"))
    # The server runs this checkout's code, whichever checkout the virtualenv was installed from.
    env = {**os.environ, "PEYVAND_HOME": str(home), "PEYVAND_SCHEDULER": "0", "PEYVAND_EDITION": "tier1",
           "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    if postgres:  # a fresh schema per run, as the tests do
        from kernel.testing import _pg_schema_url

        env["PEYVAND_DATABASE_URL"] = _pg_schema_url(postgres)[0]
    env.setdefault("PEYVAND_DATABASE_URL", f"sqlite:///{home / 'peyvand.sqlite3'}")
    peyvand = str(Path(sys.executable).with_name("peyvand"))
    subprocess.run([peyvand, "init", "--password", "bench-password"], env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def profile(env: dict[str, str], items: list[dict[str, Any]], out: str) -> None:
    """What one call does on the server (parsing and creating the records in one transaction),
    in-process under cProfile: the view runs in a worker thread a profiler of the client's
    thread does not see."""
    import cProfile

    os.environ.update(env)
    from sqlalchemy import select

    from kernel import records
    from kernel.config import from_env
    from kernel.kernel import Kernel
    from kernel.models import User
    from kernel.testing import actor_of

    kernel = Kernel(from_env())
    res = kernel.resources["base.partner"]
    with kernel.sessions() as s:
        actor = actor_of(kernel, s.scalars(select(User.id).where(User.username == "admin")).one())
    prof = cProfile.Profile()
    prof.enable()
    batch = [records.parse_values(kernel, res, item, from_json=True)[0] for item in items]
    with kernel.session(actor) as session:
        records.create_record_ids(kernel, session, actor, res, batch)
    prof.disable()
    prof.dump_stats(out)
    print(f"profile of one call of {len(items)}: {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postgres", help="a PostgreSQL URL (a fresh schema is made in it); SQLite otherwise")
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=1_000)
    ap.add_argument("--profile", metavar="FILE", help="also write a cProfile of one in-process call")
    args = ap.parse_args()
    items = partners(args.rows)
    env = fresh_instance(args.postgres)
    peyvand = str(Path(sys.executable).with_name("peyvand"))
    token = subprocess.run([peyvand, "token", "create", "admin"], env=env, check=True, capture_output=True,
                           text=True).stdout.strip()
    port = free_port()
    server = start_server(env, port)
    try:
        cpu0 = cpu_seconds(server.pid)
        total, slowest = through_api(f"http://127.0.0.1:{port}", token, items, args.batch)
        cpu = cpu_seconds(server.pid) - cpu0
    finally:
        server.terminate()
        server.wait(timeout=10)
    sql, rows = bare_sql(env["PEYVAND_DATABASE_URL"])
    engine_name = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{engine_name}: {args.rows:,} partners in calls of {args.batch:,}: {total:.2f} s "
          f"({args.rows / total:,.0f} a second; slowest call {slowest:.2f} s; server CPU {cpu:.2f} s) | "
          f"bare SQL executemany of the same {rows:,} rows: {sql:.2f} s")
    if args.profile:
        profile(fresh_instance(args.postgres), items[:args.batch], args.profile)


if __name__ == "__main__":
    main()
