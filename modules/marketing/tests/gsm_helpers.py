"""Shared steps of the GSM modem panel's tests: a simulated modem on a pty (behind a stable
link, so it can be unplugged and plugged back) and a panel row pointing at it."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from devices.simulators.gsm_modem import GsmModemSim
from kernel.jobs import run_due
from modules.marketing.models import Message, Panel


@pytest.fixture
def modem(tmp_path: Path) -> Iterator[GsmModemSim]:
    with GsmModemSim(str(tmp_path / "ttyGSM0")) as sim:
        yield sim


def add_gsm_panel(kernel: Any, address: str, pin: str | None = None) -> int:
    with kernel.session() as s:
        row = Panel(name="مودم جی‌اس‌ام", kind="gsm", base_url=address, password=pin, sender="+989120001122",
                    is_default=True, per_second=100_000, batch_size=100, webhook_token=secrets.token_urlsafe(24))
        s.add(row)
        s.flush()
        return int(row.id)


def only_message(kernel: Any) -> Message:
    """The one message of the log, detached."""
    with kernel.sessions() as s:
        row = s.scalars(select(Message)).one()
        s.expunge(row)
        return row


def poll(kernel: Any, now: dt.datetime) -> None:
    """One run of the polling job (and anything else due) at ``now``."""
    run_due(kernel, now=now, limit=1000)
