"""Every hook a module may implement. This file is the plugin author's reference.

Hooks take keyword arguments; an implementation may accept any subset of them.
``register_*`` hooks return lists of frozen dataclasses that the kernel validates (naming the
module at fault) and sorts by ``sequence``: the order in which modules are called carries no
meaning. Implement hooks in ``<module>/hooks.py`` with ``@hookimpl``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from jinja2 import Environment
    from sqlalchemy.orm import Session
    from starlette.requests import Request

    from kernel.actor import Actor

    # The running kernel.Kernel, named through a Protocol: the Kernel reads this file, so
    # this file cannot import it back (the kernel reads bottom-up).
    from kernel.contracts import KernelView as Kernel
    from kernel.events import Event

hookspec = pluggy.HookspecMarker("peyvand")


@hookspec
def register_resources(kernel: Kernel) -> list[Any]:
    """Declare the module's :class:`kernel.Resource` objects.

    Each resource becomes a list, detail, form, history, attachments, exports and a JSON API,
    guarded by the permissions ``<resource>.<action>`` that the kernel derives from it.
    """


@hookspec
def register_routes(kernel: Kernel) -> list[Any]:
    """Pages that are more than a resource, as :class:`kernel.Route` objects.

    Routes are mounted under ``/<module>/`` and named ``<module>:<name>``. Every route must
    declare its permission (``permission="finance.invoice.approve"``, ``AUTHENTICATED`` or
    ``PUBLIC``); start-up fails on one that does not.
    """


@hookspec
def register_permissions(kernel: Kernel) -> list[Any]:
    """Extra coarse permissions (:class:`kernel.Permission`), e.g. ``finance.invoice.approve``.

    Resources get ``view/create/edit/delete/export/print`` without declaring them here.
    """


@hookspec
def register_menu_items(kernel: Kernel) -> list[Any]:
    """Menu entries (:class:`kernel.MenuItem`); the kernel builds the tree and hides entries
    whose permission the user lacks."""


@hookspec
def register_reports(kernel: Kernel) -> list[Any]:
    """Reports (:class:`kernel.Report`): a query function plus an HTML template, rendered as a
    page, a PDF and an xlsx file, guarded by the report's permission."""


@hookspec
def register_jobs(kernel: Kernel) -> list[Any]:
    """Scheduled and outbox jobs (:class:`kernel.Job`). A job runs once per due time even with
    several workers; a failed run is retried and logged."""


@hookspec
def register_dashboard_blocks(kernel: Kernel) -> list[Any]:
    """Dashboard blocks (:class:`kernel.Block`) that users add, remove and order."""


@hookspec
def register_date_sources(kernel: Kernel) -> list[Any]:
    """Dates that fall due (:class:`kernel.DateSource`): a follow-up date, a contract's end, a
    due instalment. The kernel shows a user's due ones in the "Due today" dashboard block (and the
    tasks module in the work queue) and every one of a chosen day in the daily reminder report,
    so a module declares its dates once, without depending on tasks."""


@hookspec
def register_panels(kernel: Kernel) -> list[Any]:
    """Panels (:class:`kernel.Panel`) on another module's page, shown in ``sequence`` order to
    users holding the panel's permission. The partner's 360° profile (``page="base.partner.profile"``)
    is built this way: tasks adds the partner's open tasks, finance its invoices and balance."""


@hookspec
def register_search(kernel: Kernel) -> list[Any]:
    """Global search sources (:class:`kernel.SearchProvider`) for the top-bar search box.
    Providers must apply the actor's record filters (``kernel.scoped_select`` does)."""


@hookspec
def register_record_actions(kernel: Kernel) -> list[Any]:
    """Entries of the context menu on records (:class:`kernel.RecordAction`): "new invoice" on a
    partner, "new task" on anything with a partner link. Shown on list rows (the "⋮" button,
    right-click, the menu key or Shift+F10) and on the record page, without the ones whose
    permission the user lacks."""


@hookspec
def register_shortcuts(kernel: Kernel) -> list[Any]:
    """Keyboard shortcuts (:class:`kernel.Shortcut`) listed in the keyboard map that "?" opens.
    Declaring one only lists it: the module's script handles the key (``e.code`` names the
    physical key, so it works with the Persian layout too)."""


@hookspec
def register_preferences(kernel: Kernel) -> list[Any]:
    """On/off choices each user makes for themselves (:class:`kernel.Preference`), shown on
    ``/preferences`` under the kernel's own: ``Preference("telephony.popups", "Show incoming
    call pop-ups", default=True)``. The module reads the user's answer with
    ``kernel.user_preference(session, user_id, key)`` (the default until the user saves)."""


@hookspec
def register_number_series(kernel: Kernel) -> list[Any]:
    """Series of document numbers (:class:`kernel.NumberSeries`) the module hands out with
    :func:`kernel.take_number`: ``NumberSeries(key="finance.invoice", label="Invoices",
    default_prefix="INV-")``. Each series is gapless per Jalali fiscal year and safe with many
    writers; its prefix and padding are the administrator's to change (``/admin/numbering``).
    The key starts with the module's name; a bad key, prefix or padding stops start-up."""


@hookspec
def template_slot(slot: str, context: dict[str, Any], request: Request) -> Any:
    """Extend another module's page: return markup (``markupsafe.Markup``) for ``slot`` or
    ``None``. A page calls ``{{ slot("base.partner.profile", record=...) }}``; all non-None
    answers are shown in module load order.

    Slots of the kernel: ``kernel.head`` (in every page's <head>: a module's own
    <script src="/static/<module>/…" defer> and stylesheets), ``kernel.body_end``,
    ``kernel.content_start`` (the top of the main content, in the flow: the alarm tray),
    ``<resource>.detail`` under every record page (``record``, ``resource`` in the context), and
    ``kernel.daily_report.row`` on each row of the daily reminder report (``row``, ``rows``,
    ``source``, ``back``: the tasks module adds the partner's number and "Log a call")."""


@hookspec
def record_filter(actor: Actor, model: type, action: str) -> Any:
    """Narrow what ``actor`` may see or do on ``model`` for ``action`` (``view``, ``edit``, …).

    Return a SQLAlchemy boolean expression on ``model`` or ``None``. The kernel ANDs every
    answer, so a module can only narrow, never widen; the same conditions apply in lists,
    counts, search, exports, PDFs and the API. The answer must depend on the arguments only
    (put "now" or a setting into the SQL, not into Python): the kernel keeps it per actor,
    model and action.
    """


@hookspec
def handle_event(event: Event, session: Session, kernel: Kernel) -> None:
    """React to another module's event inside the same transaction. Raise
    :class:`kernel.InputError` or :class:`kernel.Conflict` to veto the action.

    The kernel emits ``RecordChanged`` on every write and ``RecordDeleted``, ``RecordRestored``,
    ``RecordPurged`` beside it; on a delete, listeners run *before* the dependants check, so a
    veto explains the refusal and a listener may soft-delete its own dependent rows."""


@hookspec
def register_events(kernel: Kernel) -> list[Any]:
    """The :class:`kernel.Event` subclasses this module emits (declared in ``<module>/events.py``),
    so the kernel can list every event by name (``<module>.<ClassName>``) and the plugin
    reference can be checked against them. Emitting does not depend on it; listing does."""


@hookspec
def register_role_templates(kernel: Kernel) -> list[Any]:
    """Role templates (:class:`kernel.RoleTemplate`) an administrator may start a role from: a
    name, a label, the permissions and the record scope of a typical job (a receptionist, a
    sales clerk). Permissions that no enabled module declares are left out when applied."""


@hookspec
def register_commands(kernel: Kernel) -> list[Any]:
    """Commands of the ``peyvand`` command line (:class:`kernel.Command`): ``peyvand <module>
    <verb>``, each with its options (``configure(parser)``, argparse) and its work (``run(kernel,
    args)`` → exit code). Read only when the first word of the command line is not one of the
    kernel's own commands, from the enabled modules only: a disabled module's commands do not
    exist. Keep ``run`` a thin call of a service, as a route is."""


@hookspec
def prepare_jinja2_environment(env: Environment, kernel: Kernel) -> None:
    """Add Jinja filters and globals for the module's templates."""
