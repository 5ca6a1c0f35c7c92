"""Tasks benchmark: the kartable (work queue) of a user with 10,000 open tasks, their task lists,
the dashboard with its menu badges, and the reminder scan over 100,000 due reminders.

    python bench/gen_tasks.py && python bench/bench_tasks.py              # SQLite
    python bench/bench_tasks.py --postgres postgresql+psycopg://user@127.0.0.1:5432/bench_tasks
    python bench/bench_tasks.py --explain                                 # plans of every statement over 1 ms
    python bench/bench_tasks.py --only scan                               # just the reminder scan
    python bench/bench_tasks.py --only pages --province تهران             # as a user limited to Tehran
    python bench/bench_tasks.py --proposed                                # what-if: docs/PERFORMANCE.md's proposals

Runs on the database ``bench/gen_tasks.py`` filled. The pages go through Starlette's TestClient
logged in as the *kartable user* (``bench-kartable``: record scope "own"), with ``bench_base.py``'s
measurement: p50/p95 over ``--requests`` requests after three warm-ups, statements per request and
the same statements replayed as bare SQL. The menu badges (computed on every page) are also timed
on their own.

The scan: ``kernel.reminders.scan.fire_due`` at the generation's ``scan_at``, when 100,000
reminders fell due in the last minute, in one transaction (timed with its commit); then again at the
same moment (must raise nothing). Before and after, the due reminders are put back (their
``next_at`` recomputed with ``recurrence.latest_until``, their new alarms deleted), so the scan can
be run again and the pages see the generated data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import bench_base as bb  # noqa: E402
import gen_tasks as gt  # noqa: E402
from sqlalchemy import bindparam, delete, func, select, update  # noqa: E402

TARGETS = {"kartable": 50.0, "list": 50.0, "dashboard": 50.0, "scan": 10.0}


def login_as(username: str) -> Callable[[Any], None]:
    def login(client: Any) -> None:
        form = client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token, "no CSRF token on the login page"
        resp = client.post("/login", data={"username": username, "password": gt.gen.PASSWORD,
                                           "csrf": token.group(1)}, follow_redirects=False)
        assert resp.status_code == 303, f"login as {username} failed: {resp.status_code}"

    return login


def kartable_user(kernel: Any) -> int:
    from kernel.models import User

    with kernel.sessions() as s:
        return int(s.scalar(select(User.id).where(User.username == gt.KARTABLE_USER)))


def queue_sizes(kernel: Any, uid: int) -> str:
    """What the kartable user's queue holds right now (the generation's "today" may have passed)."""
    from kernel import security
    from modules.tasks.queue import work_queue

    with kernel.sessions() as s:
        actor = security.load_actor(s, uid)
        parts = work_queue(kernel, s, actor, uid)
        return ", ".join(f"{p.key} {p.total:,}{'+' if p.capped else ''}" for p in parts)


def scenarios_for(uid: int) -> Callable[[Any, Any], list[bb.Scenario]]:
    def scenarios(kernel: Any, client: Any) -> list[bb.Scenario]:
        def has(fragment: str) -> Callable[[Any], bool]:
            return lambda r: fragment in r.text

        print(f"kartable user #{uid}: {queue_sizes(kernel, uid)}", file=sys.stderr)
        tasks = "/tasks/task/"
        return [
            ("kartable", "kartable /tasks/kartable (10,000 open tasks)", "/tasks/kartable", {},
             has('data-part="overdue"')),
            ("list", "tasks: mine, open (f_state=open), newest first", tasks,
             {"f_assignee_id": str(uid), "f_state": "open"}, has("data-href=")),
            ("list", "tasks: mine, overdue", tasks, {"f_assignee_id": str(uid), "f_state": "overdue"},
             has("data-href=")),
            ("list", "tasks: mine, open, by due date", tasks,
             {"f_assignee_id": str(uid), "f_state": "open", "sort": "due_at"}, has("data-href=")),
            ("list", "sent tasks (referred by me, 1,000)", tasks, {"f_referred_by_id": str(uid)},
             has("data-href=")),
            ("dashboard", "dashboard / (blocks + menu badges)", "/", {}, lambda r: True),
        ]

    return scenarios


PROVINCE_USER = "bench-province"


def province_user(kernel: Any, province: str) -> int:
    """A user whose role reaches every record, but only partners of ``province`` — and, through
    ``__scope_follows__``, what belongs to them (made once, kept in the bench database)."""
    from kernel import security
    from kernel.models import Role, RolePermission, User
    from modules.base.models import Province, RoleProvince

    with kernel.session() as s:
        found = s.scalar(select(User.id).where(User.username == PROVINCE_USER))
        if found is not None:
            return int(found)
        kernel.set_setting(s, "kernel.extra_seats", 500)
        place = s.scalar(select(Province.id).where(Province.name == province))
        assert place is not None, f"no province {province!r}"
        role = Role(name=PROVINCE_USER, record_scope="all", permissions=[
            RolePermission(permission=p) for p in ("tasks.task.view", "base.partner.view",
                                                   "base.communication.view", "kernel.reminder.view")])
        user = security.create_user(kernel, s, PROVINCE_USER, gt.gen.PASSWORD, full_name="کاربر استانی")
        user.roles = [role]
        s.flush()
        s.add(RoleProvince(role_id=role.id, province_id=place))
        return int(user.id)


def province_scenarios(kernel: Any, client: Any) -> list[bb.Scenario]:
    def listed(r: Any) -> bool:
        return "data-href=" in r.text

    return [
        ("list", "province user: tasks, newest first", "/tasks/task/", {}, listed),
        ("list", "province user: open tasks by due date", "/tasks/task/", {"f_state": "open", "sort": "due_at"},
         listed),
        ("list", "province user: reminders", "/kernel/reminder/", {}, lambda r: True),
        ("list", "province user: communications", "/base/communication/", {}, listed),
        ("dashboard", "province user: dashboard /", "/", {}, lambda r: True),
    ]


@contextmanager
def bench_base_for(uid: int, username: str = gt.KARTABLE_USER) -> Iterator[None]:
    """``bench_base.measure`` with this benchmark's login, requests and targets."""
    saved = bb.login, bb.scenarios, bb.TARGETS
    scenarios = scenarios_for(uid) if username == gt.KARTABLE_USER else province_scenarios
    bb.login, bb.scenarios, bb.TARGETS = login_as(username), scenarios, TARGETS
    try:
        yield
    finally:
        bb.login, bb.scenarios, bb.TARGETS = saved


def badges(kernel: Any, uid: int, repeat: int) -> list[tuple[str, float, int]]:
    """The menu badges every page computes, timed on their own: (item, median ms, value)."""
    from kernel import security

    with kernel.sessions() as s:
        actor = security.load_actor(s, uid)
    out = []
    for item in kernel.menu:
        if item.badge is None:
            continue
        times, value = [], 0
        for _ in range(repeat):
            with kernel.sessions() as s:
                t0 = time.perf_counter()
                value = item.badge(session=s, actor=actor, kernel=kernel) or 0
                times.append(time.perf_counter() - t0)
        out.append((item.key, statistics.median(times) * 1000, value))
    return out


# -- what-if: the changes proposed in docs/PERFORMANCE.md ("Tasks"), in this process only ----------
PROPOSED_INDEXES = {  # name: (table, columns, partial index condition)
    # The kartable's "follow-ups due" of one owner, newest date first (modules/base/follow_ups.py).
    "ix_bench_communication_follow_up": ("base_communication", "owner_id, follow_up_on, id",
                                         "follow_up_on IS NOT NULL AND deleted_at IS NULL"),
    # The dashboard's latest communications of an own-scoped user.
    "ix_bench_communication_owner_started": ("base_communication", "owner_id, started_at, id", ""),
}


# The kartable's counts stop at 100 ("100+") instead of 1,000: counting 1,000 open follow-ups
# checks each of the owner's ~12,000 follow-ups for a later communication.
QUEUE_CAP = 100


def proposed_scan(fire_due: Callable[..., int]) -> Callable[..., int]:
    """``fire_due`` with one-off reminders (most of them) raised and closed by two set-based
    statements, and only the recurring ones computed in Python (alarms inserted through Core)."""

    def scan(session: Any, now: dt.datetime, tz: str) -> int:
        return set_based(fire_due, session, now, tz)

    return scan


def set_based(fire_due: Callable[..., int], session: Any, now: dt.datetime, tz: str) -> int:
    from sqlalchemy import literal
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from kernel.reminders import scan as alarms
    from kernel.reminders.models import Alarm, Reminder

    r = Reminder
    conn = session.connection()
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    # One-offs not sent by e-mail; the rest (recurring, e-mailed) go through ``fire_due`` itself.
    due = (r.deleted_at.is_(None), r.next_at.is_not(None), r.next_at <= now, r.repeat == "none",
           r.by_email.is_(False))
    url = alarms.alarm_url()
    once = select(r.user_id, r.id, literal("reminder"), r.title, url, r.next_at, literal(now, type_=r.next_at.type))
    conn.execute(insert(Alarm).from_select(
        ["user_id", "reminder_id", "kind", "title", "url", "due_at", "created_at"],
        once.where(*due, r.user_id.is_not(None))).on_conflict_do_nothing(
        index_elements=["reminder_id", "due_at"]))
    fired = int(conn.execute(update(r).where(*due).values(next_at=None)).rowcount or 0)
    saved = alarms.insert_alarms
    alarms.insert_alarms = lambda s, rows: conn.execute(  # type: ignore[assignment]
        insert(Alarm).on_conflict_do_nothing(index_elements=["reminder_id", "due_at"]), rows) if rows else None
    try:
        return fired + fire_due(session, now, tz)  # only recurring ones are left
    finally:
        alarms.insert_alarms = saved


def apply_proposed(kernel: Any) -> Callable[[], None]:
    """What-if: the two indexes above, the queue's counts capped at ``QUEUE_CAP``, memoized Jalali
    conversions in the recurrence rules and the set-based scan, in this process and the bench database only (undone by the returned function)."""
    import functools

    from kernel.reminders import recurrence
    from kernel.reminders import scan as alarms
    from modules.tasks import queue

    pg = kernel.engine.dialect.name == "postgresql"
    with kernel.engine.begin() as conn:
        for name, (table, columns, where) in PROPOSED_INDEXES.items():
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"
                                 + (f" WHERE {where}" if where else ""))
            conn.exec_driver_sql(f"ANALYZE {table if pg else name}")
    saved = recurrence.to_jalali, recurrence.jalali_to_date, alarms.fire_due, queue.CAP
    queue.CAP = QUEUE_CAP
    recurrence.to_jalali = functools.lru_cache(maxsize=65536)(recurrence.to_jalali)  # type: ignore[assignment]
    recurrence.jalali_to_date = functools.lru_cache(maxsize=65536)(recurrence.jalali_to_date)  # type: ignore[assignment]
    alarms.fire_due = proposed_scan(alarms.fire_due)

    def undo() -> None:
        recurrence.to_jalali, recurrence.jalali_to_date, alarms.fire_due, queue.CAP = saved  # type: ignore[assignment]
        with kernel.engine.begin() as conn:
            for name in PROPOSED_INDEXES:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
            if pg:
                conn.exec_driver_sql("ANALYZE base_communication")

    return undo


# -- the reminder scan ----------------------------------------------------------------------
def restore(kernel: Any, prog: dict[str, Any]) -> int:
    """Put the 100,000 due reminders back as generated: their alarms gone, ``next_at`` in the minute."""
    from kernel.reminders.models import Alarm, Reminder
    from kernel.reminders.recurrence import latest_until

    lo, hi = gt.due_range(prog)
    scan_at = dt.datetime.fromisoformat(prog["scan_at"])
    tz = kernel.config.timezone
    r = Reminder
    with kernel.engine.begin() as conn:
        rows = conn.execute(select(r.id, r.first_at, r.repeat).where(r.id.between(lo, hi))).all()
        back = [{"b_id": i, "b_next": latest_until(first, repeat, scan_at, tz)} for i, first, repeat in rows]
        conn.execute(update(r).where(r.id == bindparam("b_id")).values(next_at=bindparam("b_next"))
                     .execution_options(synchronize_session=False), back)
        conn.execute(delete(Alarm).where(Alarm.reminder_id.between(lo, hi)))
        due = conn.scalar(select(func.count()).select_from(r).where(
            r.deleted_at.is_(None), r.next_at.is_not(None), r.next_at <= scan_at)) or 0
    return int(due)


def alarms_of_due(kernel: Any, prog: dict[str, Any]) -> int:
    from kernel.reminders.models import Alarm

    lo, hi = gt.due_range(prog)
    with kernel.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Alarm).where(Alarm.reminder_id.between(lo, hi))) or 0)


def scan(kernel: Any, prog: dict[str, Any], runs: int) -> list[dict[str, Any]]:
    from kernel.reminders import scan as alarms

    scan_at = dt.datetime.fromisoformat(prog["scan_at"])
    tz = kernel.config.timezone
    out = []
    for n in range(runs):
        due = restore(kernel, prog)
        row: dict[str, Any] = {"due": due}
        for label in ("first", "again"):
            with bb.capturing(kernel.engine) as sql, kernel.session() as s:
                t0 = time.perf_counter()
                fired = alarms.fire_due(s, scan_at, tz)
                row[f"{label}_fire_s"] = time.perf_counter() - t0
                t1 = time.perf_counter()
            row[f"{label}_s"] = time.perf_counter() - t0
            row[f"{label}_commit_s"] = time.perf_counter() - t1
            row[f"{label}_fired"] = fired
            row[f"{label}_sql_s"] = sum(x[0] for x in sql)
            row[f"{label}_statements"] = len(sql)
            row[f"{label}_alarms"] = alarms_of_due(kernel, prog)
        print(f"  scan {n + 1}: {due:,} due; fired {row['first_fired']:,} in {row['first_s']:.2f} s "
              f"(fire_due {row['first_fire_s']:.2f} s, SQL {row['first_sql_s']:.2f} s in {row['first_statements']} "
              f"statements, commit {row['first_commit_s']:.2f} s), alarms {row['first_alarms']:,}; again: fired "
              f"{row['again_fired']}, {row['again_s'] * 1000:.0f} ms, alarms {row['again_alarms']:,}",
              file=sys.stderr, flush=True)
        out.append(row)
    restore(kernel, prog)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bb.bench_args(ap, "gen_tasks.py", 50)
    ap.add_argument("--scans", type=int, default=3, help="reminder scans, each on restored data (default 3)")
    ap.add_argument("--only", choices=("pages", "scan"), help="run only the pages or only the scan")
    ap.add_argument("--province", metavar="NAME",
                    help="the pages as a user limited to this province (e.g. تهران) instead of the kartable user")
    ap.add_argument("--proposed", action="store_true",
                    help="what-if: apply the changes proposed in docs/PERFORMANCE.md in this process (an index "
                         "created in the bench database and dropped afterwards)")
    args = ap.parse_args(argv)
    kernel = bb.open_generated(gt, args, "gen_tasks.py")
    if kernel is None:
        return 2
    prog = gt.progress_of(kernel)
    label = "PostgreSQL" if args.postgres else "SQLite"
    uid = province_user(kernel, args.province) if args.province else kartable_user(kernel)
    username = PROVINCE_USER if args.province else gt.KARTABLE_USER
    load = os.getloadavg()[0]
    results: list[dict[str, Any]] = []
    badge_rows: list[tuple[str, float, int]] = []
    scans: list[dict[str, Any]] = []
    undo = apply_proposed(kernel) if args.proposed else None
    try:
        if args.only != "scan":
            restore(kernel, prog)
            with bench_base_for(uid, username):
                results = bb.measure(kernel, args.requests, args.verbose, args.explain)
            badge_rows = badges(kernel, uid, repeat=max(10, args.requests))
        if args.only != "pages":
            scans = scan(kernel, prog, args.scans)
    finally:
        if undo is not None:
            undo()
    if args.proposed:
        label += ", WITH THE PROPOSED CHANGES (what-if)"

    print(f"\nTasks — {prog['tasks']:,} tasks, {prog['partners']:,} partners on {label}, kartable user #{uid}, "
          f"{args.requests} requests each (server time, ms); load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end")
    missed = []
    if results:
        print(f"{'request':52} {'p50':>6} {'p95':>6} {'target':>6} {'SQL/req':>7} {'in-req':>7} {'bare':>6}")
        for r in results:
            target = TARGETS[r["group"]]
            flag = "" if r["p95"] <= target else "  MISSED"
            if flag:
                missed.append(r["name"])
            print(f"{r['name'][:52]:52} {r['p50']:6.1f} {r['p95']:6.1f} {target:6.0f} {r['queries']:7.1f} "
                  f"{r['sql_ms']:7.1f} {r['bare_ms']:6.1f}{flag}")
            print(f"{'':52} slowest statement {r['slowest_ms']:.1f} ms bare: {r['slowest_sql'][:160]}")
    for name, ms, value in badge_rows:
        print(f"menu badge {name}: {ms:.2f} ms (value {value:,})")
    for n, s in enumerate(scans, 1):
        flag = "" if s["first_s"] <= TARGETS["scan"] and s["first_alarms"] == s["due"] and s["again_fired"] == 0 \
            else "  MISSED"
        if flag:
            missed.append(f"scan {n}")
        print(f"reminder scan {n}: {s['due']:,} due → {s['first_fired']:,} fired, {s['first_alarms']:,} alarms in "
              f"{s['first_s']:.2f} s (target {TARGETS['scan']:.0f} s; commit {s['first_commit_s']:.2f} s); "
              f"second scan: {s['again_fired']} fired, {s['again_s'] * 1000:.0f} ms{flag}")
    kernel.engine.dispose()
    return 1 if missed and os.environ.get("BENCH_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
