"""Which provinces, cities and regions each role reaches (KER-06 geographic scope), set by an
administrator. Cities and regions are multiple-choice lists grouped by province and city: a few
hundred options, no script needed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, Route
from kernel.models import Role
from kernel.web.forms import error_text, form, redirect
from kernel.web.templating import render
from modules.base.models import City, Province, Region, RoleCity, RoleProvince, RoleRegion
from modules.base.scope_admin import set_role_scope

PERM = "kernel.admin.users"


def _chosen(session: Any, model: Any, column: Any) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for role_id, place_id in session.execute(select(model.role_id, column)):
        out.setdefault(role_id, set()).add(place_id)
    return out


def page(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        roles = list(session.scalars(select(Role).order_by(Role.name)))
        provinces = list(session.scalars(select(Province).where(Province.deleted_at.is_(None)).order_by(Province.sort_key)))
        cities = list(session.scalars(select(City).where(City.deleted_at.is_(None)).order_by(City.sort_key)))
        regions = list(session.scalars(select(Region).where(Region.deleted_at.is_(None)).order_by(Region.sort_key)))
        chosen = {
            "province": _chosen(session, RoleProvince, RoleProvince.province_id),
            "city": _chosen(session, RoleCity, RoleCity.city_id),
            "region": _chosen(session, RoleRegion, RoleRegion.region_id),
        }
    cities_of: dict[int, list[City]] = {}
    for c in cities:
        cities_of.setdefault(c.province_id, []).append(c)
    regions_of: dict[int, list[Region]] = {}
    for r in regions:
        regions_of.setdefault(r.city_id, []).append(r)
    return render(request, "base/role_scope.html", {
        "roles": roles, "provinces": provinces, "cities_of": cities_of, "regions_of": regions_of,
        "city_names": {c.id: c.name for c in cities}, "chosen": chosen, "error": error,
    }, status)


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    role_id = str(data.get("role_id", ""))
    try:
        if not role_id.isdigit():
            raise InputError("Not found")
        with kernel.session(request.state.actor) as session:
            set_role_scope(session, int(role_id), data.getlist("province"), data.getlist("city"),
                           data.getlist("region"))
    except InputError as exc:
        return page(request, error_text(request, exc), 400)
    return redirect("/base/role-scope")


def routes() -> list[Route]:
    return [
        Route("/role-scope", page, methods=["GET"], permission=PERM, name="role_scope"),
        Route("/role-scope", save, methods=["POST"], permission=PERM, name="role_scope_save"),
    ]
