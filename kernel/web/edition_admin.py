"""The edition and its seats (KER-03) in the administration: the running edition, its seats and
the extra seats bought on top, and changing either — refused with the active users' names when
the new limit is too small, unless the administrator ticks whom to deactivate (or "the newest").

A new edition is stored in the database (as ``peyvand edition set`` does) and runs after a restart (its modules' tables come
with ``peyvand db upgrade``); users are deactivated at once, so the new limit already holds."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import seats
from kernel.editions import get_edition, load_editions, store_edition, stored_edition
from kernel.errors import InputError, PermissionDenied
from kernel.models import Setting
from kernel.plugins import ModuleError
from kernel.routing import Route
from kernel.web.forms import error_text, form, redirect
from kernel.web.templating import render

PERM = "kernel.admin.users"


def page(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        extra = seats.extra_seats(session)
        users = seats.active(session)
    chosen = stored_edition(kernel.config.database_url) or kernel.edition.name
    return render(request, "kernel/admin/edition.html", {
        "editions": list(load_editions().values()), "extra": extra, "limit": kernel.edition.seats + extra,
        "users": users, "chosen": chosen, "error": error,
        "pending": ", ".join(kernel.edition.pending(set(kernel.installed))),
        "saved": request.query_params.get("saved", ""),
    }, status)


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    actor = request.state.actor
    if not actor.is_admin:
        # "Manage users" is delegated; the edition, the seats bought and deactivating
        # administrators are the administrator's (issue 9's user-manager rule).
        raise PermissionDenied("Only an administrator may change the edition or the seats")
    chosen = [str(u) for u in data.getlist("deactivate")]
    newest = bool(data.get("newest"))
    try:
        with kernel.session(actor) as session:
            if data.get("op") == "seats":
                extra = seats.parse_extra_seats(data.get("extra_seats"))
                seats.fit_to(session, kernel.edition.seats + extra, chosen=chosen, newest=newest,
                             keep_user_id=actor.user_id)
                session.merge(Setting(key=seats.EXTRA_SEATS, value=str(extra)))
            else:
                try:
                    edition = get_edition(str(data.get("edition", "")))
                    edition.required_modules(set(kernel.installed))
                except ModuleError as exc:
                    raise InputError("This edition cannot run on this installation") from exc
                seats.fit_to(session, edition.seats + seats.extra_seats(session), chosen=chosen, newest=newest,
                             keep_user_id=actor.user_id)
                # In the same transaction as the deactivations: both happen or neither.
                store_edition(session, edition.name)
    except InputError as exc:
        return page(request, error_text(request, exc), 400)
    return redirect("/admin/edition?saved=1")


def routes() -> list[Route]:
    return [
        Route("/admin/edition", page, methods=["GET"], permission=PERM, name="admin_edition"),
        Route("/admin/edition", save, methods=["POST"], permission=PERM, name="admin_edition_save"),
    ]
