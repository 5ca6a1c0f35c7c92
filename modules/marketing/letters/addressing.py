"""To whom a letter or a label goes, by base's addressee rules (``modules.base.services.addressee``):
a person by salutation, title and name; a company by its liaison and their position; and, for
the personnel of a company chosen by position (every managing director, FAQ 24), that person
with their position at that company. The postal address puts city and province first (FAQ 22).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from kernel import NotFound
from modules.base.models import Address, City, Employment, Partner, Province
from modules.base.services.addressee import addressee, person_line, t


@dataclass(frozen=True)
class Recipient:
    """One letter's or label's addressee: ``partner_id`` the partner the letter is filed under
    (the company, or the person), ``contact_id`` the person at that company, if one is named."""

    partner_id: int
    contact_id: int | None = None

    @property
    def key(self) -> str:
        """How a page names it in a check box: ``p:<partner>`` or ``c:<company>:<person>``."""
        return f"p:{self.partner_id}" if self.contact_id is None else f"c:{self.partner_id}:{self.contact_id}"

    @classmethod
    def from_key(cls, key: str) -> Recipient | None:
        parts = key.split(":")
        if parts[0] == "p" and len(parts) == 2 and parts[1].isdigit():
            return cls(int(parts[1]))
        if parts[0] == "c" and len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            return cls(int(parts[1]), int(parts[2]))
        return None


@dataclass(frozen=True)
class Postal:
    """An address as a label prints it: the place line (city، province) first, then the street."""

    place: str
    street: str
    postal_code: str

    @property
    def one_line(self) -> str:
        return "، ".join(p for p in (self.place, self.street) if p)


@dataclass(frozen=True)
class Addressed:
    """Everything a letter or label says about its addressee."""

    name_line: str  # "جناب آقای دکتر علی رضایی"
    title_line: str  # "مدیرعامل محترم"
    company: str
    name: str  # the name alone
    postal: Postal


def _current_position(session: Session, person_id: int, company_id: int) -> str:
    job = session.scalars(select(Employment.position).where(
        Employment.person_id == person_id, Employment.company_id == company_id, Employment.deleted_at.is_(None),
        Employment.ended_on.is_(None)).order_by(Employment.id.desc())).first()
    return (job or "").strip()


def postal_of(session: Session, partner_ids: list[int]) -> Postal:
    """The first of the partners that has an address gives it (the person's own, else the
    company's): the default one, then a postal one, then the oldest. Without an address row the
    partner's own city and province still make the place line."""
    for pid in partner_ids:
        row = session.execute(
            select(Address.street, Address.postal_code, City.name, Province.name)
            .outerjoin(City, City.id == Address.city_id).outerjoin(Province, Province.id == Address.province_id)
            .where(Address.partner_id == pid, Address.deleted_at.is_(None))
            .order_by(Address.is_default.desc(), case((Address.purpose == "postal", 0), else_=1), Address.id)
            .limit(1)).first()
        if row is not None:
            street, code, city, province = row
            return Postal(_place(city, province), (street or "").strip(" .-"), (code or "").strip())
    for pid in partner_ids:
        found = session.execute(select(City.name, Province.name).select_from(Partner)
                                .outerjoin(City, City.id == Partner.city_id)
                                .outerjoin(Province, Province.id == Partner.province_id)
                                .where(Partner.id == pid)).first()
        if found is not None and (found[0] or found[1]):
            return Postal(_place(found[0], found[1]), "", "")
    return Postal("", "", "")


def _place(city: str | None, province: str | None) -> str:
    # "شیراز، فارس" — a city named as its province ("تهران، تهران") is said once.
    parts = [p for p in (city, province) if p]
    return "، ".join(dict.fromkeys(parts))


def addressed(session: Session, recipient: Recipient, lang: str = "fa") -> Addressed:
    """How ``recipient`` is addressed (the caller has checked the actor may see it)."""
    partner = session.get(Partner, recipient.partner_id)
    if partner is None or partner.deleted_at is not None:
        raise NotFound("base.partner")
    if recipient.contact_id is None:
        lines = addressee(session, partner.id, lang)
        postal = postal_of(session, [partner.id])
        name = partner.name if partner.kind == "person" else lines.name_line
        return Addressed(lines.name_line, lines.title_line, lines.company_line, name, postal)
    person = session.get(Partner, recipient.contact_id)
    if person is None or person.deleted_at is not None:
        raise NotFound("base.partner")
    position = _current_position(session, person.id, partner.id)
    title_line = t(lang, "The respected {position}", position=position) if position else ""
    return Addressed(person_line(person, lang), title_line, partner.name, person.name,
                     postal_of(session, [person.id, partner.id]))
