"""Each report is its own grantable permission (``<key>.report``): shown on the roles page,
checked on the report's page and its PDF/xlsx exports, and the reports list shows only the
reports a user may open. The data permission the report reads still applies."""

import pytest
from starlette.testclient import TestClient

from kernel.testing import create_user, csrf
from kernel.web.app import build_app

FORBIDDEN_FA = "اجازهٔ انجام این کار را ندارید"


@pytest.fixture
def nk(make_kernel):
    k = make_kernel(edition="tier4", modules=("notes",), packages=("peyvand_notes",))
    create_user(k, "admin", admin=True)
    create_user(k, "reader", perms=("notes.note.view", "notes.totals.report"))
    create_user(k, "notes_only", perms=("notes.note.view",))
    create_user(k, "report_only", perms=("notes.totals.report",))
    create_user(k, "exporter", perms=("notes.note.view", "notes.note.export", "notes.note.print", "notes.totals.report"))
    return k


def test_the_report_permission_is_registered_and_shown_on_the_roles_page(nk, login_as):
    assert "notes.totals.report" in nk.permissions
    with TestClient(build_app(nk)) as c:
        login_as(c, "admin")
        page = c.get("/admin/roles").text
        assert 'value="notes.totals.report"' in page and "Notes by kind" in page


def test_a_granted_report_opens_and_its_exports_need_export_and_print(nk, login_as):
    """A view-only reader sees the report but downloads neither file (issue 9, item 4): the
    xlsx needs the data's export permission and the PDF its print permission, as list exports."""
    with TestClient(build_app(nk)) as c:
        login_as(c, "reader")
        assert "/reports/notes.totals" in c.get("/reports/").text
        page = c.get("/reports/notes.totals")
        assert page.status_code == 200 and "notes.totals.xlsx" not in page.text and "notes.totals.pdf" not in page.text
        assert c.get("/reports/notes.totals.xlsx").status_code == 403
        assert c.get("/reports/notes.totals.pdf").status_code == 403
    with TestClient(build_app(nk)) as c:
        login_as(c, "exporter")
        page = c.get("/reports/notes.totals").text
        assert "notes.totals.xlsx" in page and "notes.totals.pdf" in page
        assert c.get("/reports/notes.totals.xlsx").status_code == 200
        pdf = c.get("/reports/notes.totals.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["notes_only", "report_only"])
def test_without_either_permission_the_report_is_hidden_and_refused(nk, login_as, who):
    with TestClient(build_app(nk)) as c:
        login_as(c, who)
        assert "/reports/notes.totals" not in c.get("/reports/").text
        for path in ("/reports/notes.totals", "/reports/notes.totals.xlsx", "/reports/notes.totals.pdf"):
            resp = c.get(path)
            assert resp.status_code == 403, path
            assert FORBIDDEN_FA in resp.text


def test_granting_the_report_on_the_roles_page_opens_it(nk, login_as):
    from sqlalchemy import select

    from kernel.models import Role

    with nk.sessions() as s:
        rid = s.scalars(select(Role.id).where(Role.name == "role-notes_only")).one()
    with TestClient(build_app(nk)) as c:
        login_as(c, "admin")
        resp = c.post("/admin/roles", data={"csrf": csrf(c, "/admin/roles"), "id": str(rid), "record_scope": "all",
                                            "perm": ["notes.note.view", "notes.totals.report"]},
                      follow_redirects=False)
        assert resp.status_code == 303
    with TestClient(build_app(nk)) as c:
        login_as(c, "notes_only")
        assert c.get("/reports/notes.totals").status_code == 200
