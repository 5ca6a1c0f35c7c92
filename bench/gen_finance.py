"""Add products, 500,000 proformas and 300,000 invoices of 1–20 lines, with receipts, to the
partner database for ``bench/bench_finance.py`` (issue 11).

    python bench/gen_partners.py --partners 200000 && python bench/gen_finance.py --partners 200000
    python bench/gen_finance.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_finance
    python bench/gen_finance.py --proformas 100000 --invoices 60000      # a smaller run
    python bench/gen_finance.py --rebuild                                 # SQLite: from a fresh copy

Finance needs edition tier3, and a database upgraded to it can no longer be opened as tier1, so
the documents go into a *copy* of ``gen_partners.py``'s database (as ``gen_tasks.py`` does):
SQLite copies ``bench/data/base-sqlite-<N>/`` to ``bench/data/finance-sqlite-<N>/``; on PostgreSQL
make the copy first (``CREATE DATABASE bench_finance TEMPLATE <base database>``) and pass its URL.

What is added (progress in ``bench.finance_gen``; each batch is generated from its own seed and
the running counters are committed with it, so an interrupted run continues with the same rows):

* 3,300 products in 12 groups: 2,600 sold as they are and 100 with six variants each (600; the
  parents are not sold), 2 % inactive, 8 % exempt from VAT, popular ones sold far more often;
* the documents over the two years up to the partner data's epoch, in date order: 500,000
  proformas, 60 % of the invoices converted from one of them (same date, same lines and totals),
  the rest written directly. Proformas not converted are draft (25 %, no number), issued (50 %)
  or cancelled (25 %); 4 % of the invoices are void; older invoices are mostly paid (one or two
  cash receipts), recent ones mostly open, so ``received``/``balance`` vary;
* customers: ten key accounts take 10 % of the documents (thousands each, for deep pages), every
  fifth customer (scrambled) 55 %, all customers the rest;
* every amount through :func:`modules.finance.totals.compute` (line gross, discounts, the document
  discount's largest-remainder split, VAT at the rate in force on the document's date, shipping),
  so the stored totals are what the services would store; numbers ``PF-1404-00042`` and
  ``INV-1404-00042`` gapless per series and fiscal year in date order, and the kernel's counters
  set so new documents continue them.

Rows go in with multi-row inserts (SQLite) or COPY (PostgreSQL, foreign-key triggers off for the
load's own connection) with the loaded tables' secondary and search indexes dropped during the load
and built once at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_partners as gen  # noqa: E402
import gen_tasks as gt  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

EDITION = "tier3"
VERSION = 1
PROGRESS = "bench.finance_gen"
DOCS = ("finance_proforma", "finance_proforma_line", "finance_invoice", "finance_invoice_line", "finance_receipt")
LOADED = ("finance_product", *DOCS)
KEY_ACCOUNTS = 10
CONVERTED_SHARE = 0.6  # of the invoices, made from a proforma

GROUPS = {
    "فرش ماشینی": ("فرش {} شانه طرح {}", ("۵۰۰", "۷۰۰", "۱۰۰۰", "۱۲۰۰", "۱۵۰۰"),
                   ("افشان", "کشمیر", "هریس", "ماهی", "شاه‌عباسی", "بته‌جقه", "گل‌فرنگ", "خشتی")),
    "پارچه": ("پارچه {} {}", ("کتان", "ابریشم", "مخمل", "چادری", "پرده‌ای", "ملحفه‌ای"),
              ("ساده", "گلدار", "راه‌راه", "چهارخانه", "طرح‌دار")),
    "مواد غذایی": ("{} {}", ("برنج", "روغن", "چای", "زعفران", "عسل", "خرما", "پسته", "کشمش"),
                   ("درجه یک", "ممتاز", "صادراتی", "فله", "بسته‌ای")),
    "لوازم خانگی": ("{} {}", ("یخچال", "جاروبرقی", "اتو", "سماور", "چرخ‌گوشت", "پنکه", "بخاری"),
                    ("پارس", "سپهر", "آریا", "البرز", "کیان")),
    "لوازم تحریر": ("{} {}", ("دفتر", "خودکار", "مداد", "کاغذ A4", "پوشه", "منگنه"), ("اقتصادی", "اداری", "ممتاز")),
    "مصالح ساختمانی": ("{} {}", ("سیمان", "گچ", "آجر", "کاشی", "سرامیک", "میلگرد"), ("تیپ ۲", "ممتاز", "صنعتی")),
    "قطعات یدکی": ("{} {}", ("لنت ترمز", "فیلتر روغن", "تسمه تایم", "شمع", "باتری"), ("پراید", "پژو", "سمند", "تیبا")),
    "بهداشتی": ("{} {}", ("شامپو", "صابون", "مایع ظرفشویی", "دستمال کاغذی", "پودر لباسشویی"), ("گلرنگ", "پاکشوما", "سحر")),
    "دارویی": ("{} {}", ("ماسک", "دستکش", "الکل", "گاز استریل", "سرنگ"), ("یک‌بارمصرف", "بیمارستانی", "خانگی")),
    "نرم‌افزار": ("{} {}", ("مجوز نرم‌افزار حسابداری", "مجوز CRM", "ماژول انبار"), ("تک‌کاربره", "شبکه", "سالانه")),
    "خدمات": ("{} {}", ("نصب و راه‌اندازی", "شستشوی فرش", "پشتیبانی", "آموزش", "حمل"), ("ساعتی", "ماهانه", "یک‌باره")),
    "لوازم جانبی": ("{} {}", ("پادری", "زیرفرشی", "کوسن", "رومیزی"), ("ضدلغزش", "ماشینی", "دستباف")),
}
UNITS = {"فرش ماشینی": "تخته", "پارچه": "متر", "مواد غذایی": "کیلوگرم", "خدمات": "ساعت", "نرم‌افزار": "عدد"}
SIZES = (("۶ متری", "6"), ("۹ متری", "9"), ("۱۲ متری", "12"))
COLOURS = (("کرم", "CR"), ("لاکی", "RD"))
TITLES = ("پیش‌فاکتور فروش", "سفارش ماهانه", "خرید عمده", "تجهیز شعبه جدید", "سفارش نمایشگاه", "تمدید قرارداد",
          "خرید فصلی", "سفارش تلفنی", "سفارش فوری", "پروژه ساختمانی")
CANCEL_REASONS = ("مشتری منصرف شد", "قیمت رقیب کمتر بود", "موجودی کافی نبود", "اعتبار پیش‌فاکتور گذشت")
VOID_REASONS = ("صدور اشتباه", "مرجوعی کامل کالا", "تکرار فاکتور")


# -- the database ---------------------------------------------------------------------------
def where(args: argparse.Namespace) -> tuple[str, Path]:
    return gt.where(args, "finance")


def open_kernel(url: str, home: Path, upgrade: bool = True) -> Any:
    return gt.open_kernel(url, home, upgrade, EDITION)


def progress_of(kernel: Any) -> dict[str, Any]:
    return gt.progress_of(kernel, PROGRESS)


def save_progress(conn: Any, kernel: Any, prog: dict[str, Any]) -> None:
    gt.save_progress(conn, kernel, prog, PROGRESS)


def copy_base(args: argparse.Namespace, home: Path) -> bool:
    """SQLite: start from a copy of gen_partners' database (gen_tasks' copy, into this home)."""
    return bool(gt.copy_base(argparse.Namespace(rebuild=args.rebuild, partners=args.partners), home))


# -- products -------------------------------------------------------------------------------
def make_products(kernel: Any, admin: int, seed: int) -> int:
    """Groups, products and variants in one transaction (skipped when there are products)."""
    from kernel.persian.collation import sort_key
    from kernel.persian.search_keys import SEARCH_ATTR, compute
    from modules.finance.models import Product, ProductGroup

    with kernel.engine.connect() as conn:
        have = conn.scalar(text("SELECT count(*) FROM finance_product")) or 0
    if have:
        return int(have)
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    stamp = {"owner_id": admin, "created_at": now, "updated_at": now, "deleted_at": None,
             "created_by_id": admin, "updated_by_id": admin}
    fields = getattr(Product, SEARCH_ATTR)
    rows: list[dict[str, Any]] = []
    with kernel.engine.begin() as conn:
        for g, name in enumerate(GROUPS, 1):
            conn.execute(ProductGroup.__table__.insert().values(  # type: ignore[attr-defined]
                id=g, name=name, code=f"G{g:02d}", sort_key=sort_key(name), search_key=name, parent_id=None,
                description=None, **stamp))
        pid = 0
        for n in range(2700):
            g = n % len(GROUPS) + 1
            group = list(GROUPS)[g - 1]
            pattern, first, second = GROUPS[group]
            name = pattern.format(rnd.choice(first), rnd.choice(second)) + f" کد {n + 1}"
            service = group == "خدمات" or (group == "نرم‌افزار" and rnd.random() < 0.5)
            price = rnd.choice((rnd.randrange(50, 2_000), rnd.randrange(2_000, 20_000), rnd.randrange(20_000, 80_000)))
            pid += 1
            row: dict[str, Any] = {"id": pid, "name": name, "sort_key": sort_key(name), "code": f"P{n + 1:05d}",
                   "barcode": f"626{rnd.randrange(10**9, 10**10)}", "kind": "service" if service else "goods",
                   "unit": UNITS.get(group, "عدد"), "price": price * 1000, "tax_exempt": rnd.random() < 0.08,
                   "parent_id": None, "active": rnd.random() > 0.02, "description": None, "group_id": g,
                   "marketer_commission": None, "agency_commission": None, "variant_key": None, **stamp}
            rows.append(row)
            if n % 27 == 0:  # 100 of them
                # A carpet-like product in sizes and colours: six variants, the parent not sold.
                parent = row
                for k, ((size, scode), (colour, ccode)) in enumerate(
                        (s, c) for s in SIZES for c in COLOURS):
                    pid += 1
                    vname = f"{parent['name']} — {size} — {colour}"
                    rows.append({**parent, "id": pid, "name": vname, "sort_key": sort_key(vname),
                                 "code": f"{parent['code']}-{scode}-{ccode}", "barcode": None,
                                 "price": parent["price"] * (2 + k // 2) // 3 // 1000 * 1000, "parent_id": parent["id"],
                                 "variant_key": f"{k // 2 + 1}.{k % 2 + 4}"})
        for row in rows:
            row["search_key"] = compute(SimpleNamespace(**row), fields)
        gen.write_rows(conn, Product.__table__, rows)  # type: ignore[arg-type]
    return len(rows)


class World:
    """What the documents are drawn from: customers, marketers, products, rates, styles."""

    def __init__(self, kernel: Any, admin: int, epoch: str) -> None:
        from kernel.numbering import style_of
        from kernel.persian.search_keys import SEARCH_ATTR
        from modules.base.models import PartnerRole
        from modules.finance.models import Invoice, Product, Proforma, TaxRate
        from modules.finance.numbers import SERIES

        self.admin = admin
        self.epoch = dt.datetime.fromisoformat(epoch)
        self.first_day = (self.epoch - dt.timedelta(days=730)).date()
        with kernel.engine.connect() as conn:
            self.customers = list(conn.scalars(select(PartnerRole.partner_id).where(PartnerRole.role == "customer")
                                               .distinct().order_by(PartnerRole.partner_id)))
            self.marketers = list(conn.scalars(select(PartnerRole.partner_id).where(PartnerRole.role == "agent")
                                               .distinct().order_by(PartnerRole.partner_id).limit(50)))
            products = conn.execute(select(Product.id, Product.price, Product.tax_exempt, Product.kind).where(
                Product.active.is_(True), Product.id.not_in(select(Product.parent_id).where(
                    Product.parent_id.is_not(None)))).order_by(Product.id)).all()
            # Basis points, as the documents keep them (the model reads a Decimal percent).
            self.rates = sorted((r.kind, r.valid_from, int(r.rate * 100)) for r in conn.execute(
                select(TaxRate.kind, TaxRate.valid_from, TaxRate.rate).where(TaxRate.deleted_at.is_(None))))
            self.styles = {s.key: style_of(conn, s) for s in SERIES}
        self.hot = [c for c in self.customers if (c * 2_654_435_761) % 5 == 0]
        self.key_accounts = self.hot[len(self.hot) // 2: len(self.hot) // 2 + KEY_ACCOUNTS]
        self.products = [(int(p[0]), int(p[1]), bool(p[2]), p[3]) for p in products]
        # Popular products first: a Zipf-like weight by a scrambled rank.
        order = sorted(range(len(self.products)), key=lambda i: (i * 7919) % len(self.products))
        weights = [0.0] * len(self.products)
        for rank, i in enumerate(order):
            weights[i] = 1.0 / (rank + 10)
        acc, total = [], 0.0
        for w in weights:
            total += w
            acc.append(total)
        self.cum = acc
        self.years: dict[dt.date, str] = {}
        self.fields = {"p": getattr(Proforma, SEARCH_ATTR), "i": getattr(Invoice, SEARCH_ATTR)}

    def year_of(self, day: dt.date) -> str:
        """The fiscal (Jalali) year of ``day``, as the counters' key."""
        from kernel.numbering import fiscal_year

        if day not in self.years:
            self.years[day] = str(fiscal_year(day))
        return self.years[day]

    def rate_on(self, kind: str, day: dt.date) -> int:
        """What ``modules.finance.models.tax.rate_on`` answers (the latest start on or before)."""
        found = 0
        for k, start, bp in self.rates:
            if k == kind and start <= day:
                found = bp
        return found


# -- documents ------------------------------------------------------------------------------
def plan(i: int, p: int, d: int, c: int) -> tuple[bool, int, bool, int]:
    """Stream position ``i`` (of p + d, date order): (direct invoice?, proforma index, converted?,
    invoice index). Exact counts by spreading evenly: d directs, c of the p proformas converted."""
    t = p + d
    directs_before = i * d // t
    direct = (i + 1) * d // t > directs_before
    k = i - directs_before
    converted = not direct and (k + 1) * c // p > k * c // p
    return direct, k, converted, directs_before + k * c // p


def lines_for(world: World, rnd: random.Random) -> list[dict[str, Any]]:
    from modules.finance.totals import PERCENT, RIAL

    out = []
    for _ in range(rnd.randint(1, 20)):
        pid, price, exempt, kind = rnd.choices(world.products, cum_weights=world.cum)[0]
        if kind == "service" or rnd.random() < 0.8:
            qty = Decimal(rnd.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12, 20)))
        else:
            qty = Decimal(rnd.randrange(500, 50_000, 250)) / 1000  # 2.5 m, 12.75 kg
        unit = price if rnd.random() < 0.85 else price * rnd.choice((90, 95, 105)) // 100 // 1000 * 1000
        dk, dv = PERCENT, Decimal(0)
        r = rnd.random()
        if r < 0.2:
            dv = Decimal(rnd.choice((3, 5, 10, 15, 20)))
        elif r < 0.25 and unit >= 100_000:
            dk, dv = RIAL, Decimal(unit // 20 // 1000 * 1000)
        out.append({"product_id": pid, "quantity": qty, "unit_price": unit, "discount_kind": dk,
                    "discount_value": dv, "tax_exempt": exempt, "price_rule": None if unit == price else
                    "قیمت فهرست عمده‌فروشان", "description": None, "serial_number": None})
    return out


def totals(world: World, day: dt.date, lines: list[dict[str, Any]], header: dict[str, Any]) -> None:
    """Every amount, as ``services.documents.recompute`` writes it, into the rows."""
    from modules.finance.totals import LineInput, compute

    vat, municipal = world.rate_on("vat", day), world.rate_on("municipal", day)
    t = compute([LineInput(li["quantity"], li["unit_price"], li["discount_kind"], li["discount_value"],
                           li["tax_exempt"]) for li in lines], discount_kind=header["discount_kind"],
                discount_value=header["discount_value"], vat_bp=vat, municipal_bp=municipal,
                shipping=header["shipping"])
    for pos, (li, lt) in enumerate(zip(lines, t.lines, strict=True), 1):
        li.update(position=pos, gross=lt.gross, discount_amount=lt.discount, net=lt.net,
                  document_discount=lt.document_discount, taxable=lt.taxable, vat=lt.vat, municipal=lt.municipal,
                  total=lt.total)
    header.update(vat_rate_bp=vat, municipal_rate_bp=municipal, net_amount=t.net,
                  discount_amount=t.document_discount, vat_amount=t.vat, municipal_amount=t.municipal,
                  grand_total=t.grand_total)


class Batch:
    """The rows of one batch, and the counters it advances (ids of lines and receipts, numbers)."""

    def __init__(self, prog: dict[str, Any]) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in DOCS}
        self.next = prog["next"]
        self.counters = prog["counters"]
        self.base = prog["base_ids"]

    def number(self, world: World, series: str, day: dt.date) -> str:
        year = world.year_of(day)
        n = self.counters.setdefault(series, {}).get(year, 0) + 1
        self.counters[series][year] = n
        return world.styles[series].format(int(year), n)

    def add_lines(self, table: str, fk: str, doc_id: int, lines: list[dict[str, Any]]) -> None:
        for li in lines:
            self.next[table] += 1
            self.rows[table].append({**li, "id": self.base[table] + self.next[table], fk: doc_id})


def document(world: World, batch: Batch, i: int, prog: dict[str, Any], rnd: random.Random) -> None:
    """Stream position ``i``: a proforma (and its invoice when converted) or a direct invoice."""
    from kernel.persian.search_keys import compute
    from modules.finance.models.number_key import split_number

    p, d = prog["proformas"], prog["invoices"] - prog["converted"]
    direct, k, converted, j = plan(i, p, d, prog["converted"])
    day = world.first_day + dt.timedelta(days=730 * i // (p + d))
    created = dt.datetime.combine(day, dt.time(rnd.randint(5, 13), rnd.randrange(60)))  # 08:30–17:30 Tehran, UTC
    draw = rnd.random()
    customer = rnd.choice(world.key_accounts if draw < 0.1 else world.hot if draw < 0.65 else world.customers)
    r = rnd.random()
    header: dict[str, Any] = {
        "partner_id": customer, "date": day, "marketer_id": rnd.choice(world.marketers)
        if world.marketers and rnd.random() < 0.1 else None, "title": rnd.choice(TITLES) if rnd.random() < 0.6 else None,
        "description": None, "kind": "goods", "discount_kind": "percent",
        "discount_value": Decimal(rnd.choice((2, 3, 5, 10))) if r < 0.15 else Decimal(0),
        "shipping": rnd.randrange(1, 30) * 250_000 if rnd.random() < 0.2 else 0, "exit_number": None,
        "remittance_number": None, "end_date": None, "owner_id": world.admin, "created_at": created,
        "deleted_at": None, "created_by_id": world.admin, "updated_by_id": world.admin}
    lines = lines_for(world, rnd)
    totals(world, day, lines, header)
    issued = created + dt.timedelta(minutes=rnd.randint(5, 600))
    inv_id = batch.base["finance_invoice"] + j + 1
    if not direct:
        pf_id = batch.base["finance_proforma"] + k + 1
        state = "converted" if converted else rnd.choices(("draft", "issued", "cancelled"), (1, 2, 1))[0]
        row = {**header, "id": pf_id, "state": state, "valid_until": day + dt.timedelta(days=rnd.choice((7, 15, 30))),
               "converted_invoice_id": inv_id if converted else None, "issued_at": None, "number": None,
               "cancel_reason": rnd.choice(CANCEL_REASONS) if state == "cancelled" else None,
               "updated_at": issued if state != "draft" else created}
        if state != "draft":
            row["number"], row["issued_at"] = batch.number(world, "finance.proforma", day), issued
        row["number_year"], row["number_seq"] = split_number(row["number"])  # what the model keeps
        row["search_key"] = compute(SimpleNamespace(**row), world.fields["p"])
        batch.rows["finance_proforma"].append(row)
        batch.add_lines("finance_proforma_line", "proforma_id", pf_id, lines)
        if not converted:
            return
    void = rnd.random() < 0.04
    inv = {**header, "id": inv_id, "state": "void" if void else "issued", "issued_at": issued,
           "number": batch.number(world, "finance.invoice", day), "proforma_id": None if direct else
           batch.base["finance_proforma"] + k + 1, "invoice_type": "sale", "received": 0,
           "balance": 0 if void else header["grand_total"], "void_reason": rnd.choice(VOID_REASONS) if void else None,
           "voided_at": issued + dt.timedelta(days=1) if void else None, "updated_at": issued}
    inv["number_year"], inv["number_seq"] = split_number(inv["number"])
    inv["search_key"] = compute(SimpleNamespace(**inv), world.fields["i"])
    batch.rows["finance_invoice"].append(inv)
    batch.add_lines("finance_invoice_line", "invoice_id", inv_id, [dict(li) for li in lines])
    if not void:
        receipts(world, batch, inv, rnd)


def receipts(world: World, batch: Batch, inv: dict[str, Any], rnd: random.Random) -> None:
    """Cash received: older invoices mostly settled, recent ones mostly open."""
    old = (world.epoch.date() - inv["date"]).days > 60
    r, total = rnd.random(), inv["grand_total"]
    paid = total if r < (0.75 if old else 0.3) else total * rnd.randint(20, 80) // 100 \
        if r < (0.85 if old else 0.5) else 0
    parts = [paid] if paid < 2 or rnd.random() < 0.7 else [paid // 2, paid - paid // 2]
    for n, amount in enumerate(p for p in parts if p > 0):
        on = min(inv["date"] + dt.timedelta(days=rnd.randint(0, 20) + 15 * n), world.epoch.date())
        at = dt.datetime.combine(on, dt.time(rnd.randint(5, 13), rnd.randrange(60)))
        batch.next["finance_receipt"] += 1
        batch.rows["finance_receipt"].append({
            "id": batch.base["finance_receipt"] + batch.next["finance_receipt"], "invoice_id": inv["id"], "date": on,
            "amount": amount, "method": "cash", "note": None, "owner_id": world.admin, "created_at": at,
            "updated_at": at, "deleted_at": None, "created_by_id": world.admin, "updated_by_id": world.admin})
    inv["received"], inv["balance"] = paid, total - paid


def fill(kernel: Any, world: World, prog: dict[str, Any], batch_size: int) -> None:
    total = prog["proformas"] + prog["invoices"] - prog["converted"]
    t0, resumed = time.perf_counter(), prog["done"]
    tables = kernel.metadata.tables
    while prog["done"] < total:
        start = prog["done"]
        count = min(batch_size, total - start)
        rnd = random.Random(prog["seed"] * 11_000_027 + start)
        batch = Batch(prog)
        for i in range(start, start + count):
            document(world, batch, i, prog, rnd)
        with kernel.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Consistent by construction: no per-row foreign-key trigger during the load.
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for name in DOCS:
                gen.write_rows(conn, tables[name], batch.rows[name])
            prog["done"] = start + count
            save_progress(conn, kernel, prog)
        rate = (prog["done"] - resumed) / max(time.perf_counter() - t0, 1e-9)
        lines = batch.next["finance_proforma_line"] + batch.next["finance_invoice_line"]
        print(f"\r  documents {prog['done']:,}/{total:,} ({rate:,.0f}/s), lines {lines:,}", end="",
              file=sys.stderr, flush=True)
    print(file=sys.stderr)


def set_counters(kernel: Any, prog: dict[str, Any]) -> None:
    """The kernel's counters one past the last generated number, so new documents continue."""
    from kernel.models import NumberCounter

    with kernel.engine.begin() as conn:
        for series, years in prog["counters"].items():
            for year, last in years.items():
                conn.execute(NumberCounter.__table__.delete().where(  # type: ignore[attr-defined]
                    NumberCounter.series == series, NumberCounter.fiscal_year == int(year)))
                conn.execute(NumberCounter.__table__.insert().values(  # type: ignore[attr-defined]
                    series=series, fiscal_year=int(year), next_value=last + 1))
        if conn.dialect.name == "postgresql":
            for name in ("finance_product_group", *LOADED):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {name}))"))


def count_customers(kernel: Any) -> float:
    """``finance_customer_total`` written afresh from the loaded documents by the app's own repair
    (``customer_totals.recount``): the rows went in without the ORM, whose events keep it, and a
    database upgraded to finance before the load was counted (empty) by the migration then."""
    from modules.finance import customer_totals

    t0 = time.perf_counter()
    with kernel.session() as s:
        customer_totals.recount(s)
    return time.perf_counter() - t0


def key_numbers(kernel: Any) -> int:
    """``number_year``/``number_seq`` of documents loaded without them (by a gen_finance.py from
    before it wrote them): the top-bar search finds a number by them. Answers the rows keyed."""
    from modules.finance.models.number_key import split_number

    done = 0
    with kernel.engine.begin() as conn:
        for table in ("finance_proforma", "finance_invoice"):
            rows = conn.execute(text(f"SELECT id, number FROM {table} WHERE number IS NOT NULL "
                                     "AND number_seq IS NULL")).all()
            keys = [(split_number(number), doc_id) for doc_id, number in rows]
            conn.execute(text(f"UPDATE {table} SET number_year = :y, number_seq = :s WHERE id = :i"),
                         [{"y": y, "s": seq, "i": doc_id} for (y, seq), doc_id in keys])
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql(f"ANALYZE {table}")
            done += len(rows)
    return done


# -- the run --------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=1_000_000, help="which generated SQLite database (default 1,000,000)")
    ap.add_argument("--postgres", metavar="URL", help="a copy of gen_partners.py's PostgreSQL database to fill")
    ap.add_argument("--proformas", type=int, default=500_000)
    ap.add_argument("--invoices", type=int, default=300_000)
    ap.add_argument("--rebuild", action="store_true", help="SQLite: start again from a fresh copy of the base data")
    ap.add_argument("--batch", type=int, default=5_000, help="documents per transaction (default 5,000)")
    ap.add_argument("--seed", type=int, default=1405)
    args = ap.parse_args(argv)

    url, home = where(args)
    if not args.postgres and not copy_base(args, home):
        return 2
    t_start = time.perf_counter()
    opened = gt.open_for_generation(url, home, EDITION, PROGRESS)
    if opened is None:
        return 2
    kernel, prog, base = opened
    converted = int(args.invoices * CONVERTED_SHARE)
    wanted = {"version": VERSION, "proformas": args.proformas, "invoices": args.invoices, "seed": args.seed,
              "partners": base["partners"], "converted": converted}
    if prog and any(prog.get(k) != v for k, v in wanted.items()):
        print(f"{url} holds another generation ({ {k: prog.get(k) for k in wanted} }); use --rebuild", file=sys.stderr)
        return 2
    if prog.get("complete"):
        print(f"already generated: {args.proformas:,} proformas, {args.invoices:,} invoices in {url}", file=sys.stderr)
        return 0
    admin = gen.ensure_reference(kernel)
    if kernel.engine.dialect.name == "sqlite":
        gen.sqlite_fast(kernel)
    if not prog:
        products = make_products(kernel, admin, args.seed)
        with kernel.engine.connect() as conn:
            ids = {name: int(conn.scalar(text(f"SELECT coalesce(max(id), 0) FROM {name}")) or 0) for name in DOCS}
        prog = {**wanted, "done": 0, "base_ids": ids, "next": dict.fromkeys(DOCS, 0), "counters": {},
                "epoch": base["epoch"], "products": products}
        with kernel.engine.begin() as conn:
            save_progress(conn, kernel, prog)
    else:
        print(f"resuming at {prog['done']:,} documents", file=sys.stderr)
    times: dict[str, float] = {}
    with gt.loaded_tables(DOCS):
        gen.drop_indexes(kernel)
        world = World(kernel, admin, prog["epoch"])
        print(f"  {len(world.customers):,} customers, {len(world.products):,} sellable products", file=sys.stderr)
        t0 = time.perf_counter()
        fill(kernel, world, prog, args.batch)
        times["documents"] = time.perf_counter() - t0
        set_counters(kernel, prog)
        times["customers"] = count_customers(kernel)
        times.update(gen.finish(kernel, keep_indexes=False))
    size = gt.mark_complete(kernel, prog, home, args.postgres, PROGRESS)
    lines = prog["next"]["finance_proforma_line"] + prog["next"]["finance_invoice_line"]
    print(f"generated {args.proformas:,} proformas and {args.invoices:,} invoices ({lines:,} lines, "
          f"{prog['next']['finance_receipt']:,} receipts) in {time.perf_counter() - t_start:.0f} s (documents "
          f"{times['documents']:.0f} s, indexes {times['indexes']:.0f} s, analyze {times['analyze']:.0f} s){size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
