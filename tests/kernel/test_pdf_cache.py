"""kernel.pdf_cache: PDFs reuse WeasyPrint's font configuration, the parsed static stylesheets and
recent PDFs — and give exactly what a fresh WeasyPrint gives, for new HTML, a new logo, and after a
stylesheet or a font changed on disk."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
import weasyprint
from PIL import Image

from kernel import pdf_cache
from kernel.documents import BASE_URL, render_pdf, static_url_fetcher
from kernel.testing import pdf_words

KERNEL_STATIC = Path(__file__).resolve().parents[2] / "kernel" / "static" / "kernel"


def page(title: str, logo: str = "", extra_head: str = "") -> str:
    img = f'<img class="pdf-logo" src="{logo}" alt="">' if logo else ""
    return (f'<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="stylesheet" href="/static/kernel/pdf.css">{extra_head}</head><body>'
            f'<header class="pdf-header">{img}<div class="pdf-company">شرکت پیوند</div>'
            f'<h1 class="pdf-title">{title}</h1></header><footer class="pdf-footer">تهران</footer>'
            f'<main class="pdf-content"><table><thead><tr><th>نام</th><th class="num">مبلغ</th></tr></thead>'
            f'<tbody><tr><td>مریم کریمی</td><td class="num">۱۲٬۵۰۰٬۰۰۰</td></tr></tbody></table></main></body></html>')


def png(width: int, height: int, colour: tuple[int, int, int]) -> str:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def fresh_weasyprint(html: str, dirs: dict[str, Path]) -> bytes:
    """What render_pdf gave before the cache: a new WeasyPrint render reading the links itself."""
    pdf = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=static_url_fetcher(dirs)).write_pdf()
    assert pdf is not None
    return pdf


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run([tool, *args, f.name], capture_output=True, text=True, check=True).stdout


def page_size(pdf: bytes) -> tuple[int, int]:
    """The first page's size in points (A4 595×842, A5 420×595)."""
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", poppler("pdfinfo", pdf))
    assert found is not None
    return round(float(found.group(1))), round(float(found.group(2)))


def image_sizes(pdf: bytes) -> list[tuple[int, int]]:
    rows = poppler("pdfimages", pdf, "-list").splitlines()[2:]
    return [(int(r.split()[3]), int(r.split()[4])) for r in rows if r.split()[2] == "image"]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    pdf_cache.clear()


@pytest.fixture
def static(tmp_path: Path) -> dict[str, Path]:
    """A copy of the kernel's static files that a test may change."""
    shutil.copytree(KERNEL_STATIC, tmp_path / "kernel")
    return {"kernel": tmp_path / "kernel"}


def test_a_second_pdf_parses_no_stylesheet_and_each_is_what_a_fresh_weasyprint_gives(
        static: dict[str, Path]) -> None:
    first, second = page("فهرست اول"), page("فهرست دوم", logo=png(60, 20, (200, 30, 30)))
    one = render_pdf(first, static)
    [kit] = pdf_cache.idle_kits(static)
    assert kit.parsed == 1  # pdf.css, with its @import of fonts.css and the two Vazirmatn files
    two = render_pdf(second, static)
    assert pdf_cache.idle_kits(static) == [kit] and kit.parsed == 1  # the same font configuration and sheet
    assert one == fresh_weasyprint(first, static) and two == fresh_weasyprint(second, static)
    assert {"فهرست", "اول", "مریم", "۱۲٬۵۰۰٬۰۰۰"} <= pdf_words(one) and "دوم" in pdf_words(two)
    assert image_sizes(one) == [] and image_sizes(two) == [(60, 20)]
    assert pdf_cache.counts() == {"rendered": 2, "kept": 0}


def test_the_same_html_is_answered_from_the_kept_pdf_and_any_change_renders_again(static: dict[str, Path]) -> None:
    html = page("پیش‌فاکتور", logo=png(60, 20, (200, 30, 30)))
    pdf = render_pdf(html, static)
    assert render_pdf(html, static) == pdf
    assert pdf_cache.counts() == {"rendered": 1, "kept": 1}
    # The company's new logo (another data: URL) and a new title: new PDFs saying so.
    logo = render_pdf(page("پیش‌فاکتور", logo=png(90, 30, (30, 30, 200))), static)
    assert image_sizes(logo) == [(90, 30)]
    titled = render_pdf(page("پیش‌فاکتور فروش بهار", logo=png(60, 20, (200, 30, 30))), static)
    assert "بهار" in pdf_words(titled) and "بهار" not in pdf_words(pdf)
    assert pdf_cache.counts() == {"rendered": 3, "kept": 1}
    # Another set of static folders is another key: nothing kept for one is served for the other.
    render_pdf(html, {"kernel": KERNEL_STATIC})
    assert pdf_cache.counts() == {"rendered": 4, "kept": 1}


def test_a_stylesheet_or_font_changed_on_disk_is_read_again(static: dict[str, Path]) -> None:
    html = page("فهرست")
    assert page_size(render_pdf(html, static)) == (595, 842)  # A4
    pdf_css = static["kernel"] / "pdf.css"
    pdf_css.write_text(pdf_css.read_text() + "\n@page { size: A5; }\n")
    a5 = render_pdf(html, static)  # the same HTML: the kept PDF is stale, and so is the parsed sheet
    assert page_size(a5) == (420, 595) and a5 == fresh_weasyprint(html, static)
    [kit] = pdf_cache.idle_kits(static)
    assert kit.parsed == 1  # a new kit: the changed sheet parsed once into a new font configuration
    # The bold face's file replaced by the regular one's: the title and headers embed other glyphs.
    fonts = static["kernel"] / "fonts"
    shutil.copyfile(fonts / "Vazirmatn-Regular.ttf", fonts / "Vazirmatn-Bold.ttf")
    plain = render_pdf(html, static)
    assert plain != a5 and plain == fresh_weasyprint(html, static)


def test_a_pdf_missing_a_static_image_is_not_kept(static: dict[str, Path]) -> None:
    html = page("فهرست").replace('<div class="pdf-company">', '<img src="/static/kernel/logo.png"><div class="pdf-company">')
    assert image_sizes(render_pdf(html, static)) == []  # refused: no such file yet
    out = io.BytesIO()
    Image.new("RGB", (30, 10), (0, 120, 0)).save(out, "PNG")
    (static["kernel"] / "logo.png").write_bytes(out.getvalue())
    assert image_sizes(render_pdf(html, static)) == [(30, 10)]
    assert pdf_cache.counts() == {"rendered": 2, "kept": 0}


def test_a_page_with_its_own_style_element_keeps_weasyprints_way(static: dict[str, Path]) -> None:
    html = page("فهرست", extra_head="<style>td { color: #c00 }</style>")
    assert render_pdf(html, static) == fresh_weasyprint(html, static)
    assert [k.parsed for k in pdf_cache.idle_kits(static)] == [0]  # the link was left in the page


def test_renders_at_the_same_time_in_threads_each_say_their_own_title(static: dict[str, Path]) -> None:
    titles = ["گزارش شمال", "گزارش جنوب", "گزارش شرق"]
    start = threading.Barrier(len(titles))
    out: dict[str, bytes] = {}

    def work(title: str) -> None:
        start.wait()
        out[title] = render_pdf(page(title), static)

    threads = [threading.Thread(target=work, args=(t,)) for t in titles]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for title in titles:
        assert out[title] == fresh_weasyprint(page(title), static), title
    assert 1 <= len(pdf_cache.idle_kits(static)) <= pdf_cache.IDLE_KITS


def test_a_render_runs_without_cycle_collections_and_gives_the_collector_back(
        static: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A collection during a render walks its whole live box tree and everything the process
    keeps (one render in ten took twice the CPU): the collector is off while WeasyPrint lays out,
    and on again after — also when the render fails, and as it was if something had turned it off."""
    import gc

    seen: list[bool] = []
    real = weasyprint.HTML.write_pdf

    def watching(self: weasyprint.HTML, *args: object, **kwargs: object) -> bytes | None:
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", watching)
    assert gc.isenabled()
    assert "نخست" in pdf_words(render_pdf(page("نخست"), static))
    assert seen == [False] and gc.isenabled()

    def failing(self: weasyprint.HTML, *args: object, **kwargs: object) -> bytes | None:
        raise RuntimeError("a broken layout")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", failing)
    with pytest.raises(RuntimeError):
        render_pdf(page("دوم"), static)
    assert gc.isenabled()
    gc.disable()  # an embedding application's choice stays its own
    try:
        monkeypatch.setattr(weasyprint.HTML, "write_pdf", watching)
        render_pdf(page("سوم"), static)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_concurrent_pauses_give_the_collector_back_when_the_last_ends() -> None:
    import gc

    from kernel.gc_tuning import paused

    first, second = paused(), paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # another render is still laying out
    second.__exit__(None, None, None)
    assert gc.isenabled()
