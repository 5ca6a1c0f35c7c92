"""The static-only URL fetcher of PDFs: documents may read the app's static files and data: URLs,
nothing else. Apart from :mod:`kernel.documents` (which re-exports it) so that
:mod:`kernel.pdf_cache` can use it without importing the module that calls it."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

__all__ = ["BASE_URL", "RefusedURL", "resolve_static_url", "static_url_fetcher"]

# Documents are rendered as if served from this origin, so "/static/kernel/pdf.css" and the
# relative font URLs inside it resolve to URLs the fetcher recognises as the app's own.
# ".local" never reaches DNS through our fetcher: nothing here opens a socket.
BASE_URL = "http://peyvand.local/"
_BASE = urlsplit(BASE_URL)


class RefusedURL(ValueError):
    """A PDF asked for a resource outside the app's static files.

    A ValueError so WeasyPrint logs it as a warning and skips the resource (its
    FatalURLFetchingError would abort the whole document instead).
    """


def resolve_static_url(url: str, static_dirs: Mapping[str, Path]) -> Path:
    """Map an app static URL to a file inside one of ``static_dirs``, or raise RefusedURL.

    Kept free of WeasyPrint so the rule that protects the server (no local files, no
    outside hosts, no traversal) is plain code that is cheap to test and to read.
    """
    parts = urlsplit(urljoin(BASE_URL, url))
    if parts.scheme != _BASE.scheme or parts.netloc.lower() != _BASE.netloc:
        raise RefusedURL(f"not an app static URL: {url}")
    # urljoin already removed literal dot segments; decoding afterwards catches the
    # percent-encoded ones (%2e%2e, %2f) that would otherwise slip through.
    segments = unquote(parts.path).split("/")
    if len(segments) < 4 or segments[:2] != ["", "static"]:
        raise RefusedURL(f"not under /static/: {url}")
    name, rest = segments[2], segments[3:]
    if name not in static_dirs or any(s in ("", ".", "..") or "\\" in s or "\0" in s for s in rest):
        raise RefusedURL(f"bad static path: {url}")
    root = Path(static_dirs[name]).resolve()
    target = root.joinpath(*rest).resolve()
    # resolve() follows symlinks, so a link pointing out of the static tree is refused too.
    if not target.is_relative_to(root) or not target.is_file():
        raise RefusedURL(f"no such static file: {url}")
    return target


def static_url_fetcher(static_dirs: Mapping[str, Path], on_read: Callable[[Path], None] | None = None,
                       on_refused: Callable[[str], None] | None = None) -> Any:
    """Return a WeasyPrint URL fetcher that serves only the app's static files and data: URLs.

    ``static_dirs`` maps the ``<name>`` of ``/static/<name>/<path>`` to its folder. Anything
    else (file:, other hosts, traversal) raises RefusedURL, which WeasyPrint logs and skips:
    a document must never make the server read a local file or call another machine.
    WeasyPrint 70 wants a URLFetcher instance (it reads private attributes of it), hence
    the subclass built here rather than a plain function. ``on_read(path)`` is called before
    each file is read, ``on_refused(url)`` for each URL refused: :mod:`kernel.pdf_cache` keeps
    what a render made only while those files are unchanged, and only when nothing was refused
    (a missing file may appear later).
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    dirs = dict(static_dirs)

    class StaticURLFetcher(URLFetcher):
        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
            if url.lower().startswith("data:"):
                # The parent decodes data: URLs itself; it is limited to that protocol below.
                return super().fetch(url, headers)
            try:
                path = resolve_static_url(url, dirs)
            except RefusedURL:
                if on_refused is not None:
                    on_refused(url)
                raise
            if on_read is not None:
                on_read(path)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if mime.startswith("text/"):
                mime += "; charset=utf-8"
            return URLFetcherResponse(urljoin(BASE_URL, url), path.read_bytes(), {"Content-Type": mime})

    return StaticURLFetcher(allowed_protocols=("data",), allow_redirects=False)
