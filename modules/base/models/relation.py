"""Relations between partners (BASE-16): spouse, parent ↔ child, sibling, companion, guardian,
referred by; and the personal preferences that service remembers (FAQ 78, 79).

One row per relation, read from both sides: ``(partner_id=A, other_id=B, kind="parent")``
says "B is A's parent", so A's profile shows the kind's label and B's its reverse label.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, object_session

from kernel import Base, BigId, Record


class RelationKind(Record, Base):
    """A kind of relation an organisation uses, with its reverse label; configurable.

    Until one is configured the built-in kinds apply (``modules.base.choices.DEFAULT_RELATIONS``).
    """

    __tablename__ = "base_relation_kind"
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    reverse_name: Mapped[str] = mapped_column(String(80))
    # Spouse, parent, sibling, guardian are between persons; "referred by" may be a company.
    persons_only: Mapped[bool] = mapped_column(Boolean, default=True)
    sequence: Mapped[int] = mapped_column(Integer, default=100)
    search_key: Mapped[str] = mapped_column(String(400), default="")


class Relation(Record, Base):
    __tablename__ = "base_relation"
    # As visible as the partner whose profile it is on (the other side shows "—" when hidden).
    __scope_follows__ = ("partner_id",)
    __table_args__ = (
        # Both sides of a profile read one index each.
        Index("ix_base_relation_partner", "partner_id", "kind"),
        Index("ix_base_relation_other", "other_id", "kind"),
    )
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    kind: Mapped[str] = mapped_column(String(30))
    other_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    notes: Mapped[str | None] = mapped_column(String(300))

    def before_save(self) -> None:
        session = object_session(self)
        if session is not None and self.deleted_at is None:
            from modules.base.services.relations import check_relation

            with session.no_autoflush:
                check_relation(session, self)


class Preference(Record, Base):
    """Something to remember about a person: a like, a dislike, an illness or allergy, a note
    about who comes with them."""

    __tablename__ = "base_preference"
    __scope_follows__ = ("partner_id",)
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # like | dislike | illness | allergy | companion | other
    text: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
