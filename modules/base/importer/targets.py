"""What base's importer can import (INT-04): the extension point other modules use.

The importer — upload, column mapping with preview, the batch job, progress, errors by line,
the "fix and import again" CSV — is base's. *What* it imports is an :class:`ImportTarget`:
how columns are guessed, how a line becomes values, how values are written. Base declares
partners; a module declares its own in ``<module>/importers.py`` (found by that conventional
path, like ``demo.py``), as a function ``import_targets(kernel) -> list[ImportTarget]``, and
mounts the pages with :func:`modules.base.importer.pages.routes_for` in its ``register_routes``.
For a plain resource, :mod:`modules.base.importer.generic` gives every piece (the finance
module's products use it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kernel import Actor, InputError
    from kernel.kernel import Kernel
    from modules.base.importer.mapping import Mapping
    from modules.base.importer.rows import ParsedRow
    from modules.base.importer.write import Result


class LineParser(Protocol):
    def parse(self, line: int, cells: list[str]) -> ParsedRow: ...


@dataclass(frozen=True)
class ImportTarget:
    """One kind of record the importer makes.

    ``resource`` is the resource whose records are made; ``permission`` guards the pages and
    is checked again when each batch runs; ``path`` is where the pages are mounted inside the
    resource's module (base's partners: ``/import/``; so ``/base/import/``) and ``name`` the
    prefix of their route names. The callables:

    - ``targets(kernel)`` → ``[(target, label msgid)]``: what a column can fill;
    - ``guess(kernel, headers)`` → a target per header (``""``: do not import);
    - ``check(kernel, mapping, lang)`` → problems that stop the import from starting;
    - ``parser(kernel, session, mapping)`` → an object whose ``parse(line, cells)`` gives a
      :class:`~modules.base.importer.rows.ParsedRow` (errors by column, nothing written);
    - ``write(kernel, session, actor, mapping, rows)`` → a
      :class:`~modules.base.importer.write.Result`: writes the lines in the caller's
      transaction as the importing user, a refused line reported and the others kept.
    """

    resource: str
    permission: str
    path: str
    name: str
    title: str
    field_heading: str
    targets: Callable[[Kernel], list[tuple[str, str]]]
    guess: Callable[[Kernel, list[str]], list[str]]
    check: Callable[[Kernel, Mapping, str], list[InputError]]
    parser: Callable[[Kernel, Session, Mapping], LineParser]
    write: Callable[[Kernel, Session, Actor, Mapping, Iterable[tuple[int, list[str]]]], Result]
    # The duplicates question and its three answers (skip, update, create), as msgids.
    duplicates_legend: str = "When the same record exists"
    mode_labels: tuple[str, str, str] = ("Skip the line", "Update the existing record with the filled cells",
                                         "Create a new record anyway")
    # A template with the target's own options on the mapping page (partners: kind and role).
    options_template: str = ""
    # Where the imported records are listed (the status page links there), and their label.
    list_url: str = ""
    list_label: str = ""

    @property
    def module(self) -> str:
        return self.resource.split(".", 1)[0]

    @property
    def url(self) -> str:
        return f"/{self.module}{self.path}"


def import_targets(kernel: Kernel) -> dict[str, ImportTarget]:
    """Every enabled module's targets, by resource name."""
    found: dict[str, ImportTarget] = {}
    for info in kernel.modules:
        mod = info.submodule("importers")
        declare: Any = getattr(mod, "import_targets", None) if mod is not None else None
        for target in declare(kernel) if declare is not None else ():
            if not isinstance(target, ImportTarget) or target.module != info.name:
                raise TypeError(f"module {info.name}: import_targets must return its own ImportTargets")
            found[target.resource] = target
    return found


def target_for(kernel: Kernel, resource: str) -> ImportTarget | None:
    return import_targets(kernel).get(resource)
