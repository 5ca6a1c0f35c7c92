"""Duplicates (BASE-12): the JSON the partner form asks while the user types, and the merge page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Mount

from kernel import Conflict, Field, InputError, NotFound, PermissionDenied, Route
from kernel.persian.textnorm import to_ascii_digits
from kernel.web import refs as ref_inputs
from kernel.web.forms import error_text, form, redirect, tr
from kernel.web.resource_views import display, ref_titles
from kernel.web.templating import render
from modules.base.duplicates import find_duplicates
from modules.base.merge import PERMISSION, link_counts, load_pair, merge_partners

PARTNER_URL = "/base/partner/"


def _id(raw: Any) -> int | None:
    text = to_ascii_digits(str(raw or "")).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def duplicates_view(request: Request) -> Response:
    kernel = request.app.state.kernel
    q = request.query_params
    with kernel.sessions() as session:
        matches = find_duplicates(kernel, session, request.state.actor, name=q.get("name"), mobile=q.get("mobile"),
                                  phone=q.get("phone"), national_id=q.get("national_id"),
                                  economic_code=q.get("economic_code"), exclude_id=_id(q.get("exclude")))
    return JSONResponse({"matches": [{"id": m.id, "name": m.name, "kind": m.kind, "fields": list(m.fields),
                                      "url": f"{PARTNER_URL}{m.id}"} for m in matches]})


def _route_exists(routes: list[BaseRoute], scope: dict[str, Any]) -> bool:
    for route in routes:
        match, child = route.matches(scope)
        if match != Match.FULL:
            continue
        if not isinstance(route, Mount):
            return True
        if _route_exists(list(route.routes), {**scope, **child}):
            return True
    return False


def partner_page(request: Request, partner_id: int) -> str:
    """The partner's 360° profile when the installed code serves one, else its detail page."""
    path = f"{PARTNER_URL}{partner_id}/profile"
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "path_params": {}}
    return path if _route_exists(list(request.app.router.routes), scope) else f"{PARTNER_URL}{partner_id}"


def _comparison(request: Request, session: Any, keep: Any, drop: Any) -> list[dict[str, Any]]:
    kernel = request.app.state.kernel
    res = kernel.resources["base.partner"]
    names = [n for n in res.form if n != "kind"]
    refs = ref_titles(kernel, session, res, [keep, drop], names)
    rows = []
    for name in names:
        a, b = display(request, res, keep, name, refs), display(request, res, drop, name, refs)
        if a or b:
            rows.append({"label": res.field(name).label, "keep": a, "drop": b, "fill": not a and bool(b)})
    return rows


def _moves(request: Request, session: Any, drop_id: int) -> list[tuple[str, int]]:
    kernel = request.app.state.kernel
    out = []
    for link, count in link_counts(kernel, session, drop_id):
        label = tr(request, link.label)
        if link.column_label:
            label = f"{label} — {tr(request, link.column_label)}"
        out.append((label, count))
    return out


def merge_page(request: Request, keep_id: int | None = None, drop_id: int | None = None, error: str = "",
               status: int = 200) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    q = request.query_params
    keep_id = keep_id if keep_id is not None else _id(q.get("keep"))
    drop_id = drop_id if drop_id is not None else _id(q.get("drop"))
    ctx: dict[str, Any] = {"keep": None, "drop": None, "rows": [], "moves": [], "error": error,
                           "keep_value": "" if keep_id is None else str(keep_id),
                           "drop_value": "" if drop_id is None else str(drop_id)}
    with kernel.sessions() as session:
        ref = Field(kind="ref", ref="base.partner")
        ctx["keep_widget"] = ref_inputs.widget(kernel, session, actor, ref, keep_id)
        ctx["drop_widget"] = ref_inputs.widget(kernel, session, actor, ref, drop_id)
        if keep_id is not None and drop_id is not None:
            try:
                keep, drop = load_pair(kernel, session, actor, keep_id, drop_id)
            except InputError as exc:
                ctx["error"] = ctx["error"] or error_text(request, exc)
            except NotFound:
                ctx["error"] = ctx["error"] or tr(request, "No such record")
            else:
                ctx.update(keep=keep, drop=drop, rows=_comparison(request, session, keep, drop),
                           moves=_moves(request, session, drop.id), keep_url=partner_page(request, keep.id))
    return render(request, "base/merge.html", ctx, status)


def merge_get(request: Request) -> Response:
    return merge_page(request)


def merge_post(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    keep_id, drop_id = _id(data.get("keep")), _id(data.get("drop"))
    if keep_id is None or drop_id is None:
        return merge_page(request, keep_id, drop_id, tr(request, "Choose both partners"), 400)
    try:
        with kernel.session(actor) as session:
            merge_partners(kernel, session, actor, keep_id, drop_id)
    except (InputError, Conflict) as exc:
        return merge_page(request, keep_id, drop_id, error_text(request, exc), 400)
    except NotFound:
        return merge_page(request, keep_id, drop_id, tr(request, "No such record"), 404)
    except PermissionDenied:
        return merge_page(request, keep_id, drop_id, tr(request, "You do not have permission to do this"), 403)
    return redirect(partner_page(request, keep_id))


def merge_url(keep_id: int | None = None, drop_id: int | None = None) -> str:
    params = {k: v for k, v in (("keep", keep_id), ("drop", drop_id)) if v is not None}
    return "/base/partner/merge" + ("?" + urlencode(params) if params else "")


def routes() -> list[Route]:
    return [
        Route("/partner/duplicates", duplicates_view, methods=["GET"], permission="base.partner.view",
              name="partner_duplicates"),
        Route("/partner/merge", merge_get, methods=["GET"], permission=PERMISSION, name="partner_merge"),
        Route("/partner/merge", merge_post, methods=["POST"], permission=PERMISSION, name="partner_merge_do"),
    ]
