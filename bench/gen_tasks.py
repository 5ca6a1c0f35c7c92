"""Add users, 2,000,000 tasks, reminders and alarms to the 1M-partner database for ``bench/bench_tasks.py``.

    python bench/gen_partners.py && python bench/gen_tasks.py             # SQLite
    python bench/gen_tasks.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_tasks
    python bench/gen_tasks.py --rebuild                                   # start again from a fresh copy

The tasks module needs edition tier2, and a database upgraded to it can no longer be opened as
tier1 (alembic cannot locate the tasks revision), so the tasks go into a *copy* of what
``gen_partners.py`` made: SQLite copies ``bench/data/base-sqlite-<N>/bench.sqlite3`` to
``bench/data/tasks-sqlite-<N>/``; on PostgreSQL make the copy first
(``CREATE DATABASE bench_tasks TEMPLATE <base database>``) and pass its URL.

What is added (progress in the ``bench.tasks_gen`` setting; every batch has its own seed, so an
interrupted run continues with the same rows):

* 50 users with one role (record scope "own", tasks and base permissions): user #1 is the
  *kartable user* ``bench-kartable``; the partners and their communications are shared out among
  the 50 users (the base data has the admin own everything), so each user has partners and
  follow-ups of their own, as an account manager would.
* 2,000,000 tasks over two years in time order, 85 % about a partner: the kartable user has 50,000
  of them with exactly 10,000 open (600 overdue, 40 due on the generation day, the rest over the
  next year) and referred 1,000 to colleagues; the others' tasks are mostly done (progress 100,
  ``done_at``), the recent and future ones open, 10 % referred by a colleague.
* 600,000 reminders: 100,000 due in the minute before ``scan_at`` (the generation time; 70 %
  one-off, the rest daily, weekly or monthly on a Jalali day, started up to a year before), in one
  id range so ``bench_tasks.py`` can put them back after a scan; 200,000 still to come; 300,000
  one-offs already fired, each with its (seen) alarm; plus 20 unseen alarms per user.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_partners as gen  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

EDITION = "tier2"
VERSION = 2  # 2: partners shared out among the users too
PROGRESS = "bench.tasks_gen"
LOADED = ("tasks_task", "kernel_reminder", "kernel_alarm")
KARTABLE_USER = "bench-kartable"
USERS = 50
PERMS = ("tasks.task.", "kernel.reminder.", "base.partner.", "base.communication.")
# The kartable user: every 40th task is theirs (50,000 of 2,000,000); the newest 10,000 are open.
MINE_EVERY, MINE_OPEN, MINE_OVERDUE, MINE_TODAY = 40, 10_000, 600, 40
REFERRED_EVERY = 2_000  # every 2,000th other task was referred by the kartable user: 1,000
DUE_REMINDERS, FUTURE_REMINDERS, FIRED_REMINDERS, UNSEEN_PER_USER = 100_000, 200_000, 300_000, 20

# -- task material ----------------------------------------------------------------------------
ABOUT_PARTNER = (
    "پیگیری پیش‌فاکتور", "تماس برای تمدید قرارداد", "ارسال کاتالوگ محصولات", "هماهنگی جلسه معرفی",
    "پیگیری وصول چک", "ارسال نمونه کالا", "بازدید از فروشگاه", "پیگیری سفارش معوق", "تماس پس از فروش",
    "ارسال فاکتور رسمی", "هماهنگی تحویل بار", "پیگیری شکایت مشتری", "ارسال لیست قیمت جدید",
    "دعوت به نمایشگاه", "پیگیری تسویه حساب", "تماس برای نظرسنجی", "تنظیم قرارداد فروش",
    "پیگیری نصب و راه‌اندازی", "ارسال پیشنهاد همکاری", "پیگیری مرجوعی", "یادآوری سررسید اقساط",
    "هماهنگی بازدید کارشناس", "تبریک سالگرد همکاری", "پیگیری اعتبار خرید", "ارسال کارت گارانتی",
)
INTERNAL = (
    "تهیه گزارش فروش ماهانه", "جلسه هفتگی تیم فروش", "به‌روزرسانی لیست قیمت", "بررسی موجودی انبار",
    "تنظیم برنامه بازدید هفته", "آماده‌سازی غرفه نمایشگاه", "گزارش وصولی‌های فصل", "آموزش همکار جدید",
    "بررسی اهداف فروش", "هماهنگی با واحد مالی",
)
DETAILS = (
    "طبق صحبت تلفنی قبلی", "مشتری درخواست تخفیف دارد", "با مدیر خرید هماهنگ شود", "پس از دریافت پیش‌پرداخت",
    "نسخه امضاشده بایگانی شود", "فوری: سفارش بزرگ در راه است", "با واحد انبار چک شود",
)
REMINDER_TITLES = ("تماس با مشتری", "پیگیری پیش‌فاکتور", "جلسه با مدیر فروش", "ارسال گزارش روزانه",
                   "پیگیری چک", "یادآوری سررسید قسط", "بررسی ایمیل‌های مشتریان", "تمدید قرارداد")
PRIORITIES = (("normal", 60), ("high", 20), ("low", 12), ("urgent", 8))
REPEATS = (("none", 70), ("daily", 15), ("weekly", 5), ("monthly", 10))


@contextmanager
def loaded_tables(names: tuple[str, ...] = LOADED) -> Iterator[None]:
    """``gen_partners``' index helpers, pointed at these tables (the tasks tables by default)."""
    saved = gen.LOADED
    gen.LOADED = names
    try:
        yield
    finally:
        gen.LOADED = saved


# -- the database ---------------------------------------------------------------------------
def where(args: argparse.Namespace, module: str = "tasks") -> tuple[str, Path]:
    """Where a module's generated data lives (``gen_finance.py`` uses it with "finance")."""
    if args.postgres:
        return args.postgres, gen.DATA / f"{module}-home-postgres"
    home = gen.DATA / f"{module}-sqlite-{args.partners}"
    return f"sqlite:///{home / 'bench.sqlite3'}", home


def open_kernel(url: str, home: Path, upgrade: bool = True, edition: str = EDITION) -> Any:
    from kernel import migrations
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    kernel = Kernel(dataclasses.replace(gen.make_config(url, home), edition=edition))
    if upgrade:
        migrations.upgrade(kernel)
    return kernel


def progress_of(kernel: Any, key: str = PROGRESS) -> dict[str, Any]:
    with kernel.sessions() as s:
        value = kernel.setting(s, key, None)
    return dict(value) if isinstance(value, dict) else {}


def save_progress(conn: Any, kernel: Any, prog: dict[str, Any], key: str = PROGRESS) -> None:
    with Session(bind=conn) as s:
        kernel.set_setting(s, key, prog)
        s.flush()


def copy_base(args: argparse.Namespace, home: Path, base: str = "base") -> bool:
    """SQLite: start from a copy of gen_partners' database (done once; ``--rebuild`` copies again);
    ``base="finance"``: of gen_finance's (which holds gen_partners' too)."""
    target = home / "bench.sqlite3"
    if args.rebuild:
        shutil.rmtree(home, ignore_errors=True)
    if target.exists():
        return True
    source = gen.DATA / f"{base}-sqlite-{args.partners}" / "bench.sqlite3"
    if not source.exists():
        print(f"no base database at {source}: run bench/gen_partners.py --partners {args.partners} first",
              file=sys.stderr)
        return False
    home.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    shutil.copyfile(source, target.with_suffix(".part"))
    target.with_suffix(".part").rename(target)
    print(f"  copied {source} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return True


def open_for_generation(url: str, home: Path, edition: str = EDITION,
                        key: str = PROGRESS) -> tuple[Any, dict[str, Any], dict[str, Any]] | None:
    """The kernel on a copy of gen_partners' data, this generation's progress and the base's; None
    (with the reason printed) when the base data is incomplete. An interrupted load is not upgraded:
    its indexes are dropped, and an upgrade would rebuild the search index only to drop it again."""
    kernel = open_kernel(url, home, upgrade=False, edition=edition)
    try:
        prog = progress_of(kernel, key)
    except Exception:  # not upgraded to the edition yet
        prog = {}
    if not prog or prog.get("complete"):
        from kernel import migrations

        migrations.upgrade(kernel)
    base = gen.progress_of(kernel)
    if not base.get("complete"):
        print(f"{url} holds no complete gen_partners.py data", file=sys.stderr)
        return None
    return kernel, prog, base


def mark_complete(kernel: Any, prog: dict[str, Any], home: Path, postgres: str | None,
                  key: str = PROGRESS) -> str:
    """The generation recorded as complete, the kernel closed; the SQLite file's size to print."""
    prog["complete"] = True
    with kernel.engine.begin() as conn:
        save_progress(conn, kernel, prog, key)
    kernel.engine.dispose()
    if postgres:
        return ""
    return f", file {sum(f.stat().st_size for f in home.glob('bench.sqlite3*')) / 2**30:.1f} GiB"


# -- users ----------------------------------------------------------------------------------
def ensure_users(kernel: Any) -> list[int]:
    """The 50 bench users (ids in order, #1 the kartable user) with their role; seats are not
    checked: the bench measures data volume, not the edition's licence."""
    from kernel import security
    from kernel.models import Role, RolePermission, User
    from modules.base.demo import FEMALE, LAST, MALE

    names = [KARTABLE_USER] + [f"bench-user-{k:02d}" for k in range(2, USERS + 1)]
    with kernel.session() as s:
        have = {u.username: u for u in s.scalars(select(User).where(User.username.in_(names)))}
        if len(have) < len(names):
            role = s.scalars(select(Role).where(Role.name == "bench-sales")).first()
            if role is None:
                perms = sorted(c for c in kernel.permissions if c.startswith(PERMS))
                role = Role(name="bench-sales", record_scope="own",
                            permissions=[RolePermission(permission=c) for c in perms])
                s.add(role)
            digest = security.hash_password(gen.PASSWORD)
            rnd = random.Random(7)
            for name in names:
                if name in have:
                    continue
                first = rnd.choice(FEMALE if rnd.random() < 0.4 else MALE)
                user = User(username=name, password_hash=digest, full_name=f"{first} {rnd.choice(LAST)}",
                            lang="fa", is_active=True)
                user.roles = [role]
                s.add(user)
                s.flush()
                have[name] = user
        return [int(have[n].id) for n in names]


def share_owners(kernel: Any, users: list[int]) -> float:
    """Each partner, with its communications, to one of the users (an account manager; by
    ``id / 5`` so that every user gets some of the busy partners, which are every fifth id)."""
    t0 = time.perf_counter()
    case = " ".join(f"WHEN {k} THEN {uid}" for k, uid in enumerate(users))
    pg = kernel.engine.dialect.name == "postgresql"
    shared = {"base_partner": "id", "base_communication": "partner_id"}
    with loaded_tables(tuple(shared)):
        if pg:  # every index gets a new entry per updated row there: rebuild them all instead
            gen.drop_indexes(kernel)
        for name, column in shared.items():
            table = kernel.metadata.tables[name]
            owner_ix = [ix for ix in table.indexes if [c.name for c in ix.columns] == ["owner_id"]]
            with kernel.engine.begin() as conn:
                for ix in owner_ix:
                    ix.drop(conn, checkfirst=True)
                conn.execute(text(f"UPDATE {name} SET owner_id = CASE ({column} / 5) % {len(users)} {case} END"))
                for ix in owner_ix:
                    ix.create(conn)
        if pg:
            gen.build_indexes(kernel)
    return time.perf_counter() - t0


# -- tasks ----------------------------------------------------------------------------------
class World:
    def __init__(self, kernel: Any, users: list[int], epoch: str) -> None:
        from kernel.persian.search_keys import SEARCH_ATTR
        from modules.base.models import Partner
        from modules.tasks.models import Task

        self.users = users
        self.me = users[0]
        self.others = users[1:]
        self.epoch = dt.datetime.fromisoformat(epoch)
        self.task_fields = getattr(Task, SEARCH_ATTR)
        with kernel.engine.connect() as conn:
            self.partners = int(conn.scalar(select(func.max(Partner.id))) or 0)
        self.tz = kernel.config.timezone


def pick(rnd: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return str(gen.wchoice(rnd, pairs))


def local_at(world: World, day: dt.date, hour: int, minute: int) -> dt.datetime:
    from kernel.timezone import to_utc

    return to_utc(dt.datetime.combine(day, dt.time(hour, minute)), world.tz)


def task_batch(world: World, start: int, count: int, base_id: int, total: int, seed: int,
               cache: dict[tuple[str, str | None], str]) -> list[dict[str, Any]]:
    """Tasks ``start … start+count-1``: created in time order over two years up to the epoch."""
    from kernel.persian.search_keys import compute
    from kernel.timezone import local_today

    rnd = random.Random(seed * 9_000_011 + start)
    today = local_today(world.tz, world.epoch)
    span = dt.timedelta(days=730)
    mine_total = total // MINE_EVERY
    rows: list[dict[str, Any]] = []
    for i in range(start, start + count):
        created = world.epoch - span + span * (i / max(total, 1)) - dt.timedelta(minutes=rnd.randrange(600))
        mine = i % MINE_EVERY == 0
        owner = assignee = world.me if mine else world.others[(i * 7 + rnd.randrange(3)) % len(world.others)]
        referred_by = None
        if not mine and i % REFERRED_EVERY == 1:
            referred_by = owner = world.me
        elif not mine and rnd.random() < 0.1:
            referred_by = owner = rnd.choice([u for u in world.users if u != assignee])
        due: dt.datetime | None = created + dt.timedelta(days=rnd.randint(0, 30), hours=rnd.randint(0, 8))
        if mine:
            k = i // MINE_EVERY - (mine_total - MINE_OPEN)  # >= 0: one of the 10,000 open
            slot = (k * 7919) % MINE_OPEN
            if k < 0:
                done = True
            elif slot < MINE_OVERDUE:
                done, due = False, world.epoch - dt.timedelta(days=rnd.randint(1, 60), hours=rnd.randint(0, 9))
            elif slot < MINE_OVERDUE + MINE_TODAY:
                done, due = False, local_at(world, today, rnd.randint(8, 19), rnd.choice((0, 15, 30, 45)))
            else:
                done = False
                due = local_at(world, today + dt.timedelta(days=rnd.randint(1, 365)), rnd.randint(8, 19), 0)
            if due is not None and due < created:
                created = due - dt.timedelta(days=rnd.randint(1, 20))
        else:
            if rnd.random() < 0.05:
                due = None
            when = due or created
            age = world.epoch - when
            done = rnd.random() < (0.97 if age > dt.timedelta(days=14) else 0.6 if age > dt.timedelta(0) else 0.05)
        if due is not None and not mine and due > world.epoch and not done:
            due = local_at(world, due.date(), rnd.randint(8, 19), 0)  # future ones at office hours
        internal = rnd.random() < 0.15
        title = rnd.choice(INTERNAL if internal else ABOUT_PARTNER)
        if not internal and rnd.random() < 0.2:
            title += f" شماره {rnd.randrange(1000, 10_000)}"
        description = rnd.choice(DETAILS) if rnd.random() < 0.3 else None
        progress = 100 if done else rnd.choice((0, 0, 0, 10, 25, 50, 75, 90))
        done_at = None
        if done:
            done_at = min((due or created) + dt.timedelta(hours=rnd.randint(-48, 72)), world.epoch)
            done_at = max(done_at, created)
        updated = done_at or created
        row = {"id": base_id + i + 1, "title": title, "description": description,
               "priority": pick(rnd, PRIORITIES), "due_at": due, "progress": progress, "done_at": done_at,
               "partner_id": None if internal else rnd.randint(1, world.partners), "internal": internal,
               "link_resource": None, "link_id": None, "assignee_id": assignee, "referred_by_id": referred_by,
               "referred_at": created if referred_by else None, "remind_at": None,
               "owner_id": owner, "created_at": created, "updated_at": updated, "deleted_at": None,
               "created_by_id": owner, "updated_by_id": assignee}
        key = (title, description)
        if key not in cache:
            cache[key] = compute(SimpleNamespace(**row), world.task_fields)
        row["search_key"] = cache[key]
        rows.append(row)
    return rows


def fill_tasks(kernel: Any, world: World, prog: dict[str, Any], batch: int) -> None:
    from modules.tasks.models import Task

    total = prog["tasks"]
    cache: dict[tuple[str, str | None], str] = {}
    t0, resumed = time.perf_counter(), prog["tasks_done"]
    while prog["tasks_done"] < total:
        start = prog["tasks_done"]
        count = min(batch, total - start)
        rows = task_batch(world, start, count, prog["base_ids"]["tasks_task"], total, prog["seed"], cache)
        with kernel.engine.begin() as conn:
            gen.write_rows(conn, Task.__table__, rows)  # type: ignore[arg-type]
            prog["tasks_done"] = start + count
            save_progress(conn, kernel, prog)
        done = prog["tasks_done"]
        rate = (done - resumed) / max(time.perf_counter() - t0, 1e-9)
        print(f"\r  tasks {done:,}/{total:,}  ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


# -- reminders and alarms -------------------------------------------------------------------
def months_back(world: World, moment: dt.datetime, months: int) -> dt.datetime:
    """The same Jalali day and local time ``months`` months earlier (a monthly reminder's start)."""
    from kernel.persian.jalali import days_in_month, jalali_to_date, to_jalali
    from kernel.timezone import to_local, to_utc

    local = to_local(moment, world.tz)
    j = to_jalali(local.date())
    year, month = divmod(j.year * 12 + j.month - 1 - months, 12)
    day = min(j.day, days_in_month(year, month + 1))
    return to_utc(dt.datetime.combine(jalali_to_date(year, month + 1, day), local.time()), world.tz)


def reminder_batch(world: World, start: int, count: int, base_ids: dict[str, int], seed: int, tasks: int,
                   scan_at: dt.datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Reminders ``start … start+count-1`` (due, then future, then fired) and the fired ones' alarms."""
    from kernel.reminders.recurrence import next_after
    from kernel.reminders.services import link_url

    rnd = random.Random(seed * 5_000_011 + start)
    reminders: list[dict[str, Any]] = []
    alarms: list[dict[str, Any]] = []
    for i in range(start, start + count):
        user = world.users[i % len(world.users)]
        repeat = "none"
        if i < DUE_REMINDERS:  # due in the minute before scan_at
            next_at = scan_at - dt.timedelta(seconds=60) + dt.timedelta(seconds=rnd.randrange(1, 61))
            repeat = pick(rnd, REPEATS)
            back = rnd.randint(0, 365)
            first = {"none": next_at, "daily": next_at - dt.timedelta(days=back),
                     "weekly": next_at - dt.timedelta(days=7 * (back // 7)),
                     "monthly": months_back(world, next_at, back // 30)}[repeat]
        elif i < DUE_REMINDERS + FUTURE_REMINDERS:
            repeat = pick(rnd, REPEATS)
            first = scan_at - dt.timedelta(days=rnd.randint(-300, 300), minutes=rnd.randrange(1440))
            next_at = next_after(first, repeat, scan_at, world.tz) or scan_at + dt.timedelta(hours=rnd.randint(1, 999))
            if repeat == "none":
                first = next_at
        else:
            first = scan_at - dt.timedelta(days=rnd.randint(1, 700), minutes=rnd.randrange(1440))
            next_at = None
        task_id = base_ids["tasks_task"] + rnd.randint(1, tasks) if rnd.random() < 0.3 else None
        partner_id = rnd.randint(1, world.partners) if task_id is None and rnd.random() < 0.6 else None
        link = ("tasks.task", task_id) if task_id else ("base.partner", partner_id) if partner_id else None
        row = {"id": base_ids["kernel_reminder"] + i + 1, "title": rnd.choice(REMINDER_TITLES),
               "note": None, "user_id": user, "first_at": first, "repeat": repeat, "next_at": next_at,
               "active": True, "by_email": False, "link_resource": link[0] if link else None,
               "link_id": link[1] if link else None, "owner_id": user, "created_at": min(first, scan_at) - dt.timedelta(days=1),
               "deleted_at": None, "created_by_id": user, "updated_by_id": user}
        row["updated_at"] = row["created_at"]
        reminders.append(row)
        if next_at is None:
            alarms.append({"user_id": user, "reminder_id": row["id"], "kind": "reminder", "title": row["title"],
                           "url": link_url(link) or f"/kernel/reminder/{row['id']}", "due_at": first, "created_at": first,
                           "seen_at": first + dt.timedelta(minutes=rnd.randint(1, 600))})
    return reminders, alarms


def fill_reminders(kernel: Any, world: World, prog: dict[str, Any], batch: int) -> None:
    from kernel.reminders.models import Alarm, Reminder

    total = DUE_REMINDERS + FUTURE_REMINDERS + FIRED_REMINDERS
    scan_at = dt.datetime.fromisoformat(prog["scan_at"])
    t0 = time.perf_counter()
    while prog["reminders_done"] < total:
        start = prog["reminders_done"]
        count = min(batch, total - start)
        reminders, alarms = reminder_batch(world, start, count, prog["base_ids"], prog["seed"], prog["tasks"],
                                           scan_at)
        with kernel.engine.begin() as conn:
            gen.write_rows(conn, Reminder.__table__, reminders)  # type: ignore[arg-type]
            for k, row in enumerate(alarms):
                row["id"] = prog["base_ids"]["kernel_alarm"] + prog["alarms_next"] + k + 1
            prog["alarms_next"] += len(alarms)
            gen.write_rows(conn, Alarm.__table__, alarms)  # type: ignore[arg-type]
            prog["reminders_done"] = start + count
            save_progress(conn, kernel, prog)
        print(f"\r  reminders {prog['reminders_done']:,}/{total:,}  "
              f"({prog['reminders_done'] / max(time.perf_counter() - t0, 1e-9):,.0f}/s)", end="", file=sys.stderr,
              flush=True)
    print(file=sys.stderr)
    if not prog.get("unseen_done"):
        rnd = random.Random(prog["seed"])
        rows = []
        for k, user in enumerate(world.users * UNSEEN_PER_USER):
            due = scan_at - dt.timedelta(hours=rnd.randint(2, 72))
            rows.append({"id": prog["base_ids"]["kernel_alarm"] + prog["alarms_next"] + k + 1, "user_id": user,
                         "reminder_id": None, "kind": "referral", "title": rnd.choice(ABOUT_PARTNER),
                         "url": f"/tasks/task/{prog['base_ids']['tasks_task'] + rnd.randint(1, prog['tasks'])}",
                         "due_at": due, "created_at": due, "seen_at": None})
        with kernel.engine.begin() as conn:
            gen.write_rows(conn, Alarm.__table__, rows)  # type: ignore[arg-type]
            prog["alarms_next"] += len(rows)
            prog["unseen_done"] = True
            save_progress(conn, kernel, prog)


def due_range(prog: dict[str, Any]) -> tuple[int, int]:
    """The ids of the 100,000 reminders due at ``scan_at`` (inclusive)."""
    lo = prog["base_ids"]["kernel_reminder"] + 1
    return lo, lo + DUE_REMINDERS - 1


# -- the run --------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=1_000_000, help="which generated SQLite database (default 1,000,000)")
    ap.add_argument("--postgres", metavar="URL", help="a copy of gen_partners.py's PostgreSQL database to fill")
    ap.add_argument("--tasks", type=int, default=2_000_000, help="tasks (default 2,000,000)")
    ap.add_argument("--rebuild", action="store_true", help="SQLite: start again from a fresh copy of the base data")
    ap.add_argument("--batch", type=int, default=20_000, help="rows per transaction (default 20,000)")
    ap.add_argument("--seed", type=int, default=1405)
    args = ap.parse_args(argv)
    if args.tasks < MINE_EVERY * MINE_OPEN:
        ap.error(f"--tasks must be at least {MINE_EVERY * MINE_OPEN:,}: the kartable user's 10,000 open tasks")

    url, home = where(args)
    if not args.postgres and not copy_base(args, home):
        return 2
    t_start = time.perf_counter()
    opened = open_for_generation(url, home)
    if opened is None:
        return 2
    kernel, prog, base = opened
    wanted = {"version": VERSION, "tasks": args.tasks, "seed": args.seed, "partners": base["partners"]}
    if prog and any(prog.get(k) != v for k, v in wanted.items()):
        print(f"{url} holds another generation ({ {k: prog.get(k) for k in wanted} }); use --rebuild", file=sys.stderr)
        return 2
    if prog.get("complete"):
        print(f"already generated: {args.tasks:,} tasks in {url}", file=sys.stderr)
        return 0
    users = ensure_users(kernel)
    if not prog:
        with kernel.engine.connect() as conn:
            ids = {name: int(conn.scalar(text(f"SELECT coalesce(max(id), 0) FROM {name}")) or 0) for name in LOADED}
        epoch = dt.datetime.now(dt.UTC).replace(tzinfo=None, second=0, microsecond=0)
        prog = {**wanted, "tasks_done": 0, "reminders_done": 0, "alarms_next": 0, "base_ids": ids,
                "epoch": epoch.isoformat(), "scan_at": epoch.isoformat(), "users": users}
        with kernel.engine.begin() as conn:
            save_progress(conn, kernel, prog)
    else:
        print(f"resuming at {prog['tasks_done']:,} tasks, {prog['reminders_done']:,} reminders", file=sys.stderr)
    if kernel.engine.dialect.name == "sqlite":
        gen.sqlite_fast(kernel)
    times: dict[str, float] = {}
    if not prog.get("shared"):
        times["owners"] = share_owners(kernel, users)
        prog["shared"] = True
        with kernel.engine.begin() as conn:
            save_progress(conn, kernel, prog)
        print(f"  partners and communications shared out among {len(users)} users in {times['owners']:.0f} s", file=sys.stderr)
    with loaded_tables():
        gen.drop_indexes(kernel)
        world = World(kernel, users, prog["epoch"])
        t0 = time.perf_counter()
        fill_tasks(kernel, world, prog, args.batch)
        times["tasks"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        fill_reminders(kernel, world, prog, args.batch)
        times["reminders"] = time.perf_counter() - t0
        times.update(gen.finish(kernel, keep_indexes=False))
    size = mark_complete(kernel, prog, home, args.postgres)
    print(f"generated {args.tasks:,} tasks, {DUE_REMINDERS + FUTURE_REMINDERS + FIRED_REMINDERS:,} reminders and "
          f"{prog['alarms_next']:,} alarms for {len(users)} users in {time.perf_counter() - t_start:.0f} s "
          f"(owners {times.get('owners', 0):.0f} s, tasks {times['tasks']:.0f} s, reminders {times['reminders']:.0f} s, "
          f"indexes {times['indexes']:.0f} s, analyze {times['analyze']:.0f} s){size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
