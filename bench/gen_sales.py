"""Add sales teams, 200,000 opportunities and 50,000 leads to the 1M-partner database for
``bench/bench_sales.py`` (issue 15: the kanban board of a team p95 ≤ 60 ms).

    python bench/gen_partners.py && python bench/gen_sales.py          # SQLite (a copy of the base data)
    python bench/gen_sales.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_sales
    python bench/gen_sales.py --rebuild                                # start again from a fresh copy

On PostgreSQL make the copy first (``CREATE DATABASE bench_sales TEMPLATE <base database>``).

What is added: 40 salespeople in 4 teams of 10 (record scope "own"; user #1 of each team, the
team's manager, scope "team"); the partners shared out among them as account managers (by
``id / 5``, as ``gen_tasks.py`` does); 200,000 opportunities over two years on partners of their
owner, 65 % open across the four open stages of the seeded pipeline (positions in order), the rest
won or lost with a reason; 50,000 leads. Every batch has its own seed.
"""

from __future__ import annotations

import argparse
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
import gen_tasks  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

EDITION = "tier2"
PROGRESS = "bench.sales_gen"
TEAMS = 4
PER_TEAM = 10
OPPORTUNITIES = 200_000
LEADS = 50_000
BATCH = 10_000
TITLES = ("فرش هتل", "فرش لابی", "تجهیز دفتر", "فرش مسجد", "سفارش نمایندگی", "فرش تالار", "فرش اداری",
          "خرید عمده", "تمدید قرارداد", "سفارش پروژه‌ای")


def open_kernel(url: str, home: Path, upgrade: bool = True) -> Any:
    import dataclasses

    from kernel import migrations
    from kernel.kernel import Kernel

    home.mkdir(parents=True, exist_ok=True)
    config = dataclasses.replace(gen.make_config(url, home), edition=EDITION,
                                 extra_modules=("sales",), extra_packages=("modules.sales",))
    kernel = Kernel(config)
    if upgrade:
        migrations.upgrade(kernel)
    return kernel


def where(args: argparse.Namespace) -> tuple[str, Path]:
    return gen_tasks.where(args, "sales")


def progress_of(kernel: Any) -> dict[str, Any]:
    return gen_tasks.progress_of(kernel, PROGRESS)


def users(kernel: Any) -> list[list[int]]:
    """Four teams of ten; the first of each is its manager (team scope)."""
    from kernel import security
    from kernel.models import Role, RolePermission, Team, User

    perms = sorted(c for c in kernel.permissions if c.startswith(("sales.", "base.partner.", "base.communication.")))
    teams: list[list[int]] = []
    with kernel.session() as s:
        roles = {}
        for scope in ("own", "team"):
            role = s.scalars(select(Role).where(Role.name == f"bench-sales-{scope}")).first()
            if role is None:
                role = Role(name=f"bench-sales-{scope}", record_scope=scope,
                            permissions=[RolePermission(permission=c) for c in perms])
                s.add(role)
            roles[scope] = role
        digest = security.hash_password(gen.PASSWORD)
        for t in range(1, TEAMS + 1):
            team = s.scalars(select(Team).where(Team.name == f"bench-team-{t}")).first()
            if team is None:
                team = Team(name=f"bench-team-{t}")
                s.add(team)
                s.flush()
            ids = []
            for n in range(1, PER_TEAM + 1):
                name = f"bench-seller-{t}-{n:02d}"
                user = s.scalars(select(User).where(User.username == name)).first()
                if user is None:
                    user = User(username=name, password_hash=digest, full_name=f"کارشناس {t}-{n}", lang="fa",
                                is_active=True, team_id=team.id)
                    user.roles = [roles["team" if n == 1 else "own"]]
                    s.add(user)
                    s.flush()
                ids.append(int(user.id))
            teams.append(ids)
    return teams


def fill(kernel: Any, sellers: list[int], epoch: dt.datetime) -> None:
    from modules.sales.models import Lead, LostReason, Opportunity, Stage

    with kernel.sessions() as s:
        stages = list(s.scalars(select(Stage).order_by(Stage.sequence)))
        reasons = [int(r) for r in s.scalars(select(LostReason.id))]
        partners = int(s.scalar(select(func.max(text("id"))).select_from(text("base_partner"))) or 0)
    open_stages = [st for st in stages if st.outcome == "open"]
    won = next(st for st in stages if st.outcome == "won")
    lost = next(st for st in stages if st.outcome == "lost")
    opp_table, lead_table = Opportunity.__table__, Lead.__table__
    n = len(sellers)
    position = 0.0
    for start in range(0, OPPORTUNITIES, BATCH):
        rnd = random.Random(1000 + start)
        rows = []
        for i in range(start, min(OPPORTUNITIES, start + BATCH)):
            partner = rnd.randrange(1, partners + 1)
            owner = sellers[(partner // 5) % n]  # the partner's account manager (share_owners)
            created = epoch - dt.timedelta(days=730 * (OPPORTUNITIES - i) / OPPORTUNITIES)
            roll = rnd.random()
            stage = rnd.choice(open_stages) if roll < 0.65 else (won if roll < 0.85 else lost)
            position += 1024.0
            rows.append({"title": f"{rnd.choice(TITLES)} {i}", "partner_id": partner, "pipeline_id": stage.pipeline_id,
                         "stage_id": stage.id, "position": position, "expected_value": rnd.randrange(1, 500) * 10_000_000,
                         "expected_close": (created + dt.timedelta(days=rnd.randrange(10, 120))).date(),
                         "probability": stage.probability, "outcome": stage.outcome,
                         "closed_at": created + dt.timedelta(days=30) if stage.outcome != "open" else None,
                         "lost_reason_id": rnd.choice(reasons) if stage.outcome == "lost" else None,
                         "created_at": created, "updated_at": created, "owner_id": owner, "created_by_id": owner,
                         "last_activity_at": created + dt.timedelta(days=rnd.randrange(0, 60)), "search_key": "",
                         "needs": None})
        with kernel.engine.begin() as conn:
            conn.execute(opp_table.insert(), rows)
    for start in range(0, LEADS, BATCH):
        rnd = random.Random(5000 + start)
        rows = []
        for i in range(start, min(LEADS, start + BATCH)):
            owner = rnd.choice(sellers)
            created = epoch - dt.timedelta(days=730 * (LEADS - i) / LEADS)
            rows.append({"title": f"استعلام {i}", "contact_name": f"مشتری {i}", "source": rnd.choice(("web", "phone", "referral")),
                         "need_level": "medium", "status": rnd.choice(("new", "contacted", "qualified", "disqualified")),
                         "created_at": created, "updated_at": created, "owner_id": owner, "created_by_id": owner,
                         "last_activity_at": created, "search_key": ""})
        with kernel.engine.begin() as conn:
            conn.execute(lead_table.insert(), rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=1_000_000)
    ap.add_argument("--postgres", metavar="URL")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args(argv)
    url, home = where(args)
    if not args.postgres and not gen_tasks.copy_base(args, home):
        return 2
    kernel = open_kernel(url, home)
    if progress_of(kernel).get("complete"):
        print("already generated (--rebuild to start again)", file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    teams = users(kernel)
    sellers = [u for team in teams for u in team]
    shared = gen_tasks.share_owners(kernel, sellers)
    fill(kernel, sellers, dt.datetime(2026, 12, 1, 9, 0))
    if kernel.engine.dialect.name == "postgresql":
        with kernel.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    else:
        with kernel.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    size = gen_tasks.mark_complete(kernel, {"teams": teams}, home, args.postgres, PROGRESS)
    print(f"sales: {len(sellers)} sellers in {TEAMS} teams, {OPPORTUNITIES:,} opportunities, {LEADS:,} leads "
          f"in {time.perf_counter() - t0:.0f} s (partners shared out in {shared:.0f} s){size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
