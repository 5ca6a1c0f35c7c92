"""Reading an uploaded partner file: CSV (UTF-8 with or without BOM, UTF-16, Windows-1256;
comma, semicolon or tab, sniffed) and xlsx (first sheet, streamed).

Every cell comes out as text, as a user would have typed it into a form, so the kernel's field
parsing applies to imports exactly as to forms: Excel numbers lose their ".0", Excel dates
become Jalali "1405/09/01".
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from kernel import InputError
from kernel.persian.jalali import format_jalali
from kernel.persian.textnorm import clean_input

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_COLUMNS = 200
FORMATS = {"csv": "csv", "txt": "csv", "tsv": "csv", "xlsx": "xlsx", "xlsm": "xlsx"}
DELIMITERS = (",", ";", "\t")
_SNIFF_LINES = 50
_FORMULA_START = ("=", "+", "-", "@")

Row = tuple[int, list[str]]
"""(line number in the file, 1 = the header; cells as text)."""


def detect_format(filename: str, head: bytes) -> str:
    """``csv`` or ``xlsx`` from the name, checked against the content's first bytes."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext == "xls":
        raise InputError("Old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV")
    fmt = FORMATS.get(ext)
    if fmt is None:
        raise InputError("This type of file is not accepted")
    if fmt == "xlsx" and not head.startswith(b"PK"):
        raise InputError("This file is not a valid Excel (.xlsx) file")
    if fmt == "csv" and head.startswith(b"PK"):
        raise InputError("This file is an Excel file; give it the .xlsx extension")
    return fmt


def decode(data: bytes) -> str:
    """Text of a CSV file: UTF-16 by its BOM, else UTF-8 (BOM or not), else Windows-1256,
    which is what Excel on a Persian or Arabic Windows saves as "CSV"."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1256", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of cells most often."""
    sample = "\n".join(text.splitlines()[:_SNIFF_LINES])
    best, best_score = ",", (-1, -1)
    for delim in DELIMITERS:
        widths = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delim) if any(c.strip() for c in r)]
        if not widths:
            continue
        header = widths[0]
        score = (sum(1 for w in widths if w == header) if header > 1 else 0, header)
        if score > best_score:
            best, best_score = delim, score
    return best


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text a user would type for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # 9121234567.0 is a phone number typed into a number cell, not a decimal.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return format_jalali(value, "en", "datetime" if value.time() != dt.time() else "short")
    if isinstance(value, dt.date):
        return format_jalali(value, "en", "short")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _unguard(cell: str) -> str:
    """Drop the apostrophe that CSV writers (ours included) put before "+98…" or "-" so Excel
    does not take the cell for a formula."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _FORMULA_START else cell


def _csv_rows(path: Path) -> Iterator[list[str]]:
    text = decode(path.read_bytes())
    for cells in csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)):
        yield [_unguard(c) for c in cells]


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    try:
        book = XlsxSheet(path)
    except (KeyError, ValueError, IndexError, ET.ParseError, zipfile.BadZipFile):
        yield from _openpyxl_rows(path)  # an unusual layout: openpyxl knows more of them
        return
    try:
        yield from book.rows()
    except (ET.ParseError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as exc:
        raise InputError("This file is not a valid Excel (.xlsx) file") from exc


def _openpyxl_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl raise many kinds on a damaged file
        raise InputError("This file is not a valid Excel (.xlsx) file") from exc
    try:
        sheet: Any = book.worksheets[0]
        # Some programs write a wrong <dimension>; without this a read-only sheet is cut short.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(v) for v in values]
    finally:
        book.close()


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_C, _V, _T, _ROW = (_MAIN + t for t in ("c", "v", "t", "row"))
_COLUMN = re.compile(r"[A-Z]+")


class XlsxSheet:
    """The first sheet of an xlsx, streamed with the standard library's XML parser.

    openpyxl's read-only mode reads the whole sheet once just to learn its size when the file
    has no ``<dimension>`` (files written by openpyxl, ours included), and spends ~10 µs a
    cell; this reads 100,000 lines in a third of the time and the first lines at once.
    openpyxl still supplies the shared-string and date-format rules.
    """

    def __init__(self, path: Path) -> None:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        self.path = path
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            workbook = ET.fromstring(z.read("xl/workbook.xml"))
            first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
            if first is None:
                raise KeyError("no sheet")
            rid = first.get(f"{_REL}id")
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship") if r.get("Id") == rid)
            self.sheet = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            if self.sheet not in names:
                raise KeyError(self.sheet)
            pr = workbook.find(f"{_MAIN}workbookPr")
            self.epoch = CALENDAR_MAC_1904 if pr is not None and pr.get("date1904") in ("1", "true") \
                else CALENDAR_WINDOWS_1900
            self.strings: list[str] = []
            if "xl/sharedStrings.xml" in names:
                from openpyxl.reader.strings import read_string_table

                with z.open("xl/sharedStrings.xml") as f:
                    self.strings = [str(s) for s in read_string_table(f)]
            self.date_styles: set[int] = set()
            if "xl/styles.xml" in names:
                styles = ET.fromstring(z.read("xl/styles.xml"))
                custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "")
                          for n in styles.iter(f"{_MAIN}numFmt")}
                xfs = styles.find(f"{_MAIN}cellXfs")
                for index, xf in enumerate(xfs if xfs is not None else ()):
                    fmt_id = int(xf.get("numFmtId", "0"))
                    code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "")
                    if code and is_date_format(code):
                        self.date_styles.add(index)

    def rows(self) -> Iterator[list[str]]:
        with zipfile.ZipFile(self.path) as z, z.open(self.sheet) as f:
            row: list[str] = []
            expected = 1
            texts: list[str] = []
            value: str | None = None
            for _, el in ET.iterparse(f):
                tag = el.tag
                if tag == _V:
                    value = el.text
                elif tag == _T:
                    texts.append(el.text or "")
                elif tag == _C:
                    ref = el.get("r")
                    if ref:
                        m = _COLUMN.match(ref)
                        col = _column_index(m.group()) if m else len(row)
                        row.extend([""] * (col - len(row)))
                    row.append(self._cell(el.get("t"), el.get("s"), value, texts))
                    texts, value = [], None
                elif tag == _ROW:
                    number = int(el.get("r") or expected)
                    for _ in range(expected, number):
                        yield []  # rows Excel left out because they are empty
                    expected = number + 1
                    yield row
                    row = []
                    el.clear()  # keep memory flat: a finished row's cells are dropped

    def _cell(self, kind: str | None, style: str | None, value: str | None, texts: list[str]) -> str:
        if kind == "inlineStr":
            return "".join(texts)
        if value is None:
            return ""
        if kind == "s":
            return self.strings[int(value)]
        if kind in ("str", "e"):
            return value if kind == "str" else ""
        if kind == "b":
            return "1" if value in ("1", "true") else "0"
        if kind == "d":
            return cell_text(dt.datetime.fromisoformat(value))
        if style and int(style) in self.date_styles:
            from openpyxl.utils.datetime import from_excel

            return cell_text(from_excel(float(value), self.epoch))
        if _INTEGER.fullmatch(value):
            return str(int(value))
        return cell_text(float(value))


_INTEGER = re.compile(r"-?[0-9]+")


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def iter_rows(path: Path, fmt: str) -> Iterator[Row]:
    """See :func:`_rows`; a CSV the csv module cannot read is reported as such."""
    try:
        yield from _rows(path, fmt)
    except csv.Error as exc:
        raise InputError("The file could not be read as CSV or Excel") from exc


def _rows(path: Path, fmt: str) -> Iterator[Row]:
    """The header (the first non-empty line) and every non-empty line after it, each padded or
    cut to the header's width."""
    raw = _xlsx_rows(path) if fmt == "xlsx" else _csv_rows(path)
    width, count = -1, 0
    for line, cells in enumerate(raw, start=1):
        if width < 0:
            while cells and not str(cells[-1]).strip():
                cells = cells[:-1]
            if not cells:
                continue  # empty lines above the column names
            if len(cells) > MAX_COLUMNS:
                raise InputError("The file has more than {n} columns", n=MAX_COLUMNS)
            width = len(cells)
            yield line, [clean_input(c) for c in cells]
            continue
        if not any(str(c).strip() for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            # A small zip can unpack into a huge sheet; a partner file is never this long.
            raise InputError("The file has more than {n} lines", n=MAX_ROWS)
        cells = list(cells[:width]) + [""] * (width - len(cells))
        yield line, cells


def read_head(path: Path, fmt: str, rows: int = 20) -> tuple[list[str], list[Row]]:
    """The header and the first ``rows`` data lines (for the mapping page's preview)."""
    it = iter_rows(path, fmt)
    try:
        try:
            _, header = next(it)
        except StopIteration:
            raise InputError("The file is empty") from None
        body: list[Row] = []
        for row in it:
            body.append(row)
            if len(body) >= rows:
                break
        return header, body
    except UnicodeError as exc:
        raise InputError("The file could not be read as CSV or Excel") from exc
    finally:
        it.close()  # type: ignore[attr-defined]
