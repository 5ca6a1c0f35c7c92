"""The cost above bare SQL (issue 10): four pages' p50/p95 beside the bare SQL of the same statements.

    python bench/bench_cost.py --partners 200000 --requests 60
    python bench/bench_cost.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench

The database of ``bench/gen_partners.py``; the measuring is ``bench/bench_base.py``'s (TestClient
logged in as an administrator, statements captured and replayed on a raw connection). Pages: the
partner list, the top-bar search page, a filtered list (Tehran customers by name) and the
autocomplete of reference pickers (the API list with ``?q=``). ``x`` is p50 / bare SQL.
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

import bench_base as bb  # noqa: E402
import gen_partners as gen  # noqa: E402
from sqlalchemy import select  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from starlette.testclient import TestClient

    from kernel.web.app import build_app
    from modules.base.models import Province

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--partners", type=int, default=200_000, help="which generated SQLite database")
    ap.add_argument("--requests", type=int, default=60, help="timed requests per page")
    ap.add_argument("--postgres", metavar="URL", help="the PostgreSQL database gen_partners.py filled instead")
    args = ap.parse_args(argv)
    url, home = gen.where(argparse.Namespace(postgres=args.postgres, partners=args.partners))
    kernel = gen.open_kernel(url, home)
    with kernel.sessions() as s:
        tehran = s.scalar(select(Province.id).where(Province.name == "تهران"))
    pages = [("list", "/base/partner/", {}),
             ("search", "/search", {"q": "کاظمی"}),
             ("filtered list", "/base/partner/", {"f_province_id": str(tehran), "f_role": "customer", "sort": "name"}),
             ("autocomplete", "/api/base/partner", {"q": "کاظمی"})]
    n = args.requests
    served: list[tuple[float, float]] = []  # (wall, CPU) of the app itself, in ms

    def timed(app: Any) -> Any:
        # The app's own time, without the test client's: on a shared machine the CPU time of the
        # process during the call is the steadier figure (the client thread waits meanwhile).
        async def call(scope: Any, receive: Any, send: Any) -> None:
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                await app(scope, receive, send)
            finally:
                if scope["type"] == "http":
                    served.append(((time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000))
        return call

    with TestClient(timed(build_app(kernel)), base_url="http://testserver") as client:
        bb.login(client)
        for name, path, params in pages:
            for _ in range(3):  # warm caches (templates, statement cache, pages)
                resp = client.get(path, params=params)
                assert resp.status_code == 200, (name, resp.status_code)
            times: list[float] = []
            served.clear()
            with bb.capturing(kernel.engine) as sql:
                for _ in range(n):
                    t0 = time.perf_counter()
                    client.get(path, params=params)
                    times.append((time.perf_counter() - t0) * 1000)
            per = len(sql) // n
            bare = bb.bare_sql(kernel, sql[-per:] if per else [], repeat=max(5, n // 3))
            bare_ms = sum(t for t, _s, _p in bare) * 1000
            p50 = bb.p(times, 0.5)
            app_wall, app_cpu = bb.p([w for w, _c in served], 0.5), bb.p([c for _w, c in served], 0.5)
            print(f"{name:14s} client p50 {p50:6.1f}  p95 {bb.p(times, 0.95):6.1f} ms  app p50 {app_wall:6.1f} ms, "
                  f"CPU {app_cpu:6.1f} ms  bare SQL {bare_ms:5.2f} ms  x{app_cpu / bare_ms:5.1f} (app CPU / bare)  "
                  f"statements {len(sql) / n:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
