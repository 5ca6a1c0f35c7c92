"""The fake panel speaking Kavenegar's REST API (https://kavenegar.com/rest.html):
``/v1/{API-KEY}/sms/send.json``, ``sendarray.json``, ``status.json``,
``statuslocalmessageid.json``, ``receive.json`` and ``/v1/{API-KEY}/account/info.json``, each
answering ``{"return": {"status", "message"}, "entries": …}`` with the HTTP status of
``return.status`` (418: not enough credit; 403: a wrong key)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from modules.marketing.fake_panel.state import PanelState, Refused, Sent

STATUS_TEXT = {1: "در صف ارسال", 10: "رسیده به گیرنده", 11: "نرسیده به گیرنده", 100: "شناسه نامعتبر"}
REFUSALS = {"key": (403, "کد شناسائی API-Key معتبر نمی‌باشد"), "credit": (418, "اعتبار حساب شما کافی نیست"),
            "input": (400, "پارامترها ناقص هستند")}


def ours(path: str) -> bool:
    bits = path.strip("/").split("/")
    return len(bits) == 4 and bits[0] == "v1" and bits[2] in ("sms", "account")


def answer(state: PanelState, path: str, p: dict[str, str]) -> tuple[int, Any]:
    _, key, group, name = path.strip("/").split("/")
    try:
        if key != state.api_key:
            raise Refused("key")
        with state.lock:
            entries = _call(state, f"{group}/{name}", p)
    except Refused as r:
        status, text = REFUSALS[r.kind]
        return status, {"return": {"status": status, "message": text}, "entries": None}
    return 200, {"return": {"status": 200, "message": "تایید شد"}, "entries": entries}


def _stamp(at: dt.datetime) -> int:
    return int(at.replace(tzinfo=dt.UTC).timestamp())


def _entry(s: Sent) -> dict[str, Any]:
    return {"messageid": s.messageid, "message": s.message, "status": s.status, "statustext": STATUS_TEXT[s.status],
            "sender": s.sender, "receptor": s.receptor, "date": _stamp(s.at), "cost": s.cost}


def _call(state: PanelState, method: str, p: dict[str, str]) -> Any:
    if method == "sms/send.json":
        receptors = p.get("receptor", "").split(",")
        locals_: list[str | None] = [x for x in p["localid"].split(",")] if p.get("localid") else [None] * len(receptors)
        return [_entry(s) for s in state.accept([(r, p.get("sender", ""), p.get("message", ""), lid)
                                                 for r, lid in zip(receptors, locals_, strict=False)])]
    if method == "sms/sendarray.json":
        receptors, senders, messages = (json.loads(p.get(k, "[]")) for k in ("receptor", "sender", "message"))
        ids = json.loads(p["localmessageids"]) if p.get("localmessageids") else [None] * len(receptors)
        if not (len(receptors) == len(senders) == len(messages) == len(ids)):
            raise Refused("input")
        return [_entry(s) for s in state.accept([(r, s, m, None if lid is None else str(lid))
                                                 for r, s, m, lid in zip(receptors, senders, messages, ids, strict=True)])]
    if method == "sms/status.json":
        out = []
        for mid in p.get("messageid", "").split(","):
            sent = state.sent.get(int(mid)) if mid.isdigit() else None
            status = state.outcome(sent.receptor) if sent else 100
            out.append({"messageid": int(mid) if mid.isdigit() else mid, "status": status,
                        "statustext": STATUS_TEXT.get(status, "")})
        return out
    if method == "sms/statuslocalmessageid.json":
        found = state.by_local.get(p.get("localid", ""))
        by_local = state.sent.get(found) if found is not None else None
        return [{"messageid": found, "localid": p.get("localid"),
                 "status": state.outcome(by_local.receptor) if by_local else 100}]
    if method == "sms/receive.json":
        return [{"messageid": m.messageid, "message": m.message, "sender": m.sender, "receptor": m.receptor,
                 "date": _stamp(m.at)} for m in state.unread(p.get("linenumber"))]
    if method == "account/info.json":
        return {"remaincredit": state.credit, "expiredate": 0, "type": "master"}
    raise Refused("input")
