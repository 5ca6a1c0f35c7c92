"""The fake panel speaking SMS.ir's REST API v1 (https://docs.sms.ir, the official SDK
github.com/IPeCompany/SmsPanelV2.Python): header ``X-API-KEY``; ``POST /v1/send/bulk`` (one text,
many mobiles), ``POST /v1/send/liketolike`` (a text per mobile), ``GET /v1/send/{messageId}``
(with ``deliveryState``), ``GET /v1/receive/latest?count=``, ``GET /v1/credit``; answers
``{"status": 1, "message": …, "data": …}``, HTTP 401 for a wrong key."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from modules.marketing.fake_panel.state import DELIVERED, PanelState, Refused

DELIVERY = {DELIVERED: 1, 11: 2}  # deliveryState: 1 delivered to the handset, 2 not delivered


def ours(path: str) -> bool:
    return path.startswith(("/v1/send/", "/v1/receive/")) or path.rstrip("/") == "/v1/credit"


def answer(state: PanelState, path: str, p: dict[str, str], headers: dict[str, str], body: Any) -> tuple[int, Any]:
    try:
        if headers.get("x-api-key") != state.api_key:
            raise Refused("key")
        with state.lock:
            data = _call(state, path.rstrip("/"), p, body or {})
    except Refused as r:
        status, text = {"key": (401, "کلید وب سرویس نامعتبر است"), "credit": (400, "اعتبار کافی نیست"),
                        "input": (400, "درخواست نامعتبر است")}[r.kind]
        return status, {"status": 0, "message": text, "data": None}
    return 200, {"status": 1, "message": "موفق", "data": data}


def _call(state: PanelState, path: str, p: dict[str, str], body: dict[str, Any]) -> Any:
    if path in ("/v1/send/bulk", "/v1/send/liketolike"):
        mobiles = list(body.get("Mobiles") or [])
        texts = body.get("MessageTexts") or [body.get("MessageText", "")] * len(mobiles)
        if len(texts) != len(mobiles) or not mobiles:
            raise Refused("input")
        sent = state.accept([(m, str(body.get("lineNumber", "")), t, None) for m, t in zip(mobiles, texts, strict=True)])
        return {"packId": str(uuid.uuid4()), "messageIds": [s.messageid for s in sent],
                "cost": sum(s.cost for s in sent)}
    if path.startswith("/v1/send/") and path.rsplit("/", 1)[1].isdigit():
        s = state.sent.get(int(path.rsplit("/", 1)[1]))
        if s is None:
            return None
        return {"messageId": s.messageid, "mobile": s.receptor, "messageText": s.message, "cost": s.cost,
                "sendDateTime": int(s.at.replace(tzinfo=dt.UTC).timestamp()), "lineNumber": s.sender,
                "deliveryState": DELIVERY[state.outcome(s.receptor)], "deliveryDateTime": None}
    if path == "/v1/receive/latest":
        return [{"number": m.sender, "messageText": m.message, "lineNumber": m.receptor,
                 "receivedDateTime": int(m.at.replace(tzinfo=dt.UTC).timestamp())}
                for m in state.unread()[: int(p.get("count", "100"))]]
    if path == "/v1/credit":
        return state.credit
    raise Refused("input")
