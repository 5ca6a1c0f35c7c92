"""Role templates shipped by modules (issue 8, item 5): the administrator picks one when creating
a role and the role is filled from it; permissions of modules that are not enabled are left out."""

from __future__ import annotations

from sqlalchemy import select

from kernel import RoleTemplate, role_templates, testing
from kernel.models import Role


def _role(k, name):
    with k.sessions() as s:
        role = s.scalars(select(Role).where(Role.name == name)).one()
        return role.record_scope, {p.permission for p in role.permissions}


def test_base_ships_templates_and_the_roles_page_offers_them(kernel, web_client):
    assert {"base.receptionist", "base.sales_clerk"} <= set(kernel.role_templates)
    testing.create_user(kernel, "boss", admin=True)
    client = web_client(kernel, "boss")
    page = client.get("/admin/roles").text
    assert 'name="template"' in page and "پذیرش" in page and "کارشناس فروش" in page
    resp = client.post("/admin/roles", data={"name": "فروش شعبه ۲", "template": "base.sales_clerk",
                                            "record_scope": "all", "csrf": testing.csrf_of(page)},
                       follow_redirects=False)
    assert resp.status_code == 303
    scope, perms = _role(kernel, "فروش شعبه ۲")
    assert scope == "own"
    assert {"base.partner.view", "base.partner.edit", "base.communication.delete", "base.contact.create"} <= perms
    assert "base.partner.delete" not in perms and "base.partner.merge" not in perms
    # Without a template the boxes decide, as before.
    client.post("/admin/roles", data={"name": "فقط دیدن", "record_scope": "team", "perm": "base.partner.view",
                                      "csrf": testing.csrf_of(page)})
    assert _role(kernel, "فقط دیدن") == ("team", {"base.partner.view"})


def test_a_user_with_a_templated_role_can_do_the_job(kernel, web_client):
    testing.create_user(kernel, "boss", admin=True)
    client = web_client(kernel, "boss")
    page = client.get("/admin/roles").text
    client.post("/admin/roles", data={"name": "پذیرش", "template": "base.receptionist", "csrf": testing.csrf_of(page)})
    with kernel.session() as s:
        from kernel.models import User

        clerk = testing.create_user(kernel, "desk")
        s.get(User, clerk).roles = [s.scalars(select(Role).where(Role.name == "پذیرش")).one()]
    desk = web_client(kernel, "desk")
    assert desk.get("/base/partner/new").status_code == 200
    assert desk.get("/admin/roles").status_code == 403


def test_unknown_permissions_are_left_out(kernel):
    template = RoleTemplate("base.x", "X", ("base.partner.view", "finance.invoice.*", "finance.invoice.approve"))
    assert role_templates.expand(kernel, template.permissions) == {"base.partner.view"}
