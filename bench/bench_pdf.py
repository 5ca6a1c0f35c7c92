"""The proforma PDF (issue 11, goal 150 ms server time p95): where its time goes and how long it takes.

    python bench/bench_pdf.py                    # a small SQLite database made here (SQL is negligible)
    python bench/bench_pdf.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_finance
    python bench/bench_pdf.py --phases           # also the CPU of each WeasyPrint step

SQLite: a fresh tier-3 database in a temporary folder — the company's name, heading, footer and an
8 kB PNG logo, twenty products, a customer and a marketer, and 12 issued proformas of 10–20 lines.
PostgreSQL: the database ``bench/gen_finance.py`` filled, read only apart from the login: issued
proformas of 10–20 lines of its largest customer.

Measured through the app like ``bench_finance.py`` (Starlette's TestClient, logged in as the
bench administrator; *server time* is the app's own wall time and the process's CPU time during
the request, after warm-ups), the route ``/finance/proforma/{id}/print.pdf``:

* **a new render each request** — the print page's ``title`` differs on every request, so the
  HTML, and the PDF, are new each time: what a first print of a document costs;
* **the same PDF again** — the same document and options: kept PDFs (``kernel.pdf_cache``) answer;
* the accounting copy (A4) and the archive copy (A5), new each time.

``--phases`` runs the customer copy outside HTTP (in a memo request context, as the route: the
product titles are kept between requests) with each step timed — WeasyPrint's internal functions
wrapped here, in this process only: the template's context, the template, the cascade, boxes,
layout, drawing, fonts, and the rest (HTML parsing, the PDF's objects, compression).
"""

from __future__ import annotations

import argparse
import base64
import collections
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import bench_base as bb  # noqa: E402
import gen_partners as gen  # noqa: E402
from bench_finance import Served  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

TARGET = 150.0
PRODUCTS = ["فرش ۷۰۰ شانه طرح بته‌جقه", "فرش ۱۵۰۰ شانه طرح هریس", "پارچه مخمل", "زعفران سرگل ممتاز",
            "بخاری گازی کیان ۱۲ متری", "مجوز نرم‌افزار حسابداری تک‌کاربره", "نصب و راه‌اندازی ساعتی",
            "شمع موتور پژو", "پوشه ممتاز اداری", "کاشی سرامیک ۶۰×۶۰", "لوله پلی‌اتیلن ۱۱۰", "روغن موتور ۴ لیتری",
            "کابل مسی ۲٫۵ میلی‌متر", "میز تحریر چوبی", "صندلی اداری گردان", "چای سیاه ممتاز لاهیجان",
            "پسته اکبری درجه یک", "سیمان تیپ ۲", "رنگ ساختمانی اکریلیک", "خدمات پشتیبانی سالانه"]


def logo_url() -> str:
    """A company logo like one an administrator uploads: a 600×200 PNG of about 8 kB, as a data: URL."""
    from PIL import Image, ImageDraw

    rnd = random.Random(1)
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, r = rnd.randrange(600), rnd.randrange(200), rnd.randrange(5, 40)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rnd.randrange(256), rnd.randrange(120), rnd.randrange(256), 200))
    draw.rectangle((20, 20, 580, 180), outline=(30, 60, 120, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def sqlite_world(home: Path, documents: int) -> tuple[Any, list[int]]:
    """A fresh tier-3 SQLite database with ``documents`` issued proformas of 10–20 lines."""
    from kernel import migrations, security
    from kernel.config import Config
    from kernel.kernel import Kernel
    from kernel.persian.jalali import jalali_to_date
    from kernel.testing import create_record
    from modules.finance.services import drafts, issuing
    from modules.finance.services.documents import PROFORMA

    kernel = Kernel(Config(home=home, database_url=f"sqlite:///{home / 'pdf.sqlite3'}", edition="tier3",
                           secret_key="bench-secret-not-for-production"))
    migrations.upgrade(kernel)
    with kernel.session() as s:
        user = security.create_user(kernel, s, gen.USER, gen.PASSWORD, full_name="مدیر سنجش", is_admin=True, lang="fa")
        s.flush()
        uid = user.id
        for key, value in (("company.name", "فرش‌بافی سپید"), ("company.logo_url", logo_url()),
                           ("company.pdf_title", "تولید و پخش فرش دستباف — کاشان"),
                           ("company.pdf_footer", "کاشان، بلوار قطب راوندی، پلاک ۱۲ — تلفن ۰۳۱۵۵۴۴۳۳۲۲")):
            kernel.set_setting(s, key, value)
    rnd = random.Random(7)
    products = [create_record(kernel, None, "finance.product", name=name, kind="goods",
                              price=rnd.choice([890_000, 2_376_000, 13_478_000, 55_266_000, 91_553_000, 450_000_000]))
                for name in PRODUCTS]
    customer = create_record(kernel, None, "base.partner", kind="company", name="بازرگانی فرش کاشان")
    marketer = create_record(kernel, None, "base.partner", kind="person", name="رضا بازاریاب")
    with kernel.sessions() as s:
        actor = security.load_actor(s, uid)
    assert actor is not None
    ids = []
    for i in range(documents):
        lines = [{"product_id": rnd.choice(products), "quantity": str(rnd.randint(1, 12)),
                  **({"discount_kind": "percent", "discount_value": "5"} if rnd.random() < 0.3 else {})}
                 for _ in range(rnd.randint(10, 20))]
        with kernel.session(actor) as s:
            doc = drafts.create_document(kernel, s, actor, PROFORMA, {
                "partner_id": customer, "date": jalali_to_date(1405, 2, 1 + i), "marketer_id": marketer,
                "description": "تحویل در کارخانه، ارسال با باربری به هزینهٔ خریدار"}, lines)
            ids.append(doc.id)
        with kernel.session(actor) as s:
            issuing.issue_proforma(kernel, s, actor, ids[-1])
    return kernel, ids


def postgres_documents(kernel: Any, n: int) -> list[int]:
    """Issued proformas of 10–20 lines of the generated data's largest customer."""
    from modules.finance.models import Proforma, ProformaLine

    with kernel.sessions() as s:
        key = s.execute(select(Proforma.partner_id, func.count()).group_by(Proforma.partner_id)
                        .order_by(func.count().desc()).limit(1)).one()[0]
        lines = (select(func.count()).select_from(ProformaLine).where(ProformaLine.proforma_id == Proforma.id)
                 .scalar_subquery())
        return list(s.scalars(select(Proforma.id).where(Proforma.partner_id == key, Proforma.state == "issued",
                                                        lines.between(10, 20)).order_by(Proforma.id).limit(n)))


def measure(client: Any, served: Served, name: str, paths: list[str], n: int, fresh: bool) -> dict[str, Any]:
    """``n`` requests cycling through ``paths``; ``fresh``: each with its own title (a new render)."""
    def url(i: int) -> str:
        path = paths[i % len(paths)]
        return f"{path}{'&' if '?' in path else '?'}title=نسخهٔ {i}" if fresh else path

    size = 0
    for i in range(3):
        resp = client.get(url(10_000 + i))
        assert resp.status_code == 200 and resp.content[:5] == b"%PDF-", f"{url(i)}: {resp.status_code} {resp.text[:300]}"
        size = len(resp.content)
    served.clear()
    for i in range(n):
        assert client.get(url(i)).status_code == 200
    times, cpu = list(served.times), list(served.cpu)
    row = {"name": name, "p50": bb.p(times, 0.5), "p95": bb.p(times, 0.95), "cpu50": bb.p(cpu, 0.5),
           "cpu95": bb.p(cpu, 0.95), "bytes": size}
    print(f"  {name}: p50 {row['p50']:.1f} p95 {row['p95']:.1f} ms, CPU p50 {row['cpu50']:.1f} p95 {row['cpu95']:.1f}",
          file=sys.stderr, flush=True)
    return row


def phases(kernel: Any, app: Any, pid: int, n: int) -> dict[str, float]:
    """CPU ms per step of the customer copy, each render new (its own title), outside HTTP."""
    import weasyprint.document as wd
    import weasyprint.pdf as wp

    from kernel import memo, security
    from kernel.models import User
    from modules.finance import printing
    from modules.finance.models import Proforma

    spent: dict[str, float] = collections.defaultdict(float)

    def timed(owner: Any, attr: str, label: str, consume: bool = False) -> None:
        inner = getattr(owner, attr)

        def wrapper(*a: Any, **kw: Any) -> Any:
            start = time.process_time()
            out = inner(*a, **kw)
            if consume:  # layout_document is a generator: its work happens while it is read
                out = list(out)
            spent[label] += time.process_time() - start
            return out

        setattr(owner, attr, wrapper)

    timed(printing, "context", "context (SQL, titles, words)")
    timed(wd, "get_all_computed_styles", "cascade (and parsing linked CSS)")
    timed(wd, "build_formatting_structure", "boxes")
    timed(wd, "layout_document", "layout", consume=True)
    timed(wd.Page, "paint", "drawing")
    timed(wp, "build_fonts_dictionary", "fonts (subset, embed)")
    with kernel.sessions() as s:
        actor = security.load_actor(s, s.scalar(select(User.id).where(User.username == gen.USER)))
    assert actor is not None
    total: list[float] = []
    html_cpu: list[float] = []
    for i in range(n + 2):
        if i == 2:
            spent.clear()
            total.clear()
            html_cpu.clear()
        with kernel.sessions() as s:
            entered = memo.enter(kernel.memo.begin_request(s))  # as a request does: titles kept between them
            try:
                doc = s.get(Proforma, pid)
                start = time.process_time()
                html = printing.document_html(kernel, app.state.jinja, s, actor, doc,
                                              printing.PrintOptions(title=f"نسخهٔ {i}"), "fa")
                middle = time.process_time()
                printing.render_pdf(html, kernel.static_dirs())
            finally:
                memo.leave(entered)
            total.append((time.process_time() - start) * 1000)
            html_cpu.append((middle - start) * 1000)
    out = {label: secs * 1000 / n for label, secs in spent.items()}
    out["template (Jinja)"] = sum(html_cpu) / n - out["context (SQL, titles, words)"]
    out["rest: HTML parsing, PDF objects, compression"] = sum(total) / n - sum(out.values())
    out["total"] = sum(total) / n
    return out


def main(argv: list[str] | None = None) -> int:
    from starlette.testclient import TestClient

    from kernel.gc_tuning import freeze_startup
    from kernel.web.app import build_app

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--postgres", metavar="URL", help="the PostgreSQL database bench/gen_finance.py filled")
    ap.add_argument("--requests", type=int, default=40, help="timed requests per row (default 40)")
    ap.add_argument("--phases", action="store_true", help="also the CPU of each step, outside HTTP")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        if args.postgres:
            import gen_finance as gf

            url, home = gf.where(argparse.Namespace(postgres=args.postgres, partners=0))
            kernel = gf.open_kernel(url, home, upgrade=False)
            ids = postgres_documents(kernel, 12)
            label = "PostgreSQL"
        else:
            kernel, ids = sqlite_world(Path(tmp), 12)
            label = "SQLite"
        assert ids, "no proforma of 10–20 lines"
        from modules.finance.models import ProformaLine

        with kernel.sessions() as s:
            counts = sorted(s.scalar(select(func.count()).where(ProformaLine.proforma_id == i)) or 0 for i in ids)
        load = os.getloadavg()
        app = build_app(kernel)
        freeze_startup()  # as the serving process does (kernel.asgi)
        served = Served(app)
        one = f"/finance/proforma/{ids[0]}/print.pdf"
        every = [f"/finance/proforma/{i}/print.pdf" for i in ids]
        rows = []
        with TestClient(served, base_url="http://testserver") as client:
            bb.login(client)
            start = time.perf_counter()
            assert client.get(f"{one}?title=first").status_code == 200
            first = (time.perf_counter() - start) * 1000
            rows.append(measure(client, served, "customer A4, a new render each request", every, args.requests, True))
            rows.append(measure(client, served, "customer A4, the same PDF again", [one], args.requests, False))
            rows.append(measure(client, served, "accounting A4, a new render each request",
                                [f"{p}?format=accounting" for p in every], args.requests, True))
            rows.append(measure(client, served, "archive A5, a new render each request",
                                [f"{p}?format=archive&paper=A5" for p in every], args.requests, True))
        steps = phases(kernel, app, ids[0], max(5, args.requests // 4)) if args.phases else {}
        kernel.engine.dispose()
    print(f"\nProforma PDF on {label}: {len(ids)} issued proformas of {counts[0]}–{counts[-1]} lines; "
          f"{args.requests} requests a row (server time, ms); load average {load[0]:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end; the process's first PDF {first:.0f} ms")
    print(f"{'request':44} {'p50':>7} {'p95':>7} {'CPU50':>7} {'CPU95':>7} {'bytes':>8}")
    for r in rows:
        flag = "" if r["p95"] <= TARGET else "  > 150"
        print(f"{r['name']:44} {r['p50']:7.1f} {r['p95']:7.1f} {r['cpu50']:7.1f} {r['cpu95']:7.1f} {r['bytes']:8,}{flag}")
    if steps:
        print(f"\nCPU per step, customer A4, a new render each time (ms, mean of {max(5, args.requests // 4)}):")
        for label_, ms in steps.items():
            print(f"  {label_:48} {ms:7.1f}  {100 * ms / steps['total']:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
