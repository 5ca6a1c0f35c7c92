"""Routes that always say which permission they need (KER-06: every route declares one).

The guard runs before every view: it finds the actor (session cookie or bearer token), checks
the declared permission, checks the CSRF token of cookie-authenticated writes, and runs sync
views in the thread pool so database work never blocks the event loop.
"""

from __future__ import annotations

import inspect
import secrets
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route as _Route

from kernel import memo
from kernel.errors import BodyTooLarge
from kernel.i18n import accept_language

PUBLIC = "@public"
"""Anyone, logged in or not (login page, health check)."""
AUTHENTICATED = "@authenticated"
"""Any logged-in user (dashboard, own password)."""
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class _Id(IntegerConvertor):
    """``{id:int}`` matches at most 18 digits: a record id is a signed 64-bit number, and a
    longer one (``/api/base/partner/99999999999999999999``) reached the database as a 500.
    Past it the path simply matches no route: 404."""

    regex = "[0-9]{1,18}"


register_url_convertor("int", _Id())


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _resolve_actor(request: Request) -> Any:
    from kernel import login_sessions, security

    kernel = request.app.state.kernel
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        request.state.via_token = True
        with kernel.sessions() as session, session.begin():
            request.state.memo = kernel.memo.begin_request(session)
            actor, touch = security.actor_for_token(session, auth[7:].strip())
        if touch is not None:
            with kernel.session() as session:
                security.touch_token(session, touch)
        return actor
    with kernel.sessions() as session, session.begin():
        request.state.memo = kernel.memo.begin_request(session)
        uid = request.session.get("uid")
        if not uid:
            return None
        sid, stamp = request.session.get("sid"), request.session.get("stamp")

        def resolve() -> Any:
            # The signed cookie alone is not enough: its session must still be live on the server.
            if not login_sessions.is_live(session, sid, int(uid)):
                return None
            return security.load_actor(session, int(uid), stamp)

        # Kept until a user, role, team or login session is written (kernel.memo): logging out
        # ends the session row, so the next request of any process resolves it again.
        return memo.cached(("actor", int(uid), sid, stamp), resolve)


class Route(_Route):
    """A Starlette route with a mandatory ``permission``; the guard checks it before the view."""

    def __init__(self, path: str, endpoint: Callable[..., Any], *, permission: str, max_body: int | None = None,
                 csrf: bool = True, **kw: Any) -> None:
        if not permission:
            raise ValueError(f"route {path!r} must declare a permission")
        # csrf=False: a PUBLIC route that another server posts to (an SMS panel's delivery
        # webhook), which proves itself by a secret in the URL instead of a session's token.
        if not csrf and permission != PUBLIC:
            raise ValueError(f"route {path!r}: only a PUBLIC route may go without the CSRF check")
        self.permission = permission
        # A route that takes more than the instance's body limit (an import of a 20 MB sheet)
        # says so here; every other route gets PEYVAND_MAX_BODY_BYTES (kernel.web.body_limit).
        self.max_body = max_body
        self.view = endpoint
        super().__init__(path, self._guarded(endpoint, permission, csrf), **kw)

    @staticmethod
    def _guarded(view: Callable[..., Any], permission: str, csrf: bool = True) -> Callable[..., Any]:
        is_async = inspect.iscoroutinefunction(view)

        def allowed(actor: Any) -> bool:
            return permission == PUBLIC or (actor is not None and (permission == AUTHENTICATED
                                                                   or actor.can(permission)))

        def resolve_then_view(request: Request) -> Response | None:
            # A page read by a sync view: the login and the view in one trip to the thread pool,
            # not two (0.3–1 ms a page). None: refused, answered by `checked` as any refusal.
            actor = request.state.actor = _resolve_actor(request)
            if not allowed(actor):
                return None
            request.state.form = None
            return view(request)

        async def guard(request: Request) -> Response:
            request.state.via_token = False
            request.state.memo = None
            if not is_async and request.method in SAFE_METHODS:
                response = await run_in_threadpool(resolve_then_view, request)
                if response is not None:
                    return response
                actor = request.state.actor
            else:
                actor = await run_in_threadpool(_resolve_actor, request)
                request.state.actor = actor
            entered = memo.enter(request.state.memo)  # the request's kept values, for the view
            try:
                return await checked(request, actor)
            finally:
                memo.leave(entered)

        async def checked(request: Request, actor: Any) -> Response:
            if permission != PUBLIC:
                if actor is None:
                    if _wants_json(request) or request.state.via_token:
                        text = request.app.state.kernel.t(accept_language(request.headers.get("accept-language", "")),
                                                          "Authentication required")
                        return JSONResponse({"error": text}, status_code=401)
                    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
                if permission != AUTHENTICATED and not actor.can(permission):
                    return await request.app.state.forbidden(request)
            request.state.form = None
            if request.method not in SAFE_METHODS:
                # Sync views cannot await the body, so it is read here once for them.
                if "form" in request.headers.get("content-type", ""):
                    limit = request.app.state.kernel.config.max_upload_bytes + 65536
                    try:
                        request.state.form = await request.form(max_part_size=limit)
                    except BodyTooLarge:
                        raise  # answered with 413 by kernel.web.body_limit
                    except Exception:  # python-multipart raises several kinds on bad bodies
                        return await request.app.state.bad_request(request)
                else:
                    request.state.body = await request.body()
            if request.method not in SAFE_METHODS and not request.state.via_token and csrf:
                sent = request.headers.get("x-csrf-token")
                if sent is None and request.state.form is not None:
                    sent = request.state.form.get("csrf")
                if not sent or not secrets.compare_digest(str(sent), str(request.session.get("csrf", ""))):
                    return await request.app.state.csrf_failed(request)
            if is_async:
                return await view(request)
            return await run_in_threadpool(view, request)

        guard.__name__ = getattr(view, "__name__", "view")
        return guard
