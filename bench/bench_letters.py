"""Letters and labels (issue 13, MKT-05): how long a New-Year letter to every managing director and
their postal labels take, for N companies.

    python bench/bench_letters.py                          # 500 companies on a fresh SQLite database
    python bench/bench_letters.py --companies 2000
    python bench/bench_letters.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A fresh database (SQLite in a temporary folder, or a new schema on the PostgreSQL server, dropped
at the end) gets N companies in three provinces, each with a head-office address, a managing director
«مدیرعامل», a sales manager (the liaison) and an accountant, written with the ORM in one transaction.
As an administrator, outside HTTP (the services the routes call), each step timed ``--repeat`` times
after a warm-up (median and slowest):

* **select** — the managing directors of the companies (``selection.recipients``, scope applied):
  the one SQL statement, also replayed bare on a raw connection (execute + fetchall);
* **address** — their addressees and addresses (``addressing.addressed_all``, what the page shows);
* **labels** — their postal labels as a PDF (3 × 7 sheets);
* **write** — the group letter: N letters with automatic numbers, each with its communication, one
  transaction (once: it writes);
* **letters** — the group's PDF, one letter a page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

CITIES = (("کاشان", "اصفهان", 87), ("شیراز", "فارس", 71), ("تبریز", "آذربایجان شرقی", 51))


def _kernel(home: Path, url: str) -> Any:
    from kernel import migrations
    from kernel.config import Config
    from kernel.kernel import Kernel

    k = Kernel(Config(home=home, database_url=url, edition="tier1", extra_modules=("marketing",),
                      secret_key="bench-" + uuid.uuid4().hex))
    migrations.upgrade(k)
    return k


def _fill(k: Any, n: int) -> None:
    from modules.base.models import Address, City, Employment, Partner, Province

    with k.session() as s:
        cities = []
        for name, province_name, code in CITIES:  # a new database has no geography
            province = Province(name=province_name)
            s.add(province)
            s.flush()
            city = City(name=name, province_id=province.id)
            s.add(city)
            cities.append((city, code))
        s.flush()
        for i in range(n):
            city, code = cities[i % len(cities)]
            firm = Partner(kind="company", name=f"شرکت نمونهٔ {i:05d}", province_id=city.province_id, city_id=city.id)
            people = [Partner(kind="person", first_name=f"نام{i}{j}", last_name="کارمند", title="mr", gender="male")
                      for j in range(3)]
            s.add_all([firm, *people])
            s.flush()
            s.add(Address(partner_id=firm.id, purpose="head_office", province_id=city.province_id, city_id=city.id,
                          street=f"خیابان {i % 97}، پلاک {i % 300}", postal_code=f"{code}{i:08d}", is_default=True))
            for j, (position, liaison) in enumerate((("مدیرعامل", False), ("مدیر فروش", True), ("حسابدار", False))):
                s.add(Employment(person_id=people[j].id, company_id=firm.id, position=position, is_liaison=liaison))


def _time(step: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median and slowest of ``repeat`` runs after a warm-up, and the last answer; the warm-up's
    own time is kept in ``FIRST`` (a PDF's first render: the same HTML again is a kept PDF)."""
    t0 = time.perf_counter()
    step()
    FIRST.append((time.perf_counter() - t0) * 1000)
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = step()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), out


FIRST: list[float] = []


def _row(step: Callable[[], Any], repeat: int) -> tuple[float, float, float]:
    med, worst, _ = _time(step, repeat)
    return FIRST[-1], med, worst


def run(k: Any, n: int, repeat: int) -> None:
    from kernel.persian.jalali import jalali_to_date
    from kernel.testing import actor_of, create_user
    from kernel.web.templating import make_environment
    from modules.marketing.letters import labels, numbering, printing, register, selection
    from modules.marketing.letters.addressing import addressed_all
    from modules.marketing.models import Letter, LetterTemplate

    t0 = time.perf_counter()
    _fill(k, n)
    if k.engine.dialect.name == "postgresql":
        # Fresh tables have no statistics yet; autovacuum would gather them on a live database.
        with k.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    print(f"filled {n} companies, {3 * n} personnel in {time.perf_counter() - t0:.1f} s")
    actor = actor_of(k, create_user(k, "bench", admin=True))
    env = make_environment(k)
    sel = selection.Selection.from_params({"whom": "personnel", "position": "مدیرعامل", "f_kind": "company"})
    with k.session() as s:
        numbering.set_mode(k, s, "automatic")
        template = LetterTemplate(name="نوروز", subject="تبریک سال نو", body="{گیرنده}\n{سمت}\nنوروز مبارک، {شرکت}.")
        s.add(template)
        s.flush()
        template_id = template.id
    rows: dict[str, tuple[float, ...]] = {}
    with k.sessions() as s:
        captured: list[tuple[str, Any]] = []

        def note(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            captured.append((statement, parameters))

        sa.event.listen(k.engine, "before_cursor_execute", note)
        med, worst, found = _time(lambda: selection.recipients(k, s, actor, sel), repeat)
        sa.event.remove(k.engine, "before_cursor_execute", note)
        rows["select"] = (FIRST[-1], med, worst)
        assert len(found) == n, len(found)
        statement, params = next((st, p) for st, p in reversed(captured) if "base_employment" in st)
        rows["select, bare SQL"] = _bare(k, statement, params, repeat)
        rows["address"] = _row(lambda: addressed_all(s, found), repeat)
        layout = labels.layout("3x7")
        rows["labels PDF"] = _row(lambda: labels.labels_pdf(k, env, s, found, layout, "fa"), repeat)
    t0 = time.perf_counter()
    with k.session(actor) as s:
        on = jalali_to_date(1405, 1, 1)
        register.write_group(k, s, actor, template_id, found, on)
    once = (time.perf_counter() - t0) * 1000
    rows["write (once)"] = (once, once, once)
    with k.sessions() as s:
        letters = list(s.scalars(sa.select(Letter).order_by(Letter.id)))
        rows["letters PDF"] = _row(lambda: printing.letters_pdf(k, env, s, letters, "fa"), repeat)
    print(f"\n{k.engine.dialect.name}, {n} managing directors (ms): first run, then median / slowest of {repeat}"
          " more (a PDF again is a kept one)")
    for name, (first, med, worst) in rows.items():
        print(f"  {name:<18} {first:>10.1f} {med:>10.1f} {worst:>10.1f}")
    print("\nselect, the statement:\n" + statement)


def _bare(k: Any, statement: str, params: Any, repeat: int) -> tuple[float, float, float]:
    raw = k.engine.raw_connection()
    times = []
    try:
        for _ in range(repeat + 1):
            cur = raw.cursor()
            t0 = time.perf_counter()
            cur.execute(statement, params)
            cur.fetchall()
            times.append((time.perf_counter() - t0) * 1000)
            cur.close()
        raw.rollback()
    finally:
        raw.close()
    return times[0], statistics.median(times[1:]), max(times[1:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--companies", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--postgres", default="", help="a PostgreSQL server URL: a new schema is made and dropped")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if not args.postgres:
            run(_kernel(home, f"sqlite:///{home / 'bench.sqlite3'}"), args.companies, args.repeat)
            return 0
        schema = "bench_letters_" + uuid.uuid4().hex[:8]
        admin = sa.create_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in args.postgres else "?"
        try:
            k = _kernel(home, f"{args.postgres}{sep}options=-csearch_path%3D{schema}")
            run(k, args.companies, args.repeat)
            k.engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
