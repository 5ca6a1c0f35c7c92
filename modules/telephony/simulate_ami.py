"""``peyvand telephony simulate asterisk_ami``: an Asterisk manager on a local TCP port that the
device service logs in to, then rings (or dials out from) an extension — caller ID to try
without a PBX. Add a device of driver "Asterisk / Issabel (AMI)" with the address it prints."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from devices.simulators.asterisk_ami import AsteriskSim
from kernel import InputError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ami-port", type=int, default=5038, help="AMI only: the TCP port to listen on (default 5038)")
    parser.add_argument("--ami-user", default="peyvand", help="AMI only: the manager user (default peyvand)")
    parser.add_argument("--ami-secret", default="peyvand-demo", help="AMI only: its secret (default peyvand-demo)")
    parser.add_argument("--ring", type=float, default=3.0,
                        help="AMI only: seconds the extension rings before it answers (default 3)")


def simulate(kernel: Any, args: argparse.Namespace, number: str) -> int:
    sim = AsteriskSim(args.ami_user, args.ami_secret, port=max(0, args.ami_port), timezone=kernel.config.timezone)
    try:
        sim.start()
    except OSError as exc:
        raise InputError("The simulated Asterisk cannot listen on this port: choose another with --ami-port") from exc
    try:
        print(f"{sim.address} user {sim.username} secret {sim.secret}", flush=True)
        if not sim.wait_for_listener(max(1.0, args.wait)):
            print("Nobody logged in to the simulated Asterisk: no call was placed.", file=sys.stderr)
            return 1
        for n in range(max(1, args.calls)):
            if n:
                time.sleep(max(0.0, args.interval))
            if args.outgoing:
                sim.dial_out(args.extension, number, talk=max(0, args.duration))
                print(f"{args.extension} -> {number}", flush=True)
                continue
            call = sim.ring(number, args.extension)
            print(f"RING {number} -> {args.extension}", flush=True)
            time.sleep(max(0.0, args.ring))
            sim.answer(call, after=round(args.ring))
            sim.hangup(call, talk=max(0, args.duration))
            print(f"Cdr {number} -> {args.extension} ANSWERED {max(0, args.duration)} s", flush=True)
        time.sleep(1.0)  # the reader takes the last events before the connection closes
    finally:
        sim.close()
    return 0
