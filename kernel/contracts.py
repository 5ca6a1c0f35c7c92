"""What the layers below :mod:`kernel.kernel` may read of a Kernel, as a Protocol.

Resources, the search index and the hook specifications are read by the Kernel, so they
cannot import it (the kernel reads bottom-up, and ``tests/kernel/test_layers.py`` keeps it
so); they name this instead. A real :class:`kernel.kernel.Kernel` satisfies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy.engine import Engine


class KernelView(Protocol):
    """The running Kernel (:class:`kernel.kernel.Kernel`) as its lower layers see it."""

    @property
    def engine(self) -> Engine: ...

    @property
    def resources(self) -> Mapping[str, Any]: ...

    def resource_for_table(self, table_name: str) -> Any: ...

    @property
    def config(self) -> Any: ...

    def t(self, lang: str, msgid: str, **params: Any) -> str: ...

    def record_title(self, res: Any, obj: Any, lang: str = "fa") -> str: ...

    def filter_answers(self, actor: Any, model: type, action: str) -> list[Any]: ...
