"""Declarative resources (KER-05): one declaration → list, detail, forms, exports, history,
attachments, soft delete and the JSON API, all guarded by the same permissions and scopes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, inspect
from sqlalchemy.sql.schema import Column

from kernel.fields import Field
from kernel.filters import Filter

log = logging.getLogger("peyvand.resources")
SHARED_ATTR = "__peyvand_shared__"
USER_REF = "@user"

if TYPE_CHECKING:
    from kernel.contracts import KernelView

# What a read-only resource never offers (lists, forms, the API): its rows are written by code.
WRITE_ACTIONS = ("create", "edit", "delete")

_HIDDEN = {"id", "created_at", "updated_at", "deleted_at", "created_by_id", "updated_by_id", "search_key",
           "sort_key"}


@dataclass(frozen=True)
class Section:
    """A titled group of form fields; ``when=("kind", ("person",))`` shows it (and keeps its
    values) only while the field ``kind`` has one of those values."""

    title: str
    fields: tuple[str, ...]
    when: tuple[str, tuple[str, ...]] | None = None

    def applies(self, values: Mapping[str, Any]) -> bool:
        if self.when is None:
            return True
        name, allowed = self.when
        return str(values.get(name) or "") in allowed


@dataclass
class Resource:
    """What a module declares about a model.

    ``name`` is ``<module>.<thing>`` and prefixes its permissions (``<name>.view`` …); its
    pages live at ``/<module>/<thing>/`` and its API at ``/api/<module>/<thing>``.
    ``columns`` are the default list columns (users choose their own), ``search`` the fields
    folded into the normalised ``search_key`` column when the model has one, ``filters`` the
    list filters, ``form`` the editable fields in order. ``fields`` overrides what the model
    columns cannot say (money, choices, labels).
    """

    name: str
    model: type
    label: str
    label_plural: str
    columns: tuple[str, ...] = ()
    form: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    custom_filters: tuple[Filter, ...] = ()
    sections: tuple[Section, ...] = ()
    fields: dict[str, Field] = field(default_factory=dict)
    title_field: str = ""
    default_sort: str = "-id"
    # The text field (a name) whose Persian alphabetical key the model keeps in its ``sort_key``
    # column (kernel.SortKey, indexed with id): lists sorted by that field use the key, so
    # پ چ ژ گ sit in their places and منطقه ۲ comes before منطقه ۱۰.
    sort_key: str = ""
    page_size: int = 50
    approvable: bool = False
    # Reference data (provinces, units): everyone who may view the resource sees every row;
    # the own/team record scopes of roles do not apply. Modules' record_filter still does.
    shared: bool = False
    # Answer the top-bar search box (base data such as provinces would only crowd it).
    global_search: bool = True
    # Records named by a key people type (an invoice number): ``lookup(text)`` answers an SQL
    # condition on an indexed column when the text is such a key, else None. The list's ``q``,
    # its count and the top-bar search then use it instead of the text search of ``search``:
    # one equality instead of a trigram scan whose every row shares the key's prefix.
    lookup: Callable[[str], Any] | None = None
    icon: str = ""
    sequence: int = 100
    # Form fields edited in place in the list (a task's completion %: type 100 and it is done).
    inline: tuple[str, ...] = ()
    # Rules across fields: ``validate(values, record=, session=, actor=, kernel=)`` gets the
    # record's values after the change (``record`` is None on create) and returns
    # ``{field: InputError(...)}`` for what is wrong (empty or None when all is well).
    validate: Callable[..., Mapping[str, Any] | None] | None = None
    # What a new record derives from more than its typed values, written by its one INSERT:
    # ``complete(record, session=, actor=, kernel=)`` is called after the checks, before the
    # record is written (a document's tax rates and totals), so no UPDATE and no second history
    # entry follow its creation. Every create calls it: the form, the API, bulk and import.
    complete: Callable[..., None] | None = None
    # Rows written only by the module's own services (commissions from invoices, payments from
    # the plans): no New, Edit or Delete in the list, the record page or the API, no create/edit/
    # delete permissions, and every write through HTTP or kernel.records refused (405 / 403).
    read_only: bool = False
    # A record that can no longer change, though others of the resource can (a posted stock
    # document, kept with its number): ``locked(obj)`` answers why (an English msgid) or None.
    # Its page shows no Edit or Delete but the reason, and every edit or delete of it — form, API,
    # bulk, kernel.records — is refused with that reason (409).
    locked: Callable[[Any], str | None] | None = None
    # Filled by bind(): every field of the model, bound to its column.
    all_fields: dict[str, Field] = field(default_factory=dict, init=False, repr=False)
    _kernel: Any = field(default=None, init=False, repr=False, compare=False)
    # kernel.records' plan of parsing the form, made on first use (after bind() set the form).
    _form_plan: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def module(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def thing(self) -> str:
        return self.name.split(".", 1)[1]

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined]

    @property
    def url(self) -> str:
        return f"/{self.module}/{self.thing}/"

    @property
    def api_url(self) -> str:
        return f"/api/{self.module}/{self.thing}"

    @property
    def has_search_key(self) -> bool:
        return "search_key" in self.table.c

    def sort_column(self, name: str) -> str:
        """The column a list sorted by ``name`` orders by: the alphabetical key of ``sort_key``."""
        return "sort_key" if self.sort_key and name == self.sort_key else name

    def lock_of(self, obj: Any) -> str | None:
        """Why ``obj`` can no longer be edited or deleted (a msgid), or None."""
        return self.locked(obj) if self.locked is not None and obj is not None else None

    def perm(self, action: str) -> str:
        return f"{self.name}.{action}"

    def offers(self, action: str) -> bool:
        """Whether the resource has the action at all (a read-only one has no writes)."""
        return not (self.read_only and action in WRITE_ACTIONS)

    def allows(self, actor: Any, action: str) -> bool:
        """Whether ``actor`` may ``action`` here: the resource offers it and the actor holds it
        (templates show New / Edit / Delete by this, never by the permission alone)."""
        return self.offers(action) and bool(actor is not None and actor.can(self.perm(action)))

    def bind(self, kernel: KernelView) -> None:
        self._kernel = kernel  # titles of date and reference fields are read through it
        self._form_plan = None  # made again from the fields bound now (every kernel binds anew)
        mapper: Any = inspect(self.model)
        columns: dict[str, Column[Any]] = {c.key: c.columns[0] for c in mapper.column_attrs}
        for name, col in columns.items():
            decl = self.fields.get(name, Field())
            bound = decl.bind(name, col)
            if bound.kind == "ref" and not bound.ref:
                target = next(iter(col.foreign_keys)).column.table.name
                ref = kernel.resource_for_table(target) if target != self.table.name else self
                # Users are not a resource; "@user" lets lists, filters and forms name them.
                name_of = USER_REF if target == "kernel_user" else (ref.name if ref else "")
                bound = Field(**{**bound.__dict__, "ref": name_of})
            self.all_fields[name] = bound
        for name in self.fields:
            if name not in self.all_fields:
                raise ValueError(f"resource {self.name}: field {name!r} is not a column of {self.model.__name__}")
        if self.sections and not self.form:
            self.form = tuple(dict.fromkeys(n for s in self.sections for n in s.fields))
        if not self.form:
            self.form = tuple(n for n in columns if n not in _HIDDEN and n != "owner_id")
        if not self.sections:
            self.sections = (Section("", self.form),)
        if not self.columns:
            self.columns = self.form[:5]
        if not self.title_field:
            self.title_field = next((n for n in ("name", "title", "subject") if n in columns), self.form[0])
        for group in (self.columns, self.form, self.search, self.filters):
            for name in group:
                if name not in self.all_fields:
                    raise ValueError(f"resource {self.name}: unknown field {name!r}")
        if self.read_only and self.inline:
            raise ValueError(f"resource {self.name}: a read-only resource has no inline fields")
        for name in self.inline:
            if name not in self.form:
                raise ValueError(f"resource {self.name}: inline field {name!r} is not a form field")
        indexed = {c.name for ix in self.table.indexes for c in ix.columns} | {c.name for c in self.table.primary_key}
        for name in self.filters:
            # Few-valued columns (choices, yes/no) gain little from an index; the rest scan.
            if name not in indexed and self.all_fields[name].kind not in ("choice", "bool"):
                # Not an error (small tables are fine), but each list count scans the table.
                log.warning("resource %s: filter column %r has no index", self.name, name)
        if bool(self.sort_key) != ("sort_key" in self.table.c):
            raise ValueError(f"resource {self.name}: declare sort_key=<field> together with a sort_key column")
        keyed = self.all_fields.get(self.sort_key)
        if self.sort_key and (keyed is None or keyed.kind not in ("text", "textarea")):
            raise ValueError(f"resource {self.name}: sort_key {self.sort_key!r} is not a text field")
        if self.shared:
            setattr(self.model, SHARED_ATTR, True)
        if self.has_search_key and self.search:
            from kernel.persian import search_keys

            search_keys.register(self.model, tuple((n, self.all_fields[n].kind) for n in self.search))
        if self.sort_key:
            from kernel.persian import search_keys

            search_keys.register_sort(self.model, self.sort_key)

    def field(self, name: str) -> Field:
        return self.all_fields[name]

    @property
    def choosable_columns(self) -> tuple[str, ...]:
        """Every column a user may add to the list: the form fields plus the audit dates (those the
        model has: a log table that is no ``Record``, such as marketing's messages, has no
        ``updated_at``)."""
        extra = ("id", "created_at", "updated_at")
        return tuple(n for n in dict.fromkeys((*self.columns, *self.form, *extra))
                     if n in self.all_fields and not self.all_fields[n].internal)

    def shown_fields(self, values: Mapping[str, Any], names: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """The fields people see for a record with these values, in order: what its sections
        show (a person's record has no economic code, a company's no birthday), never the
        internal ones. A field in no section (an audit date) is shown. ``values`` without the
        deciding field (a list of both kinds) shows every section."""
        out = []
        for name in self.form if names is None else names:
            if self.all_fields[name].internal:
                continue
            holders = [s for s in self.sections if name in s.fields]
            if not holders or any(s.when is None or s.when[0] not in values or s.applies(values) for s in holders):
                out.append(name)
        return tuple(out)

    def title_of(self, obj: Any, lang: str = "fa") -> str:
        """The record's title as people read it (see :func:`kernel.references.record_title`)."""
        if self._kernel is None:
            return str(getattr(obj, self.title_field, "") or f"#{obj.id}")
        # Through the kernel: kernel.references reads resources, so this file cannot import it.
        return str(self._kernel.record_title(self, obj, lang))
