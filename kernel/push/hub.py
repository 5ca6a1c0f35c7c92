"""One reader of new push rows per web worker, shared by all of that worker's streams.

However many tabs are open, a worker asks the database one question every ``interval`` (a
range read on the primary key) and only while someone is listening: no polling storm.

Ids are taken when a row is inserted but become visible when its transaction commits, so on
PostgreSQL row 11 can be seen before row 10. An id missing below the newest one seen is waited
for up to ``GAP_WAIT`` seconds (a rolled-back insert leaves a hole for ever), and the read starts
below the oldest such hole; rows already handed out are remembered so none is handed out twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from kernel.push.models import PushMessage

log = logging.getLogger("peyvand.push")

GAP_WAIT = 3.0  # seconds: longer than any transaction that writes a push
MAX_GAP_IDS = 10_000  # a jump in the sequence larger than this is not a hole to wait for
BATCH = 1000
QUEUE_SIZE = 500  # per stream: a tab that stops reading loses messages, the others do not wait


@dataclass(frozen=True)
class Pushed:
    id: int
    user_id: int
    kind: str
    data: str  # JSON text, passed to the browser as it is


class PushHub:
    def __init__(self, kernel: Any, interval: float = 0.1) -> None:
        self.kernel = kernel
        self.interval = interval
        self.closing = False
        self._queues: dict[int, set[asyncio.Queue[Pushed]]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None

    # -- streams -----------------------------------------------------------------------------
    def subscribe(self, user_id: int) -> asyncio.Queue[Pushed]:
        queue: asyncio.Queue[Pushed] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._queues[user_id].add(queue)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        return queue

    def unsubscribe(self, user_id: int, queue: asyncio.Queue[Pushed]) -> None:
        queues = self._queues.get(user_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[user_id]

    @property
    def listeners(self) -> int:
        return sum(len(q) for q in self._queues.values())

    # -- the reader --------------------------------------------------------------------------
    async def _run(self) -> None:
        low = await run_in_threadpool(self._newest)
        handed: set[int] = set()  # ids above ``low`` already handed out
        holes: dict[int, float] = {}  # id → when it was first missed
        while self._queues and not self.closing:
            try:
                rows = await run_in_threadpool(self._read, low)
            except Exception:
                log.exception("push: could not read new messages; trying again")
                await asyncio.sleep(1.0)
                continue
            now = time.monotonic()
            for row in rows:
                if row.id in handed:
                    continue
                handed.add(row.id)
                holes.pop(row.id, None)
                self._hand_out(row)
            top = max(handed, default=low)
            if top - low <= MAX_GAP_IDS:
                for missing in range(low + 1, top):
                    if missing not in handed and missing not in holes:
                        holes[missing] = now
            for missing, since in list(holes.items()):
                if now - since > GAP_WAIT or missing <= low:
                    del holes[missing]
            low = min(holes) - 1 if holes else top
            handed = {i for i in handed if i > low}
            if len(rows) < BATCH:
                await asyncio.sleep(self.interval)

    def _hand_out(self, row: Pushed) -> None:
        for queue in list(self._queues.get(row.user_id, ())):
            try:
                queue.put_nowait(row)
            except asyncio.QueueFull:
                log.warning("push: a stream of user %s is not reading; message %s dropped for it", row.user_id, row.id)

    def _newest(self) -> int:
        with self.kernel.sessions() as session:
            return int(session.scalar(select(func.max(PushMessage.id))) or 0)

    def _read(self, low: int) -> list[Pushed]:
        with self.kernel.sessions() as session:
            rows = session.execute(select(PushMessage.id, PushMessage.user_id, PushMessage.kind, PushMessage.data)
                                   .where(PushMessage.id > low).order_by(PushMessage.id).limit(BATCH))
            return [Pushed(int(i), int(u), str(k), str(d)) for i, u, k, d in rows]
