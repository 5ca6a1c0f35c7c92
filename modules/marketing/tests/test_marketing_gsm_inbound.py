"""DEV-03: SMS received by the GSM modem's SIM reach marketing's inbound path exactly as the HTTP
panels' do — a Persian reply in three parts is joined, matched to the partner by mobile and put
on their timeline, logged once even when read twice, and deleted from the SIM only after it is
recorded; «لغو۱۱» from a partner becomes an opt-out; a sender we do not know waits in the inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from devices.gsm import pdu
from devices.simulators.gsm_modem import GsmModemSim
from kernel.testing import create_record
from modules.base.models import Communication
from modules.marketing.adapters.gsm import GsmPanel
from modules.marketing.models import Inbound, OptOut
from modules.marketing.tests.gsm_helpers import add_gsm_panel, modem, poll
from modules.marketing.tests.sms_helpers import ENGINES, T0

__all__ = ["modem"]
REPLY = ("سلام، پیامکتان رسید. لطفاً سفارش شماره‌ی ۱۴۰۵ را برای پنجشنبه بفرستید؛ من تا ساعت شش عصر در "
         "فروشگاه هستم و هزینه را همان‌جا نقد پرداخت می‌کنم. ممنون از پیگیری‌تان.")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_persian_reply_in_three_parts_lands_once_on_the_partners_timeline_and_leaves_the_sim(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    assert len(pdu.split(REPLY)[1]) == 3
    kernel = make_kernel(modules=("marketing",), engine=engine)
    panel_id = add_gsm_panel(kernel, modem.path)
    partner = create_record(kernel, None, "base.partner", kind="person", first_name="نگار", last_name="صالحی",
                            mobile="+989351112233")
    modem.inject("+989351112233", REPLY)
    modem.inject("+989191234567", "کی باز هستید؟")

    poll(kernel, T0)

    with kernel.sessions() as s:
        rows = {r.address: r for r in s.scalars(select(Inbound))}
        comm = s.get(Communication, rows["+989351112233"].communication_id)
    got = rows["+989351112233"]
    assert (got.body, got.partner_id, got.state, got.source, got.to_line) == (
        REPLY, partner, "matched", f"panel:{panel_id}", "+989120001122")
    assert comm is not None and (comm.direction, comm.kind, comm.partner_id) == ("in", "sms", partner)
    assert (rows["+989191234567"].state, rows["+989191234567"].partner_id) == ("unassigned", None)
    assert modem.storage == {}  # deleted from the SIM once recorded


@pytest.mark.parametrize("engine", ENGINES)
def test_a_message_read_again_after_its_deletion_was_lost_is_logged_once(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    modem.inject("+989351112233", REPLY)
    original = GsmPanel.acknowledge
    GsmPanel.acknowledge = lambda self: None  # type: ignore[method-assign]  # the worker dies before deleting
    try:
        poll(kernel, T0)
    finally:
        GsmPanel.acknowledge = original  # type: ignore[method-assign]
    assert len(modem.storage) == 3
    poll(kernel, T0 + dt.timedelta(minutes=5))
    with kernel.sessions() as s:
        assert [r.body for r in s.scalars(select(Inbound))] == [REPLY]
    assert modem.storage == {}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_long_reply_whose_last_part_has_not_arrived_waits_on_the_sim(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    modem.inject("+989351112233", REPLY)
    last = max(modem.storage)
    kept = modem.storage.pop(last)  # the last part is still on its way
    poll(kernel, T0)
    with kernel.sessions() as s:
        assert s.scalars(select(Inbound)).all() == []
    assert len(modem.storage) == 2
    modem.storage[last] = kept
    poll(kernel, T0 + dt.timedelta(minutes=5))
    with kernel.sessions() as s:
        assert [r.body for r in s.scalars(select(Inbound))] == [REPLY]


@pytest.mark.parametrize("engine", ENGINES)
def test_an_opt_out_reply_to_the_modem_opts_the_partner_out(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    partner = create_record(kernel, None, "base.partner", kind="person", first_name="حسن", last_name="یزدی",
                            mobile="+989131234567")
    modem.inject("+989131234567", "لغو۱۱")
    poll(kernel, T0)
    with kernel.sessions() as s:
        opt = s.scalars(select(OptOut)).one()
        row = s.scalars(select(Inbound)).one()
    assert (opt.partner_id, opt.address, opt.source) == (partner, "+989131234567", "reply")
    assert row.state == "opt_out"


@pytest.mark.parametrize("engine", ENGINES)
def test_parts_stored_out_of_order_and_one_stored_twice_are_joined_in_order(
        make_kernel: Any, modem: GsmModemSim, engine: str) -> None:
    kernel = make_kernel(modules=("marketing",), engine=engine)
    add_gsm_panel(kernel, modem.path)
    modem.inject("+989351112233", REPLY)
    stored = [modem.storage[i] for i in sorted(modem.storage)]
    modem.storage.clear()
    for i, part in enumerate([stored[2], stored[0], stored[1], stored[0]]):  # the network sent part 1 twice
        modem.storage[10 + i] = part
    poll(kernel, T0)
    with kernel.sessions() as s:
        assert [r.body for r in s.scalars(select(Inbound))] == [REPLY]
    assert modem.storage == {}
