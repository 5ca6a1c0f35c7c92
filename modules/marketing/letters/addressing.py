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
from kernel.db import in_ids
from modules.base.models import Address, City, Employment, Partner, Province
from modules.base.services.addressee import person_line, t


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


_NOWHERE = Postal("", "", "")


@dataclass(frozen=True)
class Addressed:
    """Everything a letter or label says about its addressee."""

    name_line: str  # "جناب آقای دکتر علی رضایی"
    title_line: str  # "مدیرعامل محترم"
    company: str
    name: str  # the name alone
    postal: Postal


def _place(city: str | None, province: str | None) -> str:
    # "شیراز، فارس" — a city named as its province ("تهران، تهران") is said once.
    parts = [p for p in (city, province) if p]
    return "، ".join(dict.fromkeys(parts))


def _postals(session: Session, partner_ids: set[int]) -> dict[int, Postal]:
    """Each partner's postal address: its default address, then a postal one, then the oldest;
    without an address row its own city and province make the place line."""
    out: dict[int, Postal] = {}
    if not partner_ids:
        return out
    rows = session.execute(
        select(Address.partner_id, Address.street, Address.postal_code, City.name, Province.name)
        .outerjoin(City, City.id == Address.city_id).outerjoin(Province, Province.id == Address.province_id)
        .where(in_ids(Address.partner_id, partner_ids), Address.deleted_at.is_(None))
        .order_by(Address.partner_id, Address.is_default.desc(), case((Address.purpose == "postal", 0), else_=1),
                  Address.id))
    for pid, street, code, city, province in rows:
        out.setdefault(pid, Postal(_place(city, province), (street or "").strip(" .-"), (code or "").strip()))
    missing = partner_ids - out.keys()
    if missing:
        for pid, city, province in session.execute(
                select(Partner.id, City.name, Province.name).select_from(Partner)
                .outerjoin(City, City.id == Partner.city_id).outerjoin(Province, Province.id == Partner.province_id)
                .where(in_ids(Partner.id, missing))):
            if city or province:
                out[pid] = Postal(_place(city, province), "", "")
    return out


def _liaisons(session: Session, company_ids: set[int]) -> dict[int, tuple[Employment, Partner]]:
    """Each company's liaison (base's rule, :func:`modules.base.services.addressee.liaison`): the
    newest current position flagged as liaison of a live person."""
    out: dict[int, tuple[Employment, Partner]] = {}
    if not company_ids:
        return out
    rows = session.execute(
        select(Employment, Partner).join(Partner, Partner.id == Employment.person_id)
        .where(in_ids(Employment.company_id, company_ids), Employment.is_liaison.is_(True),
               Employment.ended_on.is_(None), Employment.deleted_at.is_(None), Partner.deleted_at.is_(None))
        .order_by(Employment.company_id, Employment.started_on.desc().nulls_last(), Employment.id.desc()))
    for job, person in rows:
        out.setdefault(job.company_id, (job, person))
    return out


def _positions(session: Session, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The current position of each (person, company): the newest one."""
    if not pairs:
        return {}
    rows = session.execute(
        select(Employment.person_id, Employment.company_id, Employment.position)
        .where(in_ids(Employment.person_id, {p for p, _ in pairs}), in_ids(Employment.company_id, {c for _, c in pairs}),
               Employment.deleted_at.is_(None), Employment.ended_on.is_(None))
        .order_by(Employment.id.desc()))
    out: dict[tuple[int, int], str] = {}
    for person, company, position in rows:
        out.setdefault((person, company), (position or "").strip())
    return out


def addressed_all(session: Session, recipients: list[Recipient], lang: str = "fa") -> list[Addressed]:
    """How each of ``recipients`` is addressed, in their order, with a handful of queries whatever
    their number (a New-Year letter goes to thousands). The caller has checked the actor may see
    them; a partner gone meanwhile raises ``NotFound``."""
    ids = {r.partner_id for r in recipients} | {r.contact_id for r in recipients if r.contact_id is not None}
    partners = {p.id: p for p in session.scalars(select(Partner).where(in_ids(Partner.id, ids),
                                                                       Partner.deleted_at.is_(None)))} if ids else {}
    if ids - partners.keys():
        raise NotFound("base.partner")
    companies = {r.partner_id for r in recipients if r.contact_id is None and partners[r.partner_id].kind == "company"}
    liaisons = _liaisons(session, companies)
    pairs = {(r.contact_id, r.partner_id) for r in recipients if r.contact_id is not None}
    positions = _positions(session, pairs | {(job.person_id, job.company_id) for job, _ in liaisons.values()})
    postals = _postals(session, ids | {person.id for _, person in liaisons.values()})
    out = []
    for r in recipients:
        partner = partners[r.partner_id]
        person = partners[r.contact_id] if r.contact_id is not None else None
        if person is None and partner.kind == "company" and partner.id in liaisons:
            person = liaisons[partner.id][1]
        if person is None:
            if partner.kind == "company":
                line = t(lang, "The management of {company}", company=partner.name)
                out.append(Addressed(line, "", partner.name, line, postals.get(partner.id, _NOWHERE)))
            else:
                out.append(Addressed(person_line(partner, lang), "", "", partner.name,
                                     postals.get(partner.id, _NOWHERE)))
            continue
        position = positions.get((person.id, partner.id), "")
        title_line = t(lang, "The respected {position}", position=position) if position else ""
        # A letter to a company goes to the company; a label for its personnel to them (FAQ 1).
        postal = (postals.get(partner.id) if r.contact_id is None else None) or postals.get(person.id) \
            or postals.get(partner.id, _NOWHERE)
        out.append(Addressed(person_line(person, lang), title_line, partner.name, person.name, postal))
    return out


def addressed(session: Session, recipient: Recipient, lang: str = "fa") -> Addressed:
    """How one ``recipient`` is addressed (:func:`addressed_all`)."""
    return addressed_all(session, [recipient], lang)[0]
