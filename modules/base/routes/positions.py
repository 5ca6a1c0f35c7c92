"""Promotion or move of a person (BASE-04), posted from the 360° profile.

On a person's profile the form names the company (the same or another one); on a company's
profile it names one of the current personnel. Either way the current position ends on the
chosen day and a new one starts, through :func:`modules.base.services.positions.change_position`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, NotFound, PermissionDenied, Route
from kernel.persian.jalali import parse_jalali_date
from kernel.persian.textnorm import clean_input, to_ascii_digits
from kernel.records import get_record
from kernel.web.forms import error_text, form, redirect
from kernel.web.templating import request_lang
from modules.base.routes.profile import not_found, profile_url
from modules.base.services import positions


def _id(raw: object) -> int:
    text = to_ascii_digits(str(raw or "")).strip()
    if not text.isdigit():
        raise InputError("Choose one of the listed values")
    return int(text)


def change_position(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    pid = request.path_params["id"]
    data = form(request)
    try:
        with kernel.session(actor) as session:
            partner = get_record(kernel, session, actor, kernel.resources["base.partner"], pid)
            if partner.kind == "company":
                person_id, company_id = _id(data.get("person_id")), partner.id
            else:
                person_id, company_id = partner.id, _id(data.get("company_id"))
            raw_date = clean_input(str(data.get("on_date", "")))
            if not raw_date:
                raise InputError("This field is required")
            positions.change_position(
                session, actor, person_id, company_id, clean_input(str(data.get("position", ""))),
                clean_input(str(data.get("department", ""))), str(data.get("is_liaison", "")) in ("1", "on", "true"),
                parse_jalali_date(raw_date), kernel=kernel)
    except NotFound:
        if not _exists(request, pid):
            return not_found(request)
        return redirect(profile_url(pid, kernel.t(request_lang(request), "No such record"), "positions"))
    except (InputError, Conflict, PermissionDenied) as exc:
        return redirect(profile_url(pid, error_text(request, exc), "positions"))
    return redirect(profile_url(pid, kernel.t(request_lang(request), "Saved"), "positions"))


def _exists(request: Request, pid: int) -> bool:
    """Whether the profile itself is visible (a missing company or person is a form error)."""
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        try:
            get_record(kernel, session, request.state.actor, kernel.resources["base.partner"], pid)
        except NotFound:
            return False
    return True


def routes() -> list[Route]:
    return [
        Route("/partner/{id:int}/position", change_position, methods=["POST"], permission="base.employment.create",
              name="partner_position"),
    ]
