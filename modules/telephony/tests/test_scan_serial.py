"""DEV-02, serial mode: a card reader and a barcode scanner on real pseudo-terminals, read by the
real DeviceService through pyserial; each scan becomes one push message (``devices.scan``) to the
reader's workstation user; bad swipes are garbled lines, not scans. The device form ties a reader
to a user (required for readers, refused for a PBX) and the column comes and goes with its
migration. Both engines."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from devices.simulators.barcode_scanner import BarcodeScannerSim
from devices.simulators.card_reader import CardReaderSim
from kernel import migrations
from kernel.push import PushMessage
from kernel.testing import create_user, csrf_of
from modules.telephony.tests.scan_cases import PAN
from modules.telephony.tests.telephony_helpers import ENGINES, add_device, telephony_kernel, wait_for

REVISION, PREVIOUS = "5c2e8a41f7d3", "c4a7e2b91f30"


def pushes(k, user_id=None):
    with k.sessions() as s:
        stmt = select(PushMessage).order_by(PushMessage.id)
        if user_id is not None:
            stmt = stmt.where(PushMessage.user_id == user_id)
        return [(m.user_id, m.kind, json.loads(m.data)) for m in s.scalars(stmt)]


def garbled(k, device):
    from modules.telephony.models import GarbledLine

    with k.sessions() as s:
        return [g.raw for g in s.scalars(select(GarbledLine).where(GarbledLine.device_id == device))]


def service_for(k):
    from modules.telephony.runner import build_service

    return build_service(k, backoff_min=0.05, backoff_max=0.2)


@pytest.mark.parametrize("engine", ENGINES)
def test_swipes_and_scans_reach_the_workstation_user_once_each(make_kernel, tmp_path, engine):
    k = telephony_kernel(make_kernel, engine)
    sara = create_user(k, "sara", perms=("base.partner.view",))
    reza = create_user(k, "reza", perms=("base.partner.view",))
    with CardReaderSim(str(tmp_path / "reader"), line_per_track=True) as reader, \
            BarcodeScannerSim(str(tmp_path / "scanner")) as scanner:
        card = add_device(k, reader.path, driver="card_reader", name="کارت‌خوان صندوق", user_id=sara)
        add_device(k, scanner.path, driver="barcode_serial", name="بارکدخوان انبار", user_id=reza)
        service = service_for(k).start()
        try:
            reader.swipe(PAN, "REZAEI/ZAHRA")  # two lines, one swipe
            reader.bad_swipe()
            reader.swipe_club_card("00420042")
            scanner.scan("6260123456786")
            scanner.scan("INV-1405/0042")
            wait_for(lambda: len(pushes(k)) == 4 and garbled(k, card), what="four scans and a bad swipe")
        finally:
            service.stop()
    assert pushes(k, sara) == [(sara, "devices.scan", {"code": PAN, "format": "track1"}),
                               (sara, "devices.scan", {"code": "00420042", "format": "track2"})]
    assert pushes(k, reza) == [(reza, "devices.scan", {"code": "6260123456786", "format": "ean13"}),
                               (reza, "devices.scan", {"code": "INV-1405/0042", "format": "code128"})]
    assert garbled(k, card) == ["%E?;E?"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_reader_is_tied_to_a_user_in_its_form(make_kernel, web_client, engine):
    from modules.telephony.models import Device

    k = telephony_kernel(make_kernel, engine)
    sara = create_user(k, "sara", perms=("telephony.device.*",))
    c = web_client(k, "sara")
    form = c.get("/telephony/device/new")
    assert "کاربر این میز کار" in form.text and "کارت‌خوان مغناطیسی (سریال)" in form.text
    base = {"csrf": csrf_of(form.text), "name": "کارت‌خوان صندوق", "port": "/dev/ttyUSB1", "baud_rate": "۹۶۰۰",
            "parity": "N", "data_bits": "8", "stop_bits": "1", "active": "on"}
    refused = c.post("/telephony/device/new", data={**base, "driver": "card_reader"}, follow_redirects=False)
    assert refused.status_code == 400
    assert "کاربری را که پشت این کارت‌خوان یا بارکدخوان کار می‌کند برگزینید" in refused.text
    with k.sessions() as s:
        assert s.scalar(select(sa.func.count()).select_from(Device)) == 0  # nothing saved
    saved = c.post("/telephony/device/new", data={**base, "driver": "card_reader", "user_id": str(sara)},
                   follow_redirects=False)
    assert saved.status_code == 303
    # The user belongs to the reader's section: a PBX keeps none, whatever was posted.
    pbx = c.post("/telephony/device/new", data={**base, "name": "سانترال", "driver": "panasonic_smdr",
                                                "user_id": str(sara)}, follow_redirects=False)
    assert pbx.status_code == 303
    with k.sessions() as s:
        assert [(d.driver, d.user_id) for d in s.scalars(select(Device).order_by(Device.id))] == [
            ("card_reader", sara), ("panasonic_smdr", None)]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_user_column_comes_and_goes_with_its_migration(make_kernel, engine):
    k = telephony_kernel(make_kernel, engine)
    cfg = migrations.alembic_config(k)

    def columns():
        return {c["name"] for c in sa.inspect(k.engine).get_columns("telephony_device")}

    assert "user_id" in columns()
    with k.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, PREVIOUS)
    assert "user_id" not in columns() and "port" in columns()
    migrations.upgrade(k)
    assert "user_id" in columns()
    assert migrations.diff(k) == []
