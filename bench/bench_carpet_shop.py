"""The online-shop link's benchmark (issue 16, INT-03): a shop of 2,000 SKUs (20 designs × 100
variations) against 2,000 products with stock, a ledger of 100,000 imported shop orders, and
200 new orders of two lines each, through the fake WooCommerce shop (a real HTTP server).

    python bench/bench_carpet_shop.py                       # SQLite in bench/data/shop/
    python bench/bench_carpet_shop.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_shoplink

The data is generated once (the products, stock and ledger by Core inserts; a second run
reuses it). Rows (p50/p95 over ``--requests`` calls after warm-ups; *bare* is the read
statements of one call replayed on a raw DB-API connection, ``bench_base.bare_sql``):

* ``ledger``: which of a run's 100 orders are already imported, at 100,000 ledger rows (the
  statement ``sync.import_orders`` starts with);
* ``stock``: ``sync.stock_to_push`` for the shop's 2,000 items (the codes matched, inventory's
  ``stock.levels`` of each);
* ``first sync``: ``sync.run`` reading 2,000 items and 200 new orders over HTTP, importing them
  (200 partners, 200 draft proformas of 2 lines) and sending the stock that differs; once;
* ``quiet sync``: ``sync.run`` again with nothing new (the overlap window's orders re-read,
  none imported, no stock sent).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
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
from sqlalchemy import insert, select, text  # noqa: E402

DESIGNS, SIZES = 20, 100
LEDGER = 100_000
NEW_ORDERS = 200


def open_kernel(url: str, home: Path) -> Any:
    from kernel import migrations
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    kernel = Kernel(dataclasses.replace(gen.make_config(url, home), edition="carpet"))
    migrations.upgrade(kernel)
    return kernel


def generate(kernel: Any) -> None:
    """Products with codes and stock, the link and a ledger of old orders: once."""
    from kernel.db import utcnow
    from modules.carpet.shop.models import ShopLink, ShopOrder
    from modules.finance.models import Product
    from modules.inventory.models import StockLevel
    from modules.inventory.services.stock import default_warehouse_id

    with kernel.session() as s:
        if s.scalar(select(ShopLink.id)) is not None:
            return
        t0 = time.perf_counter()
        wh = default_warehouse_id(s)
        now = utcnow()
        rows = [{"name": f"فرش طرح {d} اندازه {n}", "code": f"D{d:02d}-{n:03d}", "kind": "goods", "price": 450_000_000,
                 "sort_key": "", "search_key": "", "active": True, "tax_exempt": False, "created_at": now,
                 "updated_at": now} for d in range(DESIGNS) for n in range(SIZES)]
        s.execute(insert(Product), rows)
        ids = dict(s.execute(select(Product.code, Product.id).where(Product.code.like("D%-%"))).all())
        s.execute(insert(StockLevel), [{"product_id": pid, "warehouse_id": wh, "on_hand": (pid % 7) + 1,
                                        "reserved": 0} for pid in ids.values()])
        link = ShopLink(kind="woocommerce", base_url="http://127.0.0.1:1", currency="IRT", enabled=False,
                        orders_after=now - dt.timedelta(days=1))
        s.add(link)
        s.flush()
        for start in range(0, LEDGER, 10_000):
            s.execute(insert(ShopOrder), [{"link_id": link.id, "shop_order_id": 1_000_000 + i, "number": str(i),
                                           "status": "completed", "ordered_at": now - dt.timedelta(days=400 - i // 300),
                                           "total": 0, "payload": "{}", "state": "imported", "customer_name": "",
                                           "mobile": "", "email": "", "created_at": now}
                                          for i in range(start, min(start + 10_000, LEDGER))])
    print(f"generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def timed(kernel: Any, name: str, call: Any, n: int, warm: int = 2) -> dict[str, Any]:
    for _ in range(warm):
        call()
    times = []
    with bb.capturing(kernel.engine) as sql:
        for _ in range(n):
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
    per = len(sql) // n
    bare = bb.bare_sql(kernel, sql[-per:] if per else [], repeat=5)
    r = {"name": name, "p50": bb.p(times, 0.5), "p95": bb.p(times, 0.95), "statements": per,
         "bare_ms": sum(b[0] for b in bare) * 1000,
         "bare_sql": " ".join(max(bare, key=lambda b: b[0])[1].split())[:300] if bare else ""}
    print(f"  {name}: p50 {r['p50']:.1f} p95 {r['p95']:.1f} ms, {per} statements, bare SQL {r['bare_ms']:.2f} ms",
          file=sys.stderr)
    print(f"    slowest bare: {r['bare_sql']}", file=sys.stderr)
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--postgres", metavar="URL")
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--profile", action="store_true", help="print where the first sync's time goes")
    args = ap.parse_args(argv)
    from kernel.gc_tuning import freeze_startup
    from modules.carpet.shop import sync
    from modules.carpet.shop.adapter import ShopItem
    from modules.carpet.shop.fake_shop import FakeShop
    from modules.carpet.shop.models import ShopLink, ShopOrder

    home = ROOT / "bench" / "data" / "shop"
    url = args.postgres or f"sqlite:///{home / 'bench.sqlite3'}"
    kernel = open_kernel(url, home)
    generate(kernel)
    if args.postgres:  # statistics of the freshly loaded tables, as autovacuum would soon make them
        with kernel.engine.begin() as conn:
            conn.execute(text("ANALYZE carpet_shop_order; ANALYZE finance_product; ANALYZE inventory_stock"))
    freeze_startup()
    label = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{label}: {DESIGNS * SIZES} SKUs, {LEDGER} ledger rows", file=sys.stderr)

    with kernel.sessions() as s:
        link_id = int(s.scalar(select(ShopLink.id)))
        asked = list(range(1_000_000 + LEDGER - 50, 1_000_000 + LEDGER + 50))  # 50 known, 50 new

        def ledger() -> None:
            set(s.scalars(select(ShopOrder.shop_order_id).where(ShopOrder.link_id == link_id,
                                                                ShopOrder.shop_order_id.in_(asked))))

        timed(kernel, "ledger", ledger, args.requests)
        items = [ShopItem(d, 10_000 + d * SIZES + n, f"D{d:02d}-{n:03d}", "", 0, 3)
                 for d in range(DESIGNS) for n in range(SIZES)]
        timed(kernel, "stock", lambda: sync.stock_to_push(s, items), 5, warm=1)

    shop = FakeShop().start()
    try:
        shop.state.key, shop.state.secret = "ck_bench", "cs_bench"
        for d in range(DESIGNS):
            shop.state.add_variable(f"طرح {d}", [(f"D{d:02d}-{n:03d}", str(n), 45_000_000, 0) for n in range(SIZES)])
        base = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) - dt.timedelta(minutes=30)
        for i in range(NEW_ORDERS):
            shop.state.add_order([(f"D{i % DESIGNS:02d}-{i % SIZES:03d}", 1, 45_000_000),
                                  (f"D{(i + 1) % DESIGNS:02d}-{(i * 7) % SIZES:03d}", 1, 45_000_000)],
                                 first_name="مشتری", last_name=f"شماره {i}", phone=f"0912{5_000_000 + i:07d}",
                                 created=base + dt.timedelta(seconds=i))
        with kernel.session() as s:
            link = s.get(ShopLink, link_id)
            link.base_url, link.consumer_key, link.consumer_secret = shop.base_url, "ck_bench", "cs_bench"
            link.orders_after = base - dt.timedelta(minutes=1)
            # A second run of the bench: the fake shop's orders (ids below the ledger's) come in again.
            s.execute(text("DELETE FROM carpet_shop_order WHERE shop_order_id < 1000000"))
        t0 = time.perf_counter()
        if "--profile" in sys.argv:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            first = prof.runcall(sync.run, kernel)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
        else:
            first = sync.run(kernel)
        took = time.perf_counter() - t0
        print(f"  first sync: {took:.2f} s — {first.imported} orders imported, {first.stock_pushed} stock sent, "
              f"ok={first.ok} {first.error}", file=sys.stderr)
        quiet = []
        for _ in range(3):
            t0 = time.perf_counter()
            again = sync.run(kernel)
            quiet.append(time.perf_counter() - t0)
            assert again.ok and again.imported == 0 and again.stock_pushed == 0, again
        print(f"  quiet sync: p50 {bb.p(quiet, 0.5):.2f} s (3 runs)", file=sys.stderr)
    finally:
        shop.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
