"""Administration through the pages: roles with permissions and scope, users, seats; CSRF on every form."""

import re

from starlette.testclient import TestClient

from kernel.testing import PASSWORD, create_user, csrf, do_login
from kernel.web.app import build_app


def test_admin_builds_a_role_assigns_it_and_the_user_gets_exactly_that(make_kernel, login_as):
    k = make_kernel(edition="tier2", modules=("notes",), packages=("peyvand_notes",))
    create_user(k, "admin", admin=True)
    with TestClient(build_app(k)) as admin:
        login_as(admin, "admin")
        token = csrf(admin, "/admin/roles")
        admin.post("/admin/roles", data={"csrf": token, "name": "فروش", "record_scope": "own",
                                         "perm": ["notes.note.view", "notes.note.create", "not.a.permission"]})
        admin.post("/admin/users", data={"csrf": token, "op": "create", "username": "Sara",
                                         "full_name": "سارا", "password": PASSWORD})
        page = admin.get("/admin/users").text
        role_id = re.search(r'name="role" value="(\d+)"', page).group(1)
        user_id = re.findall(r'name="id" value="(\d+)"', page)[-1]
        admin.post("/admin/users", data={"csrf": token, "op": "roles", "id": user_id, "role": role_id})
        roles_page = admin.get("/admin/roles").text
        assert "not.a.permission" not in roles_page
    with TestClient(build_app(k)) as sara:
        login_as(sara, "sara")  # usernames are case-insensitive
        assert sara.get("/notes/note/").status_code == 200
        assert sara.get("/notes/note/new").status_code == 200
        assert sara.get("/notes/note/export.xlsx").status_code == 403
        assert sara.get("/admin/users").status_code == 403


def test_seats_are_enforced_on_the_users_page(make_kernel, login_as):
    k = make_kernel(edition="tier1")  # 2 seats
    create_user(k, "admin", admin=True)
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        token = csrf(c, "/admin/users")
        ok = c.post("/admin/users", data={"csrf": token, "op": "create", "username": "dovom", "password": PASSWORD})
        assert ok.status_code == 200
        refused = c.post("/admin/users", data={"csrf": token, "op": "create", "username": "sevom", "password": PASSWORD})
        assert refused.status_code == 400 and "۲" in refused.text  # "allows 2 active users", in Persian
        page = c.get("/admin/users").text
        dovom = re.search(r'dovom.*?name="id" value="(\d+)"', page, re.S).group(1)
        c.post("/admin/users", data={"csrf": token, "op": "deactivate", "id": dovom})
        assert do_login(TestClient(build_app(k)), "dovom").status_code == 400  # deactivated users cannot log in


def test_every_post_form_on_every_page_carries_the_csrf_token(make_kernel, login_as):
    k = make_kernel(modules=("notes",), packages=("peyvand_notes",))
    create_user(k, "admin", admin=True)
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        token = csrf(c, "/notes/note/new")
        loc = c.post("/notes/note/new", data={"csrf": token, "title": "فرم‌ها", "kind": "plain"},
                     follow_redirects=False).headers["location"]
        pages = ["/", "/notes/note/", "/notes/note/new", loc, loc + "/edit", "/admin/users", "/admin/roles",
                 "/admin/settings", "/admin/jobs", "/trash", "/password", "/preferences", "/base/province/"]
        checked = 0
        for path in pages:
            html = c.get(path).text
            for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S):
                assert 'name="csrf"' in form, f"{path}: a form without the CSRF token"
                checked += 1
        assert checked >= 20
