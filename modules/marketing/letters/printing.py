"""A letter as a PDF (WeasyPrint through :func:`kernel.documents.render_pdf`): the company's
letterhead (logo, name), the Jalali date, the number, the addressee by base's rules, the subject
and the body with its merge fields filled, Persian digits throughout. A group letter is one PDF
of many such letters, each on its own page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from sqlalchemy.orm import Session

from kernel.documents import render_pdf
from kernel.persian.jalali import format_jalali
from kernel.persian.numbers import format_code
from kernel.persian.textnorm import ltr_isolate, to_persian_digits
from modules.marketing.letters.addressing import Addressed, Recipient, addressed_all
from modules.marketing.letters.merge import fill
from modules.marketing.models import Letter


@dataclass(frozen=True)
class Printed:
    """One letter as the page shows it."""

    number: str
    date: str
    to: Addressed
    subject: str
    paragraphs: list[str]


def merge_values(letter: Letter, to: Addressed, lang: str) -> dict[str, str]:
    code = to.postal.postal_code
    return {"addressee": to.name_line, "position": to.title_line, "name": to.name, "company": to.company,
            "address": to.postal.one_line,
            "postal_code": ltr_isolate(to_persian_digits(code) if lang == "fa" else code),
            "date": format_jalali(letter.date, lang, "long"), "number": format_code(letter.number, lang)}


def printed(letter: Letter, to: Addressed, lang: str) -> Printed:
    values = merge_values(letter, to, lang)
    body = fill(letter.body, values)
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n")]
    return Printed(format_code(letter.number, lang), format_jalali(letter.date, lang), to,
                   fill(letter.subject, values), paragraphs)


def letters_html(kernel: Any, env: Environment, session: Session, letters: list[Letter], lang: str) -> str:
    return env.get_template("marketing/letters/letter_pdf.html").render({
        "lang": lang, "title": kernel.t(lang, "Letter"), "company": kernel.letterhead(session),
        "letters": [printed(letter, to, lang) for letter, to in zip(letters, addressed_all(
            session, [Recipient(x.partner_id, x.contact_id) for x in letters], lang), strict=True)]})


def letters_pdf(kernel: Any, env: Environment, session: Session, letters: list[Letter], lang: str) -> bytes:
    return render_pdf(letters_html(kernel, env, session, letters, lang), kernel.static_dirs())
