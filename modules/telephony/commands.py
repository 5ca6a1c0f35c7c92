"""``peyvand telephony run`` (the device service) and ``peyvand telephony simulate`` (a PBX or a
caller-ID modem on a pseudo-terminal, to try everything without hardware)."""

from __future__ import annotations

import argparse
import logging
import re
import signal
import sys
import time
from typing import Any

from kernel import Command, InputError, utcnow
from kernel.persian.textnorm import to_ascii_digits
from kernel.timezone import to_local

log = logging.getLogger("peyvand.devices")


def configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backoff-max", type=float, default=30.0,
                        help="longest wait in seconds before reopening a lost port (default 30)")
    parser.add_argument("--reload", type=float, default=5.0,
                        help="seconds between reads of the devices' settings: added, edited or "
                             "deactivated devices follow without a restart (default 5)")


def run(kernel: Any, args: argparse.Namespace) -> int:
    from modules.telephony.runner import build_service, device_specs

    service = build_service(kernel, backoff_max=max(1.0, args.backoff_max))
    before = {sig: signal.signal(sig, lambda *_: service.request_stop()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        service.start()
        if service.specs:
            print(f"Reading {len(service.specs)} device(s); stop with SIGTERM or Ctrl-C.", flush=True)
        else:  # under systemd before anyone has added a device: wait for one, do not crash-loop
            print("No active device yet: add one under Calls → Telephone devices; it is opened within "
                  f"{args.reload:g} s. Stop with SIGTERM or Ctrl-C.", flush=True)
        while not service.wait(max(0.2, args.reload)):
            try:
                service.reconcile(device_specs(kernel))
            except Exception:  # the database restarting: keep reading the devices already open
                log.exception("could not read the devices' settings; trying again")
    finally:
        service.stop()
        for sig, handler in before.items():
            signal.signal(sig, handler)
    return 0


def configure_simulate(parser: argparse.ArgumentParser) -> None:
    from modules.telephony.simulate_ami import configure

    parser.add_argument("driver", choices=("panasonic_smdr", "cid_modem", "asterisk_ami"), help="the device to simulate")
    parser.add_argument("--number", default="09121234567", help="the caller's number (default 09121234567)")
    parser.add_argument("--extension", default="101", help="the extension that answers (PBX only)")
    parser.add_argument("--outgoing", action="store_true", help="an outgoing call instead (PBX only)")
    parser.add_argument("--duration", type=int, default=65, help="the call's length in seconds (PBX only)")
    parser.add_argument("--link", default="", help="also reach the pty at this path (a symlink)")
    parser.add_argument("--wait", type=float, default=10.0,
                        help="seconds to wait before the call, for the service to open the port (default 10)")
    parser.add_argument("--calls", type=int, default=1, help="how many calls, one per --interval (default 1)")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between calls (default 5)")
    configure(parser)


def simulate(kernel: Any, args: argparse.Namespace) -> int:
    from devices.simulators.cid_modem import CidModemSim
    from devices.simulators.panasonic_pbx import PanasonicPbx, SimCall

    number = to_ascii_digits(args.number).strip()  # a PBX prints ASCII digits, whatever was typed
    if not re.fullmatch(r"[0-9*#]{0,20}|[PO]", number):
        raise InputError("Enter the caller's number in digits (or P for a private caller)")
    if args.driver == "asterisk_ami":
        from modules.telephony.simulate_ami import simulate as simulate_ami

        return simulate_ami(kernel, args, number)
    sim: PanasonicPbx | CidModemSim = (PanasonicPbx(args.link or None) if args.driver == "panasonic_smdr"
                                       else CidModemSim(args.link or None))
    with sim:
        print(sim.path, flush=True)
        time.sleep(max(0.0, args.wait))
        for n in range(max(1, args.calls)):
            if n:
                time.sleep(max(0.0, args.interval))
            now = to_local(utcnow(), kernel.config.timezone).replace(second=0, microsecond=0)
            if isinstance(sim, PanasonicPbx):
                line = sim.call(SimCall(number, now, "outgoing" if args.outgoing else "incoming",
                                        extension=args.extension, duration_seconds=max(0, args.duration)))
                print(line, flush=True)
            else:
                sim.ring(number, now)
                print(f"RING {number}" if sim.caller_id else "RING (the modem was not told AT+VCID=1: no number)",
                      flush=True)
        if not sim.drain(max(5.0, args.wait)):
            print("Nobody read the port: the calls above were not delivered.", file=sys.stderr)
            return 1
        # Closing the pty discards what the reader has not taken yet: give it a moment.
        time.sleep(1.0)
    sys.stdout.flush()
    return 0


COMMANDS = [
    Command("telephony.run", "Run the device service: read the PBXs and modems configured under Calls → Telephone devices",
            run, configure_run),
    Command("telephony.simulate", "Simulate a Panasonic PBX or a caller-ID modem on a pseudo-terminal and place calls",
            simulate, configure_simulate),
]
