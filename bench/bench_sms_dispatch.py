"""SMS dispatch benchmark (issue 13): a send of N messages queued, then dispatched through the
outbox to the fake Kavenegar panel (a real HTTP server in this process) in batches of 100, by
one worker (``kernel.jobs.run_due``) — messages per second, and the time of the pipe's own SQL
beside the same statements replayed bare.

    python bench/bench_sms_dispatch.py                       # 100,000 messages on SQLite
    python bench/bench_sms_dispatch.py --messages 20000
    python bench/bench_sms_dispatch.py --postgres postgresql+psycopg://user@127.0.0.1:5432/db

The panel's rate limit is set high (it is the panel's, not ours, that a real send waits for);
what is measured is the pipe: claim (queued → sending, committed), the HTTP call, the record of
each answer (state, provider id, cost, the send's counters), per chunk of 100.
"""

from __future__ import annotations

import argparse
import os
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
from sqlalchemy import func, select  # noqa: E402


def make_kernel(postgres: str | None) -> Any:
    from kernel import migrations
    from kernel.config import Config
    from kernel.kernel import Kernel

    home = Path(tempfile.mkdtemp(prefix="peyvand-bench-sms-"))
    if postgres:
        from kernel.testing import _pg_schema_url

        url = _pg_schema_url(postgres)[0]
    else:
        url = f"sqlite:///{home / 'peyvand.sqlite3'}"
    kernel = Kernel(Config(home=home, database_url=url, edition="tier1", extra_modules=("marketing",),
                           secret_key="bench"))
    migrations.upgrade(kernel)
    return kernel


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--postgres", help="a PostgreSQL URL (a fresh schema is made in it); SQLite otherwise")
    args = ap.parse_args()
    os.environ.setdefault("PEYVAND_SCHEDULER", "0")

    from kernel.jobs import run_due
    from modules.marketing.fake_panel import FakePanel, PanelState
    from modules.marketing.models import Message
    from modules.marketing.testing import add_panel, queue_sms

    kernel = make_kernel(args.postgres)
    fake = FakePanel(PanelState(credit=10**12)).start()
    add_panel(kernel, fake, per_second=1_000_000, batch_size=100)
    mobiles = [f"+98912{i:07d}" for i in range(args.messages)]

    t0 = time.perf_counter()
    queue_sms(kernel, mobiles, "مشتری گرامی، جشنوارهٔ پاییزه آغاز شد", batch=100)
    enqueue = time.perf_counter() - t0

    t0 = time.perf_counter()
    with bb.capturing(kernel.engine) as captured:  # the pipe's own SQL, timed in the cursor
        while run_due(kernel, limit=50):
            pass
    dispatch = time.perf_counter() - t0
    statements = [secs for secs, _, _ in captured]
    with kernel.sessions() as s:
        # Accepted by the panel (the polling job meanwhile moves some on to delivered/failed).
        sent = s.scalar(select(func.count()).select_from(Message).where(Message.provider_id.is_not(None)))
    assert sent == args.messages, f"only {sent} of {args.messages} sent"
    assert fake.state.total_sends() == args.messages

    bare = bare_sql(kernel, args.messages)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{engine}: {args.messages:,} messages")
    print(f"  enqueue (messages + outbox rows, one transaction): {enqueue:.2f} s")
    print(f"  dispatch: {dispatch:.2f} s = {args.messages / dispatch:,.0f} messages/s "
          f"({fake.state.calls['sms/sendarray.json']:,} panel calls)")
    print(f"  SQL inside dispatch: {len(statements):,} statements, {sum(statements):.2f} s")
    print(f"  bare SQL of the pipe's per-chunk statements (claim, read, record, counters), replayed "
          f"on a raw connection for all chunks: {bare:.2f} s")
    fake.stop()


def bare_sql(kernel: Any, n: int) -> float:
    """The pipe's statements per chunk of 100 without the application: the claim, the read, the
    per-message record (executemany) and the send's counters, on a raw DB-API connection."""
    raw = kernel.engine.raw_connection()
    try:
        cur = raw.cursor()
        mark = "%s" if kernel.engine.dialect.name == "postgresql" else "?"
        cur.execute("SELECT min(id), max(id) FROM marketing_message")
        low, high = cur.fetchone()
        t0 = time.perf_counter()
        for start in range(low, high + 1, 100):
            ids = list(range(start, min(start + 100, high + 1)))
            marks = ",".join([mark] * len(ids))
            # The messages are all sent by now: the claim is replayed on them (same rows, same write).
            cur.execute(f"UPDATE marketing_message SET state='sending' WHERE id IN ({marks}) AND state<>'sending'", ids)
            raw.commit()
            cur.execute(f"SELECT id, address, body FROM marketing_message WHERE id IN ({marks}) AND state='sending'",
                        ids)
            cur.fetchall()
            cur.executemany(f"UPDATE marketing_message SET state={mark}, provider_id={mark}, cost={mark} WHERE id={mark}",
                            [("sent", str(i), 1200, i) for i in ids])
            cur.execute(f"UPDATE marketing_send SET sent=sent+{mark} WHERE id=(SELECT min(id) FROM marketing_send)",
                        (0,))
            raw.commit()
        return time.perf_counter() - t0
    finally:
        raw.close()


if __name__ == "__main__":
    main()
