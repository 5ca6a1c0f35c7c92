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


def _titles(session, actor, params, kernel, page, **kw):
    """A paged report (Report.page_size): notes in id order, the cursor is the last id shown."""
    stmt = kernel.scoped_select(actor, Note).order_by(Note.id)
    if params.get("kind"):
        stmt = stmt.where(Note.kind == params["kind"])
    if page.after:
        if not page.after.isdigit():
            raise InputError("Enter a whole number")
        stmt = stmt.where(Note.id > int(page.after))
    notes = list(session.scalars(stmt.limit(page.size + 1)))
    more = len(notes) > page.size
    notes = notes[:page.size]
    return ["Title", "Amount"], [[n.title, n.amount or 0] for n in notes], str(notes[-1].id) if more else ""


@hookimpl
def register_reports():
    kinds = ReportParam("kind", "Kind", "choice", lambda **kw: [("plain", "Plain")])
    return [Report("notes.totals", "Notes by kind", _totals, "notes.note.view", params=(kinds,)),
            Report("notes.titles", "Notes one page at a time", _titles, "notes.note.view", params=(kinds,),
                   page_size=2)]


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


@hookimpl
def register_preferences():
    from kernel import Preference

    return [Preference("notes.digest", "Send me a daily digest of notes", default=False)]
