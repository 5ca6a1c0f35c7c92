"""The Kernel: one instance = one configured application (modules, database, hooks)."""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import Select, and_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from kernel import audit, numbering, references, scope_follows, search_index
from kernel import snippets as _snippets  # noqa: F401  (registers the kernel_snippet table)
from kernel.actor import SYSTEM, Actor
from kernel.config import Config
from kernel.db import Base, make_engine, make_sessionmaker, transaction
from kernel.declarations import (
    ACTIONS,
    Block,
    Command,
    DateSource,
    MenuItem,
    NumberSeries,
    Panel,
    Permission,
    Preference,
    RecordAction,
    Report,
    RoleTemplate,
    SearchProvider,
    Shortcut,
)
from kernel.editions import Edition, get_edition
from kernel.events import Event, event_key
from kernel.i18n import Catalog
from kernel.memo import Memo
from kernel.persian import search_keys
from kernel.plugins import ModuleError, ModuleInfo, discover, make_plugin_manager, resolve
from kernel.resources import Resource

T = TypeVar("T")
log = logging.getLogger("peyvand")
KERNEL_DIR = Path(__file__).parent


# The kernel's own features, in every edition. They build on records, pages and templates,
# which read this class, so it finds them by name as it finds modules (by entry point) instead
# of importing them: the kernel reads bottom-up (tests/kernel/test_layers.py). Each package's
# ``models`` holds its tables and its ``hooks`` is registered like a module's.
KERNEL_FEATURES = ("kernel.occasions", "kernel.reminders")


class Kernel:
    """Builds the module set from the configuration and exposes what modules registered.

    There is no global state: tests create as many Kernels as they like, each with its own
    plugin manager, engine and registries.
    """

    def __init__(self, config: Config) -> None:
        from kernel import kernel_hooks
        from kernel.jobs import Job

        self.config = config
        self.installed: dict[str, ModuleInfo] = discover(config.extra_packages)
        self._conditions: dict[tuple[Actor, type, str], list[ColumnElement[bool]]] = {}
        self.edition: Edition = get_edition(config.edition)
        wanted = [*self.edition.modules_for(set(self.installed)), *config.extra_modules]
        self.pending_note = self.edition.pending_note(set(self.installed))
        if self.pending_note:
            log.warning("%s", self.pending_note)
        self.modules: list[ModuleInfo] = resolve(self.installed, wanted)
        self.module_names = tuple(i.name for i in self.modules)
        for info in self.modules:
            info.submodule("models")
        for package in KERNEL_FEATURES:
            importlib.import_module(f"{package}.models")  # their tables, before anything reads the metadata
        features = [importlib.import_module(f"{package}.hooks") for package in KERNEL_FEATURES]
        self.pm = make_plugin_manager(self.modules, kernel_hooks, *features)
        self.engine = make_engine(config.database_url)
        self.sessions = make_sessionmaker(self.engine)
        audit.install(Session)
        search_keys.install(Session)
        self.metadata = Base.metadata
        self.catalog = Catalog().load_dirs(
            [KERNEL_DIR / "i18n", *(i.path / "i18n" for i in self.modules if (i.path / "i18n").is_dir())])

        self.resources: dict[str, Resource] = {
            r.name: r for r in self.collect("register_resources", Resource, named=lambda r: r.name)
        }
        for res in self.resources.values():
            res.bind(self)
        self.number_series: dict[str, NumberSeries] = {
            s.key: s for s in self.collect("register_number_series", NumberSeries, named=lambda s: s.key)
        }
        for series in self.number_series.values():
            numbering.check_declaration(series)
        # take_number(session, ...) finds the declared series on the session it is given.
        self.sessions.configure(info={numbering.SERIES_INFO: MappingProxyType(self.number_series)})
        # Reference data (shared resources), tables that decide who sees what (a model's
        # ``__memo_watched__``) and the kernel's login tables: what pages keep between requests.
        watched = {r.table.name for r in self.resources.values() if r.shared}
        watched |= {str(getattr(m.local_table, "name", "")) for m in Base.registry.mappers if getattr(m.class_, "__memo_watched__", False)}
        self.memo = Memo(self.engine, watched)
        self.reports: dict[str, Report] = {
            r.key: r for r in self.collect("register_reports", Report, named=lambda r: r.key)
        }
        self.permissions: dict[str, Permission] = {p.code: p for p in self._all_permissions()}
        self.menu: list[MenuItem] = self.collect("register_menu_items", MenuItem, named=lambda m: m.key)
        self.jobs: list[Job] = self.collect("register_jobs", Job, named=lambda j: j.name)
        self.blocks: list[Block] = self.collect("register_dashboard_blocks", Block, named=lambda b: b.key)
        self.search_providers: list[SearchProvider] = self.collect(
            "register_search", SearchProvider, named=lambda s: s.key
        )
        self.date_sources: list[DateSource] = self.collect(
            "register_date_sources", DateSource, named=lambda d: d.key
        )
        for source in self.date_sources:
            self._check_date_source(source)
        self.event_types: dict[str, type[Event]] = self._collect_events()
        self.role_templates: dict[str, RoleTemplate] = {
            t.name: t for t in self.collect("register_role_templates", RoleTemplate, named=lambda t: t.name)
        }
        self.panels: list[Panel] = self.collect("register_panels", Panel, named=lambda p: p.key)
        self.record_actions: list[RecordAction] = self.collect(
            "register_record_actions", RecordAction, named=lambda a: a.key
        )
        self.shortcuts: list[Shortcut] = self.collect("register_shortcuts", Shortcut, named=lambda s: s.key)
        self.commands: list[Command] = self.collect("register_commands", Command, named=lambda c: c.name)
        self.preferences: dict[str, Preference] = {
            p.key: p for p in self.collect("register_preferences", Preference, named=lambda p: p.key)
        }
        self._late_choices()

    def _late_choices(self) -> None:
        """Fields whose choices need every module's declarations (``Field.choices_from``)."""
        for resource in self.resources.values():
            for name, f in list(resource.all_fields.items()):
                if f.choices_from is not None:
                    resource.all_fields[name] = replace(f, kind="choice", choices=tuple(f.choices_from(self)))

    def panels_for(self, page: str) -> list[Panel]:
        """The panels declared for ``page``, in their declared order (permissions not yet applied)."""
        return [p for p in self.panels if p.page == page]

    # -- registrations ---------------------------------------------------------------------
    def collect(self, hook: str, kind: type[T], named: Callable[[T], str]) -> list[T]:
        """Call ``hook`` on every module separately, so a bad answer names its module.

        Items are validated by type, names must start with the module's name, and the result
        is sorted by (sequence, module order) so registration order carries no meaning.
        """
        order = {name: i for i, name in enumerate(("kernel", *self.module_names))}
        items: list[tuple[int, int, T]] = []
        seen: dict[str, str] = {}
        caller = getattr(self.pm.hook, hook)
        for impl in caller.get_hookimpls():
            module = impl.plugin_name.removeprefix("kernel.") if impl.plugin_name.startswith("kernel.") else impl.plugin_name
            module = "kernel" if impl.plugin_name.startswith("kernel.") else module
            args = {"kernel": self}
            result = impl.function(**{k: args[k] for k in impl.argnames if k in args})
            for item in result or ():
                if not isinstance(item, kind):
                    raise ModuleError(f"module {module!r}: {hook} returned {item!r}, not a {kind.__name__}")
                name = named(item)
                if module != "kernel" and not (name == module or name.startswith(module + ".")):
                    raise ModuleError(f"module {module!r}: {hook} name {name!r} must start with '{module}.'")
                if name in seen:
                    raise ModuleError(f"module {module!r}: {hook} name {name!r} already used by {seen[name]!r}")
                seen[name] = module
                items.append((getattr(item, "sequence", 100), order.get(module, 999), item))
        return [item for _, _, item in sorted(items, key=lambda x: (x[0], x[1]))]

    def _collect_events(self) -> dict[str, type[Event]]:
        """Every declared event class by ``<module>.<ClassName>``; a wrong answer names its module."""
        out: dict[str, type[Event]] = {}
        for impl in self.pm.hook.register_events.get_hookimpls():
            module = "kernel" if impl.plugin_name.startswith("kernel.") else impl.plugin_name
            result: Any = impl.function(**({"kernel": self} if "kernel" in impl.argnames else {}))
            for cls in result or ():
                if not (isinstance(cls, type) and issubclass(cls, Event)):
                    raise ModuleError(f"module {module!r}: register_events returned {cls!r}, not an Event subclass")
                key = event_key(module, cls)
                if key in out:
                    raise ModuleError(f"module {module!r}: event {key!r} declared twice")
                out[key] = cls
        return out

    def _check_date_source(self, source: DateSource) -> None:
        """A date source names a resource and its columns: a typo fails at start-up, not in a page."""
        res = self.resources.get(source.resource)
        if res is None:
            raise ModuleError(f"date source {source.key!r}: no resource {source.resource!r}")
        for name in (source.date_field, source.user_field, source.partner_field):
            if name and name not in res.all_fields:
                raise ModuleError(f"date source {source.key!r}: {res.name} has no field {name!r}")
        if res.field(source.date_field).kind not in ("date", "datetime"):
            raise ModuleError(f"date source {source.key!r}: {source.date_field!r} is not a date")

    def _all_permissions(self) -> list[Permission]:
        perms = list(self.collect("register_permissions", Permission, named=lambda p: p.code))
        for res in self.resources.values():
            for action in ACTIONS:
                if (action == "approve" and not res.approvable) or not res.offers(action):
                    continue
                perms.append(Permission(f"{res.name}.{action}", f"{res.label_plural}: {action}"))
        # Each report is its own grant (its label is the report's title, a msgid already).
        perms += [Permission(r.grant, r.label) for r in self.reports.values()]
        return perms

    def resource_for_table(self, table_name: str) -> Resource | None:
        for res in self.resources.values():
            if res.table.name == table_name:
                return res
        return None

    # -- database --------------------------------------------------------------------------
    def table_prefixes(self, only: str | None = None) -> tuple[str, ...]:
        if only:
            return (f"{only}_",)
        return ("kernel_", *(f"{name}_" for name in self.module_names))

    def migration_filter(self, only: str | None = None) -> Callable[..., bool]:
        """Alembic's include_object: only tables of enabled modules (or of one module)."""
        prefixes = self.table_prefixes(only)

        def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
            table = obj if type_ == "table" else getattr(obj, "table", None)
            tname = name if type_ == "table" else getattr(table, "name", "")
            if search_index.is_index_object(tname) or search_index.is_index_object(name):
                return False  # derived search indexes are kept by search_index.ensure
            return bool(tname) and str(tname).startswith(prefixes) and tname != "alembic_version"

        return include

    @contextmanager
    def session(self, actor: Actor | None = None) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on error."""
        with transaction(self.sessions, actor or SYSTEM) as session:
            yield session

    def filter_answers(self, actor: Actor, model: type, action: str) -> list[ColumnElement[bool]]:
        """Every module's ``record_filter`` answer: all ANDed, so modules can only narrow."""
        answers = self.pm.hook.record_filter(actor=actor, model=model, action=action)
        return [a for a in answers if a is not None]

    def record_conditions(self, actor: Actor, model: type, action: str) -> list[ColumnElement[bool]]:
        """The ``record_filter`` answers and what the model's ``__scope_follows__`` adds: a
        record that belongs to another is in scope only with it (:mod:`kernel.scope_follows`).

        Kept per (actor, model, action): a filter is SQL evaluated when the query runs, a pure
        function of its arguments (the hook's contract), and building the followed conditions
        for every query of a page cost more than the queries themselves."""
        key = (actor, model, action)
        found = self._conditions.get(key)
        if found is None:
            if len(self._conditions) > 4096:
                self._conditions.clear()
            found = self._conditions[key] = [*self.filter_answers(actor, model, action),
                                             *scope_follows.conditions(self, actor, model)]
        return list(found)

    def scoped_select(self, actor: Actor, model: type, action: str = "view", deleted: bool = False) -> Select[Any]:
        """``select(model)`` with the soft-delete mark and the actor's record scope applied."""
        stmt: Select[Any] = select(model)
        if hasattr(model, "deleted_at"):
            col = model.deleted_at
            stmt = stmt.where(col.is_not(None) if deleted else col.is_(None))
        conds = self.record_conditions(actor, model, action)
        return stmt.where(and_(true(), *conds))

    def emit(self, event: Event, session: Session) -> None:
        self.pm.hook.handle_event(event=event, session=session, kernel=self)

    # -- settings and text -----------------------------------------------------------------
    def setting(self, session: Session, key: str, default: Any = None) -> Any:
        from kernel.models import Setting

        row = session.get(Setting, key)
        return json.loads(row.value) if row else default

    def set_setting(self, session: Session, key: str, value: Any) -> None:
        from kernel.models import Setting

        row = session.get(Setting, key) or Setting(key=key, value="")
        row.value = json.dumps(value, ensure_ascii=False)
        session.add(row)

    def user_preference(self, session: Session, user_id: int, key: str) -> bool:
        """A user's answer to a module's :class:`~kernel.Preference` (its default until saved)."""
        from kernel.models import UserPref

        declared = self.preferences[key]  # KeyError: a module reads a choice nobody declared
        row = session.get(UserPref, (user_id, f"pref:{key}"))
        return bool(json.loads(row.value)) if row else declared.default

    def set_user_preference(self, session: Session, user_id: int, key: str, value: bool) -> None:
        from kernel.models import UserPref

        if key not in self.preferences:  # only declared choices are stored
            raise KeyError(key)
        row = session.get(UserPref, (user_id, f"pref:{key}")) or UserPref(user_id=user_id, key=f"pref:{key}", value="")
        row.value = json.dumps(bool(value))
        session.add(row)

    def letterhead(self, session: Session) -> dict[str, str]:
        """The company block every PDF shows (KER-10): name, logo, heading line and footer."""
        return {
            "name": self.setting(session, "company.name", ""),
            "logo_url": self.setting(session, "company.logo_url", ""),
            "heading": self.setting(session, "company.pdf_title", ""),
            "footer": self.setting(session, "company.pdf_footer", ""),
        }

    def record_title(self, res: Resource, obj: Any, lang: str = "fa") -> str:
        """``obj``'s title as people read it (:func:`kernel.references.record_title`)."""
        return references.record_title(self, res, obj, lang)

    def t(self, lang: str, msgid: str, **params: Any) -> str:
        return self.catalog.gettext(lang, msgid, **params)

    def static_dirs(self) -> dict[str, Path]:
        dirs = {"kernel": KERNEL_DIR / "static" / "kernel"}
        for info in self.modules:
            path = info.path / "static" / info.name
            if path.is_dir():
                dirs[info.name] = path
        return dirs

    def template_dirs(self) -> list[Path]:
        dirs = [KERNEL_DIR / "templates"]
        dirs += [i.path / "templates" for i in self.modules if (i.path / "templates").is_dir()]
        return dirs
