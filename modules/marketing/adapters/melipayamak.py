"""Melipayamak, through its console REST API (``https://console.melipayamak.com/api``, documented
in the panel's console and called the same way by its clients, e.g. github.com/HRashidi/melipayamak):

- the console key in the path; answers carry ``status``: empty on success, the panel's words
  otherwise;
- ``POST {base}/send/simple/{key}`` — ``from``, ``to``, ``text`` → ``recId``; ``POST
  {base}/send/advanced/{key}`` — one ``text`` to a list ``to`` → ``recIds`` (used when a whole
  batch has one text; a batch of different texts is one ``simple`` call per message);
- ``POST {base}/receive/status/{key}`` — ``recIds`` → ``resultsAsCode``: 1 delivered, 2 not
  delivered, 3/16/35/300/500 failed or refused, the rest under way;
- ``POST {base}/receive/messages/{key}`` — ``type: "in"``: received messages (``msgID``,
  ``sender``, ``body``, ``receiver``, ``sendDate``);
- ``GET {base}/receive/credit/{key}`` — ``amount``.

No idempotency key: a message in doubt is not resent (``idempotent=False``).
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

DEFAULT_URL = "https://console.melipayamak.com/api"
FINAL = {1: DELIVERED, 2: FAILED, 3: FAILED, 16: FAILED, 35: FAILED, 300: FAILED, 500: FAILED}


class Melipayamak:
    def __init__(self, base_url: str, api_key: str, sender: str) -> None:
        self.root = (base_url or DEFAULT_URL).rstrip("/")
        self.key, self.sender = api_key, sender
        self.client = http.client(headers={"Accept": "application/json"})

    def _call(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        r = http.request(self.client, method, f"{self.root}{path}/{self.key}", **kw)
        body = http.json_of(r)
        if r.status_code >= 400 or not isinstance(body, dict) or body.get("status"):
            text = str(body.get("status", "")) if isinstance(body, dict) else ""
            raise http.refused(r, text, credit="اعتبار" in text)
        return body

    def send(self, batch: Sequence[Outgoing]) -> list[Accepted]:
        if len(batch) > 1 and len({o.body for o in batch}) == 1:
            ids = self._call("POST", "/send/advanced", json={
                "from": self.sender, "to": [http.national(o.mobile) for o in batch], "text": batch[0].body})["recIds"]
            return [Accepted(o.local_id, str(i)) for o, i in zip(batch, ids, strict=True)]
        # One call a message: an error after some of them leaves the rest in doubt, which the
        # pipe handles as for any interrupted call (PanelError maybe_sent).
        out: list[Accepted] = []
        for o in batch:
            try:
                rec = self._call("POST", "/send/simple", json={"from": self.sender, "to": http.national(o.mobile),
                                                               "text": o.body})["recId"]
            except PanelError as exc:
                if not out:
                    raise
                raise PanelError(str(exc), retry=exc.retry, maybe_sent=True, detail=exc.detail) from exc
            out.append(Accepted(o.local_id, str(rec)))
        return out

    def deliveries(self, provider_ids: Sequence[str]) -> list[Delivery]:
        if not provider_ids:
            return []
        codes = self._call("POST", "/receive/status", json={"recIds": [int(p) for p in provider_ids]})["resultsAsCode"]
        return [Delivery(p, FINAL.get(int(c), PENDING)) for p, c in zip(provider_ids, codes, strict=False)]

    def received(self, since: dt.datetime | None) -> list[Incoming]:
        rows = self._call("POST", "/receive/messages", json={"type": "in", "number": self.sender, "index": 0,
                                                             "count": 100}).get("messages") or []
        return [Incoming(str(m["msgID"]), str(m.get("sender")), str(m.get("body", "")), http.utc(m.get("sendDate")),
                         str(m.get("receiver") or "") or None) for m in rows]

    def credit(self) -> int:
        return int(float(self._call("GET", "/receive/credit").get("amount") or 0))


def kind() -> PanelKind:
    return PanelKind(key="melipayamak", label="Melipayamak",
                     make=lambda row: Melipayamak(row.base_url, row.api_key or "", row.sender),
                     docs_url="https://console.melipayamak.com")
