"""Warranty cards as a PDF (CRP-02): eight cards on an A4 sheet (cut along the lines), each with
the maker's name, the design and its code, size, colour, serial number, the card's code to send
by SMS and a QR code (``segno``) holding an SMS to the panel's line with that code (or the code
alone while no line is set). Persian, right to left, Vazirmatn, through WeasyPrint
as every PDF of Peyvand; callable without HTTP (the bench renders 10,000 cards with it)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import unescape
from typing import Any

import segno
from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.documents import render_pdf
from kernel.persian.phones import format_phone
from modules.carpet.codes import shown
from modules.carpet.models import CarpetDesign, WarrantyCard
from modules.finance.models import Attribute, AttributeValue, Product

PER_SHEET = 8


@dataclass(frozen=True)
class CardView:
    code: str
    shown: str
    design: str
    design_code: str
    size: str
    colour: str
    serial: str
    qr: str  # what the QR code holds; the template writes it as src="qr:…", drawn where the PDF is rendered


def qr_data(code: str, line: str) -> str:
    """What the QR code holds: ``SMSTO:<line>:<code>`` opens the phone's SMS app ready to send."""
    return f"SMSTO:{line}:{code}" if line else code


def qr_url(text: str) -> str:
    """A PNG of one pixel a module (drawn sharp, ``image-rendering: pixelated``): WeasyPrint places
    a small PNG faster than an SVG. The mask is fixed: choosing the best of eight costs 8 ms a
    code (80 s for 10,000) and any mask reads the same."""
    return str(segno.make_qr(text, error="m", mask=0, boost_error=False).png_data_uri(scale=1, border=2))


def _variant_values(session: Session, product_ids: set[int]) -> dict[int, dict[str, str]]:
    """Each variant's value per attribute kind (size, colour, design …), from its ``variant_key``."""
    keys = {int(p): [int(i) for i in (k or "").split(".") if i.isdigit()] for p, k in session.execute(
        select(Product.id, Product.variant_key).where(Product.id.in_(product_ids)))}
    ids = {i for v in keys.values() for i in v}
    values = {int(i): (kind, name) for i, kind, name in session.execute(
        select(AttributeValue.id, Attribute.kind, AttributeValue.name)
        .join(Attribute, Attribute.id == AttributeValue.attribute_id).where(AttributeValue.id.in_(ids)))} if ids else {}
    return {p: {values[i][0]: values[i][1] for i in v if i in values} for p, v in keys.items()}


def card_views(session: Session, cards: Sequence[WarrantyCard], line: str) -> list[CardView]:
    designs = {d.id: d for d in session.scalars(select(CarpetDesign).where(
        CarpetDesign.id.in_({c.design_id for c in cards if c.design_id})))}
    variants = _variant_values(session, {c.product_id for c in cards if c.product_id})
    out = []
    for c in cards:
        design = designs.get(c.design_id) if c.design_id else None
        values = variants.get(c.product_id or 0, {})
        out.append(CardView(c.code, shown(c.code), design.name if design else "", design.code if design else "",
                            values.get("size", ""), values.get("colour", ""), c.serial or "",
                            qr_data(shown(c.code), line)))
    return out


def sheets(views: Iterable[CardView]) -> list[list[CardView]]:
    views = list(views)
    return [views[i:i + PER_SHEET] for i in range(0, len(views), PER_SHEET)]


def render_html(env: Environment, views: Sequence[CardView], *, lang: str, company: dict[str, str],
                line: str, title: str) -> str:
    return env.get_template("carpet/cards.html").render(
        lang=lang, sheets=sheets(views), company=company, line=line, line_shown=format_phone(line, lang) if
        line.startswith("+") else line, title=title)


_QR_SRC = re.compile(r'src="qr:([^"]*)"')


def with_qr_codes(html: str) -> str:
    """Each ``src="qr:<text>"`` of the cards' HTML as the PNG of that text's QR code: drawn by the
    process that renders the PDF, so a long run's 10,000 codes are made by its workers too."""
    return _QR_SRC.sub(lambda m: f'src="{qr_url(unescape(m.group(1)))}"', html)


def cards_pdf(kernel: Any, env: Environment, session: Session, cards: Sequence[WarrantyCard], *, lang: str = "fa",
              title: str = "", workers: int = 1) -> bytes:
    from modules.carpet.services.registration import settings

    line = settings(kernel, session)["line"]
    views = card_views(session, cards, line)
    kw = {"lang": lang, "company": kernel.letterhead(session), "line": line, "title": title}
    if workers <= 1 or len(views) <= CHUNK:
        return render_pdf(with_qr_codes(render_html(env, views, **kw)), kernel.static_dirs())
    return render_in_parallel(env, views, dict(kernel.static_dirs()), workers, **kw)


# Cards per chunk when rendered by several processes: whole sheets, small enough to spread.
CHUNK = 1000


def _render_chunk(html: str, static_dirs: dict[str, Any]) -> bytes:
    return render_pdf(with_qr_codes(html), static_dirs)


def render_in_parallel(env: Environment, views: Sequence[CardView], static_dirs: dict[str, Any], workers: int,
                       **kw: Any) -> bytes:
    """Many cards (a 10,000-card print run): the HTML of each chunk of ``CHUNK`` cards rendered by
    its own process (WeasyPrint lays out on one core), the chunks' PDFs joined in order with
    ``pypdf``. Each chunk embeds its own subset of the fonts: a somewhat larger file."""
    import io
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from pypdf import PdfWriter

    htmls = [render_html(env, views[i:i + CHUNK], **kw) for i in range(0, len(views), CHUNK)]
    # "spawn": a fresh interpreter per worker, nothing of the caller's threads or connections.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(_render_chunk, htmls, [static_dirs] * len(htmls)))
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
