"""The device service on real pseudo-terminals: simulator → pyserial → driver → database."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from devices.drivers.panasonic_smdr import PanasonicSmdr
from devices.service import DeviceService, DeviceSpec
from devices.simulators.cid_modem import CidModemSim
from devices.simulators.panasonic_pbx import PanasonicPbx, SimCall
from kernel import hookimpl
from modules.telephony.tests.telephony_helpers import (
    ENGINES,
    add_device,
    add_partner,
    call_count,
    calls,
    telephony_kernel,
    wait_for,
)

AT = dt.datetime(2026, 12, 7, 10, 0)  # the PBX's local clock (Tehran)


def service_for(k, **kw):
    from modules.telephony.runner import build_service

    return build_service(k, backoff_min=0.05, backoff_max=0.2, **kw)


def has_calls(k, n):
    return call_count(k) == n


def status(k, device):
    from modules.telephony.models import DeviceStatus

    with k.sessions() as session:
        row = session.get(DeviceStatus, device)
        return (row.state, row.error or "") if row else None


@pytest.mark.parametrize("engine", ENGINES)
def test_a_pbx_call_reaches_the_database_matched_to_its_partner(make_kernel, tmp_path, engine):
    k = telephony_kernel(make_kernel, engine)
    partner = add_partner(k, "زهرا رضایی", mobile="+989121234567")
    with PanasonicPbx(str(tmp_path / "pbx")) as pbx:
        device = add_device(k, pbx.path)
        service = service_for(k).start()
        try:
            wait_for(lambda: status(k, device) == ("connected", ""), what="the port to open")
            pbx.call(SimCall("0912 123 4567".replace(" ", ""), AT, duration_seconds=95))
            pbx.call(SimCall("88776655", AT + dt.timedelta(minutes=3), "outgoing", "102", "02"))
            pbx.print_line("12/07/26 10:0")  # a line the PBX cut short
            pbx.print_line("12/07/26 10:05AM 101 01 <I>09121234567 0'05 00:00'10")
            wait_for(lambda: call_count(k) == 3, what="three calls")
        finally:
            service.stop()
    first, second, third = calls(k)
    assert (first.direction, first.partner_id, first.duration_seconds) == ("incoming", partner, 95)
    assert first.started_at == dt.datetime(2026, 12, 7, 6, 30)  # 10:00 Tehran
    assert (second.direction, second.number_canonical, second.extension) == ("outgoing", "+982188776655", "102")
    assert third.partner_id == partner
    assert status(k, device) == ("stopped", "")


@pytest.mark.parametrize("engine", ENGINES)
def test_unplug_and_replug_lose_and_double_nothing(make_kernel, tmp_path, engine):
    """The cable is pulled between calls and while the PBX prints; on replug the PBX prints what
    it kept and, as some do, the last record again."""
    k = telephony_kernel(make_kernel, engine)
    with PanasonicPbx(str(tmp_path / "pbx")) as pbx:
        device = add_device(k, pbx.path)
        service = service_for(k).start()
        try:
            wait_for(lambda: status(k, device) == ("connected", ""), what="the port to open")
            numbers = [f"0912000{n:04d}" for n in range(30)]
            for n, number in enumerate(numbers):
                pbx.call(SimCall(number, AT + dt.timedelta(minutes=n)))
                if n in (7, 19):
                    wait_for(partial(has_calls, k, n + 1), what=f"call {n + 1}")
                    pbx.unplug()
                    wait_for(lambda: (status(k, device) or ("",))[0] == "retrying", what="the service to notice")
                if n in (9, 22):
                    pbx.replug()
                    pbx.print_line(pbx.printed[-1])  # the last record printed again
            wait_for(lambda: call_count(k) == 30, what="thirty calls")
            opened = service.states[device].opened
        finally:
            service.stop()
    assert sorted(c.number for c in calls(k)) == numbers
    assert opened == 3


@pytest.mark.parametrize("engine", ENGINES)
def test_a_missing_port_is_retried_and_the_other_devices_keep_working(make_kernel, tmp_path, engine):
    k = telephony_kernel(make_kernel, engine)
    missing = add_device(k, str(tmp_path / "no-such-tty"), name="جدا شده")
    with PanasonicPbx(str(tmp_path / "pbx")) as pbx:
        working = add_device(k, pbx.path, name="وصل")
        service = service_for(k).start()
        try:
            state = wait_for(lambda: status(k, missing), what="the missing port's state")
            assert state[0] == "retrying" and "no-such-tty" in state[1]
            pbx.call(SimCall("09121234567", AT))
            wait_for(lambda: call_count(k) == 1, what="the working device's call")
            assert service.states[missing].state == "retrying"
        finally:
            service.stop()
    assert calls(k)[0].device_id == working


def test_a_busy_port_is_retried_until_it_is_free(tmp_path):
    """Another program holds the port (exclusively): the device waits, then reads."""
    import serial

    got = []
    with PanasonicPbx(str(tmp_path / "pbx")) as pbx:
        holder = serial.Serial(pbx.path, exclusive=True)
        service = DeviceService([DeviceSpec("pbx", pbx.path, lambda: PanasonicSmdr("UTC"))],
                                sink=lambda key, event: got.append(event), backoff_min=0.05, backoff_max=0.1).start()
        try:
            wait_for(lambda: service.states["pbx"].state == "retrying", what="busy")
            assert "exclusively lock" in service.states["pbx"].error
            holder.close()
            wait_for(lambda: service.states["pbx"].state == "connected", what="free")
            pbx.call(SimCall("09121234567", AT))
            wait_for(lambda: got, what="the call")
        finally:
            service.stop()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_modem_is_told_to_send_caller_id_and_rings_a_partner(make_kernel, tmp_path, engine):
    k = telephony_kernel(make_kernel, engine)
    partner = add_partner(k, "زهرا رضایی", mobile="+989121234567")
    with CidModemSim(str(tmp_path / "modem")) as modem:
        device = add_device(k, modem.path, driver="cid_modem", baud_rate=115200)
        service = service_for(k).start()
        try:
            wait_for(lambda: modem.caller_id, what="AT+VCID=1")
            modem.ring("09121234567")
            wait_for(lambda: call_count(k) == 1, what="the call")
            # Unplugged and back: the modem forgot AT+VCID; the service tells it again.
            modem.unplug()
            modem.replug()
            wait_for(lambda: modem.caller_id, what="AT+VCID=1 again")
            modem.ring("P")
            wait_for(lambda: call_count(k) == 2, what="the private call")
        finally:
            service.stop()
    ringing, private = calls(k)
    assert (ringing.partner_id, ringing.answered, ringing.device_id) == (partner, None, device)
    assert private.number == "P" and private.partner_id is None
    assert modem.commands.count("AT+VCID=1") == 2


class AcmePbx:
    """A partner's pip package adding a PBX model through the hook."""

    @hookimpl
    def register_telephony_drivers(self, kernel):
        from devices.drivers.kinds import DriverKind
        from devices.drivers.panasonic_smdr import PanasonicSmdr

        return [DriverKind("acme_pbx", "Acme PBX", lambda tz: PanasonicSmdr(tz, date_order="DMY"))]


def test_a_plugin_adds_a_driver_and_an_unknown_driver_is_marked(make_kernel):
    from modules.telephony.drivers import driver_choices
    from modules.telephony.runner import device_specs

    k = telephony_kernel(make_kernel)
    k.pm.register(AcmePbx())
    assert ("acme_pbx", "Acme PBX") in driver_choices(k)
    acme = add_device(k, "/dev/ttyS0", driver="acme_pbx")
    gone = add_device(k, "/dev/ttyS1", driver="uninstalled_pbx")
    specs = device_specs(k)
    assert [s.key for s in specs] == [acme]
    driver = specs[0].make_driver()
    assert isinstance(driver, PanasonicSmdr) and driver.date_order == "DMY"
    assert status(k, gone) == ("error", "unknown driver 'uninstalled_pbx'")
