"""A person's photo (BASE-01): upload an image as the photo, choose one of the partner's image
attachments, or remove the mark (the file stays among the attachments)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, NotFound, PermissionDenied, Route
from kernel.persian.textnorm import to_ascii_digits
from kernel.web.forms import error_text, form, redirect
from kernel.web.templating import request_lang
from modules.base.routes.profile import not_found, profile_url
from modules.base.services import photo

ANCHOR = "photo"


def upload(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    pid = request.path_params["id"]
    data = form(request)
    chosen = to_ascii_digits(str(data.get("attachment_id", "") or "")).strip()
    upload_file = data.get("file")
    has_file = upload_file is not None and hasattr(upload_file, "read") and bool(upload_file.filename)
    try:
        with kernel.session(actor) as session:
            if has_file:
                content = upload_file.file.read(kernel.config.max_upload_bytes + 1)
                photo.upload_photo(kernel, session, actor, pid, str(upload_file.filename), content)
            elif chosen.isdigit():
                photo.set_photo(kernel, session, actor, pid, int(chosen))
            else:
                raise InputError("Choose a file")
    except NotFound:
        return not_found(request)
    except (InputError, Conflict, PermissionDenied) as exc:
        return redirect(profile_url(pid, error_text(request, exc), ANCHOR))
    return redirect(profile_url(pid, kernel.t(request_lang(request), "Saved"), ANCHOR))


def clear(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    pid = request.path_params["id"]
    try:
        with kernel.session(actor) as session:
            photo.set_photo(kernel, session, actor, pid, None)
    except NotFound:
        return not_found(request)
    except (InputError, Conflict, PermissionDenied) as exc:
        return redirect(profile_url(pid, error_text(request, exc), ANCHOR))
    return redirect(profile_url(pid, kernel.t(request_lang(request), "Saved"), ANCHOR))


def routes() -> list[Route]:
    return [
        Route("/partner/{id:int}/photo", upload, methods=["POST"], permission="base.partner.edit",
              name="partner_photo"),
        Route("/partner/{id:int}/photo/clear", clear, methods=["POST"], permission="base.partner.edit",
              name="partner_photo_clear"),
    ]
