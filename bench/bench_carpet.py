"""Carpet warranty cards (issue 16, CRP-02): 10,000 cards as one PDF, and the query that reads
them, on SQLite and PostgreSQL.

    python bench/bench_carpet.py                                   # 10,000 cards, fresh SQLite database
    python bench/bench_carpet.py --cards 2000
    python bench/bench_carpet.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_carpet

A fresh database (SQLite in a temporary folder, or a new schema on the PostgreSQL server, dropped at
the end) gets a design with 3 sizes × 2 colours and a dealer, then N cards for that dealer in batches
of 1,000 (``services.cards.make_batch``, a transaction each: the codes drawn and checked unique, the
rows written with their history). Then, as an administrator, outside HTTP (what the batch's PDF route
calls):

* **read** — the dealer's cards in the reader's scope (``scoped_select``) and their views (design,
  size, colour, dealer: four statements), median and slowest of ``--repeat`` runs; beside it the
  cards' SELECT replayed bare on a raw DB-API connection (execute + fetchall);
* **faces** — what each card shows (design, size, colour) read for the N cards;
* **html** — the template rendered (Jinja);
* **pdf** — the N QR codes (``segno``, PNG data URLs) put in and WeasyPrint's render of that HTML to
  one PDF (8 cards an A4 sheet), once: its time,
  pages per second, its CPU time, the PDF's size, and the process's peak resident memory;
* **parallel** — the same cards in chunks of 1,000 rendered by ``--workers`` processes and joined in
  order with ``pypdf`` (``modules.carpet.pdf.render_in_parallel``): its time and the CPU time of all
  the processes. The machine's load average is printed beside: on a shared machine wall time is
  not CPU time.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import sqlalchemy as sa  # noqa: E402
from bench_letters import _bare as bare_sql  # noqa: E402  (the same statement on a raw DB-API connection)
from pypdf import PdfReader  # noqa: E402

TARGET_S = 60.0


def _kernel(home: Path, url: str) -> Any:
    from kernel import migrations
    from kernel.config import Config
    from kernel.kernel import Kernel

    k = Kernel(Config(home=home, database_url=url, edition="carpet", secret_key="bench-" + uuid.uuid4().hex))
    migrations.upgrade(k)
    return k


def _fill(k: Any, n: int) -> tuple[int, int]:
    """A design in 6 variants, a dealer, and a batch of ``n`` cards; (batch id, admin id)."""
    from kernel.records import create_record
    from kernel.testing import actor_of, create_user
    from modules.carpet.services.cards import make_batch
    from modules.finance.services.catalogue import generate_variants

    admin = create_user(k, "bench", admin=True)
    actor = actor_of(k, admin)
    with k.session(actor) as s:
        def add(resource_name: str, **values: Any) -> int:
            return int(create_record(k, s, actor, k.resources[resource_name], values).id)

        size = add("finance.attribute", name="اندازه", kind="size", sequence=1)
        colour = add("finance.attribute", name="رنگ", kind="colour", sequence=2)
        values = [add("finance.attribute_value", attribute_id=size, name=n_, code=c) for n_, c in
                  (("۶ متری", "6"), ("۹ متری", "9"), ("۱۲ متری", "12"))]
        values += [add("finance.attribute_value", attribute_id=colour, name=n_, code=c) for n_, c in
                   (("کرم", "CR"), ("سرمه‌ای", "NV"))]
        product = add("finance.product", name="فرش افشان ۱۲۰۰ شانه", code="AF1201", kind="goods", price=95_000_000)
        generate_variants(k, s, actor, product, values)
        design = add("carpet.design", code="A-1201", name="افشان", product_id=product, reeds=1200, colours=12)
        partner = add("base.partner", kind="company", name="فرشسرای نگین")
        dealer = add("carpet.dealer", partner_id=partner, city="تهران")
    for start in range(0, n, 1000):  # a batch holds at most 1,000 cards: the dealer's cards are read
        with k.session(actor) as s:
            make_batch(s, actor, dealer, min(1000, n - start), design)
    return dealer, admin


def _time(step: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    step()  # warm-up
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = step()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), out


def run(k: Any, n: int, repeat: int, pdf_too: bool = True, workers: int = 2, single: bool = True) -> dict[str, Any]:
    from kernel.documents import render_pdf
    from kernel.testing import actor_of
    from kernel.web.templating import make_environment
    from modules.carpet import pdf as cards_pdf
    from modules.carpet.models import WarrantyCard

    t0 = time.perf_counter()
    dealer, admin = _fill(k, n)
    fill_s = time.perf_counter() - t0
    if k.engine.dialect.name == "postgresql":
        with k.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    actor = actor_of(k, admin)
    env = make_environment(k)
    out: dict[str, Any] = {"engine": k.engine.dialect.name, "cards": n, "fill_s": fill_s}
    with k.sessions() as s:
        captured: list[tuple[str, Any]] = []

        def note(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            captured.append((statement, parameters))

        def read() -> Any:
            cards = list(s.scalars(k.scoped_select(actor, WarrantyCard, "print").where(
                WarrantyCard.dealer_id == dealer, WarrantyCard.state != "void").order_by(WarrantyCard.id)))
            s.expunge_all()
            return cards

        sa.event.listen(k.engine, "before_cursor_execute", note)
        med, worst, cards = _time(read, repeat)
        sa.event.remove(k.engine, "before_cursor_execute", note)
        assert len(cards) == n
        out["read"] = (med, worst)
        statement, params = next((st, p) for st, p in reversed(captured) if "carpet_warranty_card" in st)
        out["read_sql"] = " ".join(statement.split())
        out["read_bare"] = bare_sql(k, statement, params, repeat)[1:]  # (median, slowest) after a first run
        for c in cards:
            s.add(c)
        t0, c0 = time.perf_counter(), time.process_time()
        views = cards_pdf.card_views(s, cards, "+9810004346")
        out["views_s"], out["views_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
    if not pdf_too:
        return out
    t0 = time.perf_counter()
    html = cards_pdf.render_html(env, views, lang="fa", company={"name": "فرش نمونه"}, line="+9810004346",
                                 title="کارت‌های ضمانت")
    out["html_s"] = time.perf_counter() - t0
    if single:
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = render_pdf(cards_pdf.with_qr_codes(html), k.static_dirs())
        out["pdf_s"], out["pdf_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
        out["pages_counted"] = len(PdfReader(io.BytesIO(pdf)).pages)
        out["pdf_mb"] = len(pdf) / 1e6
        del pdf
    del html
    if workers > 1:  # the same cards in chunks of 1,000, one process each, joined with pypdf
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0, c0 = time.perf_counter(), time.process_time()
        joined = cards_pdf.render_in_parallel(env, views, dict(k.static_dirs()), workers, lang="fa",
                                              company={"name": "فرش نمونه"}, line="+9810004346",
                                              title="کارت‌های ضمانت")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out["par_s"] = time.perf_counter() - t0
        out["par_cpu_s"] = time.process_time() - c0 + (after.ru_utime - kids.ru_utime) + (after.ru_stime - kids.ru_stime)
        out["par_pages"] = len(PdfReader(io.BytesIO(joined)).pages)
        out["par_mb"] = len(joined) / 1e6
        out["workers"] = workers
    out["load"] = os.getloadavg()[0]
    out["pages"] = -(-n // cards_pdf.PER_SHEET)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def report(o: dict[str, Any]) -> None:
    print(f"engine {o['engine']}: {o['cards']} cards made in {o['fill_s']:.1f} s (batches of 1,000)")
    print(f"  read (scoped select of the dealer's cards): p50 {o['read'][0]:.1f} ms, max {o['read'][1]:.1f} ms;"
          f" bare SQL p50 {o['read_bare'][0]:.1f} ms, max {o['read_bare'][1]:.1f} ms")
    print(f"    {o['read_sql']}")
    print(f"  card faces: {o['views_s']:.2f} s (CPU {o['views_cpu_s']:.2f} s)")
    if "html_s" not in o:
        return
    print(f"  HTML (Jinja): {o['html_s']:.2f} s")
    if "par_s" in o:
        print(f"  in chunks of 1,000 cards, {o['workers']} processes, joined with pypdf: {o['par_s']:.1f} s"
              f" ({o['pages'] / o['par_s']:.1f} pages/s), CPU of all processes {o['par_cpu_s']:.1f} s,"
              f" {o['par_pages']} pages, {o['par_mb']:.1f} MB (load average {o['load']:.1f});"
              f" cards → PDF {o['views_s'] + o['html_s'] + o['par_s']:.1f} s")
    if "pdf_s" not in o:
        return
    total = o["views_s"] + o["html_s"] + o["pdf_s"]
    print(f"  PDF (WeasyPrint): {o['pdf_s']:.1f} s for {o['pages']} pages ({o['pages'] / o['pdf_s']:.1f} pages/s,"
          f" {o['cards'] / o['pdf_s']:.0f} cards/s), {o['pdf_mb']:.1f} MB; peak RSS {o['peak_mb']:.0f} MB;"
          f" its CPU time {o['pdf_cpu_s']:.1f} s (load average {o['load']:.1f} on {os.cpu_count()} cores)")
    print(f"  cards → PDF total {total:.1f} s (target ≤ {TARGET_S:.0f} s): {'ok' if total <= TARGET_S else 'OVER'};"
          f" {o['pages_counted']} pages counted")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cards", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-pdf", action="store_true", help="the query part only")
    ap.add_argument("--workers", type=int, default=2, help="processes for the chunked render (1: none)")
    ap.add_argument("--no-single", action="store_true", help="only the chunked render, not the one-process one")
    ap.add_argument("--postgres", default="", help="a PostgreSQL URL: a new schema there, dropped at the end")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if args.postgres:
            schema = "bench_carpet_" + uuid.uuid4().hex[:8]
            admin_engine = sa.create_engine(args.postgres)
            with admin_engine.begin() as conn:
                conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
            url = args.postgres + ("&" if "?" in args.postgres else "?") + f"options=-csearch_path%3D{schema}"
            try:
                k = _kernel(home, url)
                report(run(k, args.cards, args.repeat, not args.no_pdf, args.workers, not args.no_single))
                k.engine.dispose()
            finally:
                with admin_engine.begin() as conn:
                    conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
                admin_engine.dispose()
        else:
            k = _kernel(home, f"sqlite:///{home / 'bench.sqlite3'}")
            report(run(k, args.cards, args.repeat, not args.no_pdf, args.workers, not args.no_single))
            k.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
