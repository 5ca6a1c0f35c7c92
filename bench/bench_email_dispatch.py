"""E-mail dispatch benchmark (issue 13, MKT-03): a send of N e-mails (a Persian subject, a text
made into a plain and an HTML part) queued, then sent through the outbox by ONE worker
(``kernel.jobs.run_due``) to a real local SMTP server (aiosmtpd, in this process), 50 messages
per SMTP connection — messages per second, and the pipe's own SQL beside the same statements
replayed bare.

    python bench/bench_email_dispatch.py                       # 2,000 e-mails on SQLite
    python bench/bench_email_dispatch.py --messages 5000 --file-kb 100
    python bench/bench_email_dispatch.py --postgres postgresql+psycopg://user@127.0.0.1:5432/db
"""

from __future__ import annotations

import argparse
import os
import socket
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
from sqlalchemy import func, insert, select  # noqa: E402


def make_kernel(postgres: str | None, port: int) -> Any:
    from kernel import migrations
    from kernel.config import Config
    from kernel.kernel import Kernel

    home = Path(tempfile.mkdtemp(prefix="peyvand-bench-mail-"))
    if postgres:
        from kernel.testing import _pg_schema_url

        url = _pg_schema_url(postgres)[0]
    else:
        url = f"sqlite:///{home / 'peyvand.sqlite3'}"
    kernel = Kernel(Config(home=home, database_url=url, edition="tier1", extra_modules=("marketing",),
                           secret_key="bench", smtp_host="127.0.0.1", smtp_port=port, smtp_from="crm@bench.test"))
    migrations.upgrade(kernel)
    return kernel


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def queue(kernel: Any, n: int, file_kb: int) -> None:
    """A send of ``n`` e-mails, queued with its outbox rows in one transaction (what compose() ends with)."""
    from modules.marketing.dispatch import queue_send
    from modules.marketing.mail.attachments import File, store
    from modules.marketing.models import Category, Message, Send

    body = "مشتری گرامی،\nفهرست قیمت زمستان پیوست است. با سپاس، فروشگاه پیوند"
    with kernel.session() as s:
        category = s.scalars(select(Category.id).order_by(Category.id)).first()
        send = Send(channel="email", subject="فهرست قیمت زمستان", category_id=category, body=body, state="queued",
                    total=n)
        s.add(send)
        s.flush()
        if file_kb:
            store(kernel.config.files_dir, s, send.id, [File("قیمت.pdf", "application/pdf",
                                                             b"%PDF-1.4\n" + b"0" * (file_kb * 1024))], None)
        s.execute(insert(Message), [{"send_id": send.id, "channel": "email", "category_id": category,
                                     "address": f"c{i}@example.ir", "subject": "فهرست قیمت زمستان", "body": body,
                                     "state": "queued"} for i in range(n)])
        queue_send(s, send.id)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--file-kb", type=int, default=0, help="attach a file of this size to the send")
    ap.add_argument("--postgres", help="a PostgreSQL URL (a fresh schema is made in it); SQLite otherwise")
    args = ap.parse_args()
    os.environ.setdefault("PEYVAND_SCHEDULER", "0")

    from aiosmtpd.controller import Controller

    from kernel.jobs import run_due
    from modules.marketing.models import Message

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    kernel = make_kernel(args.postgres, port)
    t0 = time.perf_counter()
    queue(kernel, args.messages, args.file_kb)
    enqueue = time.perf_counter() - t0

    t0 = time.perf_counter()
    with bb.capturing(kernel.engine) as captured:  # the pipe's own SQL, timed in the cursor
        while run_due(kernel, limit=50):
            pass
    dispatch = time.perf_counter() - t0
    statements = [secs for secs, _, _ in captured]
    with kernel.sessions() as s:
        sent = s.scalar(select(func.count()).select_from(Message).where(Message.state == "sent"))
    assert sent == args.messages == sink.count, f"{sent} sent, {sink.count} received of {args.messages}"
    bare = bare_sql(kernel)
    controller.stop()
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{engine}: {args.messages:,} e-mails, attachment {args.file_kb} KB")
    print(f"  enqueue: {enqueue:.2f} s")
    print(f"  dispatch: {dispatch:.2f} s = {args.messages / dispatch:,.0f} messages/s")
    print(f"  SQL inside dispatch: {len(statements):,} statements, {sum(statements):.2f} s")
    print(f"  bare SQL of the per-chunk statements (claim, read, record, counters), all chunks: {bare:.2f} s")


def bare_sql(kernel: Any) -> float:
    """Per chunk of 50: the claim (committed), the read, the state record (executemany) and the
    send's counters, on a raw DB-API connection."""
    raw = kernel.engine.raw_connection()
    try:
        cur = raw.cursor()
        mark = "%s" if kernel.engine.dialect.name == "postgresql" else "?"
        cur.execute("SELECT min(id), max(id) FROM marketing_message")
        low, high = cur.fetchone()
        t0 = time.perf_counter()
        for start in range(low, high + 1, 50):
            ids = list(range(start, min(start + 50, high + 1)))
            marks = ",".join([mark] * len(ids))
            cur.execute(f"UPDATE marketing_message SET state='sending' WHERE id IN ({marks}) AND state<>'sending'", ids)
            raw.commit()
            cur.execute(f"SELECT id, send_id, address, subject, body FROM marketing_message WHERE id IN ({marks})",
                        ids)
            cur.fetchall()
            cur.executemany(f"UPDATE marketing_message SET state={mark}, sent_at=CURRENT_TIMESTAMP WHERE id={mark}",
                            [("sent", i) for i in ids])
            cur.execute(f"UPDATE marketing_send SET sent=sent+{mark} WHERE id=(SELECT min(id) FROM marketing_send)",
                        (0,))
            raw.commit()
        return time.perf_counter() - t0
    finally:
        raw.close()


if __name__ == "__main__":
    main()
