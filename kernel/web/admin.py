"""Administration: users (with the edition's seat limit), roles and their permissions and scope,
the login audit, and company settings used on every PDF."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from starlette.requests import Request
from starlette.responses import Response

from kernel import login_sessions, role_templates, security
from kernel import teams as kernel_teams
from kernel.errors import InputError
from kernel.models import LoginEvent, Role, RolePermission, Team, User
from kernel.routing import Route
from kernel.seats import seat_limit
from kernel.web import admin_guard as guard
from kernel.web.attachments import ALLOWED
from kernel.web.forms import error_text, form, redirect
from kernel.web.gregorian import PDF_SETTING as PDF_GREGORIAN
from kernel.web.templating import render

PERM = "kernel.admin.users"
SCOPES = ("all", "team", "own")


def users(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        rows = list(session.scalars(select(User).options(selectinload(User.other_teams)).order_by(User.id)))
        roles = list(session.scalars(select(Role).order_by(Role.name)))
        teams = list(session.scalars(select(Team).order_by(Team.name)))
        active = security.active_users(session)
        limit = seat_limit(kernel, session)
    return render(request, "kernel/admin/users.html", {"users": rows, "roles": roles, "teams": teams,
                                                       "active": active, "seats": limit, "error": error}, status)


def user_save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    op = data.get("op")
    actor = request.state.actor
    try:
        with kernel.session(request.state.actor) as session:
            user: User | None
            if op == "create":
                guard.may_make_admin(actor, bool(data.get("is_admin")))
                user = security.create_user(kernel, session, str(data.get("username", "")),
                                            str(data.get("password", "")), full_name=str(data.get("full_name", "")),
                                            is_admin=bool(data.get("is_admin")))
            else:
                uid = str(data.get("id", ""))
                user = session.get(User, int(uid)) if uid.isdigit() else None
                if user is None:
                    raise InputError("Not found")
                guard.may_manage(actor, user)
                if op == "activate" and not user.is_active:
                    security.check_seat(kernel, session)
                    user.is_active = True
                elif op == "deactivate":
                    if user.id == request.state.actor.user_id:
                        raise InputError("You cannot deactivate yourself")
                    user.is_active = False
                elif op == "roles":
                    wanted = {int(r) for r in data.getlist("role") if str(r).isdigit()}
                    granted = list(session.scalars(select(Role).where(Role.id.in_(wanted))))
                    # Roles the user keeps are not re-checked: a manager may remove what they could not give.
                    guard.may_grant(actor, [r for r in granted if r not in user.roles])
                    user.roles = granted
                    team = str(data.get("team_id", ""))
                    user.team_id = int(team) if team.isdigit() else None
                    others = {int(t) for t in data.getlist("other_team") if str(t).isdigit()} - {user.team_id}
                    user.other_teams = list(session.scalars(select(Team).where(Team.id.in_(others))))
                elif op == "password":
                    user.password_hash = security.hash_password(str(data.get("password", "")))
                    login_sessions.end_all(session, user.id)
    except InputError as exc:
        return users(request, error_text(request, exc), 400)
    return redirect("/admin/users")


def roles(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        rows = list(session.scalars(select(Role).order_by(Role.name)))
        teams = list(session.scalars(select(Team).order_by(Team.name)))
        tree = kernel_teams.tree(session)
        granted = {r.id: {p.permission for p in r.permissions} for r in rows}
    perms = sorted(kernel.permissions.values(), key=lambda p: p.code)
    return render(request, "kernel/admin/roles.html", {"roles": rows, "perms": perms, "granted": granted,
                                                       "scopes": SCOPES, "teams": teams, "error": error,
                                                       "tree": tree, "templates": list(kernel.role_templates.values())}, status)


def role_save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    try:
        with kernel.session(request.state.actor) as session:
            if data.get("op") in ("team", "team_parent"):
                team_save(session, data)
                return redirect("/admin/roles")
            rid = str(data.get("id", ""))
            role: Any = session.get(Role, int(rid)) if rid.isdigit() else None
            if role is None:
                name = str(data.get("name", "")).strip()
                if not name:
                    raise InputError("This field is required")
                if session.scalars(select(Role).where(Role.name == name)).first():
                    raise InputError("This name is taken")
                role = Role(name=name)
                session.add(role)
            template = kernel.role_templates.get(str(data.get("template", "")))
            if template is not None and not rid.isdigit():
                # A new role starts as the template says; its boxes are edited afterwards.
                role_templates.fill(kernel, role, template)
                return redirect("/admin/roles")
            scope = str(data.get("record_scope", "all"))
            role.record_scope = scope if scope in SCOPES else "own"
            codes = [c for c in data.getlist("perm") if c in kernel.permissions]
            guard.may_define(request.state.actor, codes, role.record_scope)
            role.permissions = [RolePermission(permission=c) for c in sorted(set(codes))]
    except InputError as exc:
        return roles(request, error_text(request, exc), 400)
    return redirect("/admin/roles")


def team_save(session: Any, data: Any) -> None:
    """A new team (under a parent or at the top), or an existing team moved under another."""
    parent = str(data.get("parent_id", "")).strip()
    parent_id = int(parent) if parent.isdigit() else None
    if data.get("op") == "team_parent":
        tid = str(data.get("team_id", ""))
        team = session.get(Team, int(tid)) if tid.isdigit() else None
        if team is None:
            raise InputError("There is no such team")
        kernel_teams.set_parent(session, team, parent_id)
        return
    name = str(data.get("name", "")).strip()
    if not name:
        raise InputError("This field is required")
    if session.scalars(select(Team).where(Team.name == name)).first():
        raise InputError("This name is taken")
    team = Team(name=name)
    session.add(team)
    session.flush()
    kernel_teams.set_parent(session, team, parent_id)


def logins(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        rows = list(session.scalars(select(LoginEvent).order_by(LoginEvent.id.desc()).limit(300)))
    return render(request, "kernel/admin/logins.html", {"rows": rows})


SETTINGS = ("company.name", "company.pdf_title", "company.pdf_footer")
LOGO = "company.logo_url"
LOGO_MAX_BYTES = 300 * 1024
LOGO_TYPES = ("png", "jpg", "gif", "webp")


def settings(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        values = {k: kernel.setting(session, k, "") for k in (*SETTINGS, LOGO)}
        gregorian = bool(kernel.setting(session, PDF_GREGORIAN, False))
    return render(request, "kernel/admin/settings.html", {"values": values, "keys": SETTINGS, "error": error,
                                                          "pdf_gregorian": gregorian}, status)


def logo_data_url(upload: Any) -> str:
    """An uploaded logo as a data: URL: PDFs embed it without fetching anything (KER-10, KER-18)."""
    content = upload.file.read(LOGO_MAX_BYTES + 1)
    if len(content) > LOGO_MAX_BYTES:
        raise InputError("The logo must be at most {kb} KB", kb=LOGO_MAX_BYTES // 1024)
    for ext in LOGO_TYPES:
        mime, magic = ALLOWED[ext]
        if content.startswith(magic):
            return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
    raise InputError("The logo must be a PNG, JPEG, GIF or WebP image")


def settings_save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    upload = data.get("logo")
    try:
        logo = logo_data_url(upload) if upload is not None and getattr(upload, "filename", None) else None
    except InputError as exc:
        return settings(request, error_text(request, exc), 400)
    with kernel.session(request.state.actor) as session:
        for key in SETTINGS:
            kernel.set_setting(session, key, str(data.get(key, "")).strip()[:500])
        kernel.set_setting(session, PDF_GREGORIAN, bool(data.get(PDF_GREGORIAN)))
        if logo is not None:
            kernel.set_setting(session, LOGO, logo)
        elif data.get("remove_logo"):
            kernel.set_setting(session, LOGO, "")
    if hasattr(request.app.state, "_company"):
        del request.app.state._company
    return redirect("/admin/settings")


def routes() -> list[Route]:
    return [
        Route("/admin/users", users, methods=["GET"], permission=PERM, name="admin_users"),
        Route("/admin/users", user_save, methods=["POST"], permission=PERM, name="admin_users_save"),
        Route("/admin/roles", roles, methods=["GET"], permission=PERM, name="admin_roles"),
        Route("/admin/roles", role_save, methods=["POST"], permission=PERM, name="admin_roles_save"),
        Route("/admin/logins", logins, methods=["GET"], permission=PERM, name="admin_logins"),
        Route("/admin/settings", settings, methods=["GET"], permission=PERM, name="admin_settings"),
        Route("/admin/settings", settings_save, methods=["POST"], permission=PERM, name="admin_settings_save"),
    ]
