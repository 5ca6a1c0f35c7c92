"""A user's access on the administration pages (issue 9, item 5): the browsers signed in as them
and their API tokens, each ended or revoked here, as ``peyvand token revoke`` does."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import login_sessions, security
from kernel.errors import InputError, NotFound
from kernel.models import LoginSession, User
from kernel.routing import Route
from kernel.web import admin_guard as guard
from kernel.web.forms import redirect
from kernel.web.templating import render

PERM = "kernel.admin.users"


def _user(session: object, request: Request) -> User:
    user = session.get(User, request.path_params["id"])  # type: ignore[attr-defined]
    if user is None:
        raise NotFound("user")
    guard.may_manage(request.state.actor, user)
    return user


def access(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        user = _user(session, request)
        sessions = list(session.scalars(select(LoginSession).where(LoginSession.user_id == user.id,
                                                                   LoginSession.ended_at.is_(None))
                                        .order_by(LoginSession.id.desc())))
        tokens = security.list_tokens(session, user.id)
    return render(request, "kernel/admin/access.html", {"user": user, "sessions": sessions, "tokens": tokens,
                                                        "done": request.query_params.get("done", "")})


def revoke(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.session(request.state.actor) as session:
        user = _user(session, request)
        try:
            security.revoke_token(session, request.path_params["tid"], user.id)
        except InputError as exc:
            raise NotFound("token") from exc
    return redirect(f"/admin/users/{user.id}/access?done=revoked")


def end_sessions(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.session(request.state.actor) as session:
        user = _user(session, request)
        login_sessions.end_all(session, user.id)
    return redirect(f"/admin/users/{user.id}/access?done=ended")


def routes() -> list[Route]:
    return [
        Route("/admin/users/{id:int}/access", access, methods=["GET"], permission=PERM, name="admin_user_access"),
        Route("/admin/users/{id:int}/tokens/{tid:int}/revoke", revoke, methods=["POST"], permission=PERM,
              name="admin_token_revoke"),
        Route("/admin/users/{id:int}/sessions/end", end_sessions, methods=["POST"], permission=PERM,
              name="admin_sessions_end"),
    ]
