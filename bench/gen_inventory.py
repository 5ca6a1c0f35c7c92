"""Add 100,000 products, 5 warehouses and 5,000,000 stock movements (with their documents) to
finance's 1M-partner database for ``bench/bench_inventory.py`` (issue 15), and the sales data
(200,000 opportunities) through ``gen_sales.fill``.

    python bench/gen_inventory.py                                          # SQLite: a copy of finance's data
    python bench/gen_inventory.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_inventory
    python bench/gen_inventory.py --moves 500000                           # a smaller run
    python bench/gen_inventory.py --rebuild                                # SQLite: from a fresh copy

The data goes into a *copy* of ``gen_finance.py``'s database (which holds ``gen_partners.py``'s
1,000,000 partners): SQLite copies ``bench/data/finance-sqlite-<N>/`` to
``bench/data/inventory-sqlite-<N>/``; on PostgreSQL make the copy first
(``CREATE DATABASE bench_inventory TEMPLATE bench1m_finance``) and pass its URL. It is opened as
finance's edition (tier3) with sales and inventory added as modules.

What is added (one run; an interrupted run is started again with ``--rebuild`` or a fresh copy):

* products up to ``--products`` (100,000) in finance's twelve groups, a sixth of them variants
  (a parent in three sizes and two colours: six variants); every product, old and new, with a
  unique, valid EAN-13 barcode (prefix 6260: the old random ones never start so);
* four warehouses beside the seeded «انبار مرکزی» (half of all movements are in it);
* stock documents over the two years up to the partner data's epoch, in date order: receipts
  (30 %, 1–20 lines of 5–100 units), issues (60 %, 1–20 lines of 1–10 units, never more than
  the warehouse holds) and transfers (10 %, 1–10 lines, two movements each), all posted and
  numbered gapless per series and fiscal year, the kernel's counters set to continue them; the
  products drawn Zipf-like (the most popular one has about 1 % of the movements);
* one ``inventory_move`` per line (two per transfer line) with the balance after it, up to
  ``--moves``; ``inventory_stock`` is the last balance of each (product, warehouse), so levels,
  balances and movements agree; finance's company-wide ``finance_product_cost`` set to the sum;
* 40 products that track serial numbers (one ``inventory_serial`` per unit received, issued
  units marked with their issue line), and a reorder level on 5 % of the products.

Rows go in with executemany (SQLite) or COPY (PostgreSQL, foreign-key triggers off for the load's
own connection), the loaded tables' secondary indexes dropped during the load and built at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import time
from collections import deque
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_finance  # noqa: E402
import gen_partners as gen  # noqa: E402
import gen_sales  # noqa: E402
import gen_tasks as gt  # noqa: E402
from sqlalchemy import text  # noqa: E402

EDITION = gen_finance.EDITION
MODULES = ("sales", "inventory")
PROGRESS = "bench.inventory_gen"
LOADED = ("inventory_document", "inventory_document_line", "inventory_move", "inventory_serial")
WAREHOUSES = (("انبار شعبه شمال", "W2"), ("انبار شعبه جنوب", "W3"), ("انبار کارخانه", "W4"),
              ("انبار مرجوعی", "W5"))
SERIAL_PRODUCTS = 40
NOTES = ("ورود از خرید داخلی", "خروج برای مشتری", "جابه‌جایی بین انبارها")


# -- the database ---------------------------------------------------------------------------
def where(args: argparse.Namespace) -> tuple[str, Path]:
    return gt.where(args, "inventory")


def open_kernel(url: str, home: Path, upgrade: bool = True) -> Any:
    """Finance's edition with sales and inventory added (the benches open it the same way)."""
    from kernel import migrations
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    config = dataclasses.replace(gen.make_config(url, home), edition=EDITION, extra_modules=MODULES,
                                 extra_packages=tuple(f"modules.{m}" for m in MODULES))
    kernel = Kernel(config)
    if upgrade:
        migrations.upgrade(kernel)
    return kernel


def progress_of(kernel: Any) -> dict[str, Any]:
    return gt.progress_of(kernel, PROGRESS)


def ean13(body12: str) -> str:
    """A 12-digit body with its EAN-13 check digit."""
    odd = sum(int(c) for c in body12[0::2])
    even = sum(int(c) for c in body12[1::2])
    return body12 + str((10 - (odd + 3 * even) % 10) % 10)


def barcode(n: int) -> str:
    return ean13(f"6260{n:08d}")


# -- products and warehouses ----------------------------------------------------------------
def make_products(kernel: Any, admin: int, total: int, seed: int) -> int:
    """New products (a sixth of them variants) up to ``total``; barcodes on every product."""
    from kernel.persian.collation import sort_key
    from kernel.persian.search_keys import SEARCH_ATTR, compute
    from modules.finance.models import Product

    groups = list(gen_finance.GROUPS)
    with kernel.engine.connect() as conn:
        have = int(conn.scalar(text("SELECT count(*) FROM finance_product")) or 0)
        pid = int(conn.scalar(text("SELECT coalesce(max(id), 0) FROM finance_product")) or 0)
        unbarcoded = list(conn.scalars(text("SELECT id FROM finance_product WHERE barcode IS NULL ORDER BY id")))
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    stamp = {"owner_id": admin, "created_at": now, "updated_at": now, "deleted_at": None,
             "created_by_id": admin, "updated_by_id": admin}
    fields = getattr(Product, SEARCH_ATTR)
    serial = 0
    rows: list[dict[str, Any]] = []
    n = have
    while have + len(rows) < total:
        n += 1
        g = n % len(groups) + 1
        pattern, first, second = gen_finance.GROUPS[groups[g - 1]]
        name = pattern.format(rnd.choice(first), rnd.choice(second)) + f" کد {n}"
        service = groups[g - 1] == "خدمات"
        serial += 1
        pid += 1
        row: dict[str, Any] = {
            "id": pid, "name": name, "sort_key": sort_key(name), "code": f"K{n:06d}", "barcode": barcode(serial),
            "kind": "service" if service else "goods", "unit": gen_finance.UNITS.get(groups[g - 1], "عدد"),
            "price": rnd.randrange(50, 80_000) * 1000, "tax_exempt": rnd.random() < 0.08, "parent_id": None,
            "active": rnd.random() > 0.02, "description": None, "group_id": g, "marketer_commission": None,
            "agency_commission": None, "variant_key": None, **stamp}
        rows.append(row)
        if n % 7 == 0 and not service and have + len(rows) + 6 <= total:  # a parent and its six variants
            for k, ((size, scode), (colour, ccode)) in enumerate(
                    (s, c) for s in gen_finance.SIZES for c in gen_finance.COLOURS):
                pid += 1
                serial += 1
                vname = f"{name} — {size} — {colour}"
                rows.append({**row, "id": pid, "name": vname, "sort_key": sort_key(vname),
                             "code": f"{row['code']}-{scode}-{ccode}", "barcode": barcode(serial),
                             "price": row["price"] * (2 + k // 2) // 3 // 1000 * 1000, "parent_id": row["id"],
                             "variant_key": f"{k // 2 + 1}.{k % 2 + 4}"})
    for row in rows:
        row["search_key"] = compute(SimpleNamespace(**row), fields)
    with kernel.engine.begin() as conn:
        for start in range(0, len(rows), 5_000):
            gen.write_rows(conn, Product.__table__, rows[start:start + 5_000])  # type: ignore[arg-type]
        conn.execute(text("UPDATE finance_product SET barcode = :b WHERE id = :i"),
                     [{"b": barcode(serial + k + 1), "i": i} for k, i in enumerate(unbarcoded)])
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('finance_product', 'id'), "
                              "(SELECT max(id) FROM finance_product))"))
    return len(rows)


def make_warehouses(kernel: Any, admin: int) -> list[int]:
    from modules.inventory.models import Warehouse

    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with kernel.engine.begin() as conn:
        have = {str(c) for c in conn.scalars(text("SELECT code FROM inventory_warehouse"))}
        for name, code in WAREHOUSES:
            if code not in have:
                conn.execute(Warehouse.__table__.insert().values(  # type: ignore[attr-defined]
                    name=name, code=code, address=None, is_default=False, active=True, owner_id=admin,
                    created_at=now, updated_at=now, created_by_id=admin, updated_by_id=admin))
        return [int(i) for i in conn.scalars(text("SELECT id FROM inventory_warehouse ORDER BY is_default DESC, id"))]


class World:
    """What the documents are drawn from, and the running state the load keeps consistent."""

    def __init__(self, kernel: Any, admin: int, epoch: str, warehouses: list[int], seed: int) -> None:
        from sqlalchemy import select

        from kernel.numbering import style_of
        from modules.base.models import PartnerRole
        from modules.inventory.numbers import SERIES

        self.admin = admin
        self.epoch = dt.datetime.fromisoformat(epoch)
        self.first_day = (self.epoch - dt.timedelta(days=730)).date()
        self.warehouses = warehouses
        # Half of the movements in the default warehouse, the rest spread over the others.
        self.wh_weights = [4.0] + [1.0] * (len(warehouses) - 1)
        with kernel.engine.connect() as conn:
            self.suppliers = list(conn.scalars(select(PartnerRole.partner_id).where(PartnerRole.role == "supplier")
                                               .distinct().order_by(PartnerRole.partner_id).limit(500)))
            self.customers = list(conn.scalars(select(PartnerRole.partner_id).where(PartnerRole.role == "customer")
                                               .distinct().order_by(PartnerRole.partner_id).limit(5_000)))
            goods = conn.execute(text(
                "SELECT id, price FROM finance_product WHERE kind = 'goods' AND id NOT IN "
                "(SELECT parent_id FROM finance_product WHERE parent_id IS NOT NULL) ORDER BY id")).all()
            self.styles = {s.key: style_of(conn, s) for s in SERIES}
        self.products = [int(g[0]) for g in goods]
        self.cost = {int(g[0]): int(g[1]) * 7 // 10 // 1000 * 1000 for g in goods}
        rnd = random.Random(seed)
        order = list(range(len(self.products)))
        rnd.shuffle(order)  # popularity not by id: the popular products are anywhere in the catalogue
        acc, total = [0.0] * len(order), 0.0
        weights = [0.0] * len(order)
        for rank, i in enumerate(order):
            weights[i] = 1.0 / (rank + 10)
        for i, w in enumerate(weights):
            total += w
            acc[i] = total
        self.cum = acc
        self.serial_products = set(rnd.sample(self.products, SERIAL_PRODUCTS))
        self.years: dict[dt.date, int] = {}
        self.counters: dict[str, dict[str, int]] = {}
        self.balance: dict[tuple[int, int], Decimal] = {}
        self.in_stock: dict[tuple[int, int], deque[int]] = {}  # serial ids in a warehouse, oldest first
        self.serials: dict[int, dict[str, Any]] = {}
        self.ids = {name: 0 for name in LOADED}

    def number(self, kind: str, day: dt.date) -> str:
        from kernel.numbering import fiscal_year

        if day not in self.years:
            self.years[day] = fiscal_year(day)
        year = str(self.years[day])
        series = f"inventory.{kind}"
        n = self.counters.setdefault(series, {}).get(year, 0) + 1
        self.counters[series][year] = n
        return self.styles[series].format(int(year), n)

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]


# -- documents ------------------------------------------------------------------------------
class Batch:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in LOADED}
        self.moves = 0


def move(world: World, batch: Batch, doc: dict[str, Any], line_id: int, product: int, warehouse: int,
         quantity: Decimal) -> None:
    key = (product, warehouse)
    after = world.balance.get(key, Decimal(0)) + quantity
    world.balance[key] = after
    batch.rows["inventory_move"].append({
        "id": world.next_id("inventory_move"), "product_id": product, "warehouse_id": warehouse, "on": doc["date"],
        "quantity": quantity, "balance": after, "unit_cost": world.cost[product], "document_id": doc["id"],
        "line_id": line_id, "cancelled": False})
    batch.moves += 1


def serials_in(world: World, product: int, warehouse: int, quantity: int, line_id: int) -> str:
    out = []
    for _ in range(quantity):
        sid = world.next_id("inventory_serial")
        code = f"SN{product:06d}{sid:07d}"
        world.serials[sid] = {"id": sid, "product_id": product, "serial": code, "warehouse_id": warehouse,
                              "received_line_id": line_id, "issued_line_id": None}
        world.in_stock.setdefault((product, warehouse), deque()).append(sid)
        out.append(code)
    return "\n".join(out)


def serials_out(world: World, product: int, warehouse: int, quantity: int, line_id: int) -> str:
    held = world.in_stock[(product, warehouse)]
    out = []
    for _ in range(quantity):
        row = world.serials[held.popleft()]
        row["warehouse_id"], row["issued_line_id"] = None, line_id
        out.append(row["serial"])
    return "\n".join(out)


def document(world: World, batch: Batch, day: dt.date, rnd: random.Random) -> None:
    """One posted document of a random kind; lines an issue or transfer cannot take are dropped
    (an issue never takes more than the warehouse holds)."""
    roll = rnd.random()
    kind = "receipt" if roll < 0.3 else "issue" if roll < 0.9 else "transfer"
    wh = rnd.choices(world.warehouses, world.wh_weights)[0]
    to = rnd.choice([w for w in world.warehouses if w != wh]) if kind == "transfer" else None
    doc_id = world.ids["inventory_document"] + 1
    posted = dt.datetime.combine(day, dt.time(rnd.randint(5, 13), rnd.randrange(60)))
    doc = {"id": doc_id, "date": day}
    lines = []
    for _ in range(rnd.randint(1, 10 if kind == "transfer" else 20)):
        product = rnd.choices(world.products, cum_weights=world.cum)[0]
        tracked = product in world.serial_products
        if kind == "receipt":
            qty = rnd.randint(1, 5) if tracked else rnd.randint(5, 100)
        else:
            if tracked and kind == "transfer":
                continue
            qty = min(rnd.randint(1, 10), int(world.balance.get((product, wh), 0)))
            if qty <= 0:
                continue
        line_id = world.next_id("inventory_document_line")
        serials = None
        if tracked:
            serials = (serials_in if kind == "receipt" else serials_out)(world, product, wh, qty, line_id)
        q = Decimal(qty)
        lines.append({"id": line_id, "document_id": doc_id, "position": len(lines) + 1, "product_id": product,
                      "quantity": q, "unit_cost": world.cost[product] if kind == "receipt" else 0, "serials": serials})
        move(world, batch, doc, line_id, product, wh, q if kind == "receipt" else -q)
        if to is not None:
            move(world, batch, doc, line_id, product, to, q)
    if not lines:
        return
    world.ids["inventory_document"] = doc_id
    batch.rows["inventory_document_line"] += lines
    partner = (rnd.choice(world.suppliers) if kind == "receipt" and world.suppliers else
               rnd.choice(world.customers) if kind == "issue" and world.customers and rnd.random() < 0.7 else None)
    batch.rows["inventory_document"].append({
        "id": doc_id, "kind": kind, "number": world.number(kind, day), "date": day, "state": "posted",
        "warehouse_id": wh, "to_warehouse_id": to, "partner_id": partner, "source": None, "source_id": None,
        "notes": NOTES[("receipt", "issue", "transfer").index(kind)] if rnd.random() < 0.2 else None,
        "posted_at": posted, "void_reason": None, "voided_at": None, "owner_id": world.admin, "created_at": posted,
        "updated_at": posted, "deleted_at": None, "created_by_id": world.admin, "updated_by_id": world.admin})


def fill(kernel: Any, world: World, moves: int, seed: int, per_batch: int = 20_000) -> int:
    """Documents in date order until ``moves`` movements; answers the documents made."""
    tables = kernel.metadata.tables
    days = 730
    # ~10.6 movements a document: spread the documents evenly over the two years.
    expected_docs = max(1, moves * 10 // 106)
    t0, made, k = time.perf_counter(), 0, 0
    while made < moves:
        rnd = random.Random(seed * 7_919 + k)
        batch = Batch()
        while batch.moves < per_batch and made + batch.moves < moves:
            day = world.first_day + dt.timedelta(days=min(days - 1, days * world.ids["inventory_document"]
                                                          // expected_docs))
            document(world, batch, day, rnd)
        k += 1
        with kernel.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for name in ("inventory_document", "inventory_document_line", "inventory_move"):
                gen.write_rows(conn, tables[name], batch.rows[name])
        made += batch.moves
        print(f"\r  movements {made:,}/{moves:,} ({made / max(time.perf_counter() - t0, 1e-9):,.0f}/s), "
              f"documents {world.ids['inventory_document']:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return world.ids["inventory_document"]


def finish_state(kernel: Any, world: World) -> None:
    """Levels as the last balances; serials; inventory's facts per product; finance's on-hand."""
    from modules.inventory.models import InventoryItem, StockLevel

    tables = kernel.metadata.tables
    levels = [{"product_id": p, "warehouse_id": w, "on_hand": q, "reserved": Decimal(0)}
              for (p, w), q in sorted(world.balance.items())]
    rnd = random.Random(17)
    items = [{"product_id": p, "tracks_serials": p in world.serial_products,
              "reorder_below": Decimal(10) if p not in world.serial_products else None}
             for p in sorted(set(world.serial_products) | set(rnd.sample(world.products, len(world.products) // 20)))]
    totals: dict[int, Decimal] = {}
    for (p, _w), q in world.balance.items():
        totals[p] = totals.get(p, Decimal(0)) + q
    with kernel.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.execute(StockLevel.__table__.delete())  # type: ignore[attr-defined]
        conn.execute(InventoryItem.__table__.delete())  # type: ignore[attr-defined]
        for name, rows in (("inventory_stock", levels), ("inventory_item", items),
                           ("inventory_serial", [world.serials[i] for i in sorted(world.serials)])):
            for start in range(0, len(rows), 50_000):
                gen.write_rows(conn, tables[name], rows[start:start + 50_000])
        # Finance's company-wide on-hand of these products is what the warehouses hold.
        conn.execute(text("DELETE FROM finance_product_cost WHERE product_id IN (SELECT product_id FROM inventory_stock)"))
        rows = [{"product_id": p, "on_hand": q, "avg_cost": world.cost[p], "purchases": 1}
                for p, q in sorted(totals.items())]
        for start in range(0, len(rows), 50_000):
            gen.write_rows(conn, tables["finance_product_cost"], rows[start:start + 50_000])


def check(kernel: Any) -> None:
    """The load is consistent: each level is the balance of its last movement, and sums them."""
    with kernel.engine.connect() as conn:
        bad = conn.scalar(text(
            "SELECT count(*) FROM inventory_stock s WHERE s.on_hand <> (SELECT m.balance FROM inventory_move m "
            "WHERE m.product_id = s.product_id AND m.warehouse_id = s.warehouse_id ORDER BY m.id DESC LIMIT 1)"))
        assert not bad, f"{bad} levels differ from their card's last balance"
        neg = conn.scalar(text("SELECT count(*) FROM inventory_move WHERE balance < 0"))
        assert not neg, f"{neg} movements left a balance below zero"


# -- the run --------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=1_000_000, help="which generated SQLite database (default 1,000,000)")
    ap.add_argument("--postgres", metavar="URL", help="a copy of gen_finance.py's PostgreSQL database to fill")
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--moves", type=int, default=5_000_000)
    ap.add_argument("--rebuild", action="store_true", help="SQLite: start again from a fresh copy of finance's data")
    ap.add_argument("--seed", type=int, default=1405)
    args = ap.parse_args(argv)

    url, home = where(args)
    if not args.postgres and not gt.copy_base(args, home, "finance"):
        return 2
    t_start = time.perf_counter()
    kernel = open_kernel(url, home)
    prog = progress_of(kernel)
    if prog.get("complete"):
        print(f"already generated in {url} (--rebuild, or a fresh PostgreSQL copy, to start again)", file=sys.stderr)
        return 0
    if prog:
        print(f"{url} holds an interrupted load: --rebuild, or a fresh PostgreSQL copy", file=sys.stderr)
        return 2
    fin = gen_finance.progress_of(kernel)
    if not fin.get("complete"):
        print(f"{url} holds no complete gen_finance.py data", file=sys.stderr)
        return 2
    admin = gen.ensure_reference(kernel)
    if kernel.engine.dialect.name == "sqlite":
        gen.sqlite_fast(kernel)
    prog = {"products": args.products, "moves": args.moves, "seed": args.seed, "epoch": fin["epoch"]}
    with kernel.engine.begin() as conn:
        gt.save_progress(conn, kernel, prog, PROGRESS)
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    with kernel.engine.connect() as conn:
        opportunities = int(conn.scalar(text("SELECT count(*) FROM sales_opportunity")) or 0)
    if not opportunities:
        teams = gen_sales.users(kernel)
        gen_sales.fill(kernel, [u for team in teams for u in team], dt.datetime.fromisoformat(fin["epoch"]))
    times["sales"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    added = make_products(kernel, admin, args.products, args.seed)
    warehouses = make_warehouses(kernel, admin)
    times["products"] = time.perf_counter() - t0
    with gt.loaded_tables(LOADED):
        gen.drop_indexes(kernel)
        world = World(kernel, admin, fin["epoch"], warehouses, args.seed)
        print(f"  {added:,} products added, {len(world.products):,} stocked goods, {len(warehouses)} warehouses",
              file=sys.stderr)
        t0 = time.perf_counter()
        docs = fill(kernel, world, args.moves, args.seed)
        finish_state(kernel, world)
        times["moves"] = time.perf_counter() - t0
        gen_finance.set_counters(kernel, {"counters": world.counters})
        times.update(gen.finish(kernel, keep_indexes=False))
    t0 = time.perf_counter()
    check(kernel)
    times["check"] = time.perf_counter() - t0
    prog.update(documents=docs, levels=len(world.balance), serials=len(world.serials))
    size = gt.mark_complete(kernel, prog, home, args.postgres, PROGRESS)
    print(f"inventory: {args.products:,} products, {args.moves:,} movements in {docs:,} documents, "
          f"{len(world.balance):,} levels, {len(world.serials):,} serials in {time.perf_counter() - t_start:.0f} s "
          f"(sales {times['sales']:.0f} s, products {times['products']:.0f} s, movements {times['moves']:.0f} s, "
          f"indexes {times['indexes']:.0f} s, analyze {times['analyze']:.0f} s, check {times['check']:.0f} s){size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
