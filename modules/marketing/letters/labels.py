"""Postal labels (FAQ 1, 22) on the common A4 label sheets: each label the city and province
first, then the street, then the name with its title, the position and company, and the postal
code kept left to right. Labels are placed absolutely in millimetres, as the sheet's die-cut
grid is: the first label at the top right (a Persian sheet is read from the right)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from sqlalchemy.orm import Session

from kernel import InputError
from kernel.documents import render_pdf
from kernel.persian.textnorm import ltr_isolate, to_persian_digits
from modules.marketing.letters.addressing import Addressed, Recipient, addressed_all


@dataclass(frozen=True)
class Layout:
    """A sheet: ``cols`` × ``rows`` labels of ``width`` × ``height`` mm, the first ``top`` mm from
    the top and ``side`` mm from the right edge, ``gap`` mm between columns."""

    key: str
    label: str  # an English msgid
    cols: int
    rows: int
    width: float
    height: float
    top: float
    side: float
    gap: float = 0.0

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def sheets(self, count: int) -> int:
        return math.ceil(count / self.per_sheet) if count else 0

    def place(self, index: int) -> dict[str, str]:
        """Where the ``index``-th label of a sheet sits (CSS lengths)."""
        row, col = divmod(index, self.cols)
        return {"top": f"{self.top + row * self.height:.2f}mm",
                "right": f"{self.side + col * (self.width + self.gap):.2f}mm",
                "width": f"{self.width:.2f}mm", "height": f"{self.height:.2f}mm"}


LAYOUTS = (
    Layout("3x7", "21 labels, 3 × 7, 70 × 42.3 mm", 3, 7, 70, 42.3, 0.45, 0),
    Layout("2x7", "14 labels, 2 × 7, 99.1 × 38.1 mm", 2, 7, 99.1, 38.1, 15.15, 4.65, 2.5),
    Layout("3x8", "24 labels, 3 × 8, 70 × 37 mm", 3, 8, 70, 37, 0.5, 0),
)
_BY_KEY = {layout.key: layout for layout in LAYOUTS}


def layout(key: str | None) -> Layout:
    found = _BY_KEY.get(key or LAYOUTS[0].key)
    if found is None:
        raise InputError("Choose one of the listed values")
    return found


@dataclass(frozen=True)
class Label:
    place: str  # "کاشان، اصفهان"
    street: str
    name_line: str
    company_line: str  # "مدیرعامل — شرکت …" or the company alone
    postal_code: str  # isolated left to right, in the reader's digits


def label_of(to: Addressed, lang: str) -> Label:
    position = to.title_line
    company = " — ".join(p for p in (position, to.company) if p and p not in to.name_line)
    code = to.postal.postal_code
    shown = ltr_isolate(to_persian_digits(code) if lang == "fa" else code) if code else ""
    return Label(to.postal.place, to.postal.street, to.name_line, company, shown)


def sheets_html(kernel: Any, env: Environment, session: Session, recipients: list[Recipient], chosen: Layout,
                lang: str) -> str:
    labels = [label_of(to, lang) for to in addressed_all(session, recipients, lang)]
    pages = [labels[i:i + chosen.per_sheet] for i in range(0, len(labels), chosen.per_sheet)]
    return env.get_template("marketing/letters/labels_pdf.html").render({
        "lang": lang, "title": kernel.t(lang, "Postal labels"), "layout": chosen,
        "pages": [[(chosen.place(i), label) for i, label in enumerate(page)] for page in pages]})


def labels_pdf(kernel: Any, env: Environment, session: Session, recipients: list[Recipient], chosen: Layout,
               lang: str) -> bytes:
    return render_pdf(sheets_html(kernel, env, session, recipients, chosen, lang), kernel.static_dirs())
