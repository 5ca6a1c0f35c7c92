"""Plain data that modules hand to the kernel through the ``register_*`` hooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ACTIONS = ("view", "create", "edit", "delete", "export", "print", "approve")


@dataclass(frozen=True)
class Permission:
    """A coarse permission, named ``<module>.<thing>.<action>``."""

    code: str
    label: str = ""
    sequence: int = 100


@dataclass(frozen=True)
class MenuItem:
    """A menu entry. ``parent`` names another item's ``key``; ``url`` is a path; ``icon`` is a
    name from :data:`kernel.icons.PATHS` (inline SVG, so no emoji font is needed)."""

    key: str
    label: str
    url: str = ""
    permission: str | None = None
    parent: str | None = None
    icon: str = ""
    sequence: int = 100
    # A number shown beside the entry ("Work queue (12)"): ``badge(session=, actor=, kernel=)``
    # returns an int (0 or None shows nothing). Called on every page: keep it one indexed count.
    badge: Callable[..., int | None] | None = None


@dataclass(frozen=True)
class Block:
    """A dashboard block: ``render(request, kernel, actor)`` returns markup."""

    key: str
    label: str
    render: Callable[..., Any]
    permission: str | None = None
    sequence: int = 100


@dataclass(frozen=True)
class SearchHit:
    label: str
    url: str
    kind: str = ""
    detail: str = ""
    # The record found, "resource:id" ("base.partner:12"): a record that a provider and the
    # resources' search both find is listed once, whichever of its pages each links to.
    record: str = ""

    @property
    def identity(self) -> str:
        return self.record or self.url


@dataclass(frozen=True)
class SearchProvider:
    """A global-search source: ``search(session, actor, query, limit)`` returns SearchHits.

    ``query`` is the text as typed; compare it through :func:`kernel.persian.textnorm.search_key` (or
    ``canonical_phone``) so Persian/Arabic letters and digits match, and apply the actor's record
    scope (``kernel.scoped_select``)."""

    key: str
    label: str
    search: Callable[..., list[SearchHit]]
    permission: str | None = None
    sequence: int = 100
    # Resources whose records this provider finds itself when their ``Resource.lookup`` reads the
    # query (a document number): the kernel's search of those resources is then skipped, since
    # the provider's hits already are those records.
    covers: tuple[str, ...] = ()
    # Its hits are records the text names exactly (a cheque number, a Sayad ID, a phone, a
    # document number), not texts that contain it. When such a provider finds something, the
    # top-bar search shows those records and skips the fragment searches (other providers and
    # every resource's text search: the slow part, and noise for someone who typed an ID); the
    # page offers "search everywhere" for the rest (``/search?q=…&all=1``).
    exact: bool = False


@dataclass(frozen=True)
class ReportParam:
    """One input of a report's form: ``kind`` is text, date (Jalali) or choice."""

    name: str
    label: str
    kind: str = "text"
    choices: Callable[..., list[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class ReportPage:
    """Which rows of a paged report (``Report(page_size=...)``) to read: at most ``size``, after
    ``after`` — the cursor the report's query gave for the previous page, "" for the first."""

    after: str = ""
    size: int = 50


@dataclass(frozen=True)
class Report:
    """A report: ``query(session=, actor=, params=, kernel=, lang=)`` → ``(columns, rows)``.

    Shown as a page with a form for ``params`` and exported to PDF and xlsx under
    ``/reports/<key>``. Two permissions guard it: the report's own, ``<key>.report``
    (:attr:`grant`, registered by the kernel, granted per role on the roles page), and
    ``permission``, the data it reads (``base.partner.view``). Column titles are message ids; cells are
    what to show (already formatted text, or ints that stay numbers in a spreadsheet). The
    query must apply the actor's record scope (``kernel.scoped_select``); it may raise
    :class:`kernel.InputError` for a bad parameter.

    A report of many rows (one per customer) is read a page at a time with ``page_size``: the
    query also gets ``page=`` (a :class:`ReportPage`) and answers ``(columns, rows, next)``,
    ``next`` being the cursor of the following page ("" after the last). The page shows
    ``page_size`` rows and a link to the next; the xlsx and PDF read from the first row on, up
    to ``kernel.web.reports.EXPORT_ROWS``. A keyset cursor (the last row's sort values) keeps a deep page as
    cheap as the first.
    """

    key: str
    label: str
    query: Callable[..., tuple[Any, ...]]
    permission: str
    params: tuple[ReportParam, ...] = ()
    sequence: int = 100
    page_size: int = 0

    @property
    def grant(self) -> str:
        """The report's own permission: one role may read partners yet not this report."""
        return f"{self.key}.report"


@dataclass(frozen=True)
class DateSource:
    """Records of a resource that fall due on a date: a follow-up date, a contract's end, a due
    instalment, a departure date (TSK-05, TSK-06).

    ``date_field`` is a date or date-time column of the resource's model. The kernel's "Due
    today" dashboard block and the tasks module's work queue list,
    for each user, the records whose date is today or past and whose ``user_field`` (a user
    column: the owner, the assignee) is that user, as long as ``open(model)`` — an optional SQL
    condition, "not done yet" — holds. The daily reminder report lists every record whose date
    falls on a chosen day, each with a one-click communication to ``partner_field``'s partner.
    The resource's view permission and the actor's record scope always apply.
    """

    key: str
    label: str
    resource: str
    date_field: str
    user_field: str = "owner_id"
    partner_field: str = ""
    open: Callable[[Any], Any] | None = None
    in_work_queue: bool = True
    sequence: int = 100


@dataclass(frozen=True)
class RoleTemplate:
    """A typical job's permissions, offered when an administrator creates a role.

    ``name`` is ``<module>.<job>``; ``permissions`` are permission codes, and ``"<resource>.*"``
    stands for every action of a resource; ``record_scope`` is ``all``, ``team`` or ``own``.
    The role is filled once from the template and edited freely afterwards.
    """

    name: str
    label: str
    permissions: tuple[str, ...]
    record_scope: str = "all"
    sequence: int = 100


@dataclass(frozen=True)
class Panel:
    """A panel that a module adds to another module's page, in a declared order (BASE-11).

    ``page`` names the page (``"base.partner.profile"``: the partner's 360° profile). The page
    calls ``render(request=, kernel=, session=, actor=, record=)`` inside its own read session,
    for every panel whose ``permission`` the user holds, in ``sequence`` order; ``render``
    returns markup, or ``None`` to show nothing (nothing to say, or not for this record). It must
    apply the actor's record scope to what it reads (``kernel.scoped_select``). ``title`` is a
    message id shown as the panel's heading.
    """

    key: str
    page: str
    title: str
    render: Callable[..., Any]
    permission: str | None = None
    sequence: int = 100


@dataclass(frozen=True)
class RecordAction:
    """An entry of the context menu on a record (KER-17): a list row's "⋮" menu (also right-click
    and the menu key) and the record page's "Actions" button.

    ``url`` is a path whose ``{id}`` is the record's id, ``{url}`` the resource's base URL
    (``/base/partner/``) and any other ``{name}`` that field's value — an action whose field is
    empty on a record (a task without a partner) is left out for that record. The action applies
    to the resources named in ``resources`` and to every resource that has the field ``with_field``
    (a partner link, ``partner_id``). ``permission`` hides it from users who lack it;
    ``shortcut`` is only shown beside the label (bind the key in the module's own script).
    """

    key: str
    label: str
    url: str
    permission: str | None = None
    resources: tuple[str, ...] = ()
    with_field: str = ""
    shortcut: str = ""
    sequence: int = 100


@dataclass(frozen=True)
class Shortcut:
    """A keyboard shortcut shown in the keyboard map ("?", KER-17). ``keys`` is what to press as
    shown to the user ("F9", "Alt+N"); the module binds the key itself in its own script. The
    entry is hidden from users without ``permission``."""

    key: str
    keys: str
    label: str
    permission: str | None = None
    sequence: int = 100


@dataclass(frozen=True)
class Preference:
    """A user's own on/off choice that a module offers on the preferences page ("show incoming
    call pop-ups"). ``label`` is an English msgid; read it with ``kernel.user_preference``."""

    key: str
    label: str
    default: bool = True
    sequence: int = 100


@dataclass(frozen=True)
class NumberSeries:
    """A series of document numbers (invoices, proformas, service receipts, warranty cards) that
    :func:`kernel.take_number` hands out: gapless, one counter per Jalali fiscal year.

    ``key`` is ``<module>.<thing>`` (``finance.invoice``); ``label`` a message id shown on the
    administration page. A number reads ``<prefix><Jalali year>-<n>`` with ``n`` zero-padded to
    ``default_padding`` digits (``INV-1405-00012``); ``default_prefix`` and ``default_padding`` are
    where a new installation starts — the administrator may change both per series. The prefix
    is ASCII (Latin letters, digits, ``- / _ .``) so the stored number is too.
    """

    key: str
    label: str
    default_prefix: str = ""
    default_padding: int = 5
    sequence: int = 100


@dataclass(frozen=True)
class Command:
    """A command a module adds to ``peyvand`` (KER-15): ``peyvand <module> <verb> [options]``.

    ``name`` is ``<module>.<verb>`` (``finance.backfill-commissions`` is typed ``peyvand finance
    backfill-commissions``); ``help`` one line, in English like the kernel's own commands.
    ``configure(parser)`` adds the command's options to its ``argparse.ArgumentParser``;
    ``run(kernel, args)`` gets the instance's :class:`kernel.kernel.Kernel` (its configuration,
    database and enabled modules) and the parsed ``argparse.Namespace``, and answers the exit code
    (0 for success). A command exists only while its module is enabled. An :class:`InputError`,
    :class:`Conflict` or :class:`ModuleError` it raises is printed as one line, exit code 2.
    """

    name: str
    help: str
    run: Callable[[Any, Any], int]
    configure: Callable[[Any], None] | None = None
    sequence: int = 100
