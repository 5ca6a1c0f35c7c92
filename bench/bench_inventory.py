"""Inventory benchmark (issue 15): at 1,000,000 partners, 200,000 opportunities, 100,000 products
and 5,000,000 stock movements, each figure beside the bare SQL of the same statements.

    python bench/gen_inventory.py && python bench/bench_inventory.py
    python bench/bench_inventory.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_inventory
    python bench/bench_inventory.py --only barcode --explain

Rows (p50/p95 over ``--requests`` calls after three warm-ups; *bare* is the read statements of
one call replayed on a raw DB-API connection, ``bench_base.bare_sql``; for the invoice its reads
and writes in savepoints rolled back, ``bench_finance.bare_chain``):

* ``levels``: ``modules.inventory.services.stock.levels`` of the product with the most movements
  and of a typical one, in a session of its own (target 10 ms);
* ``barcode``: a product found by its EAN-13 barcode as the scan path does — finance's lookup
  (``modules.finance.scan._product``: the record-scoped query), and the whole ``resolve_scan``
  of every module (``kernel.scan.resolve``); and ``POST /scan`` as the browser sends it
  (target 10 ms);
* ``issue``: ``issuing.issue_invoice`` of a draft invoice of 10 lines whose goods are in the
  default warehouse, with inventory's ``InvoiceIssued`` handler and the policy ``refuse``: the
  stock check and the take of each line (target 80 ms; drafts made beforehand, not timed);
* ``race`` (PostgreSQL): 50 threads each issue an invoice of one unit of a product that has
  fewer than 50 left, at once: how long the 50 take, how many passed, what is left (0).

Invoices the bench issues stay in the database (numbered, gapless), and take their goods out.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import bench_base as bb  # noqa: E402
import bench_finance as bf  # noqa: E402
import gen_inventory as gi  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

TARGETS = {"levels": 10.0, "barcode": 10.0, "issue": 80.0}
RACERS = 50


def facts(kernel: Any) -> dict[str, Any]:
    """The products the rows use: the most moved one, a typical one, products with stock for
    the invoices, and one with its last units for the race."""
    from modules.inventory.services.stock import default_warehouse_id

    out: dict[str, Any] = {}
    with kernel.sessions() as s:
        wh = default_warehouse_id(s)
        out["warehouse"] = wh
        # The most popular products have the most movements: the deepest card, the most levels.
        out["hot"] = int(s.scalar(text("SELECT product_id FROM inventory_move WHERE id <= 200000 GROUP BY product_id "
                                       "ORDER BY count(*) DESC LIMIT 1")))
        out["hot_moves"] = int(s.scalar(text("SELECT count(*) FROM inventory_move WHERE product_id = :p"),
                                        {"p": out["hot"]}))
        out["typical"] = int(s.scalar(text("SELECT product_id FROM inventory_stock WHERE product_id >= "
                                           "(SELECT max(product_id) / 2 FROM inventory_stock) ORDER BY product_id LIMIT 1")))
        out["typical_moves"] = int(s.scalar(text("SELECT count(*) FROM inventory_move WHERE product_id = :p"),
                                            {"p": out["typical"]}))
        out["parent"] = int(s.scalar(text("SELECT parent_id FROM finance_product WHERE parent_id IS NOT NULL "
                                          "ORDER BY id DESC LIMIT 1")))
        for key, pid in (("hot_barcode", out["hot"]), ("typical_barcode", out["typical"])):
            out[key] = str(s.scalar(text("SELECT barcode FROM finance_product WHERE id = :p"), {"p": pid}))
        # Goods with plenty in the default warehouse, sold as they are, no serials to name.
        stocked = "FROM inventory_stock s JOIN finance_product p ON p.id = s.product_id " \
                  "LEFT JOIN inventory_item i ON i.product_id = s.product_id " \
                  "WHERE s.warehouse_id = :w AND p.active AND p.deleted_at IS NULL AND s.reserved = 0 " \
                  "AND (i.tracks_serials IS NULL OR NOT i.tracks_serials) "
        out["products"] = [int(p) for p in s.scalars(text(
            f"SELECT s.product_id {stocked} AND s.on_hand >= 500 ORDER BY s.product_id LIMIT 40"), {"w": wh})]
        out["last_units"] = s.execute(text(
            f"SELECT s.product_id, s.on_hand {stocked} AND s.on_hand BETWEEN 20 AND 40 ORDER BY s.product_id "
            "LIMIT 1"), {"w": wh}).first()
        out["customer"] = int(s.scalar(text("SELECT partner_id FROM finance_invoice ORDER BY id DESC LIMIT 1")))
    return out


def row(group: str, name: str, times: list[float], sql: list[tuple[float, str, Any]], n: int,
        bare_ms: float, slowest: tuple[float, str, Any], kernel: Any, plans: bool,
        cpu: list[float] | None = None) -> dict[str, Any]:
    r: dict[str, Any] = {"group": group, "name": name, "p50": bb.p(times, 0.5), "p95": bb.p(times, 0.95),
                         "cpu50": bb.p(cpu, 0.5) if cpu else float("nan"),
                         "queries": len(sql) / n, "sql_ms": sum(x[0] for x in sql) * 1000 / n, "bare_ms": bare_ms,
                         "slowest_ms": slowest[0] * 1000, "slowest_sql": " ".join(slowest[1].split())}
    print(f"  {name}: p50 {r['p50']:.1f} p95 {r['p95']:.1f} ms (CPU p50 {r['cpu50']:.1f}), {r['queries']:.0f} statements, "
          f"bare SQL {bare_ms:.2f} ms", file=sys.stderr, flush=True)
    if plans and slowest[1]:
        print(f"--- {name}: {slowest[0] * 1000:.2f} ms bare\n{r['slowest_sql'][:1500]}\n"
              f"{bb.explain(kernel, slowest[1], slowest[2])}\n", file=sys.stderr)
    return r


def timed_reads(kernel: Any, group: str, name: str, call: Callable[[], Any], n: int, plans: bool) -> dict[str, Any]:
    """``call`` n times after three warm-ups; its read statements replayed bare."""
    for _ in range(3):
        call()
    times: list[float] = []
    cpu: list[float] = []  # this process's CPU: what the call costs here however busy the machine is
    with bb.capturing(kernel.engine) as sql:
        for _ in range(n):
            t0, c0 = time.perf_counter(), time.process_time()
            call()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    per = len(sql) // n
    bare = bb.bare_sql(kernel, sql[-per:] if per else [], repeat=max(5, n // 3))
    slowest = max(bare, key=lambda b: b[0]) if bare else (0.0, "", None)
    return row(group, name, times, sql, n, sum(b[0] for b in bare) * 1000, slowest, kernel, plans, cpu)


# -- the rows -------------------------------------------------------------------------------
def measure_levels(kernel: Any, f: dict[str, Any], n: int, plans: bool) -> list[dict[str, Any]]:
    from modules.inventory.services import stock

    out = []
    for label, pid, moves in (("most moved", f["hot"], f["hot_moves"]), ("typical", f["typical"], f["typical_moves"])):
        def call(pid: int = pid) -> None:
            with kernel.sessions() as s:
                assert stock.levels(s, pid), f"product #{pid} has no stock levels"
        out.append(timed_reads(kernel, "levels", f"stock.levels: {label} product ({moves:,} movements)", call, n, plans))
    try:  # the product page's stock panel (s13-invcore's stock_view; not on every branch yet)
        from modules.inventory.stock_view import product_stock
    except ImportError:
        print("  (no modules.inventory.stock_view here: the product page's stock panel not measured)", file=sys.stderr)
        return out
    for label, pid in (("most moved product", f["hot"]), ("a product with 6 variants (matrix)", f["parent"])):
        def panel(pid: int = pid) -> None:
            with kernel.sessions() as s:
                assert product_stock(s, pid).warehouses, f"no warehouses in #{pid}'s stock"
        out.append(timed_reads(kernel, "levels", f"product page's stock panel (stock_view.product_stock): {label}",
                               panel, n, plans))
    return out


def scan_client_post(client: Any, token: str, code: str) -> dict[str, Any]:
    resp = client.post("/scan", json={"code": code, "format": "ean13", "page": "/"},
                       headers={"X-CSRF-Token": token})
    assert resp.status_code == 200, resp.text[:300]
    return dict(resp.json())


def measure_barcode(kernel: Any, client: Any, served: bf.Served, actor: Any, f: dict[str, Any], n: int,
                    plans: bool) -> list[dict[str, Any]]:
    from kernel.scan import resolve
    from modules.finance.scan import _product

    out = []
    code = f["hot_barcode"]
    # A wedge on a Persian keyboard layout types Persian digits: the same product is found.
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    def lookup() -> None:
        found = _product(kernel, actor, code)
        assert found is not None and found.id == f["hot"], f"barcode {code} did not find #{f['hot']}"

    out.append(timed_reads(kernel, "barcode", "barcode: finance's scoped lookup (modules.finance.scan._product)",
                           lookup, n, plans))

    def resolved() -> None:
        answer = resolve(kernel, actor, code, "ean13", "/")
        assert answer.open and answer.open.endswith(f"/{f['hot']}"), answer

    out.append(timed_reads(kernel, "barcode", "barcode: every module's resolve_scan (kernel.scan.resolve)",
                           resolved, n, plans))
    out += measure_add_line(kernel, actor, f, code, persian, n, plans)
    page = client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)  # what scan.js sends
    assert token, "no CSRF token on the home page"
    answer = scan_client_post(client, token.group(1), persian)
    assert answer.get("open", "").endswith(f"/{f['hot']}"), answer
    for _ in range(3):
        scan_client_post(client, token.group(1), persian)
    served.clear()
    with bb.capturing(kernel.engine) as sql:
        for _ in range(n):
            scan_client_post(client, token.group(1), persian)
    per = len(sql) // n
    bare = bb.bare_sql(kernel, sql[-per:], repeat=max(5, n // 3))
    slowest = max(bare, key=lambda b: b[0]) if bare else (0.0, "", None)
    out.append(row("barcode", "barcode: POST /scan, Persian digits (server time)", list(served.times), sql, n,
                   sum(b[0] for b in bare) * 1000, slowest, kernel, plans, list(served.cpu)))
    return out


@contextmanager
def policy(kernel: Any, value: str) -> Iterator[None]:
    """Inventory's invoice policy set for the rows that issue invoices, then put back."""
    from modules.inventory.policy import INVOICES

    with kernel.session() as s:
        before = kernel.setting(s, INVOICES, None)
        kernel.set_setting(s, INVOICES, value)
    try:
        yield
    finally:
        with kernel.session() as s:
            kernel.set_setting(s, INVOICES, before)


def draft_invoice(kernel: Any, actor: Any, f: dict[str, Any], lines: list[dict[str, Any]]) -> int:
    """A draft invoice of ``lines`` (not timed: the row times the issue)."""
    from kernel.timezone import local_today
    from modules.finance.services import drafts
    from modules.finance.services.documents import INVOICE

    with kernel.session(actor) as s:
        return int(drafts.create_document(kernel, s, actor, INVOICE, {
            "partner_id": f["customer"], "date": local_today(kernel.config.timezone), "kind": "goods",
            "discount_kind": "percent", "discount_value": 0, "shipping": 0}, lines).id)


def issue(kernel: Any, actor: Any, invoice_id: int) -> None:
    from modules.finance.services import issuing

    with kernel.session(actor) as s:
        issuing.issue_invoice(kernel, s, actor, invoice_id)


def on_hand(kernel: Any, product_id: int, warehouse_id: int) -> Decimal:
    from modules.inventory.services.stock import level_of

    with kernel.sessions() as s:
        return level_of(s, product_id, warehouse_id).on_hand


def measure_issue(kernel: Any, actor: Any, f: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """Ten lines of goods in the default warehouse, issued with the policy ``refuse``; each
    invoice checked to have taken its units out."""
    products = f["products"]
    ten = [[{"product_id": products[(k * 7 + i * 3) % len(products)], "quantity": str(1 + (k + i) % 3)}
            for i in range(10)] for k in range(n + 3)]
    drafts = [draft_invoice(kernel, actor, f, lines) for lines in ten]
    times: list[float] = []
    cpu: list[float] = []
    sql: list[tuple[float, str, Any]] = []
    last: list[tuple[float, str, Any]] = []
    for k, inv in enumerate(drafts):
        probe = ten[k][0]["product_id"]
        wanted = sum(Decimal(li["quantity"]) for li in ten[k] if li["product_id"] == probe)
        before = on_hand(kernel, probe, f["warehouse"])
        with bb.capturing(kernel.engine) as one:
            t0, c0 = time.perf_counter(), time.process_time()
            issue(kernel, actor, inv)
            ms, cpu_ms = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        assert on_hand(kernel, probe, f["warehouse"]) == before - wanted, "the invoice took no stock"
        if k >= 3:  # after three warm-ups
            times.append(ms)
            cpu.append(cpu_ms)
            sql += one
            last = one
    bare, failed = bf.bare_chain(kernel, last)
    print(f"  bare SQL of one issue: {bare:.1f} ms ({len(last)} statements, {failed} refused by the rows the issue "
          "left: unique numbers)", file=sys.stderr)
    return [row("issue", "issue_invoice: 10 lines, stock checked and taken (policy refuse)", times, sql, n, bare,
                (0.0, "", None), kernel, False, cpu)]


def race(kernel: Any, actor: Any, f: dict[str, Any]) -> dict[str, Any]:
    """``RACERS`` invoices of one unit each of a product with fewer units left, issued at once
    by as many threads (each its own connection and transaction)."""
    from kernel.errors import Conflict

    pid, left = int(f["last_units"][0]), Decimal(f["last_units"][1])
    drafts = [draft_invoice(kernel, actor, f, [{"product_id": pid, "quantity": "1"}]) for _ in range(RACERS)]
    start = threading.Barrier(RACERS + 1)
    outcome: list[str] = []
    done_at: list[float] = []

    def racer(inv: int) -> None:
        start.wait()
        try:
            issue(kernel, actor, inv)
            outcome.append("passed")
        except Conflict:
            outcome.append("refused")
        except Exception as exc:  # counted and shown: a deadlock or an error is a finding
            outcome.append(f"error {type(exc).__name__}: {exc}"[:200])
        done_at.append(time.perf_counter())

    threads = [threading.Thread(target=racer, args=(inv,)) for inv in drafts]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = (max(done_at) - t0) * 1000
    after = on_hand(kernel, pid, f["warehouse"])
    passed = outcome.count("passed")
    errors = [o for o in outcome if o.startswith("error")]
    print(f"  race on #{pid} ({left} left): {passed} passed, {outcome.count('refused')} refused, {len(errors)} errors "
          f"{errors[:3]}, {after} left, {wall:.0f} ms", file=sys.stderr)
    return {"product": pid, "left": left, "passed": passed, "refused": outcome.count("refused"), "errors": errors,
            "after": after, "wall_ms": wall}


def measure_add_line(kernel: Any, actor: Any, f: dict[str, Any], code: str, persian: str, n: int,
                     plans: bool) -> list[dict[str, Any]]:
    """Inventory's scan path: the product found by its code, and a unit of it added to a draft
    receipt by ``add_line(code=...)`` in a transaction of its own (+1 on its line after the first)."""
    from modules.inventory.services import drafts

    def lookup() -> None:
        with kernel.sessions() as s:
            assert drafts.find_product(kernel, s, actor, persian).id == f["hot"]

    out = [timed_reads(kernel, "barcode", "barcode: inventory's drafts.find_product (barcode or code)", lookup, n,
                       plans)]
    with kernel.session(actor) as s:
        doc_id = int(drafts.new_document(kernel, s, actor, "receipt", warehouse_id=f["warehouse"]).id)

    def add() -> None:
        with kernel.session(actor) as s:
            drafts.add_line(kernel, s, actor, doc_id, code=persian)

    out.append(timed_reads(kernel, "barcode", "barcode: inventory's add_line(code=...) on a draft receipt, committed",
                           add, n, plans))
    with kernel.sessions() as s:
        lines = drafts.lines_of(s, doc_id)
        assert len(lines) == 1 and lines[0].quantity == n + 3, "each scan is one more unit on one line"
    return out


def main(argv: list[str] | None = None) -> int:
    from starlette.testclient import TestClient

    from kernel import security
    from kernel.models import User
    from kernel.web.app import build_app

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bb.bench_args(ap, "gen_inventory.py", 100)
    ap.add_argument("--invoices", type=int, default=20, help="timed invoices (default 20)")
    ap.add_argument("--only", default="", metavar="TEXT", help="only the rows of this group (levels, barcode, "
                    "issue, race)")
    args = ap.parse_args(argv)
    kernel = bb.open_generated(gi, args, "gen_inventory.py")
    if kernel is None:
        return 2
    prog = gi.progress_of(kernel)
    label = "PostgreSQL" if args.postgres else "SQLite"
    load = os.getloadavg()
    f = facts(kernel)
    print(f"most moved product #{f['hot']} ({f['hot_moves']:,} movements), typical #{f['typical']} "
          f"({f['typical_moves']:,}); last units: {f['last_units']}", file=sys.stderr)
    with kernel.sessions() as s:
        uid = int(s.scalar(select(User.id).where(User.username == gi.gen.USER)))
        actor = security.load_actor(s, uid)
    served = bf.Served(build_app(kernel))
    results: list[dict[str, Any]] = []
    with TestClient(served, base_url="http://testserver") as client:
        bb.login(client)
        if args.only in "levels":
            results += measure_levels(kernel, f, args.requests, args.explain)
        if args.only in "barcode":
            results += measure_barcode(kernel, client, served, actor, f, args.requests, args.explain)
    if args.only in "issue":
        with policy(kernel, "refuse"):
            results += measure_issue(kernel, actor, f, args.invoices)
    raced = None
    if args.only in "race" and args.postgres:
        # Each racer its own connection at once (the pool's default lets 15 in, the rest wait).
        kernel.engine.pool._max_overflow = RACERS  # type: ignore[attr-defined]
        with policy(kernel, "refuse"):
            raced = race(kernel, actor, f)

    print(f"\nInventory — {prog['products']:,} products, {prog['moves']:,} movements in {prog['documents']:,} "
          f"documents, 1,000,000 partners, 200,000 opportunities on {label}; {args.requests} calls each (ms); "
          f"load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print(f"{'what':72} {'p50':>6} {'p95':>6} {'CPU50':>6} {'target':>6} {'SQL/call':>8} {'in-call':>7} {'bare':>6}")
    for r in results:
        target = TARGETS[r["group"]]
        flag = "" if r["p95"] <= target else "  MISSED"
        print(f"{r['name'][:72]:72} {r['p50']:6.2f} {r['p95']:6.2f} {r['cpu50']:6.2f} {target:6.0f} {r['queries']:8.1f} "
              f"{r['sql_ms']:7.2f} {r['bare_ms']:6.2f}{flag}")
        if r["slowest_sql"]:
            print(f"{'':8} slowest {r['slowest_ms']:.2f} ms bare: {r['slowest_sql'][:220]}")
    if raced:
        ok = raced["after"] == 0 and raced["passed"] == raced["left"] and not raced["errors"]
        print(f"race: {RACERS} invoices of 1 unit on product #{raced['product']} with {raced['left']} left, at once: "
              f"{raced['wall_ms']:.0f} ms for all, {raced['passed']} passed, {raced['refused']} refused, "
              f"{len(raced['errors'])} errors, {raced['after']} left{'' if ok else '  WRONG'}")
    kernel.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
