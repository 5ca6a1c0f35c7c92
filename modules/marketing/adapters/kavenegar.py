"""Kavenegar (kavenegar.com), through its documented REST API, https://kavenegar.com/rest.html:

- ``POST {base}/v1/{API-KEY}/sms/send.json`` — ``receptor``, ``sender``, ``message``, ``localid``;
- ``POST …/sms/sendarray.json`` — ``receptor``, ``sender``, ``message``, ``localmessageids``
  as JSON arrays (a batch of different texts, one answer entry per message, in order);
- ``POST …/sms/status.json`` — ``messageid`` (comma separated): status 10 delivered,
  11 undeliverable, 6/13/14 failed or blocked, 100 unknown id, the rest still under way;
- ``POST …/sms/receive.json`` — ``linenumber``, ``isread=0``: unread inbound messages;
- ``POST …/account/info.json`` — ``remaincredit`` in Rials.

Every answer is ``{"return": {"status", "message"}, "entries": …}``; ``status`` 200 is success,
418 is "not enough credit", 401/403 a bad or disabled key. ``localid`` is Kavenegar's idempotency
key: a message sent again with the same localid is not sent twice, the first answer comes back
(the same semantics the official SDK, github.com/kavenegar/kavenegar-python, passes through).
Its webhooks post ``messageid``/``status`` (delivery) and ``messageid``/``from``/``to``/``message``
(a received message) to the URL set in the panel.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from modules.marketing.adapters import http
from modules.marketing.adapters.http import national
from modules.marketing.panels import (
    DELIVERED,
    FAILED,
    PENDING,
    Accepted,
    Delivery,
    Incoming,
    Outgoing,
    PanelError,
    PanelKind,
)

DEFAULT_URL = "https://api.kavenegar.com"
FINAL = {10: DELIVERED, 11: FAILED, 6: FAILED, 13: FAILED, 14: FAILED}
TIMEOUT: float | None = None  # None: adapters.http.TIMEOUT


class Kavenegar:
    def __init__(self, base_url: str, api_key: str, sender: str) -> None:
        self.root = f"{(base_url or DEFAULT_URL).rstrip('/')}/v1/{api_key}"
        self.sender = sender
        self.client = http.client(timeout=TIMEOUT)

    def _call(self, method: str, data: Mapping[str, str]) -> Any:
        r = http.request(self.client, "POST", f"{self.root}/{method}", data=dict(data))
        body = http.json_of(r)
        try:
            status, text = int(body["return"]["status"]), str(body["return"].get("message", ""))
        except (KeyError, TypeError, ValueError):
            raise PanelError("The panel answered without its usual reply", detail=f"HTTP {r.status_code}") from None
        if status == 418:
            raise PanelError(http.NO_CREDIT, retry=False, detail=f"{status}: {text}")
        if status in (401, 403):
            raise PanelError(http.KEY_REFUSED, retry=False, detail=f"{status}: {text}")
        if status != 200:
            raise PanelError(http.REFUSED, retry=status >= 500, detail=f"{status}: {text}")
        return body.get("entries")

    def send(self, batch: Sequence[Outgoing]) -> list[Accepted]:
        if len(batch) == 1:
            one = batch[0]
            entries = self._call("sms/send.json", {"receptor": national(one.mobile), "sender": self.sender,
                                                   "message": one.body, "localid": str(one.local_id)})
        else:
            entries = self._call("sms/sendarray.json", {
                "receptor": json.dumps([national(o.mobile) for o in batch]),
                "sender": json.dumps([self.sender] * len(batch)),
                "message": json.dumps([o.body for o in batch], ensure_ascii=False),
                "localmessageids": json.dumps([str(o.local_id) for o in batch])})
        if not isinstance(entries, list) or len(entries) != len(batch):
            raise PanelError("The panel's answer does not name every message", maybe_sent=True)
        out = []
        for o, e in zip(batch, entries, strict=True):
            failed = int(e.get("status", 1)) in FINAL and FINAL[int(e["status"])] == FAILED
            out.append(Accepted(o.local_id, str(e.get("messageid")), int(e.get("cost") or 0),
                                str(e.get("statustext")) if failed else None))
        return out

    def deliveries(self, provider_ids: Sequence[str]) -> list[Delivery]:
        if not provider_ids:
            return []
        entries = self._call("sms/status.json", {"messageid": ",".join(provider_ids)}) or []
        return [Delivery(str(e["messageid"]), FINAL.get(int(e.get("status", 0)), PENDING)) for e in entries
                if int(e.get("status", 0)) != 100]  # 100: an id the panel does not know

    def received(self, since: dt.datetime | None) -> list[Incoming]:
        entries = self._call("sms/receive.json", {"linenumber": self.sender, "isread": "0"}) or []
        return [Incoming(str(e["messageid"]), str(e["sender"]), str(e["message"]),
                         http.utc(e.get("date")), str(e.get("receptor") or "") or None) for e in entries]

    def credit(self) -> int:
        info = self._call("account/info.json", {}) or {}
        return int(info.get("remaincredit", 0))


def parse_webhook(body: bytes, query: dict[str, str]) -> tuple[list[Delivery], list[Incoming]]:
    """Kavenegar's callbacks, form-encoded or in the query string."""
    p = {**query, **{k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}}
    if "messageid" not in p:
        return [], []
    if "status" in p and "message" not in p:
        state = FINAL.get(int(p["status"]) if p["status"].isdigit() else 0, PENDING)
        return [Delivery(p["messageid"], state)], []
    if "from" in p and "message" in p:
        return [], [Incoming(p["messageid"], p["from"], p["message"],
                             dt.datetime.now(dt.UTC).replace(tzinfo=None), p.get("to"))]
    return [], []


def kind() -> PanelKind:
    return PanelKind(key="kavenegar", label="Kavenegar",
                     make=lambda row: Kavenegar(row.base_url, row.api_key or "", row.sender),
                     parse_webhook=parse_webhook, docs_url="https://kavenegar.com/rest.html", idempotent=True)
