from sqlalchemy import func, select

from kernel import (
    DateSource,
    Field,
    Filter,
    InputError,
    NumberSeries,
    Permission,
    RecordChanged,
    Report,
    ReportParam,
    Resource,
    hookimpl,
)

from .models import Note


@hookimpl
def register_resources():
    return [Resource(
        name="notes.note", model=Note, label="Note", label_plural="Notes",
        columns=("title", "amount", "due", "kind"), search=("title", "body", "phone"),
        filters=("due", "kind", "amount", "province_id"),
        form=("title", "body", "amount", "due", "phone", "kind", "province_id"),
        fields={"amount": Field(kind="money"), "phone": Field(kind="phone"),
                "kind": Field(choices=(("plain", "Plain"), ("secret", "Secret")))},
        custom_filters=(Filter("priced", "Has an amount", lambda v: Note.amount.is_not(None) if v == "1"
                               else Note.amount.is_(None), choices=lambda **kw: [("1", "Yes"), ("0", "No")]),),
    )]


def _totals(session, actor, params, kernel, **kw):
    stmt = kernel.scoped_select(actor, Note)
    if params.get("kind"):
        stmt = stmt.where(Note.kind == params["kind"])
    sub = stmt.subquery()
    rows = session.execute(select(sub.c.kind, func.count(), func.coalesce(func.sum(sub.c.amount), 0))
                           .group_by(sub.c.kind).order_by(sub.c.kind)).all()
    return ["Kind", "Count", "Total"], [[k, n, int(t)] for k, n, t in rows]


@hookimpl
def register_reports():
    return [Report("notes.totals", "Notes by kind", _totals, "notes.note.view",
                   params=(ReportParam("kind", "Kind", "choice", lambda **kw: [("plain", "Plain")]),))]


@hookimpl
def register_permissions():
    return [Permission("notes.note.secret", "See secret notes")]


@hookimpl
def record_filter(actor, model, action):
    # A module narrowing what a role sees: the kernel applies it in every path.
    if model is Note and not actor.can("notes.note.secret"):
        return Note.kind != "secret"
    return None


@hookimpl
def handle_event(event, session):
    # A module vetoing a change inside the same transaction.
    if isinstance(event, RecordChanged) and event.resource == "notes.note" and event.action != "purge":
        note = session.get(Note, event.record_id)
        if note is not None and note.title == "ممنوع":
            raise InputError("This title is not allowed")


@hookimpl
def register_date_sources():
    # A module's own date, without the tasks module: the kernel's "Due today" block and daily
    # reminder report list the notes that fall due (tests/test_reminders_editions.py).
    return [DateSource("notes.due", "Note due date", "notes.note", "due")]


@hookimpl
def register_number_series():
    # Two series of a module's own, numbered by the kernel (tests/test_numbering.py).
    return [NumberSeries("notes.memo", "Note numbers", default_prefix="N-"),
            NumberSeries("notes.receipt", "Receipts", default_prefix="R/", default_padding=3)]
