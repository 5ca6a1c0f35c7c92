"""Marketing benchmark (issue 13): enqueue 100,000 recipients from a partner filter, and the
message log filtered by partner or category at millions of messages.

    python bench/bench_marketing_enqueue.py --sqlite /tmp/mkt/bench.sqlite3     # a copy is made first
    python bench/bench_marketing_enqueue.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/mkt
    python bench/bench_marketing_enqueue.py --messages 5000000 --requests 30

Runs on a *copy* of ``gen_partners.py``'s database (``--source`` is copied to ``--sqlite`` when
missing; on PostgreSQL make it with ``CREATE DATABASE mkt TEMPLATE bench1m``): marketing's tables
are added by the upgrade, and the messages written stay there.

1. **Enqueue.** ``modules.marketing.compose.compose`` as the bench administrator, for a partner
   list filter of about ``--recipients`` partners, in one transaction: the audience read through
   the partner list's filtering, the rules (company, no mobile, opt-outs, the same mobile twice),
   every message inserted, the outbox rows written, the commit. Beside it the *bare SQL*: the
   audience's SELECT alone, and one ``INSERT … SELECT`` writing the same messages inside the
   database (rolled back) — what the work costs without Python.
2. **Log generator.** Messages generated inside the database (``generate_series`` / a recursive
   CTE) until the log holds ``--messages`` rows: partners spread over the whole table with a
   tenth of the log on 200 busy partners, six categories, two years of dates.
3. **Log pages.** The message log (``/marketing/message/``) filtered by a busy partner, an
   ordinary partner, a category, a category and a month, through the real application
   (TestClient, logged in), p50/p95 of ``--requests`` requests; the bare SQL of the same
   statements replayed on a raw connection (``bench_base.bare_sql``).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import bench_base as bb  # noqa: E402
import gen_partners as gen  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

ENQUEUE_TARGET_S, LOG_TARGET_MS = 10.0, 40.0
SOURCE = Path("/work/main/bench/data/base-sqlite-1000000/bench.sqlite3")
EPOCH = "2026-11-30 12:00:00"


def open_kernel(url: str, home: Path) -> Any:
    from kernel import migrations
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    config = dataclasses.replace(gen.make_config(url, home), extra_modules=("marketing",))
    kernel = Kernel(config)
    migrations.upgrade(kernel)
    return kernel


def admin(kernel: Any) -> Any:
    from kernel import security
    from kernel.models import User

    with kernel.sessions() as s:
        uid = s.scalars(select(User.id).where(User.username == gen.USER)).one()
        return security.load_actor(s, uid)


def choose_filter(kernel: Any, actor: Any, wanted: int) -> tuple[str, int]:
    """A partner list filter of about ``wanted`` partners (the closest of a few natural ones)."""
    from modules.base.models import Province
    from modules.marketing import audiences

    with kernel.sessions() as s:
        provinces = list(s.execute(select(Province.id, Province.name)))
        best: tuple[int, str, int] = (10**12, "", 0)
        for pid, _name in provinces:
            for extra in ("", "&f_kind=person", "&f_role=customer", "&f_kind=person&f_role=customer"):
                query = f"f_province_id={pid}{extra}"
                stmt = audiences.partners_select(kernel, s, actor, {"kind": "filter", "query": query})
                n = int(s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
                if abs(n - wanted) < best[0]:
                    best = (abs(n - wanted), query, n)
    return best[1], best[2]


def enqueue(kernel: Any, actor: Any, query: str) -> dict[str, Any]:
    from modules.marketing.compose import Draft, compose
    from modules.marketing.models import Category, Send

    with kernel.sessions() as s:
        cat = s.scalars(select(Category.id).where(Category.advertising.is_(True))).first()
    body = "{name} گرامی، حراج پاییزه از فردا آغاز می‌شود. فروشگاه پیوند"
    t0 = time.perf_counter()
    with kernel.session(actor) as s:
        send = compose(kernel, s, actor, Draft({"kind": "filter", "query": query}, cat, body))
        sid = send.id
    secs = time.perf_counter() - t0
    with kernel.sessions() as s:
        got = s.get(Send, sid)
        assert got is not None
        return {"seconds": secs, "total": got.total, "skipped": got.skipped, "send_id": sid, "category": cat}


def bare_enqueue(kernel: Any, actor: Any, query: str, category: int) -> tuple[float, float]:
    """The audience's SELECT alone, and an INSERT … SELECT of the same messages (rolled back)."""
    from modules.marketing import audiences
    from modules.marketing.models import Message

    with kernel.sessions() as s:
        stmt = audiences.partners_select(kernel, s, actor, {"kind": "filter", "query": query})
        compiled = stmt.compile(kernel.engine, compile_kwargs={"literal_binds": True})
    raw = kernel.engine.raw_connection()
    try:
        cur = raw.cursor()
        if kernel.engine.dialect.name == "sqlite":
            cur.execute("BEGIN")  # the kernel's SQLite connections are in autocommit mode
        t0 = time.perf_counter()
        cur.execute(str(compiled))
        cur.fetchall()
        select_s = time.perf_counter() - t0
        sub = f"({compiled}) AS a"
        now = "CURRENT_TIMESTAMP"
        sql = (f"INSERT INTO {Message.__tablename__} (channel, category_id, partner_id, address, body, parts, state, "
               f"cost, created_at) SELECT 'sms', {category}, a.id, COALESCE(a.mobile, ''), a.name, 1, 'queued', 0, "
               f"{now} FROM {sub}")
        t0 = time.perf_counter()
        cur.execute(sql)
        insert_s = time.perf_counter() - t0
        raw.rollback()
        return select_s, insert_s
    finally:
        raw.close()


def fill_log(kernel: Any, target: int) -> tuple[int, float]:
    """Messages generated inside the database until the log holds ``target`` rows."""
    from modules.base.models import Partner
    from modules.marketing.models import Category, Message

    with kernel.sessions() as s:
        have = int(s.scalar(select(func.count()).select_from(Message)) or 0)
        partners = int(s.scalar(select(func.max(Partner.id))) or 0)
        cats = sorted(s.scalars(select(Category.id)))
    missing = target - have
    if missing <= 0:
        return have, 0.0
    pg = kernel.engine.dialect.name == "postgresql"
    n_cats, first_cat = len(cats), cats[0]
    # Row g: a tenth of the log on 200 busy partners, the rest spread by a multiplicative hash;
    # dates from EPOCH back over two years, newest last; one in twenty skipped.
    partner = f"CASE WHEN g % 10 = 0 THEN (g / 10) % 200 + 1 ELSE (g * 2654435761) % {partners} + 1 END"
    seconds = f"(({missing} - g) * {2 * 365 * 86400} / {missing})"
    created = (f"TIMESTAMP '{EPOCH}' - make_interval(secs => {seconds})" if pg
               else f"datetime('{EPOCH}', '-' || {seconds} || ' seconds')")
    columns = ("channel, category_id, partner_id, address, body, parts, state, skip_reason, cost, created_at")
    values = (f"'sms', {first_cat} + g % {n_cats}, {partner}, '+98912' || substr('0000000' || (g % 10000000), -7, 7), "
              f"'پیام آزمایشی', 1 + g % 3, CASE WHEN g % 20 = 0 THEN 'skipped' ELSE 'delivered' END, "
              f"CASE WHEN g % 20 = 0 THEN 'شمارهٔ همراه ندارد' END, CASE WHEN g % 20 = 0 THEN 0 ELSE 1500 END, {created}")
    if pg:
        values = values.replace("substr('0000000' || (g % 10000000), -7, 7)", "lpad((g % 10000000)::text, 7, '0')")
    t0 = time.perf_counter()
    step = 500_000
    for start in range(1, missing + 1, step):
        end = min(missing, start + step - 1)
        if pg:
            sql = f"INSERT INTO marketing_message ({columns}) SELECT {values} FROM generate_series({start}::bigint, {end}::bigint) AS g"
        else:
            sql = (f"INSERT INTO marketing_message ({columns}) WITH RECURSIVE s(g) AS (SELECT {start} UNION ALL "
                   f"SELECT g + 1 FROM s WHERE g < {end}) SELECT {values} FROM s")
        with kernel.engine.begin() as conn:
            conn.exec_driver_sql(sql.replace("%", "%%") if pg else sql)  # psycopg's placeholders
        print(f"  log: {have + end:,} messages ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    with kernel.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE marketing_message" if pg else "ANALYZE")
    return target, time.perf_counter() - t0


def log_scenarios(kernel: Any) -> list[tuple[str, str, dict[str, str]]]:
    from kernel.persian.jalali import format_jalali
    from modules.marketing.models import Category, Message

    with kernel.sessions() as s:
        busy = s.scalar(select(Message.partner_id).where(Message.partner_id <= 200).limit(1))
        ordinary = s.scalar(select(Message.partner_id).where(Message.partner_id > 500_000).limit(1))
        cat = s.scalars(select(Category.id).order_by(Category.id)).first()
        newest = s.scalar(select(func.max(Message.created_at)))
    month = format_jalali(newest.date(), "en")[:7] if newest else "1405/08"
    day_from = month + "/01"
    return [
        ("log: a busy partner (~2,500 messages)", "/marketing/message/", {"f_partner_id": str(busy)}),
        ("log: an ordinary partner", "/marketing/message/", {"f_partner_id": str(ordinary)}),
        ("log: a category", "/marketing/message/", {"f_category_id": str(cat)}),
        ("log: a category, from the start of the newest month", "/marketing/message/",
         {"f_category_id": str(cat), "f_created_at__from": day_from}),
        ("log: a state (skipped)", "/marketing/message/", {"f_state": "skipped"}),
        ("log: everything, newest first", "/marketing/message/", {}),
    ]


def measure_log(kernel: Any, requests: int) -> list[dict[str, Any]]:
    from starlette.testclient import TestClient

    from kernel.web.app import build_app

    out = []
    with TestClient(build_app(kernel), base_url="http://testserver") as client:
        bb.login(client)
        for name, path, params in log_scenarios(kernel):
            for _ in range(3):
                resp = client.get(path, params=params)
                assert resp.status_code == 200 and "data-href=" in resp.text, f"{name}: {resp.status_code}"
            times: list[float] = []
            with bb.capturing(kernel.engine) as sql:
                for _ in range(requests):
                    t0 = time.perf_counter()
                    client.get(path, params=params)
                    times.append((time.perf_counter() - t0) * 1000)
            per = len(sql) // requests
            bare = bb.bare_sql(kernel, sql[-per:] if per else [], repeat=max(5, requests // 3))
            slowest = max(bare, key=lambda b: b[0]) if bare else (0.0, "", None)
            row = {"name": name, "p50": bb.p(times, 0.5), "p95": bb.p(times, 0.95), "queries": len(sql) / requests,
                   "bare_ms": sum(t for t, *_ in bare) * 1000, "slowest_ms": slowest[0] * 1000,
                   "slowest_sql": " ".join(slowest[1].split())}
            out.append(row)
            print(f"  {name}: p50 {row['p50']:.1f} p95 {row['p95']:.1f} ms, bare SQL {row['bare_ms']:.1f} ms",
                  file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sqlite", type=Path, default=Path("/tmp/mkt-bench/bench.sqlite3"),
                    help="the SQLite copy to work on (made from --source when missing)")
    ap.add_argument("--source", type=Path, default=SOURCE, help="gen_partners.py's SQLite database")
    ap.add_argument("--postgres", metavar="URL", help="a copy of gen_partners.py's PostgreSQL database")
    ap.add_argument("--recipients", type=int, default=100_000)
    ap.add_argument("--messages", type=int, default=5_000_000, help="the log's size for the log pages (0: skip)")
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--skip-enqueue", action="store_true")
    args = ap.parse_args(argv)
    if args.postgres:
        url, home = args.postgres, Path("/tmp/mkt-bench-home-postgres")
    else:
        if not args.sqlite.exists():
            args.sqlite.parent.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            shutil.copyfile(args.source, args.sqlite.with_suffix(".part"))
            args.sqlite.with_suffix(".part").rename(args.sqlite)
            print(f"  copied {args.source} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        url, home = f"sqlite:///{args.sqlite}", args.sqlite.parent
    kernel = open_kernel(url, home)
    if not args.postgres:
        gen.sqlite_fast(kernel)
    label = "PostgreSQL" if args.postgres else "SQLite"
    actor = admin(kernel)
    if not args.skip_enqueue:
        query, n = choose_filter(kernel, actor, args.recipients)
        print(f"  filter {query}: {n:,} partners", file=sys.stderr)
        got = enqueue(kernel, actor, query)
        select_s, insert_s = bare_enqueue(kernel, actor, query, got["category"])
        flag = "" if got["seconds"] <= ENQUEUE_TARGET_S else "  MISSED"
        print(f"\nEnqueue on {label}: filter {query}: {got['total']:,} recipients ({got['skipped']:,} skipped) in "
              f"{got['seconds']:.2f} s (target {ENQUEUE_TARGET_S:.0f} s){flag}; bare SQL: audience SELECT "
              f"{select_s:.2f} s, INSERT … SELECT of the messages {insert_s:.2f} s")
    if args.messages:
        total, secs = fill_log(kernel, args.messages)
        print(f"\nLog: {total:,} messages ({secs:.0f} s generating)")
        rows = measure_log(kernel, args.requests)
        print(f"\nMessage log on {label}, {args.requests} requests each (server time, ms)")
        print(f"{'request':56} {'p50':>6} {'p95':>6} {'target':>6} {'SQL/req':>7} {'bare':>6}")
        for r in rows:
            flag = "" if r["p95"] <= LOG_TARGET_MS else "  MISSED"
            print(f"{r['name'][:56]:56} {r['p50']:6.1f} {r['p95']:6.1f} {LOG_TARGET_MS:6.0f} {r['queries']:7.1f} "
                  f"{r['bare_ms']:6.1f}{flag}")
            if flag:
                print(f"    slowest SQL ({r['slowest_ms']:.1f} ms bare): {r['slowest_sql'][:600]}")
    kernel.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
