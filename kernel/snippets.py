"""Saved snippets (KER-14): texts typed once, saved and picked again in any long text field.

A snippet is its author's own, or shared with everyone; sharing needs ``kernel.snippet.share``
(one person's favourite phrasing should not appear in every colleague's list unasked).
Snippets are ordinary records: history, owner and soft delete come from :class:`kernel.Record`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Index, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kernel.actor import Actor
from kernel.db import Base, Record, utcnow
from kernel.errors import InputError, NotFound, PermissionDenied
from kernel.persian.textnorm import clean_input

SHARE_PERMISSION = "kernel.snippet.share"
MAX_BODY = 4000
MAX_TITLE = 120
LIST_LIMIT = 200


class Snippet(Record, Base):
    """One saved text; ``shared`` ones are offered to every user."""

    __tablename__ = "kernel_snippet"
    __table_args__ = (Index("ix_kernel_snippet_owner", "owner_id", "shared"),)
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    body: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)


def visible(session: Session, actor: Actor, query: str = "") -> list[Snippet]:
    """The actor's own snippets and the shared ones, by title; ``query`` narrows by title or text."""
    stmt = select(Snippet).where(Snippet.deleted_at.is_(None),
                                 or_(Snippet.owner_id == actor.user_id, Snippet.shared.is_(True)))
    text = clean_input(query)
    if text:
        like = f"%{text}%"
        stmt = stmt.where(or_(Snippet.title.ilike(like), Snippet.body.ilike(like)))
    return list(session.scalars(stmt.order_by(Snippet.title, Snippet.id).limit(LIST_LIMIT)))


def add(session: Session, actor: Actor, title: str, body: str, shared: bool) -> Snippet:
    """Save a snippet; ``InputError`` (nothing saved) for an empty or too long one, and
    ``PermissionDenied`` for a shared one without the permission."""
    if shared and not actor.can(SHARE_PERMISSION):
        raise PermissionDenied("You may not share snippets with everyone")
    # Line breaks are kept: a snippet is often a paragraph or a short list.
    body = "\n".join(clean_input(line) for line in (body or "").replace("\r\n", "\n").split("\n")).strip()
    if not body:
        raise InputError("A snippet cannot be empty")
    if len(body) > MAX_BODY:
        raise InputError("A snippet is at most {n} characters", n=MAX_BODY)
    title = clean_input(title or "")
    if len(title) > MAX_TITLE:
        raise InputError("A snippet's title is at most {n} characters", n=MAX_TITLE)
    if not title:
        first = body.split("\n", 1)[0]
        title = first if len(first) <= 60 else first[:59] + "…"
    snippet = Snippet(title=title, body=body, shared=shared)
    session.add(snippet)
    session.flush()
    return snippet


def remove(session: Session, actor: Actor, snippet_id: int) -> None:
    """Move a snippet to the recycle bin: one's own, or a shared one with the share permission."""
    snippet = session.get(Snippet, snippet_id)
    if snippet is None or snippet.deleted_at is not None:
        raise NotFound()
    mine = snippet.owner_id == actor.user_id
    if not mine and not (snippet.shared and actor.can(SHARE_PERMISSION)):
        raise NotFound()  # someone else's private snippet does not exist for this actor
    snippet.deleted_at = utcnow()


def as_json(snippet: Snippet, actor: Actor) -> dict[str, Any]:
    return {"id": snippet.id, "title": snippet.title, "body": snippet.body, "shared": snippet.shared,
            "mine": snippet.owner_id == actor.user_id}

