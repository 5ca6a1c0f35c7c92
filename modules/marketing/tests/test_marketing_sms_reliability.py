"""Exactly once across ``kill -9`` (issue 13, reliability): a bulk send of 5,000 messages is
dispatched by a real worker process that is killed twice midway; the next worker takes the
dead one's batches over when their leases expire, and the fake panel counts each message sent
exactly once. (The issue's 100,000 runs in bench/bench_sms_kill.py; figures in docs/PERFORMANCE.md.)"""

from __future__ import annotations

import datetime as dt
import os
import signal
from typing import Any

import pytest
from sqlalchemy import select

from modules.marketing.fake_panel import FakePanel
from modules.marketing.models import Message
from modules.marketing.testing import add_panel, queue_sms, start_worker, wait_until
from modules.marketing.tests.sms_helpers import ENGINES, T0, mobiles, send_row, states

N = 5_000
SPEED = 60.0  # the workers' clock: a 30 s retry delay passes in half a second


@pytest.mark.parametrize("engine", ENGINES)
def test_a_bulk_send_survives_two_kill_9_and_each_message_is_sent_exactly_once(
        make_kernel: Any, fake_panel: FakePanel, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_panel(kernel, fake_panel, batch_size=50)
    send_id = queue_sms(kernel, mobiles(N, 1_000_000), batch=100)
    url = kernel.config.database_url
    sent = fake_panel.state.total_sends

    workers = []
    for i, kill_at in enumerate((N // 5, N // 2)):
        proc = start_worker(url, T0 + dt.timedelta(hours=i), SPEED)
        workers.append(proc)
        wait_until(lambda kill_at=kill_at: sent() >= kill_at, 120, f"{kill_at} messages at the panel")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
    assert sent() < N  # killed midway
    last = start_worker(url, T0 + dt.timedelta(hours=2), SPEED)
    try:
        wait_until(lambda: not ({"queued", "sending"} & set(states(kernel))), 240, "every message to leave the queue")
    finally:
        last.kill()
        last.wait()

    assert fake_panel.state.total_sends() == N
    assert len(fake_panel.state.sends_per_local) == N and set(fake_panel.state.sends_per_local.values()) == {1}
    with kernel.sessions() as s:
        ours = dict(s.execute(select(Message.id, Message.provider_id)).all())
    assert {str(k): int(str(v)) for k, v in ours.items()} == fake_panel.state.by_local
    assert send_row(kernel, send_id).sent == N
