"""List-page benchmark: N notes (test module ``notes``) behind the real app, timed per request.

    python bench/bench_list.py                       # 100,000 rows on SQLite, kept in bench/data/
    python bench/bench_list.py --rows 1000000
    python bench/bench_list.py --postgres postgresql+psycopg://user@127.0.0.1:5432/db

Measures, through Starlette's TestClient logged in as an admin, ``--requests`` requests each of
the first page, a middle page (keyset cursor), the last page, a search and a filtered page, and
prints p50/p95 in ms and SQL statements per request. Also prints a worker's start-up time
(``Kernel(...)`` + ``build_app``, in a fresh process) and this process's resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
for extra in (ROOT, ROOT / "tests" / "support"):  # the project, and the test-only module `notes`
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from sqlalchemy import delete, event, func, insert, select  # noqa: E402

PASSWORD = "bench-password-1234"
USER = "bench-admin"
TARGET_MS = 30.0
FILL_VERSION = 2  # bump when fill() changes, so an old bench/data database is refilled

# Realistic Persian titles: what a sales office writes in its notes (ZWNJ included).
_ACTIONS = ["پیگیری", "تماس با", "جلسه با", "ارسال پیش‌فاکتور برای", "تمدید قرارداد", "تسویه‌حساب با",
            "پیشنهاد قیمت به", "بازدید از", "نصب دستگاه برای", "شکایت", "یادآوری چک", "سفارش تازه‌ی"]
_WHO = ["آقای رضایی", "خانم کریمی", "شرکت پارس‌تلفن", "فروشگاه نیک‌نام", "آقای محمدی", "خانم حسینی",
        "شرکت آوای سپهر", "بازرگانی امید", "آقای کاظمی", "خانم موسوی", "کارخانه‌ی فولاد البرز",
        "آقای احمدی", "شرکت رایان‌پردازش", "خانم جعفری", "هتل پارسیان", "داروخانه‌ی شفا"]
_WHERE = ["تهران", "اصفهان", "شیراز", "مشهد", "تبریز", "کرج", "قم", "اهواز", "رشت", "کرمان", "یزد", "ساری"]
_BODIES = ["", "", "قرار شد تا آخر هفته پاسخ بدهند.", "پیش‌فاکتور با ۱۰٪ تخفیف فرستاده شد.",
           "مشتری تماس گرفت و درباره‌ی زمان تحویل پرسید.", "چک به تاریخ آخر ماه دریافت شد."]
SEARCH_COMMON = "کريمي"           # Arabic-keyboard ي; in ~1 title of 16
SEARCH_ZWNJ = "فروشگاه نیکنام"    # typed without its ZWNJ; ~1 title of 16
SEARCH_NONE = "ناموجود"           # no match: the worst case, every row is read


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- the database ---------------------------------------------------------------------------
def make_config(url: str, home: Path) -> Any:
    from kernel.config import Config

    return Config(home=home, database_url=url, extra_modules=("notes",), extra_packages=("peyvand_notes",),
                  secret_key="bench-secret-not-for-production")


def open_kernel(url: str, home: Path) -> Any:
    from kernel import migrations
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    kernel = Kernel(make_config(url, home))
    migrations.upgrade(kernel)
    return kernel


def ensure_admin(kernel: Any) -> None:
    from kernel import security
    from kernel.models import User
    from modules.base import demo

    with kernel.session() as s:
        if not s.scalars(select(User).where(User.username == USER)).first():
            security.create_user(kernel, s, USER, PASSWORD, full_name="مدیر سنجش", is_admin=True, lang="fa")
        demo.load(kernel, s)


def fill(kernel: Any, rows: int, batch: int = 5000, seed: int = 1405) -> float:
    """Bulk-insert ``rows`` notes (replacing any others); returns seconds taken."""
    from peyvand_notes.models import Note

    from kernel.records import refresh_search_key
    from modules.base.models import Province

    res = kernel.resources["notes.note"]
    rnd = random.Random(seed)
    start = time.perf_counter()
    with kernel.session() as s:
        provinces = list(s.scalars(select(Province.id)))
        s.execute(delete(Note))
    # Created over 3½ years (1402/01/01 to 1405/08/29), oldest first, like a real office's notes.
    epoch, span = dt.datetime(2023, 3, 21, 8, 0), dt.datetime(2026, 11, 20, 8, 0) - dt.datetime(2023, 3, 21, 8, 0)
    step = span / max(rows, 1)
    done = 0
    while done < rows:
        chunk = []
        for i in range(done, min(rows, done + batch)):
            title = f"{rnd.choice(_ACTIONS)} {rnd.choice(_WHO)} — {rnd.choice(_WHERE)}"
            phone = f"+989{rnd.randrange(10, 40)}{rnd.randrange(10**6, 10**7)}" if rnd.random() < 0.6 else None
            body = rnd.choice(_BODIES) or None
            at = epoch + step * i
            obj = SimpleNamespace(title=title, body=body, phone=phone, search_key="")
            refresh_search_key(res, obj)
            chunk.append({
                "title": title, "body": body, "phone": phone,
                "amount": rnd.choice([None, rnd.randrange(1, 5000) * 100_000, rnd.randrange(1, 500) * 1_000_000]),
                "due": (at.date() + dt.timedelta(days=rnd.randrange(-30, 120))) if rnd.random() < 0.85 else None,
                "kind": "secret" if rnd.random() < 0.1 else "plain",
                "province_id": rnd.choice(provinces) if provinces and rnd.random() < 0.7 else None,
                "search_key": obj.search_key, "created_at": at, "updated_at": at,
            })
        with kernel.session() as s:
            s.execute(insert(Note), chunk)
        done += len(chunk)
        print(f"\r  inserted {done:,}/{rows:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if kernel.engine.dialect.name == "postgresql":
        with kernel.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum would soon do; sets the visibility map
    else:
        with kernel.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    with kernel.session() as s:
        kernel.set_setting(s, "bench.fill", f"v{FILL_VERSION}:{rows}")
    return time.perf_counter() - start


def filled_as(kernel: Any) -> str:
    with kernel.session() as s:
        return str(kernel.setting(s, "bench.fill", ""))


def note_count(kernel: Any) -> int:
    from peyvand_notes.models import Note

    with kernel.session() as s:
        return int(s.scalar(select(func.count()).select_from(Note)) or 0)


# -- measuring ------------------------------------------------------------------------------
@contextmanager
def counting(engine: Any) -> Iterator[list[tuple[float, str]]]:
    """Each SQL statement run inside: (seconds, statement)."""
    seen: list[tuple[float, str]] = []

    def before(conn: Any, cursor: Any, statement: str, *a: Any) -> None:
        conn.info.setdefault("bench_t", []).append(time.perf_counter())

    def after(conn: Any, cursor: Any, statement: str, *a: Any) -> None:
        seen.append((time.perf_counter() - conn.info["bench_t"].pop(), statement))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def login(client: Any) -> None:
    import re

    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    resp = client.post("/login", data={"username": USER, "password": PASSWORD, "csrf": token.group(1)},
                       follow_redirects=False)
    assert resp.status_code == 303, f"login failed: {resp.status_code}"


def scenarios(kernel: Any) -> list[tuple[str, dict[str, str], Callable[[str], bool]]]:
    from peyvand_notes.models import Note

    from kernel.records import encode_cursor
    from modules.base.models import Province

    with kernel.session() as s:
        total = int(s.scalar(select(func.count()).select_from(Note).where(Note.deleted_at.is_(None))) or 0)
        # Default sort is -id: the row half-way down that order, as the "Next" link would encode it.
        mid = s.scalar(select(Note.id).where(Note.deleted_at.is_(None)).order_by(Note.id.desc())
                       .offset(total // 2).limit(1))
        tehran = s.scalar(select(Province.id).where(Province.name == "تهران"))
    has_rows: Callable[[str], bool] = lambda html: "data-href=" in html  # noqa: E731
    return [
        ("first page", {}, has_rows),
        ("middle page (after=)", {"after": encode_cursor(mid, mid)}, has_rows),
        ("last page (page=last)", {"page": "last"}, has_rows),
        (f"search q={SEARCH_COMMON}", {"q": SEARCH_COMMON}, has_rows),
        (f"search q={SEARCH_ZWNJ} (no ZWNJ)", {"q": SEARCH_ZWNJ}, has_rows),
        ("search, no match", {"q": SEARCH_NONE}, lambda html: "data-href=" not in html),
        ("filter due in Azar 1404", {"f_due__from": "۱۴۰۴/۰۹/۰۱", "f_due__to": "۱۴۰۴/۰۹/۳۰"}, has_rows),
        ("filter province + kind", {"f_province_id": str(tehran), "f_kind": "secret"}, has_rows),
    ]


def measure(kernel: Any, requests: int, verbose: bool) -> list[dict[str, Any]]:
    from starlette.testclient import TestClient

    from kernel.web.app import build_app

    res = kernel.resources["notes.note"]
    out = []
    with TestClient(build_app(kernel), base_url="http://testserver") as client:
        login(client)
        for name, params, check in scenarios(kernel):
            for _ in range(3):  # warm caches (templates, statement cache, pages)
                resp = client.get(res.url, params=params)
                assert resp.status_code == 200 and check(resp.text), f"{name}: {resp.status_code} {resp.text[:300]}"
            times: list[float] = []
            with counting(kernel.engine) as sql:
                for _ in range(requests):
                    t0 = time.perf_counter()
                    resp = client.get(res.url, params=params)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert resp.status_code == 200
            per_stmt: dict[str, list[float]] = {}
            for secs, stmt in sql:
                per_stmt.setdefault(stmt, []).append(secs * 1000)
            slowest = max(per_stmt.items(), key=lambda kv: statistics.median(kv[1]))
            out.append({"name": name, "p50": p(times, 0.5), "p95": p(times, 0.95),
                        "queries": len(sql) / requests, "sql_ms": sum(s for s, _ in sql) * 1000 / requests,
                        "slowest_ms": statistics.median(slowest[1]), "slowest_sql": " ".join(slowest[0].split())})
            if verbose:
                print(f"--- {name}: slowest statement ({out[-1]['slowest_ms']:.1f} ms median)\n{slowest[0]}\n")
    return out


def startup(url: str, home: Path) -> dict[str, float]:
    """Start-up of one worker, measured in a fresh interpreter (imports included)."""
    code = (
        "import sys, time, json; t0 = time.perf_counter()\n"
        f"sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests' / 'support')!r}, {str(ROOT / 'bench')!r}]\n"
        "import bench_list as b\n"
        "from kernel.kernel import Kernel\nfrom kernel.web.app import build_app\n"
        "t1 = time.perf_counter()\n"
        f"k = Kernel(b.make_config({url!r}, __import__('pathlib').Path({str(home)!r})))\n"
        "t2 = time.perf_counter(); app = build_app(k); t3 = time.perf_counter()\n"
        "print(json.dumps({'imports': t1 - t0, 'kernel': t2 - t1, 'app': t3 - t2, 'rss': b.rss_mb()}))\n"
    )
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - t0
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000, help="notes in the table (default 100,000)")
    ap.add_argument("--requests", type=int, default=50, help="timed requests per page (default 50)")
    ap.add_argument("--postgres", metavar="URL", help="run against this PostgreSQL database instead of SQLite")
    ap.add_argument("--rebuild", action="store_true", help="refill the table even when it has --rows rows")
    ap.add_argument("--verbose", "-v", action="store_true", help="print the slowest SQL statement of each page")
    args = ap.parse_args(argv)

    if args.postgres:
        url, home, label = args.postgres, DATA / "home-postgres", "PostgreSQL"
    else:
        home = DATA / f"sqlite-{args.rows}"
        url, label = f"sqlite:///{home / 'bench.sqlite3'}", "SQLite"
    t0 = time.perf_counter()
    kernel = open_kernel(url, home)
    ensure_admin(kernel)
    have = note_count(kernel)
    if have != args.rows or filled_as(kernel) != f"v{FILL_VERSION}:{args.rows}" or args.rebuild:
        print(f"filling {args.rows:,} notes ({label}, had {have:,})…", file=sys.stderr)
        secs = fill(kernel, args.rows)
        print(f"filled in {secs:.1f} s", file=sys.stderr)
    else:
        print(f"reusing {have:,} notes in {home}", file=sys.stderr)
    prep = time.perf_counter() - t0

    results = measure(kernel, args.requests, args.verbose)
    rss = rss_mb()
    start = startup(url, home)

    print(f"\nList page of notes.note — {args.rows:,} rows on {label}, {args.requests} requests each"
          f" (set-up {prep:.1f} s)")
    print(f"{'page':36} {'p50 ms':>8} {'p95 ms':>8} {'SQL/req':>8} {'SQL ms':>8} {'slowest':>8}")
    missed = []
    for r in results:
        flag = "" if r["p95"] <= TARGET_MS else "  > target"
        if flag:
            missed.append(r)
        print(f"{r['name']:36} {r['p50']:8.1f} {r['p95']:8.1f} {r['queries']:8.1f} {r['sql_ms']:8.1f}"
              f" {r['slowest_ms']:8.1f}{flag}")
    first = next(r for r in results if r["name"] == "first page")
    last = next(r for r in results if r["name"].startswith("last page"))
    print(f"last/first p50 ratio: {last['p50'] / first['p50']:.2f}")
    print(f"worker start-up: {start['imports'] + start['kernel'] + start['app']:.2f} s "
          f"(imports {start['imports']:.2f} s, Kernel() {start['kernel']:.2f} s, build_app {start['app']:.2f} s; "
          f"process {start['process']:.2f} s, RSS {start['rss']:.0f} MB)")
    print(f"resident memory after the runs: {rss:.0f} MB (VmRSS)")
    for r in missed:
        print(f"\n{r['name']}: p95 {r['p95']:.1f} ms > {TARGET_MS:.0f} ms; slowest SQL "
              f"({r['slowest_ms']:.1f} ms median): {r['slowest_sql'][:400]}")
    kernel.engine.dispose()
    return 1 if missed and os.environ.get("BENCH_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
