"""Partners (BASE-01 … BASE-09, BASE-15): persons and companies in one table, so that search,
duplicates, roles, groups, contacts and every later document point at one kind of row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session

from kernel import Base, BigId, InputError, Record, SortKey
from kernel.persian.jalali import to_jalali
from kernel.persian.phones import canonical_phone


def _month_day(day: dt.date | None) -> int | None:
    if day is None:
        return None
    j = to_jalali(day)
    return j.month * 100 + j.day


class PartnerGroup(Record, Base):
    """A node of the partner group tree (industrial → textile → machine-carpet weaving).

    ``path`` is the chain of ids ("/3/8/21/"), so "this group and everything below it" is one
    prefix match that an index answers.
    """

    __tablename__ = "base_group"
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_group.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), default="", index=True)
    search_key: Mapped[str] = mapped_column(String(400), default="")
    sort_key: Mapped[str] = mapped_column(SortKey, default="")

    def before_save(self) -> None:
        session = object_session(self)
        parent = session.get(PartnerGroup, self.parent_id) if session is not None and self.parent_id else None
        if parent is not None and self.id is not None and (parent.id == self.id or f"/{self.id}/" in (parent.path or "")):
            raise InputError("A group cannot be placed under itself")


def refresh_group_paths(session: Session, group: PartnerGroup) -> None:
    """Set ``path`` of a group and of everything below it (after it was created or moved)."""
    parent = session.get(PartnerGroup, group.parent_id) if group.parent_id else None
    old = group.path
    group.path = f"{parent.path if parent is not None else '/'}{group.id}/"
    if old and old != group.path:
        for child in session.scalars(select(PartnerGroup).where(PartnerGroup.path.startswith(old),
                                                                 PartnerGroup.id != group.id)):
            child.path = group.path + child.path[len(old):]


class RoleKind(Record, Base):
    """A partner role an organisation uses (lead, customer, supplier, …); configurable."""

    __tablename__ = "base_role_kind"
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    sequence: Mapped[int] = mapped_column(Integer, default=100)
    search_key: Mapped[str] = mapped_column(String(400), default="")


class Partner(Record, Base):
    __tablename__ = "base_partner"
    __table_args__ = (
        # A province's live partners in name order: list pages walk it (with (province_id,
        # deleted_at) alone SQLite sorted all of Tehran: 150 ms at 1M). Partial rather than a
        # `deleted_at` column: PostgreSQL does not take `deleted_at IS NULL` as an equality, so
        # (province_id, deleted_at, name, id) never gave it name order (it walked all names).
        # "Name order" is the alphabetical key's order (kernel.persian.collation), so the
        # indexes that serve it hold sort_key, not name.
        Index("ix_base_partner_province_live_sort", "province_id", "sort_key", "id",
              sqlite_where=text("deleted_at IS NULL"), postgresql_where=text("deleted_at IS NULL")),
        # A province's partners in id order (SQLite's rowid order of a province_id index): counts
        # of a rare role merge it with the role's index, index-only on PostgreSQL thanks to the
        # INCLUDE (Tehran suppliers at 1M: hash join 14 ms → merge join 2.5 ms).
        Index("ix_base_partner_province_id", "province_id", "id", postgresql_include=["deleted_at"]),
        Index("ix_base_partner_sort_id", "sort_key", "id"),
        # "All companies by name" (the company picker): 192 → 1 ms at a million partners.
        Index("ix_base_partner_kind_sort", "kind", "sort_key", "id"),
        # Persons per birthday counted from the index alone (the occasions calendar, 1M partners:
        # 2.3 s with the row lookups, 73 ms without).
        Index("ix_base_partner_birthday_md", "birthday_md", "kind", "deleted_at"),
        Index("ix_base_partner_marriage_md", "marriage_md", "kind", "deleted_at"),
    )
    kind: Mapped[str] = mapped_column(String(10))  # person | company
    # What lists sort by and letters use: "first last" of a person, the company's name.
    name: Mapped[str] = mapped_column(String(200))
    # Persons
    title: Mapped[str | None] = mapped_column(String(20))
    first_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(120))
    gender: Mapped[str | None] = mapped_column(String(10))
    birthday: Mapped[dt.date | None]
    marriage_date: Mapped[dt.date | None]
    # Jalali month × 100 + day of the birthday and the wedding: "birthdays this month", every year.
    birthday_md: Mapped[int | None] = mapped_column(Integer)
    marriage_md: Mapped[int | None] = mapped_column(Integer)
    marital_status: Mapped[str | None] = mapped_column(String(10))
    religion: Mapped[str | None] = mapped_column(String(20))
    job: Mapped[str | None] = mapped_column(String(120))
    national_id: Mapped[str | None] = mapped_column(String(10), index=True)
    # Companies
    company_type: Mapped[str | None] = mapped_column(String(20))
    industry: Mapped[str | None] = mapped_column(String(20))
    economic_code: Mapped[str | None] = mapped_column(String(20), index=True)
    registration_no: Mapped[str | None] = mapped_column(String(30))
    website: Mapped[str | None] = mapped_column(String(200))
    # Both
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    fax: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(120))
    grade: Mapped[str | None] = mapped_column(String(2))
    card_number: Mapped[str | None] = mapped_column(String(30), index=True)
    sms_group: Mapped[str | None] = mapped_column(String(80))
    interests: Mapped[str | None] = mapped_column(Text)
    psychology: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    country_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_country.id"))
    province_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_province.id"))
    city_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_city.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_region.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_group.id"), index=True)
    # Suppliers (BASE-15)
    supplier_importance: Mapped[str | None] = mapped_column(String(12))
    supplier_score: Mapped[int | None] = mapped_column(Integer)
    # The attachment shown as the person's photo (BASE-01): one of its own image attachments,
    # checked by modules.base.services.photo; SET NULL so purging the file leaves the partner.
    photo_attachment_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("kernel_attachment.id", ondelete="SET NULL"))
    # Every extra number and address of the partner, folded into search (kept by services).
    contact_numbers: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(String(2000), default="")
    # The name's alphabetical key (kernel.persian.collation): what "sorted by name" orders by.
    sort_key: Mapped[str] = mapped_column(SortKey, default="")
    # before_save reads and sets this row's own values only (no session, no other row): the
    # bulk API may run it on the values of a new row and write them without an ORM object.
    __before_save_row_only__ = True

    def before_save(self) -> None:
        self.birthday_md = _month_day(self.birthday)
        self.marriage_md = _month_day(self.marriage_date)
        if self.kind == "person":
            full = " ".join(p.strip() for p in (self.first_name, self.last_name) if p and p.strip())
            self.name = full or (self.name or "").strip()
        if not (self.name or "").strip():
            raise InputError("Enter a name" if self.kind == "company" else "Enter a first or last name")
        if self.kind not in ("person", "company"):
            raise InputError("Choose person or company")


class PartnerRole(Base):
    """Several roles per partner at once (BASE-05)."""

    __tablename__ = "base_partner_role"
    __table_args__ = (Index("ix_base_partner_role_role", "role", "partner_id"),)
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id", ondelete="CASCADE"),
                                            primary_key=True)
    role: Mapped[str] = mapped_column(String(30), primary_key=True)


class Contact(Record, Base):
    """One more phone, mobile, fax or e-mail of a partner: one number per row (BASE-09)."""

    __tablename__ = "base_contact"
    __scope_follows__ = ("partner_id",)  # as visible as its partner (kernel.scope_follows)
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # mobile | phone | fax | email
    value: Mapped[str] = mapped_column(String(200), index=True)
    label: Mapped[str | None] = mapped_column(String(80))

    def before_save(self) -> None:
        session = object_session(self)
        partner = session.get(Partner, self.partner_id) if session is not None else None
        if self.kind in ("mobile", "phone", "fax"):
            # A local number gets the area code of the partner's province (a Shiraz shop: 071).
            area = "21"
            if partner is not None and partner.province_id and session is not None:
                from modules.base.models.geography import Province

                province = session.get(Province, partner.province_id)
                area = (province.area_code or "21") if province else "21"
            self.value = canonical_phone(self.value, area.lstrip("0"))
        elif self.kind == "email":
            self.value = self.value.strip().lower()
            if "@" not in self.value:
                raise InputError("Not a valid e-mail address")
        if partner is not None and session is not None:
            refresh_contact_numbers(session, partner, also=self)


class Address(Record, Base):
    """An address with its purpose (head office, factory, warehouse), for letters and labels."""

    __tablename__ = "base_address"
    __scope_follows__ = ("partner_id",)
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20), default="main")
    province_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_province.id"))
    city_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_city.id"))
    region_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_region.id"))
    street: Mapped[str] = mapped_column(Text)
    postal_code: Mapped[str | None] = mapped_column(String(10))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class Employment(Record, Base):
    """A person's position at a company, with its dates: the career line (BASE-03, BASE-04).

    A promotion ends the row and starts a new one, so communications that point at the old row
    keep the position the person had then.
    """

    __tablename__ = "base_employment"
    # A position belongs to the company (the person may be seen without it).
    __scope_follows__ = ("company_id",)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    company_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(120))
    is_liaison: Mapped[bool] = mapped_column(Boolean, default=False)
    started_on: Mapped[dt.date | None]
    ended_on: Mapped[dt.date | None] = mapped_column(index=True)


def refresh_contact_numbers(session: Session, partner: Partner, also: Contact | None = None) -> None:
    """Fold the partner's extra numbers and e-mails into its searchable ``contact_numbers``."""
    rows = list(session.scalars(select(Contact).where(Contact.partner_id == partner.id,
                                                      Contact.deleted_at.is_(None))))
    if also is not None:
        rows = [r for r in rows if r.id != also.id] + ([also] if also.deleted_at is None else [])
    parts: list[str] = []
    for row in rows:
        parts.append(row.value)
        if row.value.startswith("+98"):
            parts.append("0" + row.value[3:])  # as people type it
    text = " ".join(parts)
    if partner.contact_numbers != text:
        partner.contact_numbers = text
