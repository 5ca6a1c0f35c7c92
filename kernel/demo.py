"""Demo data: each enabled module may have ``demo.py`` with ``load(kernel, session) -> str``.

Each module's demo runs in its own transaction, in the modules' order, with ``session.info[DEMO]``
set: a listener of another module may tell the demo's records apart (inventory lets finance's demo
invoices through without stock, then brings finance's quantities in as its opening balance)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kernel.kernel import Kernel


DEMO = "demo"


def load_demo(kernel: Kernel) -> str:
    lines = []
    for info in kernel.modules:
        mod = info.submodule("demo")
        if mod is not None:
            with kernel.session() as session:
                session.info[DEMO] = True
                lines.append(f"{info.name}: {mod.load(kernel=kernel, session=session)}")
    return "\n".join(lines) or "no demo data"
