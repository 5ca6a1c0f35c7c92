"""A record's title as people read it, and a reference (resource + id) rendered as its title or
a link: one helper for pages, PDFs, e-mails and module code, so no screen shows ``2026-12-03``
or ``#42`` where a Jalali date or a partner's name belongs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from kernel.i18n import DEFAULT_LANG
from kernel.models import User
from kernel.resources import USER_REF

if TYPE_CHECKING:
    from kernel.contracts import KernelView as Kernel
    from kernel.resources import Resource

# Title kinds shown as stored: text is the user's own writing.
_AS_TYPED = ("text", "textarea", "email", "national_id")


def record_title(kernel: Kernel, res: Resource, obj: Any, lang: str = DEFAULT_LANG,
                 session: Session | None = None, _depth: int = 0) -> str:
    """``obj``'s title in ``lang``: a date title in Jalali with Persian digits, a year as ۱۴۰۳,
    a choice by its label, a reference by the referenced record's title; ``#id`` when empty."""
    value = getattr(obj, res.title_field, None)
    if value is None or value == "":
        return f"#{obj.id}"
    f = res.all_fields.get(res.title_field)
    if f is None or f.kind in _AS_TYPED:
        return str(value)
    if f.kind == "ref":
        session = session or object_session(obj)
        if session is None or _depth > 2:  # titled by a reference titled by a reference …
            return f"#{value}"
        return reference_title(kernel, session, f.ref, int(value), lang, _depth + 1)
    return f.display(value, lang, t=kernel.t, tz=kernel.config.timezone)


def reference_title(kernel: Kernel, session: Session, resource: str, record_id: int | None,
                    lang: str = DEFAULT_LANG, _depth: int = 0) -> str:
    """The title of record ``record_id`` of ``resource`` (``"@user"`` for users), ``#id`` when it
    is gone; "" for no id. Soft-deleted records keep their title: history still names them."""
    if record_id is None:
        return ""
    if resource == USER_REF:
        row = session.execute(select(User.full_name, User.username).where(User.id == record_id)).first()
        return (row[0] or row[1]) if row else f"#{record_id}"
    res = kernel.resources.get(resource)
    obj = session.get(res.model, record_id) if res is not None else None
    if res is None or obj is None:
        return f"#{record_id}"
    return record_title(kernel, res, obj, lang, session, _depth)


def reference_link(kernel: Kernel, session: Session, resource: str, record_id: int | None,
                   lang: str = DEFAULT_LANG) -> Markup:
    """The referenced record's title as a link to its page (plain text for users, gone records)."""
    title = reference_title(kernel, session, resource, record_id, lang)
    res = kernel.resources.get(resource)
    if record_id is None or res is None or title == f"#{record_id}":
        return Markup(escape(title))
    return Markup('<a href="{}{}">{}</a>').format(res.url, int(record_id), title)
