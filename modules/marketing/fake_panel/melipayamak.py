"""The fake panel speaking Melipayamak's console REST API (https://console.melipayamak.com/api,
as its clients call it, e.g. github.com/HRashidi/melipayamak): the console key in the path;
``POST /api/send/simple/{key}`` (``from``, ``to``, ``text`` → ``recId``), ``POST
/api/send/advanced/{key}`` (one text, ``to`` a list → ``recIds``), ``POST /api/receive/status/{key}``
(``recIds`` → ``resultsAsCode``: 1 delivered, 2 not delivered), ``POST
/api/receive/messages/{key}`` and ``GET /api/receive/credit/{key}``; ``status`` is empty on
success and the panel's words otherwise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from modules.marketing.fake_panel.state import DELIVERED, PanelState, Refused

CODES = {DELIVERED: 1, 11: 2}


def ours(path: str) -> bool:
    return path.startswith(("/api/send/simple/", "/api/send/advanced/", "/api/receive/"))


def answer(state: PanelState, path: str, body: Any) -> tuple[int, Any]:
    method, key = path.rstrip("/").rsplit("/", 1)
    try:
        if key != state.api_key:
            raise Refused("key")
        with state.lock:
            return 200, {**_call(state, method, body or {}), "status": ""}
    except Refused as r:
        status, text = {"key": (401, "کلید کنسول نامعتبر است"), "credit": (200, "اعتبار کافی نیست"),
                        "input": (400, "درخواست نامعتبر است")}[r.kind]
        return status, {"status": text}


def _call(state: PanelState, method: str, body: dict[str, Any]) -> dict[str, Any]:
    if method == "/api/send/simple":
        return {"recId": state.accept([(str(body.get("to")), str(body.get("from")), str(body.get("text")), None)])[0]
                .messageid}
    if method == "/api/send/advanced":
        to = body.get("to") or []
        return {"recIds": [s.messageid for s in state.accept([(str(m), str(body.get("from")), str(body.get("text")),
                                                                None) for m in to])]}
    if method == "/api/receive/status":
        found = [state.sent.get(int(i)) for i in body.get("recIds", [])]
        codes = [CODES[state.outcome(s.receptor)] if s else 100 for s in found]
        return {"results": [str(c) for c in codes], "resultsAsCode": codes}
    if method == "/api/receive/messages":
        return {"messages": [{"msgID": m.messageid, "sender": m.sender, "receiver": m.receptor, "body": m.message,
                              "sendDate": m.at.replace(tzinfo=dt.UTC).isoformat()} for m in state.unread()]}
    if method == "/api/receive/credit":
        return {"amount": state.credit}
    raise Refused("input")
