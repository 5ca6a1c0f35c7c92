"""Python's cycle collector, tuned for a serving process (measured: docs/PERFORMANCE.md, "The
proforma PDF, session 9").

A full collection walks every object the process tracks — the kernel, SQLAlchemy's mappers, the
compiled templates: hundreds of thousands made once at start and alive for the process's life.
A PDF render allocates enough to set off such collections while it lays out boxes, and each walks
all of that again: one render in ten or twenty took twice the CPU of the others (p95 318 ms
against p50 160 for a 15-line proforma). Two things take that away:

* :func:`freeze_startup` — ``gc.freeze()`` once the app is built: what exists then moves to the
  permanent generation, which collections skip (CPython's advice for servers; it also keeps
  pages shared between forked workers). Only the serving entry point calls it (`kernel.asgi`),
  never tests, which build many apps in one process and must see their garbage collected;
* :func:`paused` — no cycle collection *during* a render: its box tree is alive until the end
  anyway, and its garbage is collected after. Refcounting still frees everything acyclic.
  Process-wide but counted, so the collector is back on when the last render in any thread ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0  # blocks running now, in every thread
_restore = False  # whether the collector was on when the first of them began


def freeze_startup() -> None:
    """Move every object alive now out of the collector's way (call once the app is built)."""
    gc.collect()
    gc.freeze()


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection while the block runs, in any thread (nested and concurrent uses count);
    the collector is as it was before once the last of them ends."""
    global _active, _restore
    with _lock:
        if _active == 0:
            _restore = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _restore:
                gc.enable()
