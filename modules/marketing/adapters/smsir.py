"""SMS.ir, through its documented REST API v1 (https://docs.sms.ir; the official SDK,
github.com/IPeCompany/SmsPanelV2.Python, calls the same endpoints):

- header ``X-API-KEY``; every answer is ``{"status": 1, "message", "data"}`` when it went well;
- ``POST {base}/v1/send/liketolike`` — ``lineNumber``, ``MessageTexts`` and ``Mobiles`` (a text per
  mobile, in order) → ``data.messageIds`` (one per mobile, in order) and ``data.cost``;
- ``GET /v1/send/{messageId}`` — ``data.deliveryState``: 1 delivered to the handset, 2 not
  delivered, 4 not delivered to the operator, 6 failed, 7 blacklisted (3 and 5: still under way);
- ``GET /v1/receive/latest?count=`` — received messages (``number``, ``messageText``,
  ``receivedDateTime``, ``lineNumber``);
- ``GET /v1/credit`` — ``data``, the remaining credit.

SMS.ir takes no idempotency key: a message in doubt is not resent (``idempotent=False``). Its
received messages carry no id, so the inbound id is the sender, the time and the text together;
its cost is spread over the batch's messages by their length.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from modules.marketing.adapters import http
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

DEFAULT_URL = "https://api.sms.ir"
FINAL = {1: DELIVERED, 2: FAILED, 4: FAILED, 6: FAILED, 7: FAILED}


class SmsIr:
    def __init__(self, base_url: str, api_key: str, sender: str) -> None:
        self.root = (base_url or DEFAULT_URL).rstrip("/")
        self.sender = sender
        self.client = http.client(headers={"X-API-KEY": api_key, "Accept": "application/json"})

    def _call(self, method: str, path: str, **kw: Any) -> Any:
        r = http.request(self.client, method, f"{self.root}{path}", **kw)
        body = http.json_of(r)
        if r.status_code >= 400 or not isinstance(body, dict) or body.get("status") != 1:
            text = str(body.get("message", "")) if isinstance(body, dict) else ""
            raise http.refused(r, text, credit="اعتبار" in text)
        return body.get("data")

    def send(self, batch: Sequence[Outgoing]) -> list[Accepted]:
        data = self._call("POST", "/v1/send/liketolike", json={
            "lineNumber": self.sender, "MessageTexts": [o.body for o in batch],
            "Mobiles": [http.intl(o.mobile) for o in batch]}) or {}
        ids = list(data.get("messageIds") or [])
        if len(ids) != len(batch):
            raise PanelError("The panel's answer does not name every message", maybe_sent=True)
        total, weight = int(data.get("cost") or 0), sum(len(o.body) for o in batch) or 1
        return [Accepted(o.local_id, str(i), total * len(o.body) // weight) for o, i in zip(batch, ids, strict=True)]

    def deliveries(self, provider_ids: Sequence[str]) -> list[Delivery]:
        out = []
        for pid in provider_ids:  # SMS.ir reports one message a call
            data = self._call("GET", f"/v1/send/{pid}")
            if data:
                out.append(Delivery(pid, FINAL.get(int(data.get("deliveryState") or 0), PENDING)))
        return out

    def received(self, since: dt.datetime | None) -> list[Incoming]:
        rows = self._call("GET", "/v1/receive/latest", params={"count": 100}) or []
        out = []
        for m in rows:
            key = f"{m.get('number')}|{m.get('receivedDateTime')}|{m.get('messageText')}"
            out.append(Incoming(hashlib.sha256(key.encode()).hexdigest()[:40], str(m.get("number")),
                                str(m.get("messageText", "")), http.utc(m.get("receivedDateTime")),
                                str(m.get("lineNumber") or "") or None))
        return out

    def credit(self) -> int:
        return int(float(self._call("GET", "/v1/credit") or 0))


def kind() -> PanelKind:
    return PanelKind(key="smsir", label="SMS.ir", make=lambda row: SmsIr(row.base_url, row.api_key or "", row.sender),
                     docs_url="https://docs.sms.ir")
