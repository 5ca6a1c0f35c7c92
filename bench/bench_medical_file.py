"""The patient's medical file (MED-01) at 100,000 patients, 300,000 diagnoses and 1,000,000 medical
documents, through the real application, beside the bare SQL of the same statements.

    python bench/bench_medical_file.py                      # generates bench/data/medfile/ once, then measures
    python bench/bench_medical_file.py --postgres postgresql+psycopg://postgres@127.0.0.1:40629/bench_medfile

Data (one seed): 100,000 persons, each with a medical file; 30 diseases and allergies, 300,000
diagnoses (a patient has 0–6, the common diseases far more often), 1,000,000 documents (10 per
patient on average, over five years). Measured as a doctor (``medical.records``, scope "all") and as
a receptionist (without it), ``--requests`` requests per row after three warm-ups: p50/p95 of the
request in ms, statements per request, their time in the request and the bare SQL (the same
statements replayed on a raw DB-API connection).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_partners as gen  # noqa: E402
from bench_base import bare_sql, capturing, p  # noqa: E402
from bench_sales import login  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

PATIENTS = 100_000
DIAGNOSES = 300_000
DOCUMENTS = 1_000_000
BATCH = 20_000
PROGRESS = "bench.medfile_gen"
DISEASES = ("فشار خون", "دیابت", "چربی خون", "آسم", "میگرن", "کم‌کاری تیروئید", "آرتروز", "کم‌خونی",
            "ریفلاکس معده", "افسردگی", "بی‌خوابی", "کبد چرب", "سنگ کلیه", "پوکی استخوان", "سینوزیت",
            "آلرژی فصلی", "اگزما", "نقرس", "پرکاری تیروئید", "صرع", "پارکینسون", "آلزایمر", "ام‌اس",
            "لوپوس", "هپاتیت ب", "حساسیت به پنی‌سیلین", "حساسیت به بادام‌زمینی", "حساسیت به لاتکس",
            "حساسیت به آسپرین", "حساسیت به تخم‌مرغ")
FIRST = ("مریم", "زهرا", "فاطمه", "سارا", "نرگس", "علی", "حسین", "رضا", "محمد", "مهدی")
LAST = ("کریمی", "رضایی", "احمدی", "موسوی", "حسینی", "محمدی", "جعفری", "کاظمی", "رحیمی", "صادقی")
TITLES = ("آزمایش قند خون", "آزمایش چربی خون", "سونوگرافی شکم", "نوار قلب", "نسخه", "گزارش ویزیت",
          "رادیوگرافی قفسه سینه", "آزمایش تیروئید", "ام‌آر‌آی", "آزمایش کامل خون")
KINDS = ("lab", "imaging", "prescription", "report", "other")


def open_kernel(url: str, home: Path) -> Any:
    from kernel import migrations
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    kernel = Kernel(dataclasses.replace(gen.make_config(url, home), edition="clinic"))
    migrations.upgrade(kernel)
    return kernel


def defaults(table: Any, now: dt.datetime) -> dict[str, Any]:
    """Every column's Python default, so COPY (PostgreSQL) writes the rows the ORM would."""
    out: dict[str, Any] = {}
    for col in table.columns:
        if col.default is not None and not col.primary_key:
            arg = col.default.arg
            out[col.name] = now if callable(arg) else arg
    return out


def generate(kernel: Any) -> None:
    from kernel import security
    from kernel.models import Role, RolePermission, User
    from modules.base.models import Partner
    from modules.medical.models import Disease, Document, Patient, PatientDisease

    with kernel.session() as s:
        if kernel.setting(s, PROGRESS, ""):
            return
    t0 = time.perf_counter()
    rnd = random.Random(16)
    now = dt.datetime(2026, 12, 1, 8, 0)
    with kernel.session() as s:
        digest = security.hash_password(gen.PASSWORD)
        common = [c for c in kernel.permissions if c.startswith(("base.partner.", "medical."))]
        for name, perms in (("bench-doctor", common), ("bench-reception", [c for c in common
                                                                          if c != "medical.records"])):
            role = Role(name=name, record_scope="all", permissions=[RolePermission(permission=c) for c in perms])
            s.add(User(username=name, password_hash=digest, full_name=name, lang="fa", is_active=True, roles=[role]))
        for i, name in enumerate(DISEASES):
            s.add(Disease(name=name, kind="allergy" if name.startswith("حساسیت") else "disease",
                          education_sms=f"{{name}} عزیز، نکته‌های {name} را رعایت کنید." if i % 3 == 0 else None))
    with kernel.sessions() as s:
        disease_ids = [int(d) for d in s.scalars(select(Disease.id).order_by(Disease.id))]
        first_partner = int(s.scalar(select(func.coalesce(func.max(Partner.id), 0)))) + 1
    weights = [1.0 / (1 + k) for k in range(len(disease_ids))]  # the common ones far more often
    tables = {"partner": Partner.__table__, "patient": Patient.__table__, "diag": PatientDisease.__table__,
              "doc": Document.__table__}
    base = {k: defaults(t, now) for k, t in tables.items()}
    with kernel.engine.begin() as conn:
        for start in range(0, PATIENTS, BATCH):
            partners, patients = [], []
            for i in range(start, min(PATIENTS, start + BATCH)):
                pid = first_partner + i
                first, last = rnd.choice(FIRST), rnd.choice(LAST)
                partners.append({**base["partner"], "id": pid, "kind": "person", "name": f"{first} {last}",
                                 "first_name": first, "last_name": last, "mobile": f"+98912{i:07d}"})
                patients.append({**base["patient"], "id": i + 1, "partner_id": pid, "file_number": f"P-1405-{i + 1:06d}",
                                 "insurer": rnd.choice(("تأمین اجتماعی", "بیمه سلامت", None)), "blood_group": "O+"})
            gen.write_rows(conn, tables["partner"], partners)
            gen.write_rows(conn, tables["patient"], patients)
        seen: set[tuple[int, int]] = set()
        diags: list[dict[str, Any]] = []
        while len(seen) < DIAGNOSES:
            key = (first_partner + rnd.randrange(PATIENTS), rnd.choices(disease_ids, weights)[0])
            if key in seen:
                continue
            seen.add(key)
            diags.append({**base["diag"], "id": len(seen), "partner_id": key[0], "disease_id": key[1],
                          "since": dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randrange(3600))})
            if len(diags) == BATCH:
                gen.write_rows(conn, tables["diag"], diags)
                diags = []
        gen.write_rows(conn, tables["diag"], diags)
        for start in range(0, DOCUMENTS, BATCH):
            docs = [{**base["doc"], "id": n + 1, "partner_id": first_partner + rnd.randrange(PATIENTS),
                     "kind": rnd.choice(KINDS), "title": rnd.choice(TITLES),
                     "taken_on": dt.date(2021, 12, 1) + dt.timedelta(days=rnd.randrange(1826))}
                    for n in range(start, min(DOCUMENTS, start + BATCH))]
            gen.write_rows(conn, tables["doc"], docs)
        if conn.dialect.name == "postgresql":
            from sqlalchemy import text

            for name in ("medical_patient", "medical_patient_disease", "medical_document"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))
            conn.execute(text("SELECT setval(pg_get_serial_sequence('base_partner', 'id'), "
                              "(SELECT max(id) FROM base_partner))"))
            conn.execute(text("ANALYZE"))
        else:
            conn.exec_driver_sql("ANALYZE")
    with kernel.session() as s:
        kernel.set_setting(s, PROGRESS, {"complete": True, "first_partner": first_partner})
    print(f"generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def measure(kernel: Any, username: str, path: str, expect: str, requests: int) -> dict[str, Any]:
    from starlette.testclient import TestClient

    from kernel.gc_tuning import freeze_startup
    from kernel.web.app import build_app

    app = build_app(kernel)
    freeze_startup()
    with TestClient(app, base_url="http://testserver") as client:
        login(client, username)
        for _ in range(3):
            resp = client.get(path)
            assert resp.status_code == 200 and expect in resp.text, (path, resp.status_code, resp.text[:300])
        times = []
        with capturing(kernel.engine) as sql:
            for _ in range(requests):
                t0 = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
    per = len(sql) // requests
    bare = bare_sql(kernel, sql[-per:], repeat=max(5, requests // 3))
    slowest = max(bare, key=lambda b: b[0]) if bare else (0.0, "", None)
    return {"p50": p(times, 0.5), "p95": p(times, 0.95), "queries": len(sql) / requests,
            "sql_ms": sum(x[0] for x in sql) * 1000 / requests, "bare_ms": sum(b[0] for b in bare) * 1000,
            "slowest": slowest}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--postgres", metavar="URL")
    ap.add_argument("--requests", type=int, default=30)
    args = ap.parse_args(argv)
    home = ROOT / "bench" / "data" / ("medfile-pg" if args.postgres else "medfile")
    url = args.postgres or f"sqlite:///{home / 'medfile.sqlite3'}"
    kernel = open_kernel(url, home)
    generate(kernel)
    with kernel.sessions() as s:
        prog = kernel.setting(s, PROGRESS, {})
    from modules.medical.models import Disease, Document

    with kernel.sessions() as s:
        common = int(s.scalar(select(Disease.id).where(Disease.name == "فشار خون")))
        busiest = int(s.scalar(select(Document.partner_id).group_by(Document.partner_id)
                               .order_by(func.count().desc()).limit(1)))
    first = int(prog["first_partner"])
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Medical file — {PATIENTS:,} patients, {DIAGNOSES:,} diagnoses, {DOCUMENTS:,} documents, {engine}, "
          f"{args.requests} requests (ms)")
    print(f"{'what':52} {'p50':>6} {'p95':>6} {'SQL/req':>7} {'in-req':>7} {'bare':>6}")
    rows = (
        ("doctor: a patient's 360° profile with the file", "bench-doctor", f"/base/partner/{busiest}/profile",
         "medical-documents"),
        ("doctor: the file under the patient's page", "bench-doctor", "/medical/patient/50000", "medical-file"),
        ("doctor: patients of the commonest disease (list)", "bench-doctor",
         f"/medical/patient_disease/?f_disease_id={common}", "<table"),
        ("doctor: one patient's documents (list)", "bench-doctor", f"/medical/document/?f_partner_id={first + 7}",
         "<table"),
        ("doctor: report patients per disease", "bench-doctor", "/reports/medical.patients_per_disease", "<table"),
        ("receptionist: the same profile, no diagnoses", "bench-reception", f"/base/partner/{busiest}/profile",
         "medical-private"),
        ("receptionist: the documents list (empty)", "bench-reception", "/medical/document/", "<main"),
    )
    for what, user, path, expect in rows:
        r = measure(kernel, user, path, expect, args.requests)
        print(f"{what:52} {r['p50']:6.1f} {r['p95']:6.1f} {r['queries']:7.1f} {r['sql_ms']:7.1f} {r['bare_ms']:6.1f}")
        print(f"  slowest statement ({r['slowest'][0] * 1000:.1f} ms bare): {' '.join(r['slowest'][1].split())[:400]}")
    kernel.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
