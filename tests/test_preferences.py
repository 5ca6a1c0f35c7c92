"""A module's own per-user choices (kernel.Preference) on /preferences (FAQ 39: pop-ups on/off)."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.testing import create_user, csrf

NOTES = {"edition": "tier1", "modules": ("notes",), "packages": ("peyvand_notes",)}


def test_a_declared_choice_has_its_default_until_the_user_saves(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(**NOTES)
    ali, sara = create_user(kernel, "ali"), create_user(kernel, "sara")
    client = web_client(kernel, "ali")
    page = client.get("/preferences").text
    assert "Send me a daily digest of notes" in page
    assert 'name="pref:notes.digest" value="1" >' in page  # off: its default
    with kernel.sessions() as s:
        assert kernel.user_preference(s, ali, "notes.digest") is False
    resp = client.post("/preferences", data={"csrf": csrf(client, "/preferences"), "lang": "fa",
                                             "money_unit": "rial", "pref:notes.digest": "1"}, follow_redirects=False)
    assert resp.status_code == 303
    assert 'name="pref:notes.digest" value="1" checked' in client.get("/preferences").text
    with kernel.sessions() as s:
        assert kernel.user_preference(s, ali, "notes.digest") is True
        assert kernel.user_preference(s, sara, "notes.digest") is False  # one user's choice only
    # Unticked and saved: off again.
    client.post("/preferences", data={"csrf": csrf(client, "/preferences"), "lang": "fa", "money_unit": "rial"})
    with kernel.sessions() as s:
        assert kernel.user_preference(s, ali, "notes.digest") is False


def test_reading_a_choice_nobody_declared_is_a_programming_error(make_kernel: Any) -> None:
    kernel = make_kernel(**NOTES)
    ali = create_user(kernel, "ali")
    with kernel.sessions() as s, pytest.raises(KeyError):
        kernel.user_preference(s, ali, "notes.nothing")
    with kernel.session() as s, pytest.raises(KeyError):
        kernel.set_user_preference(s, ali, "notes.nothing", True)
