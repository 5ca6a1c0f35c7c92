"""What the letters' pages share: a PDF response shown in the browser, the 404 page, the
selection's recipients with their addressee lines for the check-box table."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError
from kernel.documents import download_headers
from kernel.timezone import local_today
from kernel.web.forms import error_text, form
from kernel.web.templating import render, request_lang
from modules.marketing.letters import selection
from modules.marketing.letters.addressing import Addressed, Recipient, addressed_all


def pdf_response(request: Request, pdf: bytes, title: str, fallback: str) -> Response:
    kernel = request.app.state.kernel
    lang = request_lang(request)
    headers = download_headers(title, "pdf", local_today(kernel.config.timezone), lang, fallback)
    # Shown in the browser's viewer (to print or save), not forced to a download.
    headers["content-disposition"] = headers["content-disposition"].replace("attachment", "inline", 1)
    return Response(pdf, media_type="application/pdf", headers=headers)


def not_found(request: Request) -> Response:
    return render(request, "kernel/message.html",
                  {"message": request.app.state.kernel.t(request_lang(request), "Not found"), "status": 404}, 404)


def rows(session: Session, recipients: list[Recipient], lang: str) -> list[tuple[Recipient, Addressed]]:
    """Each recipient with how it is addressed, for the page's table."""
    return list(zip(recipients, addressed_all(session, recipients, lang), strict=True))


def choices(kernel: Any, session: Session, actor: Any) -> dict[str, Any]:
    """The drop-downs of the selection's filter form: partner kinds and roles, from base's list."""
    res = kernel.resources["base.partner"]
    role = next((f for f in res.custom_filters if f.name == "role"), None)
    roles = role.choices(session=session, actor=actor) if role is not None and role.choices else []
    return {"kinds": res.field("kind").choices, "roles": roles}


def picking(request: Request, params: dict[str, str], errors: dict[str, str] | None = None) -> dict[str, Any]:
    """The addressees' part of a group letter's or label page's context: the selection, its rows
    (each addressee and how it is addressed), which are ticked (all of them on a first visit,
    those posted on a form sent back), the errors, the filter form's choices."""
    kernel, actor, lang = request.app.state.kernel, request.state.actor, request_lang(request)
    errors = dict(errors or {})
    try:
        sel = selection.Selection.from_params(params)
    except InputError as exc:
        sel, errors["whom"] = selection.Selection(), error_text(request, exc)
    found: list[tuple[Recipient, Addressed]] = []
    with kernel.sessions() as session:
        try:
            found = rows(session, selection.recipients(kernel, session, actor, sel), lang)
        except InputError as exc:
            errors["selection"] = error_text(request, exc)
        ticked = set(params["r_list"].split()) if "r_list" in params else {r.key for r, _ in found}
        return {"sel": sel, "rows": found, "chosen": ticked, "ticked": sum(r.key in ticked for r, _ in found),
                "errors": errors, **choices(kernel, session, actor)}


def posted(request: Request) -> tuple[dict[str, str], list[str]]:
    """A posted selection form: its fields (the ticked keys kept as ``r_list`` to show them again)
    and the ticked addressees' keys."""
    data = form(request)
    values = {k: str(v) for k, v in data.items() if k not in ("csrf", "r")}
    keys = [str(k) for k in data.getlist("r")] if hasattr(data, "getlist") else []
    values["r_list"] = " ".join(keys)
    return values, keys
