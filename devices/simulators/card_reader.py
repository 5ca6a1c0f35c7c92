"""A magnetic card reader in serial mode on a pseudo-terminal: each swipe prints the card's
tracks as a real reader does (both on one line, or one line per track), or ``%E?;E?`` for a
swipe too fast to read."""

from __future__ import annotations

from devices.simulators.pty_device import PtyDevice


def track1(pan: str, name: str = "", expiry: str = "2905") -> str:
    return f"%B{pan}^{name or ' '}^{expiry}1010000000000000?"


def track2(pan: str, expiry: str = "2905") -> str:
    return f";{pan}={expiry}10100000000?"


class CardReaderSim(PtyDevice):
    def __init__(self, link: str | None = None, line_per_track: bool = False) -> None:
        super().__init__(link)
        self.line_per_track = line_per_track

    def swipe(self, pan: str, name: str = "") -> str:
        """A bank-style card (tracks 1 and 2); answers what was printed."""
        tracks = [track1(pan, name), track2(pan)]
        text = "\r\n".join(tracks) if self.line_per_track else "".join(tracks)
        self.write(text.encode("latin-1") + b"\r\n")
        return text

    def swipe_club_card(self, number: str) -> str:
        """A club card coded on track 2 only, as card printers do: ``;<number>?``."""
        text = f";{number}?"
        self.write(text.encode("latin-1") + b"\r\n")
        return text

    def bad_swipe(self) -> None:
        self.write(b"%E?;E?\r\n")
