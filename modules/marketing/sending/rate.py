"""A panel's rate (``Panel.per_second``) kept by each worker process: before a batch of n
messages the worker waits until n/per_second seconds have passed since its previous batch to
that panel. Several worker processes each keep their own pace; give each panel a rate that
allows for the number of workers (docs/marketing.md)."""

from __future__ import annotations

import threading
import time

_next: dict[int, float] = {}
_lock = threading.Lock()


def wait_turn(panel_id: int, count: int, per_second: int) -> None:
    if per_second <= 0:
        return
    with _lock:
        now = time.monotonic()
        start = max(now, _next.get(panel_id, now))
        _next[panel_id] = start + count / per_second
    if start > now:
        time.sleep(start - now)
