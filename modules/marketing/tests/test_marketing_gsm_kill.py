"""DEV-03, exactly once across ``kill -9``: a real worker process sends through the simulated
modem; the modem takes the third message and never answers, and the worker is killed while it
waits. The next worker takes the batches over: the message in doubt is failed as "unknown",
never sent again; every other message reaches the modem exactly once."""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from devices.simulators.gsm_modem import GsmModemSim
from modules.marketing.models import Message
from modules.marketing.testing import queue_sms, start_worker, wait_until
from modules.marketing.tests.gsm_helpers import add_gsm_panel, modem
from modules.marketing.tests.sms_helpers import ENGINES, T0, mobiles, states

__all__ = ["modem"]
SPEED = 60.0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_worker_killed_while_the_modem_holds_a_message_never_doubles_one(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    numbers = mobiles(6, 3_000_000)
    queue_sms(kernel, numbers, "سلام، سفارش شما آماده است.")
    modem.mute_next(after=2)
    url = kernel.config.database_url

    first = start_worker(url, T0, SPEED)
    try:
        wait_until(lambda: len(modem.sent) == 3, 60, "the third message taken by the modem")
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    assert states(kernel) == {"sent": 2, "sending": 1, "queued": 3}
    second = start_worker(url, T0 + dt.timedelta(hours=1), SPEED)
    try:
        wait_until(lambda: not ({"queued", "sending"} & set(states(kernel))), 120, "every message to leave the queue")
    finally:
        second.kill()
        second.wait()

    assert Counter(number for number, _ in modem.messages()) == Counter(numbers)  # each exactly once
    assert states(kernel) == {"sent": 5, "failed": 1}
    with kernel.sessions() as s:
        doubt = s.scalars(select(Message).where(Message.state == "failed")).one()
    assert doubt.address == numbers[2] and (doubt.error or "").startswith("معلوم نیست")
