"""Document output: HTML → PDF (WeasyPrint) and list exports (xlsx, csv).

WeasyPrint is imported inside the functions that need it: the import costs about a
second, which the app must not pay at start-up or in processes that never print.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, islice
from pathlib import Path
from urllib.parse import quote

from kernel.persian.jalali import to_jalali
from kernel.persian.textnorm import LRI, PDI, to_persian_digits
from kernel.static_fetch import BASE_URL, RefusedURL, resolve_static_url, static_url_fetcher

__all__ = [
    "download_headers",
    "BASE_URL",
    "RefusedURL",
    "clean_sheet_title",
    "render_pdf",
    "resolve_static_url",
    "static_url_fetcher",
    "write_csv",
    "write_xlsx",
]

def render_pdf(html: str, static_dirs: Mapping[str, Path]) -> bytes:
    """Render an HTML document to PDF bytes; ``/static/<name>/...`` links come from static_dirs.

    The same HTML gives the same bytes; the font configuration, the linked stylesheets and
    recent PDFs are reused between calls (:mod:`kernel.pdf_cache`, which says why and when not).
    """
    from kernel import pdf_cache

    return pdf_cache.render(html, static_dirs)


# Excel refuses these in sheet names, and names longer than 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:\x00-\x1f]")
# Sample of rows used to size the columns: a write-only sheet must fix widths before the
# first row is written, and looking at every row would defeat streaming.
_WIDTH_SAMPLE = 200


def clean_sheet_title(title: str) -> str:
    """A sheet name Excel accepts: no forbidden characters, no edge apostrophes, ≤ 31 chars."""
    cleaned = _SHEET_FORBIDDEN.sub(" ", title).strip().strip("'").strip()
    cleaned = " ".join(cleaned.split())[:31].strip()
    # "History" is reserved by Excel for change tracking.
    return cleaned if cleaned and cleaned.lower() != "history" else "Sheet"


def _without_isolates(text: str) -> str:
    """A spreadsheet cell is its own left-to-right paragraph: the isolates that keep a phone in
    order on an RTL page would only be invisible characters spoiling a copy or a formula there."""
    return text.replace(LRI, "").replace(PDI, "")


def _xlsx_value(value: object) -> object:
    """Keep numbers, booleans and dates typed; everything else is shown as text."""
    if isinstance(value, str):
        return _without_isolates(value)
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        # Excel has no time zones (openpyxl refuses aware datetimes); the caller already
        # converted to the zone it wants shown, so keep the wall-clock time.
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date | dt.time):
        return value
    return str(value)


def _display_len(value: object) -> int:
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    rtl: bool,
    title: str = "Sheet",
) -> bytes:
    """Write one sheet (bold, frozen header row) and return the .xlsx bytes.

    Uses openpyxl's write-only mode so exports of many rows do not build a cell tree in
    memory. Values are written as given, with ints, floats and dates kept as real types.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(clean_sheet_title(title))
    sheet.sheet_view.rightToLeft = rtl
    sheet.freeze_panes = "A2"

    rows = iter(rows)
    sample = [[_xlsx_value(v) for v in row] for row in islice(rows, _WIDTH_SAMPLE)]
    for index, header in enumerate(headers, start=1):
        longest = max(
            [_display_len(header), *(_display_len(r[index - 1]) for r in sample if len(r) >= index)]
        )
        # Persian glyphs are wider than Latin ones at Excel's default font; +2 for padding.
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest * 1.2 + 2, 8), 60)

    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    for row in chain(sample, ([_xlsx_value(v) for v in row] for row in rows)):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if cell.data_type == "f":
                # openpyxl treats any text starting with "=" as a formula: an exported name
                # must stay text, never something Excel evaluates.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# CSV has no cell types, so Excel evaluates text beginning with these as a formula (CSV
# injection); such text gets a leading apostrophe unless it is just a signed number.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[-+]?[0-9۰-۹٠-٩][0-9۰-۹٠-٩,٬.٫]*")


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    text = _without_isolates(str(value))
    if text.startswith(_FORMULA_START) and not _SIGNED_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with a BOM: without the BOM Excel reads Persian text as mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_value(h) for h in headers])
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


# Characters no file system or browser keeps in a downloaded file's name.
_NOT_IN_FILENAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def _jalali_stamp(day: dt.date) -> str:
    j = to_jalali(day)
    return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"


def download_name(title: str, ext: str, day: dt.date, lang: str = "fa") -> str:
    """What a user calls the file: "طرف‌های حساب ۱۴۰۵-۰۹-۱۵.xlsx" (the title in their
    language, the Jalali day in their digits), not "base.partner.xlsx"."""
    stamp = _jalali_stamp(day)
    stem = " ".join(_NOT_IN_FILENAMES.sub(" ", title).split())
    return f"{stem} {to_persian_digits(stamp) if lang == 'fa' else stamp}.{ext}"


def download_headers(title: str, ext: str, day: dt.date, lang: str = "fa", fallback: str = "export") -> dict[str, str]:
    """``Content-Disposition`` of a download named by ``download_name`` (RFC 6266): the name in
    ``filename*`` (UTF-8, RFC 5987) for browsers, and ``fallback-1405-09-15.ext`` in ASCII
    ``filename`` for the clients that read only that one (``fallback`` e.g. "base.partner")."""
    name = download_name(title, ext, day, lang)
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", fallback).strip("-.") or "export"
    return {"content-disposition": f"attachment; filename=\"{plain}-{_jalali_stamp(day)}.{ext}\"; "
                                   f"filename*=UTF-8''{quote(name, safe='')}"}
