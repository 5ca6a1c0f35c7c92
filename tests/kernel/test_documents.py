"""Kernel document output: Persian PDFs through WeasyPrint, the static-only URL fetcher,
xlsx and csv exports."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import logging
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from openpyxl import load_workbook

from kernel.documents import (
    RefusedURL,
    clean_sheet_title,
    render_pdf,
    static_url_fetcher,
    write_csv,
    write_xlsx,
)

KERNEL = Path(__file__).resolve().parents[2] / "kernel"
STATIC_DIRS = {"kernel": KERNEL / "static" / "kernel"}
# 1×1 transparent PNG: exercises the data: logo path without a fixture file.
LOGO = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBg"
    "AAAABQABpfZFQAAAAABJRU5ErkJggg=="
)
COMPANY = {"name": "شرکت پیوند نوین", "footer": "تهران، خیابان ولیعصر، تلفن ۰۲۱۸۸۷۷۶۶۵۵", "logo_url": LOGO}
TITLE = "فهرست مشتری‌ها"
COLUMNS = ["نام", "تاریخ عضویت", "مبلغ"]
ROW = ["مریم کریمی", "۱۴۰۵/۰۹/۰۱", "۱۲٬۵۰۰٬۰۰۰ ریال"]

# pdftotext writes RTL runs with bidi embedding marks, drops ZWNJ and may reverse لا:
# compare words and digit runs, not strings. A mark can stand where a space was drawn
# ("۱۲٬۵۰۰٬۰۰۰\u202cریال"), so marks become spaces while ZWNJ (inside a word) goes away.
_INVISIBLE: dict[int, str | None] = {
    0x200C: None,
    **dict.fromkeys([0x200E, 0x200F, *range(0x202A, 0x202F)], " "),
}
_PERSIAN_DIGITS = re.compile(r"[۰-۹]+")


def normalise(text: str) -> str:
    return text.translate(_INVISIBLE)


def words(text: str) -> set[str]:
    return set(normalise(text).split())


def digit_runs(text: str) -> set[str]:
    return set(_PERSIAN_DIGITS.findall(normalise(text)))


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(KERNEL / "templates"), autoescape=True)


@contextlib.contextmanager
def weasyprint_problems() -> Iterator[list[logging.LogRecord]]:
    """Collect WeasyPrint warnings and errors (missing font, refused URL, bad CSS)."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def render_clean(html: str) -> bytes:
    """Render and fail on any WeasyPrint warning: a silent font fallback is a bug here."""
    with weasyprint_problems() as problems:
        pdf = render_pdf(html, STATIC_DIRS)
    assert not problems, [r.getMessage() for r in problems]
    assert pdf.startswith(b"%PDF-")
    return pdf


def pdf_pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split("\f")[:-1]  # pdftotext ends every page with a form feed


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def table_html(env: jinja2.Environment, rows: list[list[str]], lang: str = "fa") -> str:
    return env.get_template("kernel/pdf/table.html").render(
        lang=lang, title=TITLE, company=COMPANY, columns=COLUMNS, rows=rows
    )


def test_table_template_html(env: jinja2.Environment) -> None:
    html = table_html(env, [ROW])
    assert '<html lang="fa" dir="rtl">' in html
    assert '<link rel="stylesheet" href="/static/kernel/pdf.css">' in html
    assert "<style" not in html  # font names must not go through autoescape
    assert TITLE in html and "<thead>" in html
    assert f'src="{LOGO}"' in html
    assert '<html lang="en" dir="ltr">' in table_html(env, [ROW], lang="en")


def test_persian_table_pdf(env: jinja2.Environment, tmp_path: Path) -> None:
    pdf = render_clean(table_html(env, [ROW, ["علی رضایی", "۱۴۰۴/۱۲/۲۹", "۹۸۰٬۰۰۰ ریال"]]))

    pages = pdf_pages_text(pdf, tmp_path)
    assert len(pages) == 1
    text = pages[0]
    expected = [COMPANY["name"], TITLE, *COLUMNS, *ROW, "علی رضایی", COMPANY["footer"]]
    expected_words = set().union(*(words(s.replace("،", " ")) for s in expected))
    missing = expected_words - words(text.replace("،", " "))
    assert not missing, (missing, text)
    assert {"۱۴۰۵/۰۹/۰۱", "۱۲٬۵۰۰٬۰۰۰", "۹۸۰٬۰۰۰"} <= words(text)
    # Persian letters, not Arabic look-alikes (ي ك) nor Arabic-Indic digits.
    assert not re.search("[يك٠-٩]", text)
    # Footer "صفحه ۱ از ۱" drawn in an @page margin box with counter(…, persian).
    assert {"صفحه", "از"} <= words(text) and "۱" in digit_runs(text)

    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts and all("Vazirmatn" in name for name in fonts), fonts


def test_page_numbers_on_every_page(env: jinja2.Environment, tmp_path: Path) -> None:
    rows = [[f"مشتری {i}", "۱۴۰۵/۰۹/۰۱", "۱۲٬۵۰۰٬۰۰۰ ریال"] for i in range(120)]
    pages = pdf_pages_text(render_clean(table_html(env, rows)), tmp_path)
    assert len(pages) > 2
    total = str(len(pages)).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    for number, page in enumerate(pages, start=1):
        persian = str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        assert "صفحه" in words(page) and {persian, total} <= digit_runs(page), page
        # The header row and the document header repeat on each page.
        assert {"نام", "مبلغ", "فهرست"} <= words(page)


def test_english_pdf_uses_latin_page_numbers(env: jinja2.Environment, tmp_path: Path) -> None:
    pages = pdf_pages_text(render_clean(table_html(env, [ROW], lang="en")), tmp_path)
    assert "Page 1 of 1" in normalise(pages[0])


def test_render_refuses_local_files(tmp_path: Path) -> None:
    html = (
        '<html lang="fa"><head><link rel="stylesheet" href="/static/kernel/pdf.css"></head><body>'
        '<img src="file:///etc/passwd"><img src="http://example.com/x.png">'
        '<link rel="stylesheet" href="/static/kernel/../../../../etc/passwd"><p>سلام</p></body></html>'
    )
    with weasyprint_problems() as problems:
        pdf = render_pdf(html, STATIC_DIRS)
    messages = " ".join(r.getMessage() for r in problems)
    assert "file:///etc/passwd" in messages and "example.com" in messages
    assert "root:" not in " ".join(pdf_pages_text(pdf, tmp_path))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://peyvand.local.example.com/static/kernel/fonts.css",
        "/static/kernel/../../../etc/passwd",
        "/static/kernel/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/kernel/..%2f..%2f..%2fetc/passwd",
        "/static/other/fonts.css",
        "/static/kernel/",
        "/etc/passwd",
    ],
)
def test_fetcher_refuses(url: str) -> None:
    with pytest.raises(RefusedURL):
        static_url_fetcher(STATIC_DIRS).fetch(url)


def test_fetcher_serves_static_and_data() -> None:
    fetcher = static_url_fetcher(STATIC_DIRS)
    response = fetcher.fetch("/static/kernel/fonts.css")
    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"
    font = fetcher.fetch("http://peyvand.local/static/kernel/fonts/Vazirmatn-Regular.ttf?v=1")
    assert len(font.read()) > 50_000
    assert fetcher.fetch("data:text/plain;base64,2LPZhNin2YU=").read().decode() == "سلام"


def test_xlsx_round_trip() -> None:
    rows: list[list[object]] = [
        ["مریم کریمی", dt.date(2026, 11, 22), 12_500_000],
        ["علی رضایی", dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC), 980_000],
        ['=HYPERLINK("http://x")', None, 3.5],
    ]
    data = write_xlsx(["نام", "تاریخ", "مبلغ (ریال)"], rows, rtl=True, title="مشتری‌ها")
    sheet = load_workbook(io.BytesIO(data))["مشتری‌ها"]
    assert sheet.sheet_view.rightToLeft is True
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("نام", "تاریخ", "مبلغ (ریال)")
    assert values[1] == ("مریم کریمی", dt.datetime(2026, 11, 22), 12_500_000)
    assert values[2] == ("علی رضایی", dt.datetime(2026, 11, 22, 9, 30), 980_000)
    assert values[3] == ('=HYPERLINK("http://x")', None, 3.5)
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet["B2"].is_date and sheet["C2"].data_type == "n"
    assert sheet["A4"].data_type == "s"  # text, never a formula
    assert sheet.column_dimensions["A"].width >= 10


def test_xlsx_ltr_and_sheet_titles() -> None:
    data = write_xlsx(["a"], iter([[1]]), rtl=False, title="Q1/Q2: [draft]*?")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Q1 Q2 draft"
    assert not sheet.sheet_view.rightToLeft
    assert clean_sheet_title("گزارش فروش " * 5) == ("گزارش فروش " * 5)[:31].strip()
    assert len(clean_sheet_title("x" * 40)) == 31
    assert clean_sheet_title("'/\\'") == "Sheet"
    assert clean_sheet_title("History") == "Sheet"


def test_csv_bom_and_persian() -> None:
    rows = [["مریم کریمی", "۱۲٬۵۰۰٬۰۰۰", dt.date(2026, 11, 22)], ["=1+1", "-۵۰۰", None]]
    data = write_csv(["نام", "مبلغ", "تاریخ"], rows)
    assert data.startswith(b"\xef\xbb\xbf")
    back = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert back == [
        ["نام", "مبلغ", "تاریخ"],
        ["مریم کریمی", "۱۲٬۵۰۰٬۰۰۰", "2026-11-22"],
        ["'=1+1", "-۵۰۰", ""],
    ]


def test_render_timings(env: jinja2.Environment, tmp_path: Path) -> None:
    """Figures for docs/PERFORMANCE.md; printed (run with -s), never asserted."""
    one = table_html(env, [ROW] * 5)
    many = table_html(env, [[f"مشتری {i}", "۱۴۰۵/۰۹/۰۱", "۱۲٬۵۰۰٬۰۰۰ ریال"] for i in range(200)])
    for label, html in (("1-page", one), ("1-page again", one), ("200-row table", many)):
        start = time.perf_counter()
        pdf = render_clean(html)
        elapsed = time.perf_counter() - start
        pages = len(pdf_pages_text(pdf, tmp_path))
        print(f"render_pdf {label}: {elapsed * 1000:.0f} ms, {pages} page(s), {len(pdf) // 1024} KB")


def _red_logo(width: int, height: int) -> str:
    import base64

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (220, 0, 0)).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_company_logo_is_drawn_in_the_header_of_the_page(env: jinja2.Environment, tmp_path: Path,
                                                            lang: str) -> None:
    """The uploaded logo is seen on paper: inside the page, at the top, at its header size. (An
    image sized only by max-width/max-height inside the right-to-left flex header was placed
    off the page, so every PDF was printed without its logo while still embedding it.)"""
    from PIL import Image

    company = {**COMPANY, "logo_url": _red_logo(400, 160)}
    html = env.get_template("kernel/pdf/table.html").render(
        lang=lang, title=TITLE, company=company, columns=COLUMNS, rows=[ROW])
    path = tmp_path / "logo.pdf"
    path.write_bytes(render_clean(html))
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
                   check=True)
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    width, height = page.size
    red = [(x, y) for x in range(width) for y in range(height)
           if (lambda r, g, b: r > 180 and g < 80 and b < 80)(*page.getpixel((x, y)))]
    assert red, "the logo is not on the page"
    ys, xs = [y for _x, y in red], [x for x, _y in red]
    assert max(ys) < height * 0.15, "the logo is in the header at the top of the page"
    # 14 mm high at most (A4 is 297 mm): at 40 dpi about 22 px; and not shrunk to a dot.
    assert 10 <= max(ys) - min(ys) + 1 <= 24, (min(ys), max(ys))
    # At the start of the line: right in Persian, left in English.
    assert (min(xs) > width / 2) if lang == "fa" else (max(xs) < width / 2), (min(xs), max(xs), width)
