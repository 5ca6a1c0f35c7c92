"""``peyvand telephony simulate`` rings through ``peyvand telephony run`` into the database, both
through the real entry point; SIGTERM ends the service."""

from __future__ import annotations

import signal

import pytest

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
)


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


def test_run_without_a_device_is_one_line(make_kernel, peyvand, capsys):
    k = telephony_kernel(make_kernel)
    peyvand(k)
    assert main(["telephony", "run"]) == 2
    assert capsys.readouterr().err.strip() == (
        "peyvand: No active device with a known driver: add one under Calls → Telephone devices")
