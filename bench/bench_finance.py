"""Finance benchmark (issue 11): the proforma → invoice chain end to end, document lists filtered
by customer or state at any page, the customers with the counts and Rial totals of their
documents (bare SQL, and report (c)'s page), an invoice found by its number, and the proforma PDF.

    python bench/gen_finance.py --partners 200000 --proformas 100000 --invoices 60000
    python bench/bench_finance.py --partners 200000
    python bench/bench_finance.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_finance
    python bench/bench_finance.py --explain          # plans of every read statement over 1 ms
    python bench/bench_finance.py --only chain       # rows whose name contains "chain"

Runs on the database ``bench/gen_finance.py`` filled, logged in as the bench administrator through
Starlette's TestClient. **Server time** is the application's own time (an ASGI wrapper around the
app, as ``bench_cost.py`` measures it: middleware, session, scope, queries, templates; not the test
client's): p50/p95 over ``--requests`` requests after three warm-ups, the statements per request,
and the *bare SQL*: the same read statements with the same parameters replayed on a raw DB-API
connection (``bench_base.bare_sql``). A chain is the sum of its requests' server times.

The chain (target 60 ms, Odoo 18: 642 ms): the proforma's header posted through its form
(``POST /finance/proforma/new``), ten lines, ``POST …/issue``, ``POST …/convert`` (which issues
the invoice). Four rows: the ten lines saved by the line editor in one request (its "Save all",
``op=save``: :data:`BATCH_ROUTE`; four requests in all); the ten lines posted to the editor one
request each, as a user who presses Enter after every line (:data:`LINE_ROUTE`); the ten lines
through ``services.drafts.add_line`` in one transaction each (the editor's one-line save without
its HTTP); and the whole chain in the services (``create_document`` with ten lines, issue,
convert). A chain's *bare SQL* is its statements (reads and writes, from its last run) replayed on
a raw DB-API connection in one transaction that is rolled back, each in a savepoint: the
database's own share (:func:`bare_chain`).

The proforma PDF (:data:`PDF_ROUTE`) and report (c), the customers with their documents
(:data:`CUSTOMERS_REPORT`), are measured as pages like the lists.

Documents made by the chains stay in the database (numbered, gapless, as a user's would).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import bench_base as bb  # noqa: E402
import gen_finance as gf  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

TARGETS = {"chain": 60.0, "pdf": 150.0, "list": 40.0, "customers": 60.0, "search": 20.0}
# The line editor's POST (path with {id}, form fields of one line): one request per line, as a
# user's "add" in the editor (routes/editor.py).
LINE_ROUTE: tuple[str, Callable[[dict[str, Any]], dict[str, str]]] = (
    "/finance/proforma/{id}/lines", lambda line: {"op": "add", **{k: str(v) for k, v in line.items()}})
# The line editor's "Save all" (routes/editor.py, op=save): every new line in one request, each
# row's fields named "n<k>.<field>".
BATCH_ROUTE: tuple[str, Callable[[list[dict[str, Any]]], dict[str, str]]] = (
    "/finance/proforma/{id}/lines",
    lambda lines: {"op": "save", **{f"n{i}.{k}": str(v) for i, line in enumerate(lines, 1) for k, v in line.items()}})
# The proforma's PDF (routes/printing.py).
PDF_ROUTE = "/finance/proforma/{id}/print.pdf"
# Report (c), the customers with their proformas and invoices (report_customers.py), read from the
# kept totals a page of 50 at a time: this Jalali year (its default), all years, and all years'
# middle page (a keyset cursor: the thousandth page costs what the first does).
CUSTOMERS_REPORT = "/reports/finance.customer_totals"


class Served:
    """The application wrapped: each HTTP request's own wall time, in ms."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.times: list[float] = []
        self.cpu: list[float] = []  # the process's CPU time during the request (the client waits)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http":
                self.times.append((time.perf_counter() - t0) * 1000)
                self.cpu.append((time.process_time() - c0) * 1000)

    def clear(self) -> None:
        self.times.clear()
        self.cpu.clear()


def row_of(group: str, name: str, times: list[float], sql: list[tuple[float, str, Any]], n: int,
           bare: list[tuple[float, str, Any]], kernel: Any, plans: bool, cpu: list[float] | None = None) -> dict[str, Any]:
    slowest = max(bare, key=lambda b: b[0]) if bare else (0.0, "", None)
    row: dict[str, Any] = {"group": group, "name": name, "p50": bb.p(times, 0.5), "p95": bb.p(times, 0.95),
                           "queries": len(sql) / n, "sql_ms": sum(x[0] for x in sql) * 1000 / n,
                           "bare_ms": sum(t for t, _s, _p in bare) * 1000, "slowest_ms": slowest[0] * 1000,
                           "slowest_sql": " ".join(slowest[1].split()),
                           "cpu50": bb.p(cpu, 0.5) if cpu else float("nan")}
    if plans:
        row["heavy"] = [(t * 1000, " ".join(st.split()), bb.explain(kernel, st, prm))
                        for t, st, prm in sorted(bare, key=lambda b: -b[0]) if t >= 0.001]
    flag = "  > target" if row["p95"] > TARGETS[group] else ""
    print(f"  {name}: p50 {row['p50']:.1f} p95 {row['p95']:.1f} ms (CPU p50 {row['cpu50']:.1f}), "
          f"{row['queries']:.0f} statements, "
          f"bare SQL {row['bare_ms']:.1f} ms{flag}", file=sys.stderr, flush=True)
    for ms, st, plan in row.get("heavy", []):
        print(f"--- {name}: {ms:.1f} ms bare\n{st[:1500]}\n{plan}\n", file=sys.stderr)
    return row


# -- what is looked at ----------------------------------------------------------------------
def facts(kernel: Any) -> dict[str, Any]:
    """Customers, products and documents the rows use: a key account (thousands of documents), a
    typical customer, the middle of each filtered list (its deep page), an invoice number."""
    from modules.finance.models import Invoice, Proforma

    out: dict[str, Any] = {}
    with kernel.sessions() as s:
        counts = s.execute(select(Invoice.partner_id, func.count()).group_by(Invoice.partner_id)
                           .order_by(func.count().desc()).limit(1)).one()
        out["key_account"], out["key_invoices"] = int(counts[0]), int(counts[1])
        out["key_proformas"] = int(s.scalar(select(func.count()).where(Proforma.partner_id == counts[0])) or 0)
        mid = s.scalar(select(func.max(Proforma.id))) // 2
        out["typical"] = int(s.scalar(select(Proforma.partner_id).where(Proforma.id >= mid).limit(1)))
        for model, key, where in ((Proforma, "pf_key", Proforma.partner_id == out["key_account"]),
                                  (Proforma, "pf_draft", Proforma.state == "draft"),
                                  (Proforma, "pf_issued", Proforma.state == "issued"),
                                  (Invoice, "inv_key", Invoice.partner_id == out["key_account"]),
                                  (Invoice, "inv_void", Invoice.state == "void"),
                                  (Invoice, "inv_open", (Invoice.state == "issued") & (Invoice.balance > 0))):
            total = int(s.scalar(select(func.count()).select_from(model).where(where, model.deleted_at.is_(None))) or 0)
            out[key] = (total, int(s.scalar(select(model.id).where(where, model.deleted_at.is_(None))
                                            .order_by(model.id.desc()).offset(total // 2).limit(1)) or 0))
        out["number"] = s.scalar(select(Invoice.number).where(Invoice.id == s.scalar(
            select(func.max(Invoice.id))) * 2 // 3))
        out["customers"], out["customers_middle"] = customers_middle(s)
        out["products"] = list(s.scalars(text(
            "SELECT id FROM finance_product WHERE active AND parent_id IS NULL AND id NOT IN "
            "(SELECT parent_id FROM finance_product WHERE parent_id IS NOT NULL) ORDER BY id LIMIT 40")))
    return out


def customers_middle(s: Any) -> tuple[int, str]:
    """How many customers report (c) lists for all years, and the cursor of its middle page."""
    from modules.finance.models import CustomerTotal as T

    count = int(s.scalar(select(func.count()).select_from(T).where(T.year == 0)) or 0)
    row = s.execute(select(T.invoiced, T.offered, T.partner_id).where(T.year == 0)
                    .order_by(T.invoiced.desc(), T.offered.desc(), T.partner_id.desc())
                    .offset(count // 2).limit(1)).one()
    return count, f"{row[0]}_{row[1]}_{row[2]}"


def page_rows(f: dict[str, Any]) -> list[tuple[str, str, str, dict[str, str], Callable[[Any], bool]]]:
    from kernel.records import encode_cursor

    def after(key: str) -> str:
        return encode_cursor(f[key][1], f[key][1])

    listed: Callable[[Any], bool] = lambda r: "data-href=" in r.text  # noqa: E731
    paged: Callable[[Any], bool] = lambda r: 'rel="next"' in r.text  # noqa: E731  (a full page of 50)
    ka, pf, inv = str(f["key_account"]), "/finance/proforma/", "/finance/invoice/"
    shown = re.sub(r"\d", lambda m: "۰۱۲۳۴۵۶۷۸۹"[int(m[0])], f["number"])  # the label's Persian digits
    found: Callable[[Any], bool] = lambda r: any(f["number"] in str(h) or shown in str(h) for h in r.json())  # noqa: E731
    return [
        ("list", f"proformas: key account ({f['pf_key'][0]:,}), first page", pf, {"f_partner_id": ka}, listed),
        ("list", "proformas: key account, middle page (after=)", pf, {"f_partner_id": ka, "after": after("pf_key")},
         listed),
        ("list", "proformas: a typical customer", pf, {"f_partner_id": str(f["typical"])}, lambda r: True),
        ("list", f"proformas: draft ({f['pf_draft'][0]:,}), first page", pf, {"f_state": "draft"}, listed),
        ("list", "proformas: draft, middle page", pf, {"f_state": "draft", "after": after("pf_draft")}, listed),
        ("list", f"proformas: issued ({f['pf_issued'][0]:,}), middle page", pf,
         {"f_state": "issued", "after": after("pf_issued")}, listed),
        ("list", "proformas: draft, last page", pf, {"f_state": "draft", "page": "last"}, listed),
        ("list", f"invoices: key account ({f['inv_key'][0]:,}), first page", inv, {"f_partner_id": ka}, listed),
        ("list", "invoices: key account, middle page", inv, {"f_partner_id": ka, "after": after("inv_key")}, listed),
        ("list", f"invoices: void ({f['inv_void'][0]:,}), first page", inv, {"f_state": "void"}, listed),
        ("list", "invoices: void, middle page", inv, {"f_state": "void", "after": after("inv_void")}, listed),
        ("list", f"invoices: unsettled ({f['inv_open'][0]:,}), middle page", inv,
         {"f_settlement": "open", "after": after("inv_open")}, listed),
        ("list", "invoices: all, first page", inv, {}, listed),
        ("customers", "customers report (c), this Jalali year (default)", CUSTOMERS_REPORT, {}, paged),
        ("customers", f"customers report (c), all years ({f['customers']:,} customers), first page", CUSTOMERS_REPORT,
         {"year": "all"}, paged),
        ("customers", "customers report (c), all years, middle page", CUSTOMERS_REPORT,
         {"year": "all", "after": f["customers_middle"]}, paged),
        ("search", f"search box: invoice {f['number']}", "/search", {"q": f["number"], "format": "json"}, found),
        ("search", f"invoices list ?q={f['number']}", inv, {"q": f["number"]},
         lambda r: f["number"] in r.text or shown in r.text),
    ]


def measure_pages(kernel: Any, client: Any, served: Served, f: dict[str, Any], n: int, plans: bool,
                  only: str, rows: list[Any] | None = None) -> list[dict[str, Any]]:
    """Each row's GET (``page_rows`` unless ``rows`` are given: ``bench_payments.py`` passes its own)."""
    out = []
    for group, name, path, params, check in page_rows(f) if rows is None else rows:
        if only not in name:
            continue
        for _ in range(3):
            resp = client.get(path, params=params)
            assert resp.status_code == 200 and check(resp), f"{name}: {resp.status_code} {resp.text[:300]}"
        served.clear()
        with bb.capturing(kernel.engine) as sql:
            for _ in range(n):
                assert client.get(path, params=params).status_code == 200
        per = len(sql) // n
        bare = bb.bare_sql(kernel, sql[-per:] if per else [], repeat=max(5, n // 3))
        out.append(row_of(group, name, list(served.times), sql, n, bare, kernel, plans, list(served.cpu)))
    return out


# -- the customers with their documents' counts and totals ----------------------------------
CUSTOMERS_PAGE = """
WITH page AS (
  SELECT p.id, p.name, p.sort_key FROM base_partner p
  WHERE p.deleted_at IS NULL
    AND EXISTS (SELECT 1 FROM base_partner_role r WHERE r.partner_id = p.id AND r.role = 'customer')
  {after} ORDER BY p.sort_key, p.id LIMIT 50)
SELECT page.id, page.name,
  (SELECT count(*) FROM finance_proforma d WHERE d.partner_id = page.id AND d.deleted_at IS NULL),
  (SELECT coalesce(sum(d.grand_total), 0) FROM finance_proforma d
    WHERE d.partner_id = page.id AND d.deleted_at IS NULL AND d.state IN ('issued', 'converted')),
  (SELECT count(*) FROM finance_invoice d WHERE d.partner_id = page.id AND d.deleted_at IS NULL),
  (SELECT coalesce(sum(d.grand_total), 0) FROM finance_invoice d
    WHERE d.partner_id = page.id AND d.deleted_at IS NULL AND d.state = 'issued')
FROM page ORDER BY page.sort_key, page.id"""
TOP_CUSTOMERS = """
SELECT d.partner_id, count(*), sum(d.grand_total) FROM finance_invoice d
WHERE d.deleted_at IS NULL AND d.state = 'issued'
GROUP BY d.partner_id ORDER BY sum(d.grand_total) DESC, d.partner_id LIMIT 50"""


def customers_sql(kernel: Any, f: dict[str, Any]) -> list[tuple[str, str]]:
    """The statements such a page would run (no page in this tree yet: bare SQL only)."""
    with kernel.engine.connect() as conn:
        mid = conn.execute(text(
            "SELECT p.sort_key, p.id FROM base_partner p WHERE p.deleted_at IS NULL AND p.id IN "
            "(SELECT partner_id FROM base_partner_role WHERE role = 'customer') ORDER BY p.sort_key, p.id "
            "LIMIT 1 OFFSET (SELECT count(*) FROM base_partner_role WHERE role = 'customer') / 2")).one()
        key = conn.execute(text("SELECT sort_key FROM base_partner WHERE id = :i"), {"i": f["key_account"]}).scalar()
    quote: Callable[[str], str] = lambda v: "'" + v.replace("'", "''") + "'"  # noqa: E731
    cursor = "AND (p.sort_key, p.id) >= ({k}, {i})"  # a row value: one range of the name index
    return [
        ("customers by name, first page, with counts and totals", CUSTOMERS_PAGE.format(after="")),
        ("customers by name, middle page", CUSTOMERS_PAGE.format(after=cursor.format(k=quote(mid[0]), i=mid[1]))),
        ("customers page holding the key account", CUSTOMERS_PAGE.format(
            after=cursor.format(k=quote(key or ""), i=f["key_account"]))),
        ("top 50 customers by invoice total (whole table)", TOP_CUSTOMERS),
    ]


def measure_customers(kernel: Any, f: dict[str, Any], n: int, plans: bool) -> list[dict[str, Any]]:
    out = []
    for name, stmt in customers_sql(kernel, f):
        bb.bare_sql(kernel, [(0.0, stmt, ())], repeat=3)  # warm caches
        times = [bb.bare_sql(kernel, [(0.0, stmt, ())], repeat=1)[0][0] * 1000 for _ in range(n)]
        once = [(t / 1000, stmt, ()) for t in times]
        out.append(row_of("customers", f"bare SQL: {name}", times, once, n,
                          [(statistics.median(times) / 1000, stmt, ())], kernel, plans))
    return out


# -- the chain --------------------------------------------------------------------------------
def ten_lines(f: dict[str, Any], k: int) -> list[dict[str, Any]]:
    products = f["products"]
    return [{"product_id": products[(k * 7 + i * 3) % len(products)], "quantity": str(1 + (k + i) % 5),
             "discount_kind": "percent", "discount_value": "5" if i % 4 == 0 else "0"} for i in range(10)]


def chain_http(kernel: Any, client: Any, served: Served, actor: Any, f: dict[str, Any], k: int,
               token: str, lines: str) -> tuple[float, float, int, int]:
    """One chain through the pages; (server ms, its CPU ms, proforma id, invoice id)."""
    from kernel.persian.jalali import to_jalali
    from kernel.timezone import local_today
    from modules.finance.services import drafts
    from modules.finance.services.documents import PROFORMA

    today = to_jalali(local_today(kernel.config.timezone))
    served.clear()
    r = client.post("/finance/proforma/new", data={
        "csrf": token, "partner_id": str(f["typical"]), "date": f"{today.year}/{today.month:02d}/{today.day:02d}",
        "kind": "goods", "discount_kind": "percent", "discount_value": "2", "shipping": "500000",
        "title": "سنجش زنجیره"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    pid = int(r.headers["location"].rstrip("/").split("/")[-1])
    line_ms = line_cpu = 0.0
    if lines == "batch":
        path, batch = BATCH_ROUTE
        resp = client.post(path.format(id=pid), data={"csrf": token, **batch(ten_lines(f, k))}, follow_redirects=False)
        assert resp.status_code == 200 and resp.json()["ok"], resp.text[:500]
    for line in ten_lines(f, k) if lines != "batch" else []:
        if lines == "editor":
            path, form = LINE_ROUTE
            resp = client.post(path.format(id=pid), data={"csrf": token, **form(line)}, follow_redirects=False)
            assert resp.status_code == 200 and resp.json()["ok"], resp.text[:500]
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        with kernel.session(actor) as s:
            drafts.add_line(kernel, s, actor, PROFORMA, pid, line)
        line_ms += (time.perf_counter() - t0) * 1000
        line_cpu += (time.process_time() - c0) * 1000
    r = client.post(f"/finance/proforma/{pid}/issue", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"/finance/proforma/{pid}"), r.status_code
    r = client.post(f"/finance/proforma/{pid}/convert", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and "/finance/invoice/" in r.headers["location"], r.headers.get("location")
    inv = int(r.headers["location"].rstrip("/").split("/")[-1])
    return sum(served.times) + line_ms, sum(served.cpu) + line_cpu, pid, inv


def chain_services(kernel: Any, actor: Any, f: dict[str, Any], k: int) -> tuple[float, float, int, int]:
    from kernel.timezone import local_today
    from modules.finance.services import drafts, issuing
    from modules.finance.services.documents import PROFORMA

    t0, c0 = time.perf_counter(), time.process_time()
    with kernel.session(actor) as s:
        doc = drafts.create_document(kernel, s, actor, PROFORMA, {
            "partner_id": f["typical"], "date": local_today(kernel.config.timezone), "kind": "goods",
            "discount_kind": "percent", "discount_value": 2, "shipping": 500_000}, ten_lines(f, k))
        pid = doc.id
    with kernel.session(actor) as s:
        issuing.issue_proforma(kernel, s, actor, pid)
    with kernel.session(actor) as s:
        inv = issuing.convert(kernel, s, actor, pid).id
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, pid, inv


def check_chain(kernel: Any, pid: int, inv_id: int, last: str | None) -> str:
    """The invoice is issued, totals its proforma's, and its number follows the previous one."""
    from modules.finance.models import Invoice, Proforma

    with kernel.sessions() as s:
        pf, inv = s.get(Proforma, pid), s.get(Invoice, inv_id)
        assert pf is not None and inv is not None and pf.state == "converted" and inv.state == "issued"
        assert inv.grand_total == pf.grand_total > 0 and inv.proforma_id == pid
        number = str(inv.number)
    if last is not None and last.rsplit("-", 1)[0] == number.rsplit("-", 1)[0]:  # same series and year
        assert int(number.rsplit("-", 1)[1]) == int(last.rsplit("-", 1)[1]) + 1, f"{number} does not follow {last}"
    return number


def bare_chain(kernel: Any, statements: list[tuple[float, str, Any]]) -> tuple[float, int]:
    """One chain's statements, reads and writes, replayed on a raw DB-API connection in one
    transaction rolled back at the end, each in a savepoint (its time is the execute and fetch
    only): the database's share of the chain. A write the chain's committed rows refuse (its
    invoice's unique number) is counted, not timed. Answers (ms, refused)."""
    raw = kernel.engine.raw_connection()
    total, failed = 0.0, 0
    try:
        cur = raw.cursor()
        if kernel.engine.dialect.name == "sqlite":
            cur.execute("BEGIN")
        for _secs, stmt, params in statements:
            if stmt.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                continue
            cur.execute("SAVEPOINT bare")
            t0 = time.perf_counter()
            try:
                if isinstance(params, list):
                    cur.executemany(stmt, params)
                else:
                    cur.execute(stmt, params)
                if cur.description is not None:
                    cur.fetchall()
            except Exception:  # a unique key of the chain's own rows (its invoice's number)
                failed += 1
                cur.execute("ROLLBACK TO SAVEPOINT bare")
                continue
            total += time.perf_counter() - t0
            cur.execute("RELEASE SAVEPOINT bare")
        raw.rollback()
    finally:
        raw.close()
    return total * 1000, failed


def measure_chains(kernel: Any, client: Any, served: Served, actor: Any, f: dict[str, Any], n: int,
                   only: str, skip: str | None = None) -> list[dict[str, Any]]:
    from modules.finance.models import Invoice

    form = client.get(f"/finance/proforma/new?partner_id={f['typical']}").text
    found = re.search(r'name="csrf" value="([^"]+)"', form)
    assert found, "no CSRF token on the proforma form"
    token = found.group(1)
    with kernel.sessions() as s:
        last = s.scalar(select(Invoice.number).where(Invoice.id == select(func.max(Invoice.id)).scalar_subquery()))
    out = []
    for name, run in (("chain: header form, 10 lines in one editor save, issue, convert (HTTP)",
                       lambda k: chain_http(kernel, client, served, actor, f, k, token, "batch")),
                      ("chain: header form, 10 editor line posts, issue, convert (HTTP)",
                       lambda k: chain_http(kernel, client, served, actor, f, k, token, "editor")),
                      ("chain: header form, 10 lines (add_line service), issue, convert",
                       lambda k: chain_http(kernel, client, served, actor, f, k, token, "service")),
                      ("chain: create_document(10 lines), issue, convert (services)",
                       lambda k: chain_services(kernel, actor, f, k))):
        if only not in name or (skip and skip in name):
            continue
        for k in range(3):
            _ms, _cpu, pid, inv = run(k)
            last = check_chain(kernel, pid, inv, last)
        times, cpu = [], []
        sql: list[tuple[float, str, Any]] = []
        for k in range(n):
            with bb.capturing(kernel.engine) as chain_sql:  # the chain's own, not check_chain's
                ms, c, pid, inv = run(k + 3)
            times.append(ms)
            cpu.append(c)
            # Not the pool's pings (SELECT 1).
            chain_sql = [x for x in chain_sql if not x[1].lstrip().upper().startswith("SELECT")
                         or "finance_" in x[1] or "kernel_" in x[1] or "base_" in x[1]]
            sql += chain_sql
            last = check_chain(kernel, pid, inv, last)
        bare, failed = bare_chain(kernel, chain_sql)
        row = row_of("chain", name, times, sql, n, [], kernel, False, cpu)
        row["bare_ms"], row["bare_failed"] = bare, failed
        print(f"  bare SQL of one chain: {bare:.1f} ms ({len(chain_sql)} statements replayed, {failed} refused by the "
              "rows the chain left: unique numbers)", file=sys.stderr)
        out.append(row)
        print(f"  last invoice {last}", file=sys.stderr)
    return out


def measure_pdf(kernel: Any, client: Any, served: Served, f: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """An issued proforma of the key account (its middle one), rendered by WeasyPrint: each request
    with its own title (a new PDF: recent ones are kept by their HTML, kernel.pdf_cache), then the
    same PDF again. ``bench/bench_pdf.py`` measures more of it."""
    path = PDF_ROUTE.format(id=f["pf_key"][1])
    rows = []
    for label, url in (("new each request", lambda i: f"{path}?title=PF {i}"), ("the same again", lambda i: path)):
        for i in range(2):
            resp = client.get(url(-1 - i))
            assert resp.status_code == 200 and resp.content[:5] == b"%PDF-", f"{path}: {resp.status_code} {resp.text[:300]}"
        served.clear()
        with bb.capturing(kernel.engine) as sql:
            for i in range(n):
                assert client.get(url(i)).status_code == 200
        per = len(sql) // n
        bare = bb.bare_sql(kernel, sql[-per:] if per else [], repeat=3)
        rows.append(row_of("pdf", f"proforma PDF {path}, {label} ({len(resp.content):,} bytes)", list(served.times),
                           sql, n, bare, kernel, False, list(served.cpu)))
    return rows


# -- the run ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    from starlette.testclient import TestClient

    from kernel import security
    from kernel.gc_tuning import freeze_startup
    from kernel.models import User
    from kernel.web.app import build_app

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bb.bench_args(ap, "gen_finance.py", 30)
    ap.add_argument("--chains", type=int, default=20, help="timed chains per row (default 20)")
    ap.add_argument("--only", default="", metavar="TEXT", help="only the rows whose name contains TEXT")
    ap.add_argument("--skip", default=None, metavar="TEXT", help="not the chains whose name contains TEXT "
                    "(e.g. \"one editor save\" on code from before the editor's batch)")
    args = ap.parse_args(argv)
    kernel = bb.open_generated(gf, args, "gen_finance.py")
    if kernel is None:
        return 2
    prog = gf.progress_of(kernel)
    label = "PostgreSQL" if args.postgres else "SQLite"
    load = os.getloadavg()
    f = facts(kernel)
    print(f"key account #{f['key_account']}: {f['key_proformas']:,} proformas, {f['key_invoices']:,} invoices; "
          f"typical customer #{f['typical']}; invoice {f['number']}", file=sys.stderr)
    with kernel.sessions() as s:
        uid = int(s.scalar(select(User.id).where(User.username == gf.gen.USER)))
        actor = security.load_actor(s, uid)
    served = Served(build_app(kernel))
    freeze_startup()  # as the serving process does (kernel.asgi)
    results: list[dict[str, Any]] = []
    with TestClient(served, base_url="http://testserver") as client:
        bb.login(client)
        results += measure_chains(kernel, client, served, actor, f, args.chains, args.only, args.skip)
        if args.only in "proforma PDF":
            results += measure_pdf(kernel, client, served, f, args.requests)
        results += measure_pages(kernel, client, served, f, args.requests, args.explain, args.only)
    if args.only in "bare SQL: customers":
        results += measure_customers(kernel, f, args.requests, args.explain)

    print(f"\nFinance — {prog['proformas']:,} proformas, {prog['invoices']:,} invoices, {prog['partners']:,} partners "
          f"on {label}; {args.requests} requests / {args.chains} chains each (server time, ms); load average "
          f"{load[0]:.1f} {load[1]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print(f"{'request':66} {'p50':>6} {'p95':>6} {'CPU50':>6} {'target':>6} {'SQL/req':>7} {'in-req':>7} {'bare':>6}")
    missed = []
    for r in results:
        target = TARGETS[r["group"]]
        flag = "" if r["p95"] <= target else "  MISSED"
        if flag:
            missed.append(r["name"])
        print(f"{r['name'][:66]:66} {r['p50']:6.1f} {r['p95']:6.1f} {r['cpu50']:6.1f} {target:6.0f} {r['queries']:7.1f} "
              f"{r['sql_ms']:7.1f} {r['bare_ms']:6.1f}{flag}")
        if r["slowest_sql"]:
            print(f"{'':66} slowest {r['slowest_ms']:.1f} ms bare: {r['slowest_sql'][:200]}")
    kernel.engine.dispose()
    return 1 if missed and os.environ.get("BENCH_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
