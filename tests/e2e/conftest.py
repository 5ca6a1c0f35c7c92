"""Fixtures for the browser tests: the real app under uvicorn, and headless Chromium.

Chromium comes from Debian (Playwright cannot download browsers here); its path is
``$PEYVAND_CHROMIUM`` or ``/usr/bin/chromium``. A missing browser FAILS the tests, never skips them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kernel.testing import PASSWORD, create_user, serving

__all__ = ["LiveServer", "open_page", "serving", "sign_in"]

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@dataclass
class LiveServer:
    url: str
    kernel: Any
    username: str = "admin"
    password: str = PASSWORD


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    exe = os.environ.get("PEYVAND_CHROMIUM", "/usr/bin/chromium")
    if not Path(exe).is_file():
        pytest.fail(f"Chromium not found at {exe!r}: install Debian's 'chromium' (make test does) "
                    f"or point PEYVAND_CHROMIUM at it", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    """The app (with the test module "notes") served by uvicorn, an administrator to log in."""
    kernel = make_kernel(modules=("notes",), packages=("peyvand_notes",))
    create_user(kernel, "admin", admin=True)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel)


@contextmanager
def open_page(browser: Any, url: str, **options: Any) -> Iterator[Any]:
    """A page in a fresh browser context (own cookies), in Persian, failing fast instead of
    hanging; a JavaScript error on the page fails the test. ``options`` go to the context
    (``viewport``, ``is_mobile`` …; 1280×800 by default)."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, "locale": "fa-IR",
                                     "base_url": url, **options})
    context.set_default_timeout(5000)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield p
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form and wait until the page after it has run its scripts.

    The login form being gone only means the next document has started to arrive; its
    deferred scripts (app.js's live search, the pickers) run just before DOMContentLoaded.
    Typing before then is typing into a page with no listeners yet — a race CI lost once."""
    from playwright.sync_api import expect

    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.login button[type=submit]")
    expect(page.locator("form.login")).to_have_count(0)
    page.wait_for_load_state("domcontentloaded")


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh desktop page (1280×800) on the live server."""
    with open_page(browser, live_server.url) as p:
        yield p
