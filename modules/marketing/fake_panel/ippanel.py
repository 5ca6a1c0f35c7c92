"""The fake panel speaking IPPanel's (FarazSMS) Edge REST API
(https://github.com/ippanelcom/Edge-Document): header ``Authorization: <token>``;
``POST /api/send`` with ``sending_type: "peer_to_peer"`` (a text per recipient, one
``message_outbox_ids`` entry per text), ``GET /api/report/recipients?bulk_id=`` (with
``message_status``: 2 delivered, 3 not delivered, 4 blacklisted), ``POST
/api/report/messages-inbox`` (``filters.from_id``), ``GET /api/payment/credit/mine``; answers
``{"data": …, "meta": {"status", "message", "message_code"}}``, HTTP 401 for a wrong token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from modules.marketing.fake_panel.state import DELIVERED, PanelState, Refused

STATUS = {DELIVERED: "2", 11: "3"}


def ours(path: str) -> bool:
    return path.startswith(("/api/send", "/api/report/", "/api/payment/")) and not path.startswith(
        ("/api/send/simple/", "/api/send/advanced/"))


def _meta(ok: bool, message: str, code: str) -> dict[str, Any]:
    return {"status": ok, "message": message, "message_parameters": [], "message_code": code}


def answer(state: PanelState, path: str, p: dict[str, str], headers: dict[str, str], body: Any) -> tuple[int, Any]:
    try:
        if headers.get("authorization") != state.api_key:
            raise Refused("key")
        with state.lock:
            data = _call(state, path.rstrip("/"), p, body or {})
    except Refused as r:
        status, text = {"key": (401, "اطلاعات وارد شده صحیح نمی باشد"), "credit": (422, "اعتبار کافی نیست"),
                        "input": (422, "درخواست نامعتبر است")}[r.kind]
        return status, {"data": None, "meta": {**_meta(False, text, "400-1"), "errors": {}}}
    return 200, {"data": data, "meta": _meta(True, "انجام شد", "200-1")}


def _call(state: PanelState, path: str, p: dict[str, str], body: dict[str, Any]) -> Any:
    if path == "/api/send":
        if body.get("sending_type") != "peer_to_peer":
            raise Refused("input")
        items = [(r, str(body.get("from_number", "")), str(x.get("message", "")), None)
                 for x in body.get("params", []) for r in x.get("recipients", [])[:1]]
        return {"message_outbox_ids": [s.messageid for s in state.accept(items)]}
    if path == "/api/report/recipients":
        s = state.sent.get(int(p.get("bulk_id", "0") or 0))
        return [] if s is None else [{"recipient": s.receptor, "message": s.message, "is_readable": True,
                                      "msg_parts": "1", "message_status": STATUS[state.outcome(s.receptor)]}]
    if path == "/api/report/messages-inbox":
        after = int((body.get("filters") or {}).get("from_id") or 0)
        return [{"messages_inbox_id": m.messageid, "from": m.sender, "number": m.receptor, "message": m.message,
                 "type": "normal", "time": int(m.at.replace(tzinfo=dt.UTC).timestamp()), "seen": "0"}
                for m in sorted(state.inbox, key=lambda m: -m.messageid) if m.messageid > after]
    if path == "/api/payment/credit/mine":
        return {"credit": float(state.credit), "gift": 0}
    raise Refused("input")
