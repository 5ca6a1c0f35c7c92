"""Sales board (issue 15): the kanban of a team and of one salesperson at 1,000,000 partners and
200,000 opportunities, through the real application, beside the bare SQL of the same statements.

    python bench/gen_sales.py && python bench/bench_sales.py
    python bench/bench_sales.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_sales

Logged in as the team manager (scope "team": the team's 10 sellers' deals, about 50,000 of them)
and as one seller (scope "own"), ``--requests`` requests of ``/sales/board`` after warm-ups; prints
p50/p95 in ms (target p95 ≤ 60), statements per request, their time in the request, and the bare
SQL: the same statements with the same parameters on a raw DB-API connection.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_partners as gen  # noqa: E402
import gen_sales  # noqa: E402
from bench_base import bare_sql, capturing, explain, p  # noqa: E402

TARGET = 60.0


def login(client: Any, username: str) -> None:
    import re

    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    resp = client.post("/login", data={"csrf": token.group(1), "username": username, "password": gen.PASSWORD},
                       follow_redirects=False)
    assert resp.status_code == 303, resp.text[:300]


def measure(kernel: Any, username: str, requests: int, plans: bool) -> dict[str, Any]:
    from starlette.testclient import TestClient

    from kernel.gc_tuning import freeze_startup
    from kernel.web.app import build_app

    app = build_app(kernel)
    freeze_startup()  # as the serving process does (kernel.asgi): a full collection skips the app's own objects
    with TestClient(app, base_url="http://testserver") as client:
        login(client, username)
        for _ in range(3):
            resp = client.get("/sales/board")
            assert resp.status_code == 200 and "data-board" in resp.text, resp.text[:300]
        times = []
        with capturing(kernel.engine) as sql:
            for _ in range(requests):
                t0 = time.perf_counter()
                resp = client.get("/sales/board")
                times.append((time.perf_counter() - t0) * 1000)
        cards = resp.text.count("data-card=")
    per = len(sql) // requests
    bare = bare_sql(kernel, sql[-per:], repeat=max(5, requests // 3))
    slowest = max(bare, key=lambda b: b[0])
    out = {"p50": p(times, 0.5), "p95": p(times, 0.95), "queries": len(sql) / requests,
           "sql_ms": sum(x[0] for x in sql) * 1000 / requests, "bare_ms": sum(b[0] for b in bare) * 1000,
           "cards": cards, "slowest": slowest}
    if plans:
        out["plan"] = explain(kernel, slowest[1], slowest[2])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=1_000_000)
    ap.add_argument("--postgres", metavar="URL")
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--explain", action="store_true")
    args = ap.parse_args(argv)
    url, home = gen_sales.where(args)
    kernel = gen_sales.open_kernel(url, home, upgrade=False)
    prog = gen_sales.progress_of(kernel)
    if not prog.get("complete"):
        print("run bench/gen_sales.py first", file=sys.stderr)
        return 2
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Sales board — {gen_sales.OPPORTUNITIES:,} opportunities, 1,000,000 partners, {engine}, "
          f"{args.requests} requests (ms)")
    print(f"{'who':34} {'p50':>6} {'p95':>6} {'target':>6} {'SQL/req':>7} {'in-req':>7} {'bare':>6} {'cards':>5}")
    for who, username in (("team manager (team scope)", "bench-seller-1-01"),
                          ("one seller (own scope)", "bench-seller-1-02")):
        r = measure(kernel, username, args.requests, args.explain)
        flag = "" if r["p95"] <= TARGET else "  MISSED"
        print(f"{who:34} {r['p50']:6.1f} {r['p95']:6.1f} {TARGET:6.0f} {r['queries']:7.1f} {r['sql_ms']:7.1f} "
              f"{r['bare_ms']:6.1f} {r['cards']:5d}{flag}")
        print(f"  slowest statement ({r['slowest'][0] * 1000:.1f} ms bare): {' '.join(r['slowest'][1].split())[:700]}")
        if r.get("plan"):
            print(r["plan"])
    kernel.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
