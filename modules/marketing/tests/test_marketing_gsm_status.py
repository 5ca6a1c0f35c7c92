"""DEV-03: "Check: modem" on a panel opens the modem's port now and shows the SIM, the signal and
the network, or in Persian why it could not (a SIM asking for its PIN, a port held by another
program); only panel administrators may ask, and a panel that is not a modem says so. A GSM
panel's credit check says a modem's credit is not read here, without an error page."""

from __future__ import annotations

from typing import Any

import serial

from devices.simulators.gsm_modem import GsmModemSim
from kernel.testing import create_user
from modules.marketing.fake_panel import FakePanel
from modules.marketing.testing import add_panel
from modules.marketing.tests.gsm_helpers import add_gsm_panel, modem

__all__ = ["modem"]
ADMIN = ("marketing.panel.view", "marketing.panel.edit")


def test_check_modem_shows_the_sim_signal_and_network_in_persian(
        make_kernel: Any, modem: GsmModemSim, web_client: Any) -> None:
    kernel = make_kernel(modules=("marketing",))
    panel_id = add_gsm_panel(kernel, modem.path)
    modem.signal, modem.registered = 31, 5  # a full signal, roaming
    create_user(kernel, "admin1", perms=ADMIN)
    page = web_client(kernel, "admin1").get(f"/marketing/panel/{panel_id}/modem")
    assert page.status_code == 200
    assert "آماده" in page.text and "۵ خط از ۵" in page.text and "ثبت‌شده (رومینگ)" in page.text
    assert "AT+CSQ" in modem.commands and "AT+CREG?" in modem.commands


def test_check_modem_names_a_pin_request_and_a_busy_port(make_kernel: Any, tmp_path: Any, web_client: Any) -> None:
    kernel = make_kernel(modules=("marketing",))
    create_user(kernel, "admin2", perms=ADMIN)
    client = web_client(kernel, "admin2")
    with GsmModemSim(str(tmp_path / "ttyPIN"), pin="2468") as sim:
        panel_id = add_gsm_panel(kernel, sim.path)
        asks_pin = client.get(f"/marketing/panel/{panel_id}/modem")
        holder = serial.serial_for_url(sim.path, exclusive=True)
        try:
            busy = client.get(f"/marketing/panel/{panel_id}/modem")
        finally:
            holder.close()
    assert asks_pin.status_code == 200 and "سیم‌کارت رمز PIN می‌خواهد" in asks_pin.text
    assert busy.status_code == 200 and "درگاه مودم در دست برنامه‌ی دیگری است" in busy.text


def test_check_modem_is_for_panel_administrators_and_says_when_a_panel_is_not_a_modem(
        make_kernel: Any, fake_panel: FakePanel, modem: GsmModemSim, web_client: Any) -> None:
    kernel = make_kernel(modules=("marketing",))
    http_panel = add_panel(kernel, fake_panel, is_default=False)
    gsm_panel = add_gsm_panel(kernel, modem.path)
    create_user(kernel, "viewer", perms=("marketing.panel.view",))
    create_user(kernel, "admin3", perms=ADMIN)
    assert web_client(kernel, "viewer").get(f"/marketing/panel/{gsm_panel}/modem").status_code == 403
    admin = web_client(kernel, "admin3")
    page = admin.get(f"/marketing/panel/{http_panel}/modem")
    assert page.status_code == 200 and "این پنل مودم جی‌اس‌ام نیست" in page.text
    credit = admin.get(f"/marketing/panel/{gsm_panel}/credit")
    assert credit.status_code == 200 and "اعتبار سیم‌کارت مودم از این‌جا خوانده نمی‌شود" in credit.text
