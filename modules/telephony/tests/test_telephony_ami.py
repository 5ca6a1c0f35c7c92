"""Asterisk / Issabel through the manager interface (AMI): real-format event blocks parsed, and the
simulated Asterisk → panoramisk → the device service → the database, through a refused login,
a restart mid-call and a hung server; the device form, its secret page, ``simulate``."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
from sqlalchemy import select

from devices.drivers.asterisk_ami import AsteriskAmi, extension_of
from devices.events import CallRecord, CallStarted, Garbled
from devices.links.ami import AmiLink, parse_address
from devices.service import DeviceService, DeviceSpec
from devices.simulators.asterisk_ami import AsteriskSim
from kernel.cli import main
from kernel.testing import create_user, csrf_of
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
from modules.telephony.tests.test_telephony_commands import peyvand  # noqa: F401  (the fixture)

NOW = dt.datetime(2026, 12, 7, 8, 0)  # when a block was read (UTC)
AT = dt.datetime(2026, 12, 7, 10, 29, 1)  # Asterisk's local clock (Tehran)
SECRET = "peyvand-demo"

# As Asterisk 18 prints them (the AMI event reference), CR LF line ends, a blank line after each.
DIAL_BEGIN = """Event: DialBegin
Privilege: call,all
Channel: PJSIP/mokhaberat-00000011
ChannelState: 4
ChannelStateDesc: Ring
CallerIDNum: 09121234567
CallerIDName: <unknown>
ConnectedLineNum: <unknown>
ConnectedLineName: <unknown>
Language: en
AccountCode:
Context: from-trunk
Exten: 02188776655
Priority: 3
Uniqueid: 1796800145.34
Linkedid: 1796800145.34
DestChannel: PJSIP/201-00000012
DestChannelState: 5
DestChannelStateDesc: Ringing
DestCallerIDNum: 201
DestCallerIDName: Sara
DestConnectedLineNum: 09121234567
DestConnectedLineName: <unknown>
DestLanguage: en
DestAccountCode:
DestContext: from-internal
DestExten: 201
DestPriority: 1
DestUniqueid: 1796800145.35
DestLinkedid: 1796800145.34
DialString: 201
"""
# Asterisk 11 (Issabel 2 and 4): one Dial event with a SubEvent.
DIAL_11 = """Event: Dial
Privilege: call,all
SubEvent: Begin
Channel: SIP/trunk-0000002a
Destination: SIP/105-0000002b
CallerIDNum: 02144556677
CallerIDName: Reza
ConnectedLineNum: 105
UniqueID: 1796800200.60
DestUniqueID: 1796800200.61
Dialstring: 105
"""
CDR = """Event: Cdr
Privilege: cdr,all
AccountCode:
Source: 09121234567
Destination: 201
DestinationContext: from-trunk
CallerID: "" <09121234567>
Channel: PJSIP/mokhaberat-00000011
DestinationChannel: PJSIP/201-00000012
LastApplication: Dial
LastData: PJSIP/201,30
StartTime: 2026-12-07 10:29:01
AnswerTime: 2026-12-07 10:29:06
EndTime: 2026-12-07 10:30:21
Duration: 80
BillableSeconds: 75
Disposition: ANSWERED
AMAFlags: DOCUMENTATION
UniqueID: 1796800145.34
UserField:
"""


def block(text: str, **changes: str) -> bytes:
    lines = []
    for line in text.strip("\n").split("\n"):
        key = line.split(":", 1)[0]
        lines.append(f"{key}: {changes[key]}" if key in changes else line)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def test_real_ami_blocks_become_calls():
    driver = AsteriskAmi("Asia/Tehran")
    both = block(DIAL_BEGIN) + block(CDR)
    # Split mid-block, as TCP may deliver it: nothing is lost or read twice.
    ringing, record = driver.feed(both[:300], NOW) + driver.feed(both[300:], NOW)
    assert isinstance(ringing, CallStarted) and isinstance(record, CallRecord)
    assert (ringing.direction, ringing.number, ringing.extension, ringing.name) == ("incoming", "09121234567", "201", "")
    assert ringing.started_at == NOW and "DestChannel: PJSIP/201-00000012" in ringing.raw
    assert (record.direction, record.number, record.extension) == ("incoming", "09121234567", "201")
    assert record.started_at == dt.datetime(2026, 12, 7, 6, 59, 1)  # 10:29:01 Tehran
    assert (record.ring_seconds, record.duration_seconds, record.answered) == (5, 75, True)
    # Both name the call by the trunk channel's Uniqueid and the extension: one call, not two.
    assert ringing.call_id == record.call_id == "1796800145.34|201"

    [old] = driver.feed(block(DIAL_11), NOW)
    assert isinstance(old, CallStarted)
    assert (old.number, old.extension, old.name, old.call_id) == ("02144556677", "105", "Reza", "1796800200.60|105")

    [missed] = driver.feed(block(CDR, Disposition="NO ANSWER", BillableSeconds="0", AnswerTime=""), NOW)
    assert isinstance(missed, CallRecord)
    assert (missed.answered, missed.duration_seconds, missed.ring_seconds) == (False, 0, 80)
    [busy] = driver.feed(block(CDR, Disposition="BUSY", BillableSeconds="0"), NOW)
    assert isinstance(busy, CallRecord) and busy.answered is False
    [out] = driver.feed(block(CDR, Source="202", Destination="09351234567", Channel="SIP/202-00000031",
                              DestinationChannel="SIP/mokhaberat-00000032", UniqueID="1796800300.70"), NOW)
    assert isinstance(out, CallRecord)
    assert (out.direction, out.number, out.extension, out.answered, out.ring_seconds) == (
        "outgoing", "09351234567", "202", True, None)
    [ivr] = driver.feed(block(CDR, DestinationChannel="", LastApplication="Playback"), NOW)
    assert isinstance(ivr, CallRecord)
    assert (ivr.extension, ivr.answered, ivr.number) == ("", False, "09121234567")  # hung up in the IVR
    [forwarded] = driver.feed(block(CDR, DestinationChannel="PJSIP/mokhaberat-00000013"), NOW)  # to a mobile
    assert isinstance(forwarded, CallRecord)
    assert (forwarded.direction, forwarded.extension, forwarded.answered) == ("incoming", "", True)

    # No customer call: between two extensions, a ring group's Local/ leg, an outgoing DialBegin.
    assert driver.feed(block(CDR, Channel="PJSIP/201-00000040", DestinationChannel="PJSIP/202-00000041"), NOW) == []
    assert driver.feed(block(CDR, DestinationChannel="Local/201@from-internal-00000003;1"), NOW) == []
    assert driver.feed(block(DIAL_BEGIN, Channel="PJSIP/201-00000050", DestChannel="PJSIP/mokhaberat-00000051"),
                       NOW) == []
    assert driver.feed(b"Event: Newexten\r\nChannel: PJSIP/201-00000012\r\nApplication: Dial\r\n\r\n", NOW) == []

    [no_id] = driver.feed(block(CDR, UniqueID=""), NOW)
    [bad_time] = driver.feed(block(CDR, StartTime="07/12/2026 10:29"), NOW)
    [noise] = driver.feed(b"HTTP/1.1 400 Bad Request\r\n\r\n", NOW)
    assert isinstance(no_id, Garbled) and "unique id" in no_id.reason
    assert isinstance(bad_time, Garbled) and "10:29" in bad_time.raw
    assert isinstance(noise, Garbled) and noise.reason == "not an AMI block"


def test_extensions_and_addresses():
    assert [extension_of(c) for c in ("PJSIP/201-0000002a", "SIP/1050-00000001", "IAX2/33-1234",
                                      "PJSIP/mokhaberat-00000011", "SIP/02188776655-00000001",
                                      "Local/201@from-internal-00000003;1", "DAHDI/1-1", "")] == [
        "201", "1050", "33", "", "", "", "", ""]
    assert parse_address("192.168.1.10:5038") == ("192.168.1.10", 5038)
    assert parse_address("tcp://pbx.office.lan:5039") == ("pbx.office.lan", 5039)
    assert parse_address("192.168.1.10") == ("192.168.1.10", 5038)
    assert parse_address("tcp://[fd00::5]:5038") == ("fd00::5", 5038)
    for bad in ("/dev/ttyUSB0", "socket://1.2.3.4:5038", "1.2.3.4:99999", "pbx; rm -rf /:5038"):
        with pytest.raises(ValueError):
            parse_address(bad)


def service_for(k):
    from modules.telephony.runner import build_service

    return build_service(k, backoff_min=0.05, backoff_max=0.2)


def status(k, device):
    from modules.telephony.models import DeviceStatus

    with k.sessions() as session:
        row = session.get(DeviceStatus, device)
        return (row.state, row.error or "") if row else ("", "")


def ami_device(k, sim, secret=SECRET, **kw):
    return add_device(k, sim.address, driver="asterisk_ami", username="peyvand", secret=secret, **kw)


def add_extension(k, number, username):
    from modules.telephony.models import Extension

    user = create_user(k, username, perms=("telephony.call.view",))
    with k.session() as session:
        session.add(Extension(number=number, user_id=user))
    return user


@pytest.mark.parametrize("engine", ENGINES)
def test_asterisk_calls_reach_the_database_once_matched_to_partner_and_user(make_kernel, engine):
    k = telephony_kernel(make_kernel, engine)
    partner = add_partner(k, "زهرا رضایی", mobile="+989121234567")
    sara = add_extension(k, "201", "sara")
    with AsteriskSim() as sim:
        device = ami_device(k, sim)
        service = service_for(k).start()
        try:
            wait_for(lambda: status(k, device) == ("connected", ""), what="the login")
            ringing = sim.ring("09121234567", "201", at=AT)
            wait_for(lambda: call_count(k) == 1, what="the ringing call")
            [rung] = calls(k)
            assert (rung.partner_id, rung.user_id, rung.answered, rung.extension) == (partner, sara, None, "201")
            sim.answer(ringing, after=6)
            sim.hangup(ringing, talk=95)
            sim.dial_out("202", "02188776655", talk=40, at=AT + dt.timedelta(minutes=5))
            sim.call("09350000000", "201", ring=12, answered=False, at=AT + dt.timedelta(minutes=9))
            wait_for(lambda: call_count(k) == 3 and calls(k)[0].answered is not None, what="three calls, complete")
        finally:
            service.stop()
    first, outgoing, missed = calls(k)
    assert (first.partner_id, first.user_id, first.answered, first.duration_seconds, first.ring_seconds) == (
        partner, sara, True, 95, 6)
    assert first.started_at == dt.datetime(2026, 12, 7, 6, 59, 1)  # the Cdr's start, 10:29:01 Tehran
    assert "Event: DialBegin" in first.raw and "Event: Cdr" in first.raw
    assert (outgoing.direction, outgoing.number_canonical, outgoing.extension, outgoing.duration_seconds) == (
        "outgoing", "+982188776655", "202", 40)
    assert (missed.direction, missed.answered, missed.duration_seconds, missed.ring_seconds) == (
        "incoming", False, 0, 12)
    assert status(k, device) == ("stopped", "")


@pytest.mark.parametrize("engine", ENGINES)
def test_asterisk_restarting_mid_call_loses_and_doubles_nothing(make_kernel, engine):
    """A call rings, Asterisk's manager goes away and comes back, the call's Cdr arrives on the new
    connection (and once more, as a second manager session would send it): one call, complete."""
    k = telephony_kernel(make_kernel, engine)
    with AsteriskSim() as sim:
        device = ami_device(k, sim)
        service = service_for(k).start()
        try:
            wait_for(lambda: sim.listeners() == 1, what="the login")
            sim.call("09120000001", "201", at=AT)
            ringing = sim.ring("09120000002", "202", at=AT + dt.timedelta(minutes=1))
            wait_for(lambda: call_count(k) == 2, what="two calls before the restart")
            restart = threading.Thread(target=sim.restart, args=(2.0,))
            restart.start()
            wait_for(lambda: "Connect call failed" in status(k, device)[1], what="the restarting Asterisk to refuse")
            restart.join()
            wait_for(lambda: sim.listeners() == 1, what="the login after the restart")
            sim.answer(ringing, after=4)
            sim.hangup(ringing, talk=30)
            sim.emit("Cdr", sim.cdr_fields(ringing, 30))
            for n in range(3, 8):
                sim.call(f"0912000000{n}", "201", at=AT + dt.timedelta(minutes=n))
            wait_for(lambda: call_count(k) == 7 and all(c.answered is not None for c in calls(k)),
                     what="seven complete calls")
            opened = service.states[device].opened
        finally:
            service.stop()
    assert sorted(c.number for c in calls(k)) == [f"0912000000{n}" for n in range(1, 8)]
    survived = next(c for c in calls(k) if c.number == "09120000002")
    assert (survived.answered, survived.duration_seconds, survived.extension) == (True, 30, "202")
    assert opened == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_a_wrong_secret_shows_on_the_status_page_and_the_other_asterisk_keeps_working(make_kernel, web_client,
                                                                                      engine):
    k = telephony_kernel(make_kernel, engine)
    create_user(k, "admin", admin=True)
    client = web_client(k, "admin")
    with AsteriskSim() as sim:
        wrong = ami_device(k, sim, secret="guessed", name="ایزابل شعبه")
        right = add_device(k, f"tcp://{sim.address}", driver="asterisk_ami", name="ایزابل مرکزی",
                           username="peyvand", secret=SECRET)
        service = service_for(k).start()
        try:
            wait_for(lambda: "refused the login" in status(k, wrong)[1], what="the refusal")
            wait_for(lambda: sim.listeners() == 1, what="the right device's login")
            sim.call("09121234567", "201", at=AT)
            wait_for(lambda: call_count(k) == 1, what="the call")
            wait_for(lambda: sim.refused >= 2, what="the refused device to try again")
            assert service.states[wrong].state == "retrying" and service.states[right].state == "connected"
            page = client.get("/telephony/status")  # while the service runs
        finally:
            service.stop()
    assert calls(k)[0].device_id == right
    assert page.status_code == 200
    section = page.text.split(f'data-device="{wrong}"', 1)[1].split("</section>", 1)[0]
    assert "در تلاش دوباره" in section and "استریسک نام کاربری یا رمز را نپذیرفت" in section
    assert "Authentication failed" in section and "guessed" not in page.text
    assert f'href="/telephony/device/{wrong}/secret"' in section and "۹۶۰۰" not in section  # no baud rate


@pytest.mark.parametrize("engine", ENGINES)
def test_a_new_secret_is_used_without_restarting_the_service(make_kernel, web_client, engine):
    """The secret page writes past the ORM (no edit time changes): the service still sees the new
    login on its next read of the devices and logs in again, the other devices untouched."""
    from modules.telephony.runner import device_specs

    k = telephony_kernel(make_kernel, engine)
    create_user(k, "admin", admin=True)
    client = web_client(k, "admin")
    with AsteriskSim() as sim:
        device = ami_device(k, sim, secret="an-old-secret")
        service = service_for(k).start()
        try:
            wait_for(lambda: "refused the login" in status(k, device)[1], what="the refusal")
            page = client.get(f"/telephony/device/{device}/secret")
            client.post(f"/telephony/device/{device}/secret", data={"csrf": csrf_of(page.text), "secret": SECRET})
            service.reconcile(device_specs(k))  # what `peyvand telephony run` does every --reload seconds
            wait_for(lambda: status(k, device) == ("connected", ""), what="the login with the new secret")
            sim.call("09121234567", "201", at=AT)
            wait_for(lambda: call_count(k) == 1, what="the call")
        finally:
            service.stop()


def test_a_hung_asterisk_is_noticed_by_its_unanswered_ping(monkeypatch):
    monkeypatch.setattr(AmiLink, "keepalive", 0.3)
    got: list[object] = []
    with AsteriskSim() as sim:
        spec = DeviceSpec("pbx", sim.address, lambda: AsteriskAmi("UTC"), link="ami", username="peyvand", secret=SECRET)
        service = DeviceService([spec], sink=lambda key, event: got.append(event), backoff_min=0.05,
                                backoff_max=0.1).start()
        try:
            wait_for(lambda: service.states["pbx"].state == "connected", what="the login")
            sim.answer_pings = False  # the socket stays open; nothing answers any more
            wait_for(lambda: "did not answer a Ping" in service.states["pbx"].error, what="the silence")
            sim.answer_pings = True
            monkeypatch.setattr(AmiLink, "keepalive", 10.0)  # no Ping races the call below on a busy machine
            wait_for(lambda: service.states["pbx"].state == "connected", what="the new session")
            sim.call("09121234567", "201", at=AT)
            wait_for(lambda: len(got) == 2, what="the call's two events")
        finally:
            service.stop()
    assert service.states["pbx"].opened >= 2 and [type(e).__name__ for e in got] == ["CallStarted", "CallRecord"]


def test_a_port_where_nothing_speaks_ami_is_retried_with_a_clear_error(monkeypatch):
    """The port of another service (it accepts, never answers the Login): the device is retrying
    with "did not answer the login", and the status page's hint says what to check."""
    import devices.links.ami as ami_link
    from modules.telephony.ami_device import ami_error_hint

    monkeypatch.setattr(ami_link, "LOGIN_TIMEOUT", 0.3)
    with socket.create_server(("127.0.0.1", 0)) as silent:
        address = "{}:{}".format(*silent.getsockname())
        spec = DeviceSpec("pbx", address, lambda: AsteriskAmi("UTC"), link="ami", username="peyvand", secret=SECRET)
        service = DeviceService([spec], sink=lambda key, event: None, backoff_min=0.05, backoff_max=0.1).start()
        try:
            wait_for(lambda: "did not answer the login" in service.states["pbx"].error, what="the silence")
            error = service.states["pbx"].error
        finally:
            service.stop()
    assert service.states["pbx"].opened == 0
    assert ami_error_hint(error) == "Asterisk did not answer in time: check the network and the firewall."


def test_a_sink_that_waits_for_the_database_neither_stalls_the_session_nor_loses_a_call(monkeypatch):
    """The database refuses writes for longer than a Ping may wait: the session stays up (Pings are
    answered meanwhile) and every event is recorded once, in order, when it is back."""
    import time

    monkeypatch.setattr(AmiLink, "keepalive", 0.2)
    got: list[object] = []
    down_until = [0.0]

    def sink(key: object, event: object) -> None:
        if time.monotonic() < down_until[0]:
            raise ConnectionError("the database is restarting")
        got.append(event)

    with AsteriskSim() as sim:
        spec = DeviceSpec("pbx", sim.address, lambda: AsteriskAmi("UTC"), link="ami", username="peyvand", secret=SECRET)
        service = DeviceService([spec], sink=sink, backoff_min=0.05, backoff_max=0.1).start()
        try:
            wait_for(lambda: service.states["pbx"].state == "connected", what="the login")
            pings = sum(1 for a in sim.actions if a.get("action") == "Ping")
            down_until[0] = time.monotonic() + 1.5
            for n in range(5):
                sim.call(f"0912000000{n}", "201", at=AT + dt.timedelta(minutes=n))
            wait_for(lambda: len(got) == 10, what="ten events once the database is back")
            answered_meanwhile = sum(1 for a in sim.actions if a.get("action") == "Ping") - pings
        finally:
            service.stop()
    assert service.states["pbx"].opened == 1 and answered_meanwhile >= 3
    assert [e.number for e in got if isinstance(e, CallRecord)] == [f"0912000000{n}" for n in range(5)]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_device_form_asks_an_ami_address_and_user_and_the_secret_is_never_shown(make_kernel, web_client,
                                                                                   api_client, engine):
    from kernel.models import History
    from modules.telephony.models import Device

    k = telephony_kernel(make_kernel, engine)
    create_user(k, "admin", admin=True)
    client = web_client(k, "admin")
    form = client.get("/telephony/device/new")
    assert "استریسک / ایزابل (AMI)" in form.text and 'data-when-values="asterisk_ami"' in form.text
    assert "192.168.1.10:5038" in form.text  # the help says what the port means for AMI
    data = {"csrf": csrf_of(form.text), "name": "ایزابل", "driver": "asterisk_ami", "port": "192.168.1.10:5038",
            "username": "", "active": "on"}
    refused = client.post("/telephony/device/new", data=data)
    assert refused.status_code == 400 and "نام کاربری مدیریت را" in refused.text
    refused = client.post("/telephony/device/new", data={**data, "port": "/dev/ttyUSB0", "username": "peyvand"})
    assert refused.status_code == 400 and "نشانی سرور استریسک" in refused.text
    refused = client.post("/telephony/device/new", data={**data, "driver": "panasonic_smdr"})
    assert refused.status_code == 400 and "درگاه سریالی مانند" in refused.text
    with k.sessions() as session:
        assert session.scalar(select(Device.id)) is None
    saved = client.post("/telephony/device/new", data={**data, "username": "peyvand"}, follow_redirects=False)
    assert saved.status_code in (302, 303)
    with k.sessions() as session:
        device = session.scalars(select(Device)).one()
    assert (device.driver, device.port, device.username, device.secret) == (
        "asterisk_ami", "192.168.1.10:5038", "peyvand", None)

    page = client.get(f"/telephony/device/{device.id}/secret")
    assert page.status_code == 200 and "رمزی تعیین نشده است" in page.text
    token = csrf_of(page.text)
    bad = client.post(f"/telephony/device/{device.id}/secret", data={"csrf": token, "secret": "one\r\nAction: Logoff"})
    assert bad.status_code == 400 and "رمز باید یک سطر" in bad.text
    secret = "Zx9-very-secret-7781"
    kept = client.post(f"/telephony/device/{device.id}/secret", data={"csrf": token, "secret": secret},
                       follow_redirects=False)
    assert kept.status_code == 303
    client.post(f"/telephony/device/{device.id}/secret", data={"csrf": token, "secret": ""})  # empty keeps it
    with k.sessions() as session:
        assert session.get(Device, device.id).secret == secret
        history = " ".join(session.scalars(select(History.changes).where(History.table_name == "telephony_device")))
    assert "very-secret" not in history
    for path in (f"/telephony/device/{device.id}", f"/telephony/device/{device.id}/edit", "/telephony/device/",
                 f"/telephony/device/{device.id}/secret", "/telephony/status", "/telephony/device/export.csv"):
        shown = client.get(path)
        assert shown.status_code == 200 and "very-secret" not in shown.text, path
    assert "رمز تعیین شده است" in client.get(f"/telephony/device/{device.id}/secret").text
    api = api_client(k, "admin").get(f"/api/telephony/device/{device.id}")
    assert api.status_code == 200 and "very-secret" not in api.text and api.json().get("username") == "peyvand"
    create_user(k, "viewer", perms=("telephony.device.view",))
    viewer = web_client(k, "viewer")
    assert viewer.get(f"/telephony/device/{device.id}/secret").status_code == 403
    assert "data-ami-secret" not in viewer.get("/telephony/status").text


def test_simulate_asterisk_rings_through_run(make_kernel, peyvand, capsys):  # noqa: F811
    k = telephony_kernel(make_kernel)
    peyvand(k)
    partner = add_partner(k, "زهرا رضایی", mobile="+989121234567")
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # a free port for the simulated Asterisk
    add_device(k, f"127.0.0.1:{port}", driver="asterisk_ami", username="peyvand", secret=SECRET)
    args = ["asterisk_ami", "--ami-port", str(port), "--wait", "15", "--ring", "0.3", "--extension", "201",
            "--duration", "42", "--number", "۰۹۱۲۱۲۳۴۵۶۷"]
    assert simulate_through_run(args, lambda: call_count(k) == 1 and calls(k)[0].answered is not None) == (0, 0)
    [call] = calls(k)
    assert (call.partner_id, call.duration_seconds, call.extension, call.answered) == (partner, 42, "201", True)
    out = capsys.readouterr().out
    assert f"127.0.0.1:{port} user peyvand" in out and "RING 09121234567 -> 201" in out


def test_simulate_on_a_taken_port_is_one_line(make_kernel, peyvand, capsys):  # noqa: F811
    k = telephony_kernel(make_kernel)
    peyvand(k)
    with AsteriskSim() as taken:
        assert main(["telephony", "simulate", "asterisk_ami", "--ami-port", str(taken.port)]) == 2
    assert capsys.readouterr().err.strip() == (
        "peyvand: The simulated Asterisk cannot listen on this port: choose another with --ami-port")


@pytest.mark.parametrize("engine", ENGINES)
def test_the_login_columns_migrate_down_and_up_keeping_the_devices(make_kernel, engine):
    import sqlalchemy as sa
    from alembic import command

    from kernel import migrations

    k = telephony_kernel(make_kernel, engine)
    device = add_device(k, "/dev/ttyUSB0", name="پاناسونیک")
    cfg = migrations.alembic_config(k)

    def columns() -> set[str]:
        return {c["name"] for c in sa.inspect(k.engine).get_columns("telephony_device")}

    with k.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "de9910dba3d8")
    assert not {"username", "secret"} & columns()
    migrations.upgrade(k)
    assert {"username", "secret"} <= columns() and migrations.diff(k) == []
    with k.sessions() as session:
        from modules.telephony.models import Device

        kept = session.get(Device, device)
        assert kept is not None and (kept.name, kept.username, kept.secret) == ("پاناسونیک", None, None)
