"""Issue 13's reliability run at its full size: a bulk send of 100,000 SMS dispatched by real
worker processes (``python -m modules.marketing.testing``), the first killed with ``kill -9`` at
20 % and the second at 50 % of the messages at the panel, a third finishing; the fake Kavenegar
panel (a real HTTP server) counts what it really sent per message id. Optionally the panel fails
a share of its calls (``--fail 0.5``: half the calls refused with 502, retried with back-off).

    python bench/bench_sms_kill.py                        # 100,000 on SQLite
    python bench/bench_sms_kill.py --fail 0.5 --messages 20000
    python bench/bench_sms_kill.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/db

It prints the counts and exits 1 unless every message was sent exactly once. The test suite runs
the same scenario with 5,000 messages (``test_marketing_sms_reliability.py``)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from bench_sms_dispatch import make_kernel  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

SPEED = 60.0  # the workers' clock: a lease of minutes expires in seconds after a kill
T0 = dt.datetime(2030, 1, 1, 8, 0, 0)


def main() -> int:
    from modules.marketing.fake_panel import FakePanel, PanelState
    from modules.marketing.models import Message, Send
    from modules.marketing.testing import add_panel, queue_sms, start_worker, wait_until

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--fail", type=float, default=0.0, help="share of the panel's calls refused (502)")
    ap.add_argument("--postgres", help="a PostgreSQL URL (a fresh schema is made in it); SQLite otherwise")
    args = ap.parse_args()
    n = args.messages
    kernel = make_kernel(args.postgres)
    panel = FakePanel(PanelState(fail_ratio=args.fail, credit=10**15)).start()
    try:
        add_panel(kernel, panel, batch_size=100)
        t0 = time.perf_counter()
        send_id = queue_sms(kernel, [f"+98912{1_000_000 + i:07d}" for i in range(n)], batch=100)
        print(f"queued {n:,} in {time.perf_counter() - t0:.1f} s", flush=True)
        url = kernel.config.database_url
        sent = panel.state.total_sends
        t0 = time.perf_counter()
        for i, share in enumerate((0.2, 0.5)):
            proc = start_worker(url, T0 + dt.timedelta(hours=i), SPEED)
            wait_until(lambda share=share: sent() >= n * share, 1800, f"{share:.0%} of the messages at the panel")
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            print(f"worker {i + 1} killed (-9) with {sent():,} messages at the panel", flush=True)

        def left() -> int:
            with kernel.sessions() as s:
                return int(s.scalar(select(func.count()).select_from(Message).where(
                    Message.state.in_(("queued", "sending")))) or 0)

        last = start_worker(url, T0 + dt.timedelta(hours=2), SPEED)
        try:
            wait_until(lambda: left() == 0, 3600, "every message to leave the queue")
        finally:
            last.kill()
            last.wait()
        secs = time.perf_counter() - t0
        with kernel.sessions() as s:
            by_state = dict(s.execute(select(Message.state, func.count()).group_by(Message.state)).all())
            send = s.get(Send, send_id)
            counted = send.sent if send is not None else -1
            # Given up after the retries (the panel kept refusing): failed with its reason, never sent.
            gave_up = int(s.scalar(select(func.count()).select_from(Message).where(
                Message.state == "failed", Message.provider_id.is_(None))) or 0)
        per = panel.state.sends_per_local
        twice = sum(1 for v in per.values() if v > 1)
        print(f"done in {secs:.0f} s with three workers (two killed): panel sent {panel.state.total_sends():,} "
              f"for {len(per):,} message ids, {twice} more than once; calls to the panel: "
              f"{sum(panel.state.calls.values()):,}; log states {by_state}; send.sent {counted:,}; "
              f"given up after the retries, not sent: {gave_up:,}")
        # "failed" with a provider id is the panel's delivery report (it never delivers a mobile
        # ending in 9): sent once, as counted at the panel. Each message is either sent exactly
        # once or, when the panel refused every retry, failed with its reason and never sent.
        ok = twice == 0 and len(per) == counted == n - gave_up and panel.state.total_sends() == counted and \
            not {"queued", "sending"} & set(by_state)
        print("EXACTLY ONCE: yes" if ok else "EXACTLY ONCE: NO", flush=True)
        return 0 if ok else 1
    finally:
        panel.stop()
        kernel.engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
