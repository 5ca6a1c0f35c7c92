"""Shared helpers of telephony's tests: a kernel with the module, a device row, waiting."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
TELEPHONY = {"modules": ("telephony",), "packages": ("modules.telephony",)}


def telephony_kernel(make_kernel: Callable[..., Any], engine: str = "sqlite", **kw: Any) -> Any:
    return make_kernel(engine=engine, **TELEPHONY, **kw)


def add_device(kernel: Any, port: str, driver: str = "panasonic_smdr", name: str = "سانترال", **kw: Any) -> int:
    from modules.telephony.models import Device

    with kernel.session() as session:
        device = Device(name=name, driver=driver, port=port, **kw)
        session.add(device)
        session.flush()
        return int(device.id)


def add_partner(kernel: Any, name: str, mobile: str | None = None, phone: str | None = None) -> int:
    from modules.base.models import Partner

    with kernel.session() as session:
        partner = Partner(kind="person", name=name, mobile=mobile, phone=phone)
        session.add(partner)
        session.flush()
        return int(partner.id)


def calls(kernel: Any) -> list[Any]:
    from modules.telephony.models import Call

    with kernel.sessions() as session:
        return list(session.scalars(select(Call).order_by(Call.started_at, Call.id)))


def call_count(kernel: Any) -> int:
    from modules.telephony.models import Call

    with kernel.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Call)) or 0)


def wait_for(check: Callable[[], Any], timeout: float = 10.0, what: str = "the condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def simulate_through_run(simulate_args: list[str], done: Callable[[], Any], timeout: float = 20.0) -> tuple[int, int]:
    """``peyvand telephony simulate …`` in a thread and ``peyvand telephony run`` here, through the
    real entry point, until ``done()`` holds (or ``timeout``): then SIGTERM ends the service, as
    an administrator's would. Answers both exit codes: (simulate, run)."""
    from kernel.cli import main

    answers: dict[str, int] = {}

    def simulator() -> None:
        answers["simulate"] = main(["telephony", "simulate", *simulate_args])

    def stopper() -> None:
        try:
            wait_for(done, timeout=timeout, what="the simulated call")
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # the service ends whatever happened

    threads = [threading.Thread(target=simulator), threading.Thread(target=stopper)]
    for t in threads:
        t.start()
    ran = main(["telephony", "run", "--backoff-max", "1"])
    for t in threads:
        t.join(timeout)
    return answers.get("simulate", -1), ran
