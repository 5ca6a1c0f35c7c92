"""The Starlette application, assembled from the kernel's pages and every module's routes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kernel.errors import NotFound, PermissionDenied
from kernel.plugins import ModuleError
from kernel.push import stream as push_stream
from kernel.reminders import routes as reminder_routes
from kernel.routing import Route
from kernel.web import (
    access_admin,
    admin,
    api,
    attachments,
    auth,
    edition_admin,
    jobs_admin,
    numbering_admin,
    occasions_admin,
    pages,
    quick_add,
    reports,
    resource_views,
    snippets,
    trash,
)
from kernel.web.api_answers import api_lang
from kernel.web.body_limit import BodyLimit
from kernel.web.route_index import IndexedRouter
from kernel.web.templating import make_environment, render, request_lang

if TYPE_CHECKING:
    from kernel.kernel import Kernel

log = logging.getLogger("peyvand.web")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    # Everything is served by the app itself (KER-18): no outside script, font or style.
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
     b"frame-ancestors 'none'; form-action 'self'"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def module_routes(kernel: Kernel) -> list[BaseRoute]:
    """Each module's own pages under ``/<module>/``; a route without a permission stops start-up."""
    mounts: list[BaseRoute] = []
    for impl in kernel.pm.hook.register_routes.get_hookimpls():
        module = impl.plugin_name
        answer: Any = impl.function(**({"kernel": kernel} if "kernel" in impl.argnames else {}))
        routes: list[Any] = list(answer or [])
        for route in routes:
            if not isinstance(route, Route):
                raise ModuleError(f"module {module!r}: register_routes must return kernel.Route objects "
                                  f"that declare a permission, got {route!r}")
        if routes:
            mounts.append(Mount(f"/{module}", routes=routes, name=module))
    return mounts


def build_app(kernel: Kernel) -> Starlette:
    statics: list[BaseRoute] = [
        Mount(f"/static/{name}", app=StaticFiles(directory=str(path)), name=f"static-{name}")
        for name, path in kernel.static_dirs().items()
    ]
    routes: list[BaseRoute] = [
        *auth.routes(),
        *pages.routes(),
        *admin.routes(),
        *edition_admin.routes(),
        *jobs_admin.routes(),
        *numbering_admin.routes(),
        *access_admin.routes(),
        *occasions_admin.routes(),
        *reports.routes(kernel),
        *trash.routes(),
        *reminder_routes.routes(),
        *attachments.routes(),
        *snippets.routes(),
        *quick_add.routes(),
        *push_stream.routes(),
        *api.routes(kernel),
        *statics,
        # Resource pages first: a module's Mount("/<module>") would otherwise swallow them.
        *resource_views.routes(kernel),
        *module_routes(kernel),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=kernel.config.secret_key, session_cookie="peyvand_session",
                   same_site="lax", https_only=kernel.config.https_only_cookies, max_age=14 * 24 * 3600),
        # Inside the session middleware, so a refusal speaks the user's language.
        Middleware(BodyLimit, kernel=kernel),
    ]
    handlers: dict[Any, Any] = {404: not_found, 500: server_error, PermissionDenied: denied, NotFound: missing}
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
    app.router = IndexedRouter(routes)  # the same routes, tried by their first segment
    app.state.kernel = kernel
    app.state.jinja = make_environment(kernel)
    app.state.forbidden = forbidden
    app.state.csrf_failed = csrf_failed
    app.state.bad_request = bad_request
    app.state.message = _message  # a message page (JSON under /api/) with a status: kernel.web.read_only

    def company_name() -> str:
        if not hasattr(app.state, "_company"):
            with kernel.sessions() as s:
                app.state._company = kernel.setting(s, "company.name", "")
        return str(app.state._company)

    app.state.company_name = company_name
    if kernel.config.run_scheduler:
        from kernel.jobs import lifespan_scheduler

        app.router.lifespan_context = lifespan_scheduler(kernel)
    return app


def _message(request: Request, msgid: str, status: int) -> Response:
    kernel = request.app.state.kernel
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": kernel.t(api_lang(request), msgid)}, status_code=status)
    lang = request_lang(request)
    return render(request, "kernel/message.html", {"message": kernel.t(lang, msgid), "status": status}, status)


async def forbidden(request: Request) -> Response:
    return _message(request, "You do not have permission to do this", 403)


async def denied(request: Request, exc: Exception) -> Response:
    """A refusal raised anywhere below a view (a service, a guard) is a 403 with its reason, never
    a 500: a view-only user's bulk delete or attachment upload dropped the connection before."""
    if not hasattr(request.state, "actor"):
        request.state.actor = None
    reason = str(exc)
    return _message(request, reason if reason and request.app.state.kernel.catalog.has("fa", reason)
                    else "You do not have permission to do this", 403)


async def missing(request: Request, exc: Exception) -> Response:
    return await not_found(request, exc)


async def csrf_failed(request: Request) -> Response:
    return _message(request, "The form expired; reload the page and try again", 403)


async def bad_request(request: Request) -> Response:
    return _message(request, "The request could not be read", 400)


async def not_found(request: Request, exc: Any) -> Response:
    if not hasattr(request.state, "actor"):
        request.state.actor = None
    return _message(request, "Not found", 404)


async def server_error(request: Request, exc: Any) -> Response:
    log.exception("server error on %s", request.url.path, exc_info=exc)
    if not hasattr(request.state, "actor"):
        request.state.actor = None
    return _message(request, "Something went wrong on the server; it has been logged", 500)
