"""Campaigns benchmark (issue 13, MKT-01): a manager's approval fixing the targets of a partner
list of ``--partners`` persons, the SMS step to all of them, and the campaign's totals.

    python bench/bench_campaigns.py --sqlite /tmp/camp/bench.sqlite3 --partners 20000
    python bench/bench_campaigns.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/camp

Builds its own database (a fresh file, or an empty PostgreSQL database): the kernel, base and
marketing migrated, ``--partners`` persons with mobiles written by ``kernel.records.create_records``
(the import path), a marketer and a manager. Then, each timed from the caller's side, in one
transaction as the real code runs it:

1. **approve**: ``states.move(…, "approve")`` — the partner list's filter read as the marketer reads
   it, one target row per partner (chunks of 5,000), the state and the history, the commit;
2. **SMS step**: ``steps.run_step`` — compose's checks, the targets as recipients, the rules, one
   message each with ``{first_name}`` filled, the outbox rows, the commit;
3. **totals**: ``tracking.totals`` (targets, reached, responded, cost) and the targets page's first
   500 rows (``tracking.rows``).

Beside each, the *bare SQL* of the same work on a raw connection: ``INSERT INTO
marketing_campaign_target … SELECT … FROM base_partner WHERE kind = 'person'`` and ``INSERT INTO
marketing_message … SELECT … FROM marketing_campaign_target JOIN base_partner`` (rolled back), and
the totals' counts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

CHUNK = 5000


def open_kernel(url: str) -> Any:
    from kernel import migrations
    from kernel.config import Config
    from kernel.kernel import Kernel

    conf = Config(home=Path(tempfile.mkdtemp()), database_url=url, edition="tier1", extra_modules=("marketing",),
                  secret_key="bench-campaigns")
    kernel = Kernel(conf)
    migrations.upgrade(kernel)
    return kernel


def fill(kernel: Any, n: int) -> tuple[int, int]:
    from kernel import records
    from kernel.actor import SYSTEM
    from kernel.testing import create_user

    res = kernel.resources["base.partner"]
    t0 = time.perf_counter()
    for start in range(0, n, CHUNK):
        rows = [{"kind": "person", "first_name": f"نام{i}", "last_name": f"خانواده{i}", "mobile": f"+98912{i:07d}"}
                for i in range(start, min(n, start + CHUNK))]
        with kernel.session(SYSTEM) as s:
            records.create_records(kernel, s, SYSTEM, res, rows)
    print(f"  {n:,} persons written in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    with kernel.session() as s:
        kernel.set_setting(s, "kernel.extra_seats", 8)
    marketer = create_user(kernel, "mina", perms=(
        "marketing.campaign.view", "marketing.campaign.create", "marketing.campaign.edit", "marketing.campaign_step.*",
        "marketing.category.view", "marketing.template.view", "base.partner.view"))
    manager = create_user(kernel, "reza", perms=("marketing.campaign.*", "base.partner.view"))
    return marketer, manager


def timed(label: str, fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    secs = time.perf_counter() - t0
    print(f"{label:<44} {secs * 1000:>10.1f} ms")
    return secs


def bare(kernel: Any, sql: str, rollback: bool = True) -> float:
    raw = kernel.engine.raw_connection()
    try:
        cur = raw.cursor()
        if kernel.engine.dialect.name == "sqlite":
            cur.execute("BEGIN")  # the kernel's SQLite connections are in autocommit mode
        t0 = time.perf_counter()
        cur.execute(sql)
        if cur.description is not None:
            cur.fetchall()
        secs = time.perf_counter() - t0
        raw.rollback() if rollback else raw.commit()
        return secs
    finally:
        raw.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sqlite", type=Path)
    ap.add_argument("--postgres")
    ap.add_argument("--partners", type=int, default=20_000)
    args = ap.parse_args(argv)
    if args.postgres:
        url = args.postgres
    else:
        path = args.sqlite or Path(tempfile.mkdtemp()) / "bench.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        url = f"sqlite:///{path}"
    kernel = open_kernel(url)
    from kernel.persian.jalali import jalali_to_date
    from kernel.security import load_actor
    from kernel.testing import create_record, jalali_at
    from modules.marketing.campaigns import states, steps, tracking
    from modules.marketing.models import Campaign, Category

    marketer, manager = fill(kernel, args.partners)
    with kernel.sessions() as s:
        ads = s.scalars(select(Category.id).where(Category.advertising.is_(True))).first()
        mina, reza = load_actor(s, marketer), load_actor(s, manager)
    cid = create_record(kernel, marketer, "marketing.campaign", name="حراج پاییزه", target_query="f_kind=person",
                        start_on=jalali_to_date(1405, 9, 20), end_on=jalali_to_date(1405, 10, 20), budget=50_000_000)
    # A second campaign of the same list: the bare INSERT writes its targets (and is rolled back).
    other = create_record(kernel, marketer, "marketing.campaign", name="برای SQL خام", target_query="f_kind=person",
                          start_on=jalali_to_date(1405, 9, 20), end_on=jalali_to_date(1405, 10, 20), budget=0)
    sid = create_record(kernel, marketer, "marketing.campaign_step", campaign_id=cid, kind="sms",
                        on_date=jalali_to_date(1405, 9, 25), category_id=ads, body="{first_name} گرامی، حراج پاییزه")
    with kernel.session(mina) as s:
        states.move(kernel, s, mina, cid, "submit")
    print(f"{kernel.engine.dialect.name}, {args.partners:,} persons in the list")

    def approve() -> None:
        with kernel.session(reza) as s:
            states.move(kernel, s, reza, cid, "approve")

    def run() -> None:
        with kernel.session() as s:
            steps.run_step(kernel, s, sid, jalali_at(1405, 9, 25, 10))

    def totals() -> None:
        with kernel.sessions() as s:
            c = s.get(Campaign, cid)
            tracking.totals(kernel, s, c)
            tracking.rows(kernel, s, reza, c, tracking.steps_of(s, cid))

    timed("approve (targets fixed)", approve)
    timed("  bare: INSERT … SELECT the targets", lambda: bare(kernel, (
        f"INSERT INTO marketing_campaign_target (campaign_id, partner_id, response) SELECT {other}, id, 'none' "
        "FROM base_partner WHERE deleted_at IS NULL AND kind = 'person' ORDER BY id")))
    timed("SMS step (messages and outbox)", run)
    now = "CURRENT_TIMESTAMP"
    timed("  bare: INSERT … SELECT the messages", lambda: bare(kernel, (
        "INSERT INTO marketing_message (channel, category_id, partner_id, address, body, parts, state, cost, created_at) "
        f"SELECT 'sms', {ads}, p.id, p.mobile, p.first_name, 1, 'queued', 0, {now} FROM marketing_campaign_target t "
        f"JOIN base_partner p ON p.id = t.partner_id WHERE t.campaign_id = {cid} ORDER BY t.id")))
    timed("totals and the first 500 targets", totals)
    timed("  bare: the totals' counts", lambda: bare(kernel, (
        f"SELECT (SELECT count(*) FROM marketing_campaign_target WHERE campaign_id = {cid}), "
        f"(SELECT count(*) FROM marketing_campaign_target WHERE campaign_id = {cid} AND response != 'none'), "
        "(SELECT coalesce(sum(cost), 0) FROM marketing_message WHERE send_id IN "
        f"(SELECT send_id FROM marketing_campaign_step WHERE campaign_id = {cid}))")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
