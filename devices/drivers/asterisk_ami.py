"""Asterisk — and Issabel and FreePBX, Asterisk underneath — through its manager interface (AMI).

AMI speaks in blocks of ``Key: Value`` lines ended by an empty line (CR LF line ends). Two
events are read, all others ignored:

- ``DialBegin`` (Asterisk 12 and later; ``Event: Dial`` with ``SubEvent: Begin`` on 11) is
  raised when a channel starts ringing another. When the dialled channel is an extension's
  phone (``DestChannel: PJSIP/201-0000002a``, ``SIP/201-…``, ``IAX2/201-…``) and the dialling
  one is not (a trunk, or the second half of a ring group's ``Local/`` channel), it is an
  incoming call ringing extension 201: ``CallStarted(number=CallerIDNum, extension="201")``.
  The caller's number is the dialling channel's ``CallerIDNum``, as the trunk delivered it::

      Event: DialBegin
      Channel: PJSIP/mokhaberat-00000011
      CallerIDNum: 09121234567
      Uniqueid: 1796800145.34
      Linkedid: 1796800145.34
      DestChannel: PJSIP/201-00000012
      DestCallerIDNum: 201
      DestUniqueid: 1796800145.35
      DialString: 201

- ``Cdr`` (the ``cdr_manager`` back end, on in Issabel and FreePBX) is raised once per call
  leg when it ends: ``Channel`` called ``DestinationChannel``; ``Source`` is the caller's number,
  ``Destination`` the number dialled, ``StartTime`` the server's local clock,
  ``Duration`` seconds from the start, ``BillableSeconds`` from the answer, ``Disposition``
  ``ANSWERED``, ``NO ANSWER``, ``BUSY``, ``FAILED`` or ``CONGESTION``. From a trunk to an
  extension it is an incoming ``CallRecord`` (answered only when ``ANSWERED``); from an
  extension to anything else an outgoing one (``number=Destination``); from a trunk to no
  channel (a caller who hung up in the IVR or left a voicemail) an incoming call nobody
  answered; from a trunk to another trunk (forwarded to a mobile) an incoming call with no
  extension. Between two extensions, or to a ``Local/`` channel (a leg of a ring group whose
  real legs have their own Cdr), it is no customer call and is skipped.

Exactly once across a reconnect: both events name the call by the dialling channel's unique id
(``Uniqueid`` of DialBegin, ``UniqueID`` of Cdr: the same channel, party A of the record) and
the extension, so the record of a call completes its ringing entry instead of adding one, and
an event seen twice is the same call. A block that lacks what it needs is ``Garbled``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from panoramisk.message import Message

from devices.drivers.base import to_utc
from devices.events import CallRecord, CallStarted, Event, Garbled

_CHANNEL = re.compile(r"^(?:SIP|PJSIP|IAX2)/(\d+)-[0-9A-Za-z]+$")  # technology/peer-sequence
_UNKNOWN = {"<unknown>", "unknown", "anonymous"}
_MAX_BLOCK = 16_384  # an AMI block longer than this is no event (a wrong port: an HTTP server)


def extension_of(channel: str, max_digits: int = 6) -> str:
    """``PJSIP/201-0000002a`` → ``"201"``; ``""`` for a trunk, a ``Local/`` channel or nothing.
    An extension is a phone's peer named by its number (2 to ``max_digits`` digits): a trunk
    named by a longer number (an E1 line's 8 digits) is not one."""
    m = _CHANNEL.match(channel.strip())
    return m[1] if m and 2 <= len(m[1]) <= max_digits else ""


def parse_block(text: str) -> list[tuple[str, str]]:
    """One AMI block → its ``(key, value)`` pairs in order (panoramisk's parser, as the live link)."""
    message = Message.from_line(text.replace("\r\n", "\n").strip("\n").replace("\n", "\r\n"))
    if message is None:
        return []
    pairs: list[tuple[str, str]] = []
    for key, value in message.items():
        if key == "content":  # panoramisk keeps a response's body under this key
            continue
        for one in value if isinstance(value, list) else [value]:
            pairs.append((key, str(one)))
    return pairs


def block_text(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in pairs)


class AsteriskAmi:
    """An AMI event → call events. ``feed_message`` is what the live link calls for each event
    panoramisk reads; ``feed`` reads a raw stream of blocks (a saved capture, the tests)."""

    name = "asterisk_ami"

    def __init__(self, timezone: str = "Asia/Tehran", max_extension_digits: int = 6) -> None:
        self.tz = ZoneInfo(timezone)
        self.max_digits = max_extension_digits
        self._pending = ""

    def init_commands(self) -> list[bytes]:
        return []  # the AMI link logs in itself

    def feed(self, data: bytes, received_at: dt.datetime) -> list[Event]:
        text = (self._pending + data.decode("utf-8", "replace")).replace("\r\n", "\n")
        *blocks, self._pending = text.split("\n\n")
        if len(self._pending) > _MAX_BLOCK:
            blocks.append(self._pending)
            self._pending = ""
        events: list[Event] = []
        for block in blocks:
            if not block.strip():
                continue
            if len(block) > _MAX_BLOCK:
                events.append(Garbled(block[:512], "AMI block too long"))
                continue
            pairs = parse_block(block)
            if not pairs:
                events.append(Garbled(block[:2000], "not an AMI block"))
                continue
            events.extend(self.feed_message(pairs, received_at))
        return events

    def feed_message(self, message: Mapping[str, Any] | list[tuple[str, str]], received_at: dt.datetime) -> list[Event]:
        pairs = list(message.items()) if isinstance(message, Mapping) else message
        pairs = [(k, str(v)) for k, v in pairs if k != "content"]
        fields = {k.lower(): v.strip() for k, v in pairs}
        raw = block_text(pairs)
        event = fields.get("event", "")
        try:
            if event == "DialBegin" or (event == "Dial" and fields.get("subevent", "").lower() == "begin"):
                return self._ringing(fields, raw, received_at)
            if event == "Cdr":
                return self._record(fields, raw)
        except Exception as exc:  # a driver never raises: the block is kept for the status page
            return [Garbled(raw, f"driver error: {exc!r}")]
        return []

    def _ringing(self, f: dict[str, str], raw: str, received_at: dt.datetime) -> list[Event]:
        extension = extension_of(f.get("destchannel") or f.get("destination", ""), self.max_digits)
        if not extension or extension_of(f.get("channel", ""), self.max_digits):
            return []  # not an extension's phone ringing, or an extension calling: no incoming call
        uniqueid = f.get("uniqueid", "")
        if not uniqueid:
            return [Garbled(raw, "an AMI dial event without the caller's unique id")]
        return [CallStarted(direction="incoming", number=_number(f.get("calleridnum", "")), started_at=received_at,
                            raw=raw, extension=extension, name=_number(f.get("calleridname", "")),
                            call_id=f"{uniqueid}|{extension}")]

    def _record(self, f: dict[str, str], raw: str) -> list[Event]:
        uniqueid, a_channel, b_channel = f.get("uniqueid", ""), f.get("channel", ""), f.get("destinationchannel", "")
        if not uniqueid or not a_channel:
            return [Garbled(raw, "an AMI Cdr event without its channel or unique id")]
        a_ext, b_ext = extension_of(a_channel, self.max_digits), extension_of(b_channel, self.max_digits)
        if (a_ext and b_ext) or b_channel.startswith("Local/"):
            return []  # a call between two extensions, or a ring group's leg recorded on its own
        try:
            start = dt.datetime.strptime(f.get("starttime", ""), "%Y-%m-%d %H:%M:%S")
            duration, billable = int(f.get("duration") or 0), int(f.get("billableseconds") or 0)
        except ValueError:
            return [Garbled(raw, "unreadable AMI Cdr times")]
        # Asterisk's ANSWERED counts the IVR picking up; a person answered only if a channel was dialled
        # (a phone, or a mobile the call was forwarded to).
        answered = f.get("disposition", "").upper() == "ANSWERED" and bool(b_channel)
        outgoing = bool(a_ext)
        extension = a_ext or b_ext
        return [CallRecord(
            direction="outgoing" if outgoing else "incoming",
            number=_number(f.get("destination", "") if outgoing else f.get("source", "")),
            started_at=to_utc(start, self.tz), raw=raw, extension=extension,
            ring_seconds=None if outgoing else max(0, duration - billable) if answered else duration,
            duration_seconds=billable if answered else 0, answered=answered,
            account_code=f.get("accountcode", "")[:20], call_id=f"{uniqueid}|{extension}")]


def _number(value: str) -> str:
    return "" if value.strip().lower() in _UNKNOWN else value.strip()
