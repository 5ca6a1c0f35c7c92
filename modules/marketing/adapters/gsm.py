"""A GSM modem as an SMS panel (DEV-03): a SIM in a USB or serial modem sends through AT
commands (:mod:`devices.gsm`). The panel row's address is the modem's port (``/dev/ttyUSB0``,
optionally ``?baud=9600``), its password the SIM's PIN (empty for a SIM without one), its sender
line the SIM's own number.

The port is opened only while a job uses it: the send job for one message at a time
(``max_batch`` 1: a modem sends one by one, and a batch interrupted half-way must not be
resent whole), the poll job to read delivery reports and received messages, and deleted on the
SIM only after what was read is committed (:meth:`GsmPanel.acknowledge`).

A message's provider id is its parts' message references and the recipient
(``"12.13.14:989121234567"``): a delivery report names the reference and the recipient, and the
message is delivered when every part is, failed when one part failed."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from typing import Any

from devices.gsm import pdu
from devices.gsm.at import AtError
from devices.gsm.modem import Modem, PartlySent, PortSettings, Stored, open_modem
from modules.marketing.panels import (
    DELIVERED,
    FAILED,
    Accepted,
    Delivery,
    Incoming,
    Outgoing,
    PanelError,
    PanelKind,
)

PARTLY_SENT = "The modem sent only some parts of the message, then refused the rest"
NO_CREDIT_QUERY = "A GSM modem's credit is not read here: check the SIM with its operator"
BAD_ADDRESS = "Enter the modem's port, e.g. /dev/ttyUSB0 or /dev/ttyUSB0?baud=9600"
STALE_REPORT = dt.timedelta(hours=1)  # a report matching no waiting message is kept this long, then deleted
LATE_PARTS = dt.timedelta(days=1)  # a long message with parts still missing is taken as it is after this


def provider_id(references: Sequence[int], mobile: str) -> str:
    return ".".join(str(r) for r in references) + ":" + mobile.lstrip("+")


def _same_number(a: str, b: str) -> bool:
    return a.lstrip("+")[-10:] == b.lstrip("+")[-10:]


class GsmPanel:
    def __init__(self, kernel: Any, address: str, pin: str | None, sender: str) -> None:
        self.kernel = kernel
        try:
            self.settings: PortSettings | None = PortSettings.parse(address, pin)
        except ValueError:
            self.settings = None
        self.sender = sender
        self._listing: list[Stored] | None = None
        self._reports: list[pdu.StatusReport] = []
        self._done: set[int] = set()  # storage indexes to delete once their content is committed

    def _t(self, msgid: str) -> str:
        return str(self.kernel.t("fa", msgid))

    def _open(self) -> Any:
        if self.settings is None or not self.settings.url:
            raise PanelError(BAD_ADDRESS, retry=False)
        return open_modem(self.settings)

    # -- sending ---------------------------------------------------------------------------------
    def send(self, batch: Sequence[Outgoing]) -> list[Accepted]:
        out: list[Accepted] = []
        try:
            with self._open() as modem:
                for o in batch:
                    out.append(self._send_one(modem, o, gone=bool(out)))
        except AtError as exc:
            raise PanelError(exc.reason, retry=exc.retry, maybe_sent=exc.maybe_sent, detail=exc.code) from exc
        return out

    def _send_one(self, modem: Modem, o: Outgoing, *, gone: bool) -> Accepted:
        try:
            refs = modem.send(o.mobile, o.body, ref=o.local_id)
        except PartlySent as exc:
            return Accepted(o.local_id, provider_id(exc.sent, o.mobile),
                            error=f"{self._t(PARTLY_SENT)} ({len(exc.sent)}/{exc.total}) — {self._t(exc.reason)} "
                                  f"({exc.code})")
        except AtError as exc:
            if exc.per_message or gone:
                # This recipient or text only (or others of the batch already went): this one
                # fails with the modem's reason, never the batch resent.
                return Accepted(o.local_id, error=f"{self._t(exc.reason)} ({exc.code})")
            raise
        return Accepted(o.local_id, provider_id(refs, o.mobile))

    # -- polling ---------------------------------------------------------------------------------
    def _stored(self) -> list[Stored]:
        if self._listing is None:
            try:
                with self._open() as modem:
                    self._listing = modem.stored()
                    self._reports = modem.unsolicited_reports()
            except AtError as exc:
                raise PanelError(exc.reason, retry=exc.retry, detail=exc.code) from exc
        return self._listing

    def deliveries(self, provider_ids: Sequence[str]) -> list[Delivery]:
        stored = self._stored()
        reports: list[tuple[int | None, pdu.StatusReport]] = [
            (s.index, s.message) for s in stored if isinstance(s.message, pdu.StatusReport)]
        reports += [(None, r) for r in self._reports]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        used: set[int] = set()
        out: list[Delivery] = []
        for pid in provider_ids:
            refs_text, _, number = pid.partition(":")
            refs = [int(r) for r in refs_text.split(".") if r.isdigit()]
            states: list[str] = []
            indexes: list[int] = []
            for ref in refs:
                found = sorted(((r.done_at, i, r) for i, r in reports
                                if r.mr == ref and _same_number(r.recipient, number)), key=lambda x: x[0])
                if found:
                    states.append(found[-1][2].state)
                    indexes += [i for _, i, _ in found if i is not None]
            if refs and "failed" in states:
                out.append(Delivery(pid, FAILED))
            elif refs and len(states) == len(refs) and all(s == "delivered" for s in states):
                out.append(Delivery(pid, DELIVERED))
            else:
                continue
            used.update(indexes)
        self._done |= used
        self._done |= {i for i, r in reports if i is not None and i not in used and now - r.done_at > STALE_REPORT}
        return out

    def received(self, since: dt.datetime | None) -> list[Incoming]:
        groups: dict[tuple[str, int, int], list[Stored]] = {}
        out: list[Incoming] = []
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for s in self._stored():
            m = s.message
            if not isinstance(m, pdu.Deliver):
                continue
            if m.concat is None:
                out.append(self._incoming([s]))
                continue
            groups.setdefault((m.sender, m.concat.ref, m.concat.total), []).append(s)
        for (_, _, total), parts in groups.items():
            seqs = {p.message.concat.seq for p in parts if isinstance(p.message, pdu.Deliver) and p.message.concat}
            oldest = min(p.message.sent_at for p in parts if isinstance(p.message, pdu.Deliver))
            if len(seqs) == total or now - oldest > LATE_PARTS:
                out.append(self._incoming(parts))
        return out

    def _incoming(self, parts: list[Stored]) -> Incoming:
        messages = sorted((p.message for p in parts if isinstance(p.message, pdu.Deliver)),
                          key=lambda m: m.concat.seq if m.concat else 0)
        seen: dict[int, str] = {}
        for m in messages:
            seen.setdefault(m.concat.seq if m.concat else 0, m.text)
        body = "".join(seen[k] for k in sorted(seen))
        first = messages[0]
        ref = first.concat.ref if first.concat else 0
        self._done.update(p.index for p in parts)
        # Stable across reads: a message read again (its deletion lost) is logged once.
        key = f"{first.sender}:{first.sent_at:%Y%m%d%H%M%S}:{ref}:{zlib.crc32(body.encode()):08x}"
        return Incoming(key, first.sender, body, first.sent_at, self.sender or None)

    def acknowledge(self) -> None:
        """Delete from the SIM what the poll has committed (a full SIM stops receiving). A
        deletion that fails is harmless: the next poll reads the same messages, logged once."""
        if not self._done:
            return
        try:
            with self._open() as modem:
                for index in sorted(self._done):
                    try:
                        modem.delete(index)
                    except AtError:
                        continue
        except (AtError, PanelError):
            return
        finally:
            self._done, self._listing, self._reports = set(), None, []

    def credit(self) -> int:
        raise PanelError(NO_CREDIT_QUERY, retry=False)

    def diagnostics(self) -> Any:
        try:
            with self._open() as modem:
                return modem.diagnostics()
        except AtError as exc:
            raise PanelError(exc.reason, retry=exc.retry, detail=exc.code) from exc


def kind(kernel: Any) -> PanelKind:
    return PanelKind(key="gsm", label="GSM modem",
                     make=lambda row: GsmPanel(kernel, row.base_url or "", row.password, row.sender),
                     needs=("password",), docs_url="docs/devices.md#gsm-modem-as-an-sms-panel",
                     extra={"max_batch": 1})
