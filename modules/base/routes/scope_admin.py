"""Which provinces each role reaches (KER-06 geographic scope), set by an administrator."""

from __future__ import annotations

from sqlalchemy import delete, select
from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.models import Role
from kernel.web.forms import form, redirect
from kernel.web.templating import render
from modules.base.models import Province, RoleProvince

PERM = "kernel.admin.users"


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        roles = list(session.scalars(select(Role).order_by(Role.name)))
        provinces = list(session.scalars(select(Province).where(Province.deleted_at.is_(None)).order_by(Province.name)))
        chosen: dict[int, set[int]] = {}
        for role_id, province_id in session.execute(select(RoleProvince.role_id, RoleProvince.province_id)):
            chosen.setdefault(role_id, set()).add(province_id)
    return render(request, "base/role_scope.html", {"roles": roles, "provinces": provinces, "chosen": chosen})


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    role_id = str(data.get("role_id", ""))
    if not role_id.isdigit():
        return redirect("/base/role-scope")
    wanted = {int(p) for p in data.getlist("province") if str(p).isdigit()}
    with kernel.session(request.state.actor) as session:
        if session.get(Role, int(role_id)) is None:
            return redirect("/base/role-scope")
        valid = set(session.scalars(select(Province.id).where(Province.id.in_(wanted))))
        session.execute(delete(RoleProvince).where(RoleProvince.role_id == int(role_id)))
        session.add_all([RoleProvince(role_id=int(role_id), province_id=p) for p in sorted(valid)])
    return redirect("/base/role-scope")


def routes() -> list[Route]:
    return [
        Route("/role-scope", page, methods=["GET"], permission=PERM, name="role_scope"),
        Route("/role-scope", save, methods=["POST"], permission=PERM, name="role_scope_save"),
    ]
