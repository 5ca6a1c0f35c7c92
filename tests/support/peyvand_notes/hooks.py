from kernel import Field, InputError, Permission, RecordChanged, Resource, hookimpl

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
    )]


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
