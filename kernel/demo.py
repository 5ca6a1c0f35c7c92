"""Demo data: each enabled module may have ``demo.py`` with ``load(kernel, session) -> str``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kernel.kernel import Kernel


def load_demo(kernel: Kernel) -> str:
    lines = []
    for info in kernel.modules:
        mod = info.submodule("demo")
        if mod is not None:
            with kernel.session() as session:
                lines.append(f"{info.name}: {mod.load(kernel=kernel, session=session)}")
    return "\n".join(lines) or "no demo data"
