"""IPPanel (FarazSMS), through its documented Edge REST API
(https://github.com/ippanelcom/Edge-Document; base ``https://edge.ippanel.com/v1``):

- header ``Authorization: <token>``; answers ``{"data": …, "meta": {"status": true, "message",
  "message_code"}}``, HTTP 401 for a wrong token;
- ``POST {base}/api/send`` — ``sending_type: "peer_to_peer"``, ``from_number``, ``params``: one
  ``{"recipients": [mobile], "message": text}`` per message → ``data.message_outbox_ids``, one per
  message, in order;
- ``GET /api/report/recipients?bulk_id=`` — ``message_status``: 2 delivered, 3 not delivered,
  4 blacklisted (0 and 1: with the operator);
- ``POST /api/report/messages-inbox`` — received messages (``messages_inbox_id``, ``from``,
  ``number``, ``message``, ``time``);
- ``GET /api/payment/credit/mine`` — ``data.credit``.

No idempotency key: a message in doubt is not resent (``idempotent=False``); no cost per message
in the answer (0: the panel's statement has it).
"""

from __future__ import annotations

import datetime as dt
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

DEFAULT_URL = "https://edge.ippanel.com/v1"
FINAL = {2: DELIVERED, 3: FAILED, 4: FAILED}


class IPPanel:
    def __init__(self, base_url: str, api_key: str, sender: str) -> None:
        self.root = (base_url or DEFAULT_URL).rstrip("/")
        self.sender = sender if sender.startswith("+") else f"+98{sender.lstrip('0')}"
        self.client = http.client(headers={"Authorization": api_key, "Accept": "application/json"})

    def _call(self, method: str, path: str, **kw: Any) -> Any:
        r = http.request(self.client, method, f"{self.root}{path}", **kw)
        body = http.json_of(r)
        meta = body.get("meta") if isinstance(body, dict) else None
        if r.status_code >= 400 or not isinstance(meta, dict) or meta.get("status") is not True:
            text = str(meta.get("message", "")) if isinstance(meta, dict) else ""
            raise http.refused(r, text, credit="اعتبار" in text)
        return body.get("data")

    def send(self, batch: Sequence[Outgoing]) -> list[Accepted]:
        data = self._call("POST", "/api/send", json={
            "sending_type": "peer_to_peer", "from_number": self.sender,
            "params": [{"recipients": [o.mobile], "message": o.body} for o in batch]}) or {}
        ids = list(data.get("message_outbox_ids") or [])
        if len(ids) != len(batch):
            raise PanelError("The panel's answer does not name every message", maybe_sent=True)
        return [Accepted(o.local_id, str(i)) for o, i in zip(batch, ids, strict=True)]

    def deliveries(self, provider_ids: Sequence[str]) -> list[Delivery]:
        out = []
        for pid in provider_ids:  # one message (bulk) a call
            rows = self._call("GET", "/api/report/recipients", params={"bulk_id": pid, "page": 1, "per_page": 10})
            if rows:
                out.append(Delivery(pid, FINAL.get(int(rows[0].get("message_status") or 0), PENDING)))
        return out

    def received(self, since: dt.datetime | None) -> list[Incoming]:
        rows = self._call("POST", "/api/report/messages-inbox", json={"page": 1, "per_page": 100}) or []
        return [Incoming(str(m["messages_inbox_id"]), str(m.get("from")), str(m.get("message", "")),
                         http.utc(m.get("time")), str(m.get("number") or "") or None) for m in rows]

    def credit(self) -> int:
        data = self._call("GET", "/api/payment/credit/mine") or {}
        return int(float(data.get("credit") or 0))


def kind() -> PanelKind:
    return PanelKind(key="ippanel", label="IPPanel (FarazSMS)",
                     make=lambda row: IPPanel(row.base_url, row.api_key or "", row.sender),
                     docs_url="https://github.com/ippanelcom/Edge-Document")
