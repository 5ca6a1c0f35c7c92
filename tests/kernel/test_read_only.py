"""``Resource(read_only=True)`` (issue 12): rows written by a module's own code are read, exported
and printed, never added, changed or deleted by people — no New, Edit or Delete in the list or on
the record page (not even for an administrator), no create/edit/delete permissions, the OpenAPI
description without writes, and every write through HTTP answered 405 in the user's language
(the kernel's records layer refuses too). The test module's notes are made read-only after a few
were written through the ordinary path."""

from __future__ import annotations

from typing import Any

import pytest

from kernel import records
from kernel.actor import SYSTEM
from kernel.errors import PermissionDenied
from kernel.resources import Resource
from kernel.testing import create_record, create_user, csrf

NOTES = {"modules": ("notes",), "packages": ("peyvand_notes",)}


@pytest.fixture
def read_only_notes(make_kernel: Any) -> tuple[Any, list[int]]:
    k = make_kernel(**NOTES)
    ids = [create_record(k, None, "notes.note", title=t) for t in ("یادداشت یک", "یادداشت دو")]
    k.resources["notes.note"].read_only = True
    k.permissions = {p.code: p for p in k._all_permissions()}  # as a kernel started with it would have
    return k, ids


def test_an_ordinary_resource_offers_everything() -> None:
    res = Resource(name="x.y", model=object, label="Y", label_plural="Ys")
    assert all(res.offers(a) for a in ("view", "create", "edit", "delete", "export"))
    assert not res.allows(None, "view")
    ro = Resource(name="x.y", model=object, label="Y", label_plural="Ys", read_only=True)
    assert [a for a in ("view", "create", "edit", "delete", "export", "print") if ro.offers(a)] == [
        "view", "export", "print"]
    assert not ro.allows(SYSTEM, "create") and ro.allows(SYSTEM, "view")


def test_no_write_is_offered_nor_taken(read_only_notes: tuple[Any, list[int]], web_client: Any) -> None:
    k, (first, second) = read_only_notes
    assert "notes.note.view" in k.permissions and "notes.note.export" in k.permissions
    assert not {"notes.note.create", "notes.note.edit", "notes.note.delete"} & set(k.permissions)
    create_user(k, "admin", admin=True)
    c = web_client(k, "admin")
    listed = c.get("/notes/note/")
    assert listed.status_code == 200 and "یادداشت یک" in listed.text
    assert 'href="/notes/note/new"' not in listed.text and 'value="delete"' not in listed.text
    page = c.get(f"/notes/note/{first}")
    assert page.status_code == 200 and f"/notes/note/{first}/edit" not in page.text
    assert f"/notes/note/{first}/delete" not in page.text
    token = csrf(c, "/notes/note/")
    for url in ("/notes/note/new", f"/notes/note/{first}/edit", f"/notes/note/{first}/delete"):
        r = c.post(url, data={"csrf": token, "title": "تازه"}, follow_redirects=False)
        assert r.status_code == 405 and "خود سامانه می‌نویسد" in r.text, url
        assert r.headers["allow"] == "GET"
    assert c.get("/notes/note/new").status_code == 405
    # The list's bulk delete goes through kernel.records: refused, with the kernel's 403.
    assert c.post("/notes/note/bulk", data={"csrf": token, "op": "delete", "ids": [str(first)]},
                  follow_redirects=False).status_code == 403
    head = {"x-csrf-token": token}
    assert c.post("/api/notes/note", json={"title": "تازه"}, headers=head).status_code == 405
    assert c.post("/api/notes/note/bulk", json={"items": [{"title": "تازه"}]}, headers=head).status_code == 405
    assert c.patch(f"/api/notes/note/{first}", json={"title": "تازه"}, headers=head).status_code == 405
    assert c.put(f"/api/notes/note/{first}", json={"title": "تازه"}, headers=head).status_code == 405
    gone = c.delete(f"/api/notes/note/{second}", headers={**head, "accept-language": "fa"})
    assert gone.status_code == 405 and "خود سامانه" in gone.json()["error"]  # the API's language: the header
    assert c.get(f"/api/notes/note/{first}").json()["title"] == "یادداشت یک"
    spec = c.get("/api/openapi.json").json()["paths"]
    assert set(spec["/api/notes/note"]) == {"get"} and set(spec["/api/notes/note/{id}"]) == {"get"}
    assert "/api/notes/note/bulk" not in spec
    with k.session(SYSTEM) as s, pytest.raises(PermissionDenied):
        records.delete_record(k, s, SYSTEM, k.resources["notes.note"], second)
    with k.sessions() as s:
        assert len(records.list_records(k, s, SYSTEM, k.resources["notes.note"], records.ListQuery()).items) == 2


def test_the_refusal_speaks_the_users_language(read_only_notes: tuple[Any, list[int]], web_client: Any) -> None:
    k, (first, _) = read_only_notes
    create_user(k, "anna", admin=True, lang="en")
    c = web_client(k, "anna")
    token = csrf(c, "/notes/note/")
    r = c.post(f"/notes/note/{first}/delete", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 405 and "cannot be added, changed or deleted here" in r.text


def test_a_read_only_resource_has_no_inline_fields(make_kernel: Any) -> None:
    k = make_kernel(**NOTES)
    res = Resource(name="notes.other", model=k.resources["notes.note"].model, label="N", label_plural="Ns",
                   form=("title",), inline=("title",), read_only=True)
    with pytest.raises(ValueError, match="read-only"):
        res.bind(k)
