"""``peyvand telephony simulate`` rings through ``peyvand telephony run`` into the database, both
through the real entry point; SIGTERM ends the service."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading

import pytest

from devices.simulators.panasonic_pbx import PanasonicPbx, SimCall
from kernel.cli import main
from kernel.plugins import discover
from modules.telephony.tests.telephony_helpers import (
    ENGINES,
    add_device,
    add_partner,
    call_count,
    calls,
    simulate_through_run,
    telephony_kernel,
    wait_for,
)

AT = dt.datetime(2026, 12, 7, 10, 0)


@pytest.fixture
def peyvand(monkeypatch):
    """``peyvand`` for a kernel; telephony counts as pip-installed (its entry point is in
    pyproject.toml, which an older editable install of the shared environment may not know)."""

    def bind(k):
        monkeypatch.setattr("kernel.cli.discover", lambda *a: discover(("modules.telephony",)))
        monkeypatch.setattr("kernel.cli._kernel", lambda args: k)
    return bind


@pytest.mark.parametrize("engine", ENGINES)
def test_simulate_rings_through_run(make_kernel, peyvand, tmp_path, capsys, engine):
    k = telephony_kernel(make_kernel, engine)
    peyvand(k)
    partner = add_partner(k, "زهرا رضایی", mobile="+989121234567")
    link = tmp_path / "pbx"
    add_device(k, str(link))
    args = ["panasonic_smdr", "--link", str(link), "--wait", "1", "--number", "۰۹۱۲ ۱۲۳ ۴۵۶۷".replace(" ", ""),
            "--duration", "42"]
    assert simulate_through_run(args, lambda: call_count(k) == 1) == (0, 0)
    [call] = calls(k)
    assert (call.partner_id, call.duration_seconds, call.direction) == (partner, 42, "incoming")
    out = capsys.readouterr().out
    assert str(link) in out and "Reading 1 device(s)" in out and "<I>09121234567" in out
    assert signal.getsignal(signal.SIGTERM) is not None


@pytest.mark.parametrize("engine", ENGINES)
def test_devices_added_edited_and_deactivated_follow_without_a_restart(make_kernel, peyvand, tmp_path, capsys,
                                                                       engine):
    from modules.telephony.models import Device, DeviceStatus

    k = telephony_kernel(make_kernel, engine)
    peyvand(k)
    add_partner(k, "زهرا رضایی", mobile="+989121234567")
    state = {"device": 0}

    def status() -> tuple[str, str] | None:
        with k.sessions() as session:
            row = session.get(DeviceStatus, state["device"])
            return (row.state, row.error or "") if row else None

    with PanasonicPbx(str(tmp_path / "first")) as first, PanasonicPbx(str(tmp_path / "second")) as second:
        # signal.signal works only in the main thread: the service runs here, the test in a thread.
        failures: list[BaseException] = []
        printed: list[str] = []

        def said(text: str) -> bool:
            printed.append(capsys.readouterr().out)
            return text in "".join(printed)

        def script() -> None:
            try:
                wait_for(lambda: said("No active device yet: add one under Calls → Telephone devices"),
                         what="the service to start with no device")
                state["device"] = add_device(k, first.path)  # added while the service runs
                wait_for(lambda: status() == ("connected", ""), what="the new device to open")
                first.call(SimCall("09121234567", AT, duration_seconds=30))
                wait_for(lambda: call_count(k) == 1, what="a call through the first port")
                with k.session() as session:  # the administrator moves the cable to another port
                    session.get(Device, state["device"]).port = second.path
                wait_for(lambda: second.listening(), what="the edited device to open its new port")
                second.call(SimCall("09121234567", AT + dt.timedelta(minutes=5), duration_seconds=40))
                wait_for(lambda: call_count(k) == 2, what="a call through the second port")
                with k.session() as session:
                    session.get(Device, state["device"]).active = False
                wait_for(lambda: status() == ("stopped", ""), what="the deactivated device to stop")
            except BaseException as exc:  # reported by the main thread
                failures.append(exc)
            finally:
                os.kill(os.getpid(), signal.SIGTERM)

        helper = threading.Thread(target=script)
        helper.start()
        assert main(["telephony", "run", "--backoff-max", "1", "--reload", "0.2"]) == 0
        helper.join(30)
    assert not failures, failures
    assert [c.duration_seconds for c in calls(k)] == [30, 40]
