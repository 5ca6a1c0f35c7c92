"""``GET /push/stream``: the signed-in user's pushed messages as server-sent events.

A tab keeps one stream (``push.js``). On a reconnect — the browser's automatic one sends
``Last-Event-ID``; a new page of the same tab sends ``?after=`` — the messages the tab missed in
the last ``CATCH_UP`` are sent first, so moving from page to page loses no ringing phone.
A stream ends after ``MAX_LIFE`` (the browser reconnects at once): a logged-out or disabled user's
stream does not outlive the next reconnect, and a worker that shuts down is not held open.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import AsyncIterator

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from kernel.db import utcnow
from kernel.push.hub import Pushed, PushHub
from kernel.push.models import PushMessage
from kernel.routing import AUTHENTICATED, Route

CATCH_UP = dt.timedelta(seconds=60)
MAX_LIFE = 300.0  # seconds
PING = 15.0  # seconds between comments that keep proxies from closing an idle stream


def hub_of(request: Request) -> PushHub:
    state = request.app.state
    if getattr(state, "push_hub", None) is None:
        state.push_hub = PushHub(state.kernel)
    hub: PushHub = state.push_hub
    return hub


def _after(request: Request) -> int:
    text = request.headers.get("last-event-id") or request.query_params.get("after") or ""
    return int(text) if text.isdigit() and len(text) <= 18 else 0


def _missed(kernel: object, user_id: int, after: int) -> list[Pushed]:
    since = utcnow() - CATCH_UP
    with kernel.sessions() as session:  # type: ignore[attr-defined]
        rows = session.execute(select(PushMessage.id, PushMessage.user_id, PushMessage.kind, PushMessage.data)
                               .where(PushMessage.user_id == user_id, PushMessage.id > after,
                                      PushMessage.created_at >= since)
                               .order_by(PushMessage.id).limit(100))
        return [Pushed(int(i), int(u), str(k), str(d)) for i, u, k, d in rows]


def _event(row: Pushed) -> str:
    # ``data`` is JSON on one line (json.dumps never writes a raw newline), as SSE requires.
    return f'id: {row.id}\ndata: {{"kind":{json.dumps(row.kind)},"data":{row.data}}}\n\n'


async def stream(request: Request) -> Response:
    hub = hub_of(request)
    user_id = int(request.state.actor.user_id)
    after = _after(request)

    async def events() -> AsyncIterator[str]:
        sent: set[int] = set()
        queue = hub.subscribe(user_id)  # before the catch-up read: nothing falls between the two
        try:
            yield "retry: 2000\n\n"
            if after:
                for row in await run_in_threadpool(_missed, request.app.state.kernel, user_id, after):
                    sent.add(row.id)
                    yield _event(row)
            ends = time.monotonic() + MAX_LIFE
            while not hub.closing:
                left = ends - time.monotonic()
                if left <= 0:
                    return
                try:
                    row = await asyncio.wait_for(queue.get(), timeout=min(PING, left))
                except TimeoutError:
                    yield ": ping\n\n"
                    continue
                if row.id in sent or row.id <= after:
                    continue
                sent.add(row.id)
                yield _event(row)
        finally:
            hub.unsubscribe(user_id, queue)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def routes() -> list[Route]:
    return [Route("/push/stream", stream, methods=["GET"], permission=AUTHENTICATED, name="push_stream")]
