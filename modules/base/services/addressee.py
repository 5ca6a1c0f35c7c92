"""Letters' addressee rules: to whom a letter to a partner is addressed, and how.

A person is addressed by salutation, title and name ("جناب آقای دکتر علی رضایی"); a company
by its liaison (a current position flagged ``is_liaison``) with their position ("مدیر فروش
محترم") and the company's name; a company without a liaison by "مدیریت محترم <company>".
Texts are message ids, so an English letter reads "Mr. Ali Rezaei" / "The management of …".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import NotFound
from kernel.i18n import Catalog, kernel_catalog
from modules.base.choices import TITLES
from modules.base.models import Employment, Partner

_MALE_TITLES = {"mr"}
_FEMALE_TITLES = {"mrs", "ms"}


@dataclass(frozen=True)
class Addressee:
    """The lines a letter, envelope or label starts with. Empty lines are ``""``."""

    name_line: str
    title_line: str
    company_line: str

    @property
    def lines(self) -> list[str]:
        """The non-empty lines, without repeating a company already named in the first."""
        out = [self.name_line, self.title_line]
        if self.company_line and self.company_line not in self.name_line:
            out.append(self.company_line)
        return [line for line in out if line]


@cache
def _catalog() -> Catalog:
    return kernel_catalog().load_dir(Path(__file__).resolve().parents[1] / "i18n")


def t(lang: str, msgid: str, **params: Any) -> str:
    return _catalog().gettext(lang, msgid, **params)


def person_line(person: Partner, lang: str = "fa") -> str:
    """Salutation, title and name: "جناب آقای مهندس علی رضایی", "سرکار خانم مریم احمدی"."""
    name = (person.name or "").strip()
    code = person.title or ""
    gender = person.gender or ("male" if code in _MALE_TITLES else "female" if code in _FEMALE_TITLES else "")
    title = "" if code in _MALE_TITLES | _FEMALE_TITLES else t(lang, dict(TITLES).get(code, "")) if code else ""
    titled = f"{title} {name}".strip() if title else name
    # English puts an academic title in place of Mr./Mrs.; Persian letters use both.
    if lang != "fa" and title:
        return titled
    if gender == "male":
        return t(lang, "Mr. {name}", name=titled)
    if gender == "female":
        return t(lang, "Mrs. {name}", name=titled)
    return titled


def liaison(session: Session, company_id: int) -> tuple[Employment, Partner] | None:
    """The company's liaison: the newest current position flagged as liaison of a live person."""
    row = session.execute(
        select(Employment, Partner).join(Partner, Partner.id == Employment.person_id)
        .where(Employment.company_id == company_id, Employment.is_liaison.is_(True),
               Employment.ended_on.is_(None), Employment.deleted_at.is_(None), Partner.deleted_at.is_(None))
        .order_by(Employment.started_on.desc().nulls_last(), Employment.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row is not None else None


def addressee(session: Session, partner_id: int, lang: str = "fa") -> Addressee:
    """How a letter to ``partner_id`` is addressed (the caller has checked the actor may see it)."""
    partner = session.get(Partner, partner_id)
    if partner is None or partner.deleted_at is not None:
        raise NotFound("base.partner")
    if partner.kind != "company":
        return Addressee(person_line(partner, lang), "", "")
    found = liaison(session, partner.id)
    if found is None:
        return Addressee(t(lang, "The management of {company}", company=partner.name), "", partner.name)
    job, person = found
    position = (job.position or "").strip()
    title_line = t(lang, "The respected {position}", position=position) if position else ""
    return Addressee(person_line(person, lang), title_line, partner.name)
