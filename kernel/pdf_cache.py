"""What one PDF leaves for the next: WeasyPrint's font configuration with the app's stylesheets
parsed into it, and the last PDFs themselves (issue 11; docs/PERFORMANCE.md, "The proforma
PDF, session 7", has the measurements).

Every render used to start from nothing: a new fontconfig configuration (the system's font
list, then the two Vazirmatn files written to a temporary folder and registered), and
``pdf.css``, ``fonts.css`` and the module's print CSS tokenised and compiled into selector
matchers — about 50 ms of a 10-line proforma's ~330 ms, the same for every document.

**Kits.** A kit is one ``FontConfiguration`` and the static stylesheets parsed with it. A render
takes an idle kit of its static folders (or makes one) and gives it back afterwards, so two
threads never use one at once (fontconfig and Pango objects are not made for that); at most
:data:`IDLE_KITS` wait. The document's ``<link rel="stylesheet">`` elements are taken out of the
parsed page and their parsed ``CSS`` handed to WeasyPrint instead, in the same order, as *user*
stylesheets. The cascade is unchanged: WeasyPrint weighs origin, layer and specificity, then the
order of the sheets, and the page has no other author style than ``style`` attributes, which
beat either. Only when every stylesheet link qualifies — directly in ``<head>``, no ``media`` or
``type``, a ``.css`` file of the static folders, no ``<style>`` element in the page, none of
``@counter-style``, ``@color-profile`` or ``@layer`` (state WeasyPrint keeps per document), no
``@import`` or font refused — are they taken; otherwise WeasyPrint reads them itself, as before.

**Validity.** A parsed stylesheet is reused while every file it read (the CSS, its ``@import``,
its fonts) has the modification time and size it had when it was read (taken before reading, so
a file changed meanwhile looks changed). When one has changed the kit is dropped whole, font
configuration included: fontconfig keeps a font face once it is registered.

**PDFs.** The same HTML with the same static folders gives the same bytes (WeasyPrint writes no
date or random identifier), so the last PDFs — :data:`PDF_CACHE_BYTES` in all — are kept under
the SHA-256 of their HTML and reused while the files their render read are unchanged (a render
that was refused a file is not kept: the file may be there next time). Everything
a document shows is in its HTML (title, amounts, the logo as a data: URL), so any change to what
it says makes another key; a printed page asked for again (the browser's viewer, the e-mail after
the preview) costs a hash and a few ``stat`` calls.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from kernel import gc_tuning
from kernel.static_fetch import BASE_URL, RefusedURL, resolve_static_url, static_url_fetcher

IDLE_KITS = 4
PDF_CACHE_BYTES = 16 * 1024 * 1024
PDF_MAX_BYTES = 2 * 1024 * 1024  # a longer PDF (a list of thousands of rows) is not kept

Stamp = tuple[str, int, int]  # path, modification time (ns), size


def stamp(path: Path) -> Stamp:
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


def unchanged(stamps: Iterable[Stamp]) -> bool:
    for path, mtime, size in stamps:
        try:
            st = os.stat(path)
        except OSError:
            return False
        if st.st_mtime_ns != mtime or st.st_size != size:
            return False
    return True


@dataclass(frozen=True)
class _Sheet:
    css: Any  # weasyprint.CSS; None: the file is not one to reuse (WeasyPrint reads it itself)
    stamps: frozenset[Stamp]


class Kit:
    """One WeasyPrint font configuration and the stylesheets parsed into it; one render at a time."""

    def __init__(self, static_dirs: Mapping[str, Path]) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.static_dirs = static_dirs
        self.font_config = FontConfiguration()
        self.sheets: dict[str, _Sheet] = {}
        self.parsed = 0  # stylesheets parsed by this kit (the tests' witness of reuse)
        self.stale = False  # a file one of its stylesheets was read from has changed since

    def sheet(self, url: str) -> _Sheet | None:
        """The stylesheet at ``url`` parsed into this kit; None once a file it read has changed."""
        kept = self.sheets.get(url)
        if kept is not None:
            if not unchanged(kept.stamps):
                self.stale = True
                return None
            return kept
        import weasyprint

        read: list[Stamp] = []
        refused: list[str] = []
        counters: dict[str, Any] = {}
        profiles: dict[str, Any] = {}
        fetcher = static_url_fetcher(self.static_dirs, on_read=lambda path: read.append(stamp(path)),
                                     on_refused=refused.append)
        try:
            css = weasyprint.CSS(url=url, url_fetcher=fetcher, font_config=self.font_config,
                                 counter_style=counters, color_profiles=profiles)
        except Exception:  # unreadable or refused: WeasyPrint reads it itself and reports it, as before
            css = None
        self.parsed += 1
        if css is not None and (refused or counters or profiles or css.layers):
            css = None  # an @import or a font it lacks may appear; the rest is state kept per document
        made = self.sheets[url] = _Sheet(css, frozenset(read))
        return made


def _linked_sheets(kit: Kit, document: Any) -> list[_Sheet]:
    """The parsed stylesheets of the document's links, which are taken out of it; [] (the links
    left to WeasyPrint) unless every one qualifies (see the module's docstring)."""
    root: Any = getattr(document, "etree_element", None)  # WeasyPrint's parsed page (ElementTree)
    if root is None or root.find("head") is None or next(root.iter("style"), None) is not None:
        return []
    head = root.find("head")
    links = [e for e in root.iter("link") if "stylesheet" in e.get("rel", "").lower().split()]
    chosen: list[tuple[Any, _Sheet]] = []
    for link in links:
        href = link.get("href") or ""
        url = urljoin(document.base_url or BASE_URL, href)  # WeasyPrint's, after any <base href>
        if (link not in list(head) or "alternate" in link.get("rel", "").lower().split() or link.get("media")
                or link.get("type") or not urlsplit(url).path.endswith(".css")):
            return []
        try:
            resolve_static_url(url, kit.static_dirs)
        except RefusedURL:
            return []
        sheet = kit.sheet(url)
        if sheet is None or sheet.css is None:
            return []
        chosen.append((link, sheet))
    for link, _sheet in chosen:
        head.remove(link)
    return [sheet for _link, sheet in chosen]


class _PDFs:
    """The last PDFs by (SHA-256 of the HTML, static folders), least recently used dropped first."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._items: OrderedDict[tuple[bytes, str], tuple[bytes, frozenset[Stamp]]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[bytes, str]) -> bytes | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
        if item is None:
            return None
        if not unchanged(item[1]):
            self.drop(key)
            return None
        return item[0]

    def put(self, key: tuple[bytes, str], pdf: bytes, stamps: frozenset[Stamp]) -> None:
        if len(pdf) > PDF_MAX_BYTES:
            return
        with self._lock:
            self._drop(key)
            self._items[key] = (pdf, stamps)
            self._bytes += len(pdf)
            while self._bytes > self.budget:
                self._drop(next(iter(self._items)))

    def drop(self, key: tuple[bytes, str]) -> None:
        with self._lock:
            self._drop(key)

    def _drop(self, key: tuple[bytes, str]) -> None:
        item = self._items.pop(key, None)
        if item is not None:
            self._bytes -= len(item[0])

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


_pdfs = _PDFs(PDF_CACHE_BYTES)
_idle: dict[str, list[Kit]] = {}
_lock = threading.Lock()
_counts = {"rendered": 0, "kept": 0}  # PDFs rendered, and answered from the kept ones


def _folders_key(static_dirs: Mapping[str, Path]) -> str:
    return "\n".join(f"{name}={Path(path).resolve()}" for name, path in sorted(static_dirs.items()))


def _take(key: str, static_dirs: Mapping[str, Path]) -> Kit:
    with _lock:
        idle = _idle.get(key)
        if idle:
            return idle.pop()
    return Kit(dict(static_dirs))


def _give(key: str, kit: Kit) -> None:
    with _lock:
        idle = _idle.setdefault(key, [])
        if len(idle) < IDLE_KITS:
            idle.append(kit)


def render(html: str, static_dirs: Mapping[str, Path]) -> bytes:
    """The PDF of ``html`` (see the module's docstring for what is reused and when)."""
    import weasyprint

    folders = _folders_key(static_dirs)
    key = (hashlib.sha256(html.encode()).digest(), folders)
    kept = _pdfs.get(key)
    if kept is not None:
        _count("kept")
        return kept
    kit = _take(folders, static_dirs)
    read: list[Stamp] = []
    refused: list[str] = []
    fetcher = static_url_fetcher(static_dirs, on_read=lambda path: read.append(stamp(path)), on_refused=refused.append)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    sheets = _linked_sheets(kit, document)
    if kit.stale:  # a stylesheet or font changed on disk: start afresh (no link was taken out)
        kit = Kit(dict(static_dirs))
        sheets = _linked_sheets(kit, document)
    with gc_tuning.paused():  # its box tree lives to the end: collections meanwhile only walk it
        pdf = document.write_pdf(stylesheets=[s.css for s in sheets], font_config=kit.font_config)
    # Given back only after a render that went through: one that failed half-way is dropped.
    if not kit.stale:
        _give(folders, kit)
    assert pdf is not None  # write_pdf() without a target returns the bytes
    _count("rendered")
    if not refused:  # a static file missing now may be there for the next render
        _pdfs.put(key, pdf, frozenset(read).union(*(s.stamps for s in sheets)))
    return pdf


def _count(what: str) -> None:
    with _lock:
        _counts[what] += 1


def counts() -> dict[str, int]:
    """PDFs rendered and PDFs answered from the kept ones since :func:`clear` (tests, benchmarks)."""
    with _lock:
        return dict(_counts)


def clear() -> None:
    """Forget every kit and PDF, and the counts (the tests that count what is reused start here)."""
    with _lock:
        _idle.clear()
        _counts.update(rendered=0, kept=0)
    _pdfs.clear()


def idle_kits(static_dirs: Mapping[str, Path]) -> list[Kit]:
    """The kits waiting for the next render with these static folders (for the tests)."""
    with _lock:
        return list(_idle.get(_folders_key(static_dirs), []))
