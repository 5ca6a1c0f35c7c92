"""Issue 10: after a save and after a restore from the recycle bin the next page says so once
("ذخیره شد." / "بازگردانده شد."), wherever the redirect goes."""

import pytest
from starlette.testclient import TestClient

from kernel.testing import create_user, csrf
from kernel.web.app import build_app

SAVED = '<p class="notice flash" role="status" data-flash>ذخیره شد.</p>'
RESTORED = '<p class="notice flash" role="status" data-flash>بازگردانده شد.</p>'


@pytest.fixture
def admin(make_kernel, login_as):
    k = make_kernel(modules=("notes",), packages=("peyvand_notes",))
    create_user(k, "admin", admin=True)
    with TestClient(build_app(k)) as c:
        yield login_as(c, "admin")


def test_the_page_after_a_save_confirms_it_once(admin):
    token = csrf(admin, "/notes/note/new")
    saved = admin.post("/notes/note/new", data={"csrf": token, "title": "یادداشت", "kind": "plain"})
    assert saved.status_code == 200 and SAVED in saved.text  # the record page the save led to
    assert SAVED not in admin.get(str(saved.url)).text  # once
    edit = str(saved.url) + "/edit"
    token = csrf(admin, edit)
    again = admin.post(edit, data={"csrf": token, "title": "یادداشت دوم", "kind": "plain", "next": "/notes/note/"})
    assert str(again.url).endswith("/notes/note/") and SAVED in again.text  # also where ?next= leads
    refused = admin.post("/notes/note/new", data={"csrf": csrf(admin, "/notes/note/new"), "title": "", "kind": "plain"})
    assert refused.status_code == 400 and "data-flash" not in refused.text


def test_the_recycle_bin_confirms_a_restore(admin):
    loc = admin.post("/notes/note/new", data={"csrf": csrf(admin, "/notes/note/new"), "title": "وابسته",
                                              "kind": "plain"}, follow_redirects=False).headers["location"]
    admin.post(f"{loc}/delete", data={"csrf": csrf(admin, loc)})
    restored = admin.post("/trash", data={"csrf": csrf(admin, "/trash"), "resource": "notes.note",
                                          "id": loc.rsplit("/", 1)[1], "op": "restore"})
    assert RESTORED in restored.text and "وابسته" not in restored.text.split(RESTORED)[1]
