"""``peyvand marketing gsm-simulate``: a GSM modem on a pseudo-terminal (the simulator of
:mod:`devices.simulators.gsm_modem`), to try the GSM modem panel without a modem: it prints the
path to put in the panel's address, then each message the panel sends; it can deliver them (a
delivery report a second later) and receive a message from a mobile."""

from __future__ import annotations

import argparse
import time
from typing import Any

from kernel import Command, InputError
from kernel.persian.phones import canonical_phone


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--link", default="", help="also reach the pty at this path (a symlink)")
    parser.add_argument("--pin", default="", help="the simulated SIM asks for this PIN")
    parser.add_argument("--deliver", action="store_true", help="report every sent message delivered a second later")
    parser.add_argument("--inbound", nargs=2, metavar=("MOBILE", "TEXT"),
                        help="a message from MOBILE reaches the SIM (a long text arrives in parts)")
    parser.add_argument("--seconds", type=float, default=0.0, help="stop after this many seconds (default: Ctrl-C)")


def simulate(kernel: Any, args: argparse.Namespace) -> int:
    from devices.simulators.gsm_modem import GsmModemSim

    sender = canonical_phone(args.inbound[0]) if args.inbound else ""
    if args.pin and not args.pin.isdigit():
        raise InputError("Enter the SIM's PIN in digits")
    deadline = time.monotonic() + args.seconds if args.seconds > 0 else None
    with GsmModemSim(args.link or None, pin=args.pin or None) as sim:
        print(sim.path, flush=True)
        if args.inbound:
            sim.inject(sender, args.inbound[1])
        shown = 0
        try:
            while deadline is None or time.monotonic() < deadline:
                time.sleep(0.2)
                for part in sim.sent[shown:]:
                    label = f" ({part.concat.seq}/{part.concat.total})" if part.concat else ""
                    print(f"→ {part.number}{label} [{part.mode}, {part.encoding}] {part.text}", flush=True)
                    if args.deliver:
                        time.sleep(1.0)
                        sim.report(part.mr)
                shown = len(sim.sent)
        except KeyboardInterrupt:
            pass
    return 0


COMMANDS = [Command("marketing.gsm-simulate",
                    "Simulate a GSM modem on a pseudo-terminal for the GSM modem SMS panel", simulate, configure)]
