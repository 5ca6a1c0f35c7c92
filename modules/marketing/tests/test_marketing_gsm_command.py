"""``peyvand marketing gsm-simulate`` through the real entry point: it prints the port to put in
the panel, the panel sends through it, the simulated network delivers, and a message it was
told to receive reaches the inbox."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kernel.cli import main
from kernel.plugins import discover
from modules.marketing.models import Inbound
from modules.marketing.testing import queue_sms
from modules.marketing.tests.gsm_helpers import add_gsm_panel, only_message, poll
from modules.marketing.tests.sms_helpers import ENGINES, drain


@pytest.mark.parametrize("engine", ENGINES)
def test_gsm_simulate_prints_the_port_sends_delivers_and_receives(
        make_kernel: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    monkeypatch.setattr("kernel.cli.discover", lambda *a: discover(("modules.base", "modules.marketing")))
    monkeypatch.setattr("kernel.cli._kernel", lambda args: kernel)
    link = tmp_path / "ttyGSM"
    add_gsm_panel(kernel, str(link))
    answers: dict[str, int] = {}
    simulator = threading.Thread(target=lambda: answers.setdefault("code", main(
        ["marketing", "gsm-simulate", "--link", str(link), "--deliver", "--seconds", "8",
         "--inbound", "۰۹۳۵۱۱۱۲۲۳۳", "لطفاً تماس بگیرید"])))
    simulator.start()
    try:
        deadline = time.monotonic() + 5
        while not link.is_symlink() and time.monotonic() < deadline:
            time.sleep(0.05)
        queue_sms(kernel, ["+989121234567"], "سلام، سفارش شما ارسال شد.")
        now = drain(kernel)
        for minute in range(1, 30):
            if only_message(kernel).state == "delivered":
                break
            time.sleep(0.3)
            poll(kernel, now + dt.timedelta(minutes=minute))
    finally:
        simulator.join(15)
    assert answers == {"code": 0}
    assert only_message(kernel).state == "delivered"
    with kernel.sessions() as s:
        assert [(r.address, r.body) for r in s.scalars(select(Inbound))] == [("+989351112233", "لطفاً تماس بگیرید")]
    out = capsys.readouterr().out
    assert out.splitlines()[0] == str(link)
    assert "→ +989121234567 [pdu, ucs2] سلام، سفارش شما ارسال شد." in out
