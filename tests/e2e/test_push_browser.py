"""kernel.push in Chromium: a message pushed from Python fires `peyvand:push` on the user's open
page, a message pushed while the tab moves to another page is not lost, another user's page
gets nothing, and two tabs of one browser fire it once."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import LiveServer, open_page, sign_in

from kernel import push_to_user
from kernel.testing import create_user

pytestmark = pytest.mark.browser

RECORD = """() => { window.pushed = [];
  document.addEventListener('peyvand:push', e => window.pushed.push(e.detail)); }"""


def record(page: Any) -> None:
    page.wait_for_function("() => window.peyvandPush && window.peyvandPush.readyState === 1")
    page.evaluate(RECORD)


def push(kernel: Any, user_id: int, data: dict[str, Any]) -> None:
    with kernel.session() as session:
        push_to_user(session, user_id, "notes.ping", data)


def pushed(page: Any, count: int) -> list[dict[str, Any]]:
    page.wait_for_function(f"() => window.pushed.length >= {count}", timeout=5000)
    page.wait_for_timeout(400)  # more polls: nothing comes twice
    return list(page.evaluate("window.pushed"))


def test_a_push_reaches_the_open_page_of_its_user_only(browser: Any, live_server: LiveServer) -> None:
    k = live_server.kernel
    admin = 1
    sara = create_user(k, "sara")
    with open_page(browser, live_server.url) as page, open_page(browser, live_server.url) as other:
        sign_in(page, "admin")
        sign_in(other, "sara")
        record(page)
        record(other)
        push(k, admin, {"text": "تماس از ۰۹۱۲"})
        [got] = pushed(page, 1)
        assert (got["kind"], got["data"]) == ("notes.ping", {"text": "تماس از ۰۹۱۲"})
        assert other.evaluate("window.pushed") == []
        # The page moves on; what is pushed while the next one loads arrives on it.
        page.goto("/preferences")
        push(k, admin, {"text": "while loading"})
        page.wait_for_load_state("domcontentloaded")
        page.evaluate(RECORD)
        # Caught up by ?after=<last id>, whether it came before or after the listener.
        page.wait_for_function("() => window.peyvandPush.readyState === 1")
        push(k, admin, {"text": "after"})
        texts = [d["data"]["text"] for d in pushed(page, 1)]
        assert texts[-1] == "after" and texts.count("after") == 1
        assert sara and other.evaluate("window.pushed") == []


def test_two_tabs_of_one_browser_fire_a_message_once(browser: Any, live_server: LiveServer) -> None:
    k = live_server.kernel
    with open_page(browser, live_server.url) as page:
        sign_in(page, "admin")
        second = page.context.new_page()
        second.goto("/")
        record(page)
        record(second)
        push(k, 1, {"text": "یک بار"})
        page.wait_for_timeout(1500)
        counts = [len(page.evaluate("window.pushed")), len(second.evaluate("window.pushed"))]
        assert sorted(counts) == [0, 1]
