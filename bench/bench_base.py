"""Base-module benchmark: search, partner list, partner page and 360 profile, communications grid.

    python bench/gen_partners.py && python bench/bench_base.py          # 1,000,000 / 3,000,000 on SQLite
    python bench/bench_base.py --partners 300000
    python bench/bench_base.py --postgres postgresql+psycopg://user@127.0.0.1:5432/db
    python bench/bench_base.py --explain                                  # plans of the slowest statements

Runs on the database ``bench/gen_partners.py`` filled. Through Starlette's TestClient logged in as
an administrator (the real application: middleware, session, scope, templates), ``--requests``
requests per row after three warm-ups; prints p50/p95 of the request in ms, the statements per
request, their time inside the request (cursor events), and the *bare SQL*: the same statements
with the same parameters replayed on a raw DB-API connection, executed and fetched, without the
application — so ``p50 / bare`` is the application's own overhead as a ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_partners as gen  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

TARGETS = {"search": 20.0, "list": 40.0, "profile": 60.0, "page": 60.0, "grid": 50.0}
MONTH = "1405/08"  # Aban 1405 (2026-10-23 … 2026-11-21), inside the generated two years


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(q * (len(values) - 1))))]


@contextmanager
def capturing(engine: Any) -> Iterator[list[tuple[float, str, Any]]]:
    """Every statement run inside: (seconds in the cursor, statement, parameters)."""
    seen: list[tuple[float, str, Any]] = []

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, *a: Any) -> None:
        conn.info.setdefault("bench_t", []).append(time.perf_counter())

    def after(conn: Any, cursor: Any, statement: str, parameters: Any, *a: Any) -> None:
        seen.append((time.perf_counter() - conn.info["bench_t"].pop(), statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def is_read(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("SELECT", "WITH"))


def bare_sql(kernel: Any, statements: list[tuple[float, str, Any]], repeat: int) -> list[tuple[float, str, Any]]:
    """Median time of each read statement replayed on a raw connection (execute + fetchall)."""
    raw = kernel.engine.raw_connection()
    out = []
    try:
        for _secs, stmt, params in statements:
            if not is_read(stmt):
                continue
            times = []
            for _ in range(repeat):
                cur = raw.cursor()
                t0 = time.perf_counter()
                cur.execute(stmt, params)
                cur.fetchall()
                times.append(time.perf_counter() - t0)
                cur.close()
            out.append((statistics.median(times), stmt, params))
        raw.rollback()
    finally:
        raw.close()
    return out


def explain(kernel: Any, stmt: str, params: Any) -> str:
    raw = kernel.engine.raw_connection()
    try:
        cur = raw.cursor()
        if kernel.engine.dialect.name == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + stmt, params)
            lines = [f"{'  ' * 0}{r[3]}" for r in cur.fetchall()]
        else:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + stmt, params)
            lines = [r[0] for r in cur.fetchall()]
        raw.rollback()
        return "\n".join(lines)
    finally:
        raw.close()


def login(client: Any) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    resp = client.post("/login", data={"username": gen.USER, "password": gen.PASSWORD, "csrf": token.group(1)},
                       follow_redirects=False)
    assert resp.status_code == 303, f"login failed: {resp.status_code}"


Scenario = tuple[str, str, str, dict[str, str], Callable[[Any], bool]]


def scenarios(kernel: Any, client: Any) -> list[Scenario]:
    """(target group, name, path, params, check of the response)."""
    from kernel.records import encode_cursor
    from modules.base.models import Communication, Employment, Partner, PartnerRole, Province

    with kernel.sessions() as s:
        tehran = s.scalar(select(Province.id).where(Province.name == "تهران"))
        n = int(s.scalar(select(func.max(Partner.id))) or 0)
        # A person in the middle of the table with a Tehran 0912 mobile and a national ID.
        person = s.scalars(select(Partner).where(Partner.id >= n // 2, Partner.kind == "person",
                                                 Partner.mobile.like("+98912%"), Partner.national_id.is_not(None))
                           .order_by(Partner.id).limit(1)).one()
        company = s.scalars(select(Partner).where(Partner.id >= n // 3, Partner.kind == "company",
                                                  Partner.economic_code.is_not(None)).order_by(Partner.id)).first()
        carded = s.scalars(select(Partner).where(Partner.id >= n // 4, Partner.card_number.is_not(None))
                           .order_by(Partner.id).limit(1)).one()
        # The company with the most communications that has personnel: the heaviest profile.
        busiest = s.execute(select(Communication.partner_id, func.count()).where(
            Communication.partner_id.in_(select(Employment.company_id)))
            .group_by(Communication.partner_id).order_by(func.count().desc()).limit(1)).one()
        comms_of_busiest = int(busiest[1])
        busiest_id = int(busiest[0])
        # Middle page of "customers in Tehran by name": the row half-way down, as "Next" encodes it.
        listed = (select(Partner.sort_key, Partner.id).where(Partner.province_id == tehran, Partner.deleted_at.is_(None),
                                                         Partner.id.in_(select(PartnerRole.partner_id)
                                                                        .where(PartnerRole.role == "customer"))))
        total = int(s.scalar(select(func.count()).select_from(listed.subquery())) or 0)
        # "By name" is by the alphabetical key (kernel.persian.collation), so the cursor holds it.
        mid = s.execute(listed.order_by(Partner.sort_key, Partner.id).offset(total // 2).limit(1)).one()
    mobile_typed = "0" + person.mobile[3:]
    person_url = f"/base/partner/{person.id}"

    def found(url: str) -> Callable[[Any], bool]:
        # The search links a partner to its 360 profile: either address is the partner found.
        return lambda r: any(h["url"].removesuffix("/profile") == url for h in r.json())

    def any_hits(r: Any) -> bool:
        return bool(r.json())

    rows: Callable[[Any], bool] = lambda r: "data-href=" in r.text  # noqa: E731
    ok: Callable[[Any], bool] = lambda r: True  # noqa: E731
    listing = {"f_province_id": str(tehran), "f_role": "customer", "sort": "name"}
    print(f"Tehran customers: {total:,}; busiest company #{busiest_id} has {comms_of_busiest:,} communications; "
          f"person #{person.id} {person.name}", file=sys.stderr)
    return [
        ("search", "search: name fragment «کاظمی»", "/search", {"q": "کاظمی", "format": "json"}, any_hits),
        ("search", "search: first + last name «زهرا کاظمی»", "/search", {"q": "زهرا کاظمی", "format": "json"}, ok),
        ("search", "search: common fragment «محمد»", "/search", {"q": "محمد", "format": "json"}, any_hits),
        ("search", f"search: company name «{company.name}»", "/search", {"q": company.name, "format": "json"},
         found(f"/base/partner/{company.id}")),
        ("search", "search: mobile typed 0912…", "/search", {"q": mobile_typed, "format": "json"}, found(person_url)),
        ("search", "search: mobile in Persian digits with spaces", "/search",
         {"q": to_fa(f"{mobile_typed[:4]} {mobile_typed[4:7]} {mobile_typed[7:]}"), "format": "json"}, found(person_url)),
        ("search", "search: national ID", "/search", {"q": person.national_id or "", "format": "json"}, found(person_url)),
        ("search", "search: economic code", "/search", {"q": company.economic_code or "", "format": "json"},
         found(f"/base/partner/{company.id}")),
        ("search", "search: club card number", "/search", {"q": carded.card_number or "", "format": "json"},
         found(f"/base/partner/{carded.id}")),
        ("list", "partners: Tehran + customer, by name, first page", "/base/partner/", listing, rows),
        ("list", "partners: … middle page (after=)", "/base/partner/",
         {**listing, "after": encode_cursor(mid[0], mid[1])}, rows),
        ("list", "partners: … last page (page=last)", "/base/partner/", {**listing, "page": "last"}, rows),
        ("list", "partners: Tehran + supplier (a rarer role), first page", "/base/partner/",
         {**listing, "f_role": "supplier"}, rows),
        ("list", "partners: all, by name, first page", "/base/partner/", {"sort": "name"}, rows),
        ("list", "partners: all, by name, last page", "/base/partner/", {"sort": "name", "page": "last"}, rows),
        # Fragments whose matches sort late in the name order: PostgreSQL walked the whole name
        # index for them before a searched list found its page's ids first (issue 10) — a first
        # name (several thousand matches at 1,000,000), a company's first word (tens of
        # thousands, all from row 610,000 on); beside them a very common one spread through it.
        ("list", "partners: search «کیوان» (matches sort late), by name", "/base/partner/", {"q": "کیوان"}, rows),
        ("list", "partners: search «یگانه» (matches sort last), by name", "/base/partner/", {"q": "یگانه"}, rows),
        ("list", "partners: search «فروشگاه» (many, all sort late), by name", "/base/partner/",
         {"q": "فروشگاه"}, rows),
        ("list", "partners: search «محمد» (very common, spread), by name", "/base/partner/", {"q": "محمد"}, rows),
        ("page", "partner page (person)", person_url, {}, ok),
        ("page", f"partner page (busiest company, {comms_of_busiest} comms)", f"/base/partner/{busiest_id}", {}, ok),
        ("profile", "360 profile (person)", f"{person_url}/profile", {}, ok),
        ("profile", "360 profile (busiest company)", f"/base/partner/{busiest_id}/profile", {}, ok),
        ("grid", f"communications: Tehran + month {MONTH}", "/base/communication/",
         {"f_province_id": str(tehran), "f_month": MONTH}, rows),
        ("grid", f"communications: month {MONTH}, all provinces", "/base/communication/", {"f_month": MONTH}, rows),
    ]


def to_fa(s: str) -> str:
    from kernel.persian.textnorm import to_persian_digits

    return to_persian_digits(s)


def measure(kernel: Any, requests: int, verbose: bool, show_plans: bool, only: str = "") -> list[dict[str, Any]]:
    from starlette.testclient import TestClient

    from kernel.web.app import build_app

    out = []
    with TestClient(build_app(kernel), base_url="http://testserver") as client:
        login(client)
        for group, name, path, params, check in scenarios(kernel, client):
            if only not in name:
                continue
            resp = client.get(path, params=params)
            if resp.status_code == 404 and path.endswith("/profile"):
                print(f"skipped (no such route yet): {path}", file=sys.stderr)
                continue
            for _ in range(3):  # warm caches (templates, statement cache, pages)
                resp = client.get(path, params=params)
                assert resp.status_code == 200 and check(resp), f"{name}: {resp.status_code} {resp.text[:300]}"
            times: list[float] = []
            with capturing(kernel.engine) as sql:
                for _ in range(requests):
                    t0 = time.perf_counter()
                    resp = client.get(path, params=params)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert resp.status_code == 200
            per_request = len(sql) // requests
            one = sql[-per_request:] if per_request else []
            bare = bare_sql(kernel, one, repeat=max(5, requests // 3))
            bare_ms = sum(t for t, _s, _p in bare) * 1000
            slowest = max(bare, key=lambda b: b[0]) if bare else (0.0, "", None)
            row: dict[str, Any] = {"group": group, "name": name, "p50": p(times, 0.5), "p95": p(times, 0.95),
                   "queries": len(sql) / requests, "sql_ms": sum(x[0] for x in sql) * 1000 / requests,
                   "bare_ms": bare_ms, "slowest_ms": slowest[0] * 1000, "slowest_sql": " ".join(slowest[1].split()),
                   "hits": len(resp.json()) if params.get("format") == "json" else None}
            if show_plans and slowest[1]:
                row["plan"] = explain(kernel, slowest[1], slowest[2])
                # Every statement over a millisecond, with its plan: where the time goes.
                heavy = sorted((b for b in bare if b[0] >= 0.001), key=lambda b: -b[0])
                row["heavy"] = [(t * 1000, " ".join(st.split()), explain(kernel, st, prm)) for t, st, prm in heavy]
            out.append(row)
            flag = "  > target" if row["p95"] > TARGETS[group] else ""
            print(f"  {name}: p50 {row['p50']:.1f} p95 {row['p95']:.1f} ms, bare SQL {bare_ms:.1f} ms{flag}",
                  file=sys.stderr, flush=True)
            if verbose and not show_plans:
                print(f"--- {name}: slowest statement ({row['slowest_ms']:.1f} ms bare)\n{slowest[1]}\n"
                      f"params: {slowest[2]}\n", file=sys.stderr)
            for ms, st, plan in row.get("heavy", []):
                print(f"--- {name}: {ms:.1f} ms bare\n{st[:1500]}\n{plan}\n", file=sys.stderr)
    return out


PROPOSED_INDEXES = {  # name: (table, columns) — see "Base module" in docs/PERFORMANCE.md
    "ix_bench_partner_province_live": ("base_partner", "province_id, deleted_at, id"),
    "ix_bench_partner_kind_name": ("base_partner", "kind, name, id"),
    "ix_bench_communication_province_live": ("base_communication", "province_id, deleted_at, started_at, id"),
}


def apply_proposed(kernel: Any) -> Callable[[], None]:
    """What-if: the fixes proposed in docs/PERFORMANCE.md, applied in this process and to the bench
    database only (undone by the returned function). Drop this once they are in the code."""
    import contextvars

    from sqlalchemy import literal_column, text

    from kernel import records, search_index
    from kernel.web import pages

    pg = kernel.engine.dialect.name == "postgresql"
    kernel.resources["base.contact"].search = ()  # contacts are in their partner's search key
    cap, condition, resource_search = records.COUNT_CAP, search_index.condition, pages.resource_search
    records.COUNT_CAP = 1000
    in_box: contextvars.ContextVar[bool] = contextvars.ContextVar("bench_global_box", default=False)

    def bounded(kernel: Any, res: Any, key: str) -> Any:
        # The global box reads only the newest 200 matches of the FTS index.
        table = res.table.name
        if in_box.get() and not pg and len(key) >= search_index.MIN_CHARS and search_index.has_fts(kernel, table):
            fts: Any = literal_column(f"{table}{search_index.FTS}")
            rowid: Any = literal_column("rowid")
            ids = (select(rowid).select_from(text(f"{table}{search_index.FTS}"))
                   .where(fts.op("MATCH")('"' + key.replace('"', '""') + '"')).order_by(rowid.desc()).limit(200))
            return res.model.id.in_(ids)
        return condition(kernel, res, key)

    def box(*a: Any, **kw: Any) -> Any:
        token = in_box.set(True)
        try:
            return resource_search(*a, **kw)
        finally:
            in_box.reset(token)

    search_index.condition, pages.resource_search = bounded, box  # type: ignore[assignment]
    with kernel.engine.begin() as conn:
        for name, (table, columns) in PROPOSED_INDEXES.items():
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
        for name, (table, _c) in PROPOSED_INDEXES.items():
            conn.exec_driver_sql(f"ANALYZE {table if pg else name}")

    def undo() -> None:
        records.COUNT_CAP, search_index.condition, pages.resource_search = cap, condition, resource_search
        with kernel.engine.begin() as conn:
            for name in PROPOSED_INDEXES:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
            if pg:
                conn.exec_driver_sql("ANALYZE base_partner")
                conn.exec_driver_sql("ANALYZE base_communication")

    return undo


def bench_args(ap: argparse.ArgumentParser, generator: str, requests: int) -> None:
    """The options every benchmark on a generated database takes."""
    ap.add_argument("--partners", type=int, default=1_000_000, help="which generated SQLite database (default 1,000,000)")
    ap.add_argument("--postgres", metavar="URL", help=f"the PostgreSQL database {generator} filled")
    ap.add_argument("--requests", type=int, default=requests, help=f"timed requests per row (default {requests})")
    ap.add_argument("--verbose", "-v", action="store_true", help="print the slowest statement of each row")
    ap.add_argument("--explain", action="store_true", help="also plans (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE)")


def open_generated(gen_module: Any, args: argparse.Namespace, generator: str) -> Any | None:
    """The kernel on the database ``generator`` filled, or None (with the reason printed)."""
    url, home = gen_module.where(argparse.Namespace(postgres=args.postgres, partners=args.partners))
    if not args.postgres and not (home / "bench.sqlite3").exists():
        print(f"no database at {home}: run bench/{generator} --partners {args.partners} first", file=sys.stderr)
        return None
    kernel = gen_module.open_kernel(url, home)
    if not gen_module.progress_of(kernel).get("complete"):
        print(f"the database at {url} is not completely generated: run bench/{generator}", file=sys.stderr)
        return None
    return kernel


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bench_args(ap, "gen_partners.py", 30)
    ap.add_argument("--proposed", action="store_true",
                    help="what-if: apply the fixes proposed in docs/PERFORMANCE.md in this process (indexes "
                         "created in the bench database and dropped afterwards)")
    ap.add_argument("--only", default="", metavar="TEXT", help="only the rows whose name contains TEXT")
    args = ap.parse_args(argv)
    kernel = open_generated(gen, args, "gen_partners.py")
    if kernel is None:
        return 2
    prog = gen.progress_of(kernel)
    label = "PostgreSQL" if args.postgres else "SQLite"
    undo = apply_proposed(kernel) if args.proposed else None
    try:
        results = measure(kernel, args.requests, args.verbose, args.explain, args.only)
    finally:
        if undo is not None:
            undo()
    if args.proposed:
        label += ", WITH THE PROPOSED FIXES (what-if)"

    print(f"\nBase module — {prog['partners']:,} partners, {prog['communications']:,} communications on {label}, "
          f"{args.requests} requests each (server time, ms)")
    print(f"{'request':58} {'p50':>6} {'p95':>6} {'target':>6} {'SQL/req':>7} {'in-req':>7} {'bare':>6} {'p50/bare':>8}")
    missed = []
    for r in results:
        target = TARGETS[r["group"]]
        flag = "" if r["p95"] <= target else "  MISSED"
        if flag:
            missed.append(r)
        ratio = r["p50"] / r["bare_ms"] if r["bare_ms"] > 0 else float("nan")
        print(f"{r['name'][:58]:58} {r['p50']:6.1f} {r['p95']:6.1f} {target:6.0f} {r['queries']:7.1f} "
              f"{r['sql_ms']:7.1f} {r['bare_ms']:6.1f} {ratio:8.1f}{flag}")
    for r in missed:
        print(f"\n{r['name']}: p95 {r['p95']:.1f} ms > {TARGETS[r['group']]:.0f} ms; slowest SQL "
              f"({r['slowest_ms']:.1f} ms bare): {r['slowest_sql'][:600]}")
        if r.get("plan"):
            print(r["plan"])
    kernel.engine.dispose()
    return 1 if missed and os.environ.get("BENCH_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
