"""The "team" record scope (KER-06): a role with scope "team" sees the records owned by anyone in
the user's team — in lists, global search, exports, the API and single records — and nothing of
other teams; a team-scoped user without a team sees only their own records."""

import pytest
from starlette.testclient import TestClient

from kernel.testing import create_user, csrf
from kernel.web.app import build_app


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def nk(make_kernel, request):
    k = make_kernel(edition="tier4", modules=("notes",), packages=("peyvand_notes",), engine=request.param)
    create_user(k, "lead", perms=("notes.note.*",), scope="team", team="sales")
    create_user(k, "seller", perms=("notes.note.*",), scope="own", team="sales")
    create_user(k, "helper", perms=("notes.note.*",), scope="own", team="support")
    create_user(k, "loner", perms=("notes.note.*",), scope="team")
    return k


def client(k, username, login_as):
    return login_as(TestClient(build_app(k)), username)


def add(c, title):
    resp = c.post("/notes/note/new", data={"title": title, "kind": "plain", "csrf": csrf(c, "/notes/note/new")},
                  follow_redirects=False)
    assert resp.status_code == 303
    return int(resp.headers["location"].rstrip("/").rsplit("/", 1)[1])


def test_team_scope_in_every_path(nk, login_as):
    lead, seller, helper = (client(nk, u, login_as) for u in ("lead", "seller", "helper"))
    add(lead, "یادداشت سرپرست")
    add(seller, "یادداشت فروشنده")
    other = add(helper, "یادداشت پشتیبانی")
    team = {"یادداشت سرپرست", "یادداشت فروشنده"}
    listing = lead.get("/notes/note/").text
    assert all(t in listing for t in team) and "یادداشت پشتیبانی" not in listing
    found = lead.get("/search", params={"q": "یادداشت"}).text
    assert "یادداشت فروشنده" in found and "یادداشت پشتیبانی" not in found
    sheet = lead.get("/notes/note/export.csv").content.decode("utf-8-sig")
    assert "یادداشت فروشنده" in sheet and "یادداشت پشتیبانی" not in sheet
    api = lead.get("/api/notes/note").json()
    assert {i["title"] for i in api["items"]} == team and api["count"] == 2
    assert lead.get(f"/api/notes/note/{other}").status_code == 404
    assert lead.get(f"/notes/note/{other}").status_code == 404
    # The own-scoped seller of the same team still sees only their own.
    assert {i["title"] for i in seller.get("/api/notes/note").json()["items"]} == {"یادداشت فروشنده"}


def test_team_scope_without_a_team_is_own_scope(nk, login_as):
    loner, seller = client(nk, "loner", login_as), client(nk, "seller", login_as)
    add(loner, "مال خودم")
    add(seller, "مال فروش")
    assert {i["title"] for i in loner.get("/api/notes/note").json()["items"]} == {"مال خودم"}


def test_a_user_in_two_teams_sees_both_teams(make_kernel, login_as):
    k = make_kernel(edition="tier4", modules=("notes",), packages=("peyvand_notes",))
    create_user(k, "admin", admin=True)
    create_user(k, "manager", perms=("notes.note.*",), scope="team", team="sales", other_teams=("support",))
    create_user(k, "seller", perms=("notes.note.*",), scope="own", team="sales")
    create_user(k, "helper", perms=("notes.note.*",), scope="own", team="support")
    create_user(k, "builder", perms=("notes.note.*",), scope="own", team="projects")
    for who, title in (("seller", "از فروش"), ("helper", "از پشتیبانی"), ("builder", "از پروژه")):
        add(client(k, who, login_as), title)
    manager = client(k, "manager", login_as)
    assert {i["title"] for i in manager.get("/api/notes/note").json()["items"]} == {"از فروش", "از پشتیبانی"}
    from sqlalchemy import select

    from kernel.models import Team, User

    with k.sessions() as s:
        helper = s.scalars(select(User).where(User.username == "helper")).one()
        projects = s.scalars(select(Team.id).where(Team.name == "projects")).one()
    # The users page sets the other teams; the main team is never repeated among them.
    admin = client(k, "admin", login_as)
    resp = admin.post("/admin/users", data={"csrf": csrf(admin, "/admin/users"), "op": "roles", "id": str(helper.id),
                                            "team_id": str(helper.team_id),
                                            "other_team": [str(projects), str(helper.team_id)]},
                      follow_redirects=False)
    assert resp.status_code == 303
    with k.sessions() as s:
        helper = s.get(User, helper.id)
        assert [t.id for t in helper.other_teams] == [projects]
        assert helper.team_ids == tuple(sorted({helper.team_id, projects}))
