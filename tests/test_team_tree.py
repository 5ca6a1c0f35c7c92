"""Teams under teams (issue 15): the roles page builds the tree and refuses a cycle in Persian;
the "team" scope of a manager covers the teams under theirs, an agent's does not reach up or
sideways."""

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.models import Team
from kernel.testing import create_user, csrf
from kernel.web.app import build_app


def add(c, title):
    resp = c.post("/notes/note/new", data={"title": title, "kind": "plain", "csrf": csrf(c, "/notes/note/new")},
                  follow_redirects=False)
    assert resp.status_code == 303


def team_ids(k):
    with k.sessions() as s:
        return {t.name: t.id for t in s.scalars(select(Team))}


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_team_tree_on_the_roles_page_and_in_the_team_scope(make_kernel, login_as, engine):
    k = make_kernel(edition="tier4", modules=("notes",), packages=("peyvand_notes",), engine=engine)
    create_user(k, "admin", admin=True)
    admin = login_as(TestClient(build_app(k)), "admin")

    def post(**data):
        return admin.post("/admin/roles", data={"csrf": csrf(admin, "/admin/roles"), **data}, follow_redirects=False)

    # Max Rahkar: a sales manager's team over two regional teams; the north one has agents' team under it.
    assert post(op="team", name="فروش کل").status_code == 303
    assert post(op="team", name="منطقهٔ شمال", parent_id=str(team_ids(k)["فروش کل"])).status_code == 303
    assert post(op="team", name="منطقهٔ جنوب", parent_id=str(team_ids(k)["فروش کل"])).status_code == 303
    assert post(op="team", name="کارشناسان رشت", parent_id=str(team_ids(k)["منطقهٔ شمال"])).status_code == 303
    ids = team_ids(k)
    page = admin.get("/admin/roles").text
    tree = page[page.index("data-team-tree"):]
    # Tree order: each parent before its children, the depth marked.
    assert tree.index("فروش کل") < tree.index("منطقهٔ جنوب") < tree.index("منطقهٔ شمال") < tree.index("کارشناسان رشت")
    assert f'data-team="{ids["کارشناسان رشت"]}" data-depth="2"' in tree

    # No cycle: the top team cannot go under its grandchild, nor a team under itself; nothing changes.
    for team, parent in (("فروش کل", "کارشناسان رشت"), ("منطقهٔ شمال", "منطقهٔ شمال")):
        resp = post(op="team_parent", team_id=str(ids[team]), parent_id=str(ids[parent]))
        assert resp.status_code == 400 and "نمی‌تواند زیرمجموعهٔ خودش" in resp.text
    resp = post(op="team_parent", team_id=str(ids["فروش کل"]), parent_id="۹۹۹۹")  # Persian digits, no such team
    assert resp.status_code == 400 and "چنین تیمی وجود ندارد" in resp.text
    with k.sessions() as s:
        assert s.get(Team, ids["فروش کل"]).parent_id is None
        assert s.get(Team, ids["کارشناسان رشت"]).parent_id == ids["منطقهٔ شمال"]
    # A move that makes no cycle is taken: the south region goes under the north one, and back.
    assert post(op="team_parent", team_id=str(ids["منطقهٔ جنوب"]), parent_id=str(ids["منطقهٔ شمال"])).status_code == 303
    with k.sessions() as s:
        assert s.get(Team, ids["منطقهٔ جنوب"]).parent_id == ids["منطقهٔ شمال"]
    assert post(op="team_parent", team_id=str(ids["منطقهٔ جنوب"]), parent_id=str(ids["فروش کل"])).status_code == 303

    perms = ("notes.note.*",)
    create_user(k, "boss", perms=perms, scope="team", team="فروش کل")
    create_user(k, "north", perms=perms, scope="team", team="منطقهٔ شمال")
    create_user(k, "rasht", perms=perms, scope="team", team="کارشناسان رشت")
    create_user(k, "south", perms=perms, scope="own", team="منطقهٔ جنوب")
    for who in ("boss", "north", "rasht", "south"):
        add(login_as(TestClient(build_app(k)), who), f"یادداشت {who}")

    def seen(who):
        c = login_as(TestClient(build_app(k)), who)
        return {i["title"].split()[1] for i in c.get("/api/notes/note").json()["items"]}

    assert seen("boss") == {"boss", "north", "rasht", "south"}
    assert seen("north") == {"north", "rasht"}  # the region and the agents under it; not the south, not above
    assert seen("rasht") == {"rasht"}
    # Moving a team in the tree changes what its new parent's manager sees, from the next request on.
    assert post(op="team_parent", team_id=str(ids["کارشناسان رشت"]), parent_id=str(ids["منطقهٔ جنوب"])).status_code == 303
    assert seen("north") == {"north"}
