"""The fake panel's answers, whatever serves them (its own threaded server in tests, a route of
the app in the demo): the four panels' documented APIs on one state, so every adapter is tested
against real HTTP. The failures it was told to produce (refused or lost calls, a late answer)
apply to every API alike."""

from __future__ import annotations

import time
from typing import Any

from modules.marketing.fake_panel import ippanel, kavenegar, melipayamak, smsir
from modules.marketing.fake_panel.state import PanelState

LOST = (502, {"error": "bad gateway"})


def _name(path: str) -> str:
    """What ``state.calls`` counts a call as: its method, without the key a path may hold
    (``sms/sendarray.json``, ``/api/send/simple``, ``/v1/send/liketolike``)."""
    if kavenegar.ours(path):
        bits = path.strip("/").split("/")
        return f"{bits[2]}/{bits[3]}"
    if melipayamak.ours(path):
        return path.rstrip("/").rsplit("/", 1)[0]
    return path.rstrip("/")


def answer(state: PanelState, path: str, params: dict[str, str], headers: dict[str, str] | None = None,
           body: Any = None) -> tuple[int, Any]:
    """(HTTP status, JSON body) for a call to ``path``; ``headers`` with lower-case names,
    ``body`` the request's JSON (None for a form, whose fields are in ``params``)."""
    headers = headers or {}
    with state.lock:
        state.calls[_name(path)] += 1
        fail, lose, delay = state.roll(state.fail_ratio), state.roll(state.lose_ratio), state.delay
    if delay:
        time.sleep(delay)
    if fail:
        return LOST
    if kavenegar.ours(path):
        out = kavenegar.answer(state, path, params)
    elif melipayamak.ours(path):
        out = melipayamak.answer(state, path, body)
    elif smsir.ours(path):
        out = smsir.answer(state, path, params, headers, body)
    elif ippanel.ours(path):
        out = ippanel.answer(state, path, params, headers, body)
    else:
        return 404, {"error": "not found"}
    return LOST if lose and out[0] == 200 else out  # lost: done, but the client never hears it
