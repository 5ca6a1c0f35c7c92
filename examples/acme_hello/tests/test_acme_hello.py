"""Tests of the acme_hello partner module, written with the kernel's pytest fixtures.

The fixtures (``make_kernel``, ``login_as`` ...) come from the kernel's pytest plugin, which
pip registers with Peyvand itself: a partner's tests need no conftest.py of their own.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from kernel.testing import create_user, csrf_of
from kernel.web.app import build_app

RECIPIENT = "زهرا کاظمی‌نژاد"
# ZWNJ and the bidi marks, embeddings and isolates that pdftotext adds or drops at will.
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


@pytest.fixture
def acme(make_kernel: Callable[..., Any]) -> Any:
    """A kernel with acme_hello enabled on a fresh, fully migrated database."""
    return make_kernel(modules=("acme_hello",))


@pytest.fixture
def make_client(acme: Any) -> Iterator[Callable[[], TestClient]]:
    # The kernel's `client` fixture is bound to its default `kernel`; build our own on `acme`.
    app = build_app(acme)
    opened: list[TestClient] = []

    def factory() -> TestClient:
        c = TestClient(app, base_url="http://testserver")
        c.__enter__()
        opened.append(c)
        return c

    yield factory
    for c in opened:
        c.__exit__(None, None, None)


def _create_greeting(client: TestClient, **data: str) -> int:
    """Fill in the resource's create form as a user would; return the new greeting's id."""
    token = csrf_of(client.get("/acme_hello/greeting/new").text)
    resp = client.post("/acme_hello/greeting/new", data={"csrf": token, **data}, follow_redirects=False)
    assert resp.status_code == 303, resp.text[:500]
    match = re.fullmatch(r"/acme_hello/greeting/(\d+)", resp.headers["location"])
    assert match, resp.headers["location"]
    return int(match.group(1))


def _words(text: str) -> list[str]:
    """Words of a text with the invisible joiners and direction marks removed and Arabic
    presentation forms folded to plain letters."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split()


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")


def test_discovered_through_its_entry_point(acme: Any) -> None:
    info = acme.installed["acme_hello"]
    assert info.package == "acme_hello"
    assert info.manifest.depends == ("base",)
    # Enabled on top of the edition, after the module it depends on.
    assert acme.module_names.index("base") < acme.module_names.index("acme_hello")


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_table_exists_after_upgrade(make_kernel: Callable[..., Any], engine: str) -> None:
    from kernel import migrations

    kernel = make_kernel(modules=("acme_hello",), engine=engine)
    assert "acme_hello_greeting" in sa.inspect(kernel.engine).get_table_names()
    assert migrations.diff(kernel, "acme_hello") == []  # models and migration agree
    assert not migrations.pending(kernel)


def test_registrations(acme: Any) -> None:
    assert "acme_hello.greeting" in acme.resources
    assert {"acme_hello.greeting.approve", "acme_hello.greeting.print"} <= set(acme.permissions)
    assert any(m.key == "acme_hello.greetings" for m in acme.menu)
    assert acme.t("fa", "Greetings") == "تبریک‌ها"


def test_create_through_the_form(acme: Any, make_client: Callable[[], TestClient], login_as: Any) -> None:
    create_user(acme, "sara", perms=("acme_hello.greeting.*",))
    client = login_as(make_client(), "sara")
    gid = _create_greeting(client, recipient=RECIPIENT, message="نوروزتان پیروز",
                           send_on="۱۴۰۴/۰۱/۰۱", gift_amount="۱٬۲۰۰٬۰۰۰")
    from acme_hello.models import Greeting

    with acme.session() as s:
        g = s.get(Greeting, gid)
        assert g is not None
        assert g.recipient == RECIPIENT
        assert g.send_on == dt.date(2025, 3, 21)  # stored Gregorian, typed Jalali
        assert g.gift_amount == 1_200_000  # integer Rials
        assert g.approved is False
    # The detail page shows the module's slot: a link to the card.
    assert f"/acme_hello/greeting/{gid}/card.pdf" in client.get(f"/acme_hello/greeting/{gid}").text
    # The list's search goes through the normalised search_key (Arabic ي/ك typed by the user).
    assert RECIPIENT in client.get("/acme_hello/greeting/", params={"q": "كاظمي"}).text


def test_card_pdf_shows_the_recipient(acme: Any, make_client: Callable[[], TestClient], login_as: Any) -> None:
    create_user(acme, "sara", perms=("acme_hello.greeting.*",))
    client = login_as(make_client(), "sara")
    gid = _create_greeting(client, recipient=RECIPIENT, send_on="1404/01/01", gift_amount="500000")
    resp = client.get(f"/acme_hello/greeting/{gid}/card.pdf")
    assert resp.status_code == 200, resp.text[:500]
    assert resp.headers["content-type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    words = _words(_pdf_text(resp.content))
    for word in _words(RECIPIENT):
        assert word in words, (word, words)


def test_print_needs_the_permission(acme: Any, make_client: Callable[[], TestClient], login_as: Any) -> None:
    create_user(acme, "sara", perms=("acme_hello.greeting.*",))
    gid = _create_greeting(login_as(make_client(), "sara"), recipient=RECIPIENT)
    create_user(acme, "reza", perms=("acme_hello.greeting.view",))
    viewer = login_as(make_client(), "reza")
    page = viewer.get(f"/acme_hello/greeting/{gid}")
    assert page.status_code == 200
    assert "card.pdf" not in page.text  # the slot hides what the user may not do
    assert viewer.get(f"/acme_hello/greeting/{gid}/card.pdf").status_code == 403


def test_print_respects_record_scope(acme: Any, make_client: Callable[[], TestClient], login_as: Any) -> None:
    create_user(acme, "sara", perms=("acme_hello.greeting.*",))
    gid = _create_greeting(login_as(make_client(), "sara"), recipient=RECIPIENT)
    # Allowed to print, but only their own records: someone else's greeting does not exist.
    create_user(acme, "omid", perms=("acme_hello.greeting.*",), scope="own")
    other = login_as(make_client(), "omid")
    assert other.get(f"/acme_hello/greeting/{gid}/card.pdf").status_code == 404


def test_approve_needs_its_permission(acme: Any, make_client: Callable[[], TestClient], login_as: Any) -> None:
    create_user(acme, "sara", perms=("acme_hello.greeting.view", "acme_hello.greeting.create",
                                     "acme_hello.greeting.edit"))
    client = login_as(make_client(), "sara")
    gid = _create_greeting(client, recipient=RECIPIENT)
    token = csrf_of(client.get("/acme_hello/greeting/new").text)
    assert client.post(f"/acme_hello/greeting/{gid}/approve", data={"csrf": token}).status_code == 403

    create_user(acme, "boss", perms=("acme_hello.greeting.view", "acme_hello.greeting.edit",
                                     "acme_hello.greeting.approve"))
    boss = login_as(make_client(), "boss")
    token = csrf_of(boss.get(f"/acme_hello/greeting/{gid}/edit").text)
    resp = boss.post(f"/acme_hello/greeting/{gid}/approve", data={"csrf": token}, follow_redirects=False)
    assert resp.status_code == 303
    from acme_hello.models import Greeting

    with acme.session() as s:
        assert s.get(Greeting, gid).approved is True
