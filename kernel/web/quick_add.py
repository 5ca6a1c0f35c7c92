"""Adding a new value to a drop-down in place (KER-17): a new city, group or source without
leaving the form. The "+" beside a reference field loads a mini-form of the target resource's
required fields and posts it here; the record is created through the same path as the
resource's own form (permission, record scope of references, validation, history)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import records
from kernel.errors import Conflict, InputError
from kernel.records import FormErrors
from kernel.routing import AUTHENTICATED, Route
from kernel.web import refs as ref_inputs
from kernel.web.forms import error_text, field_errors, form, tr
from kernel.web.templating import render

if TYPE_CHECKING:
    from kernel.resources import Resource


def quick_fields(res: Resource) -> list[str]:
    """The target's required fields (what a create cannot do without) and its title, which the
    drop-down will show."""
    names = [n for n in res.form if res.field(n).required and not res.field(n).readonly]
    if res.title_field in res.form and res.title_field not in names:
        names.insert(0, res.title_field)
    return names or [res.title_field]


def may_quick_add(kernel: Any, actor: Any, ref: str) -> bool:
    """Whether a "+" is drawn beside a reference to ``ref``: the user may create such records."""
    target = kernel.resources.get(ref)
    return target is not None and actor is not None and target.allows(actor, "create")


def _target(request: Request) -> tuple[Resource | None, Response | None]:
    kernel = request.app.state.kernel
    res = kernel.resources.get(str(request.path_params["resource"]))
    if res is None:
        return None, JSONResponse({"error": tr(request, "Not found")}, status_code=404)
    if not res.allows(request.state.actor, "create"):
        return None, JSONResponse({"error": tr(request, "You may not add a new {thing}", thing=tr(request, res.label))},
                                  status_code=403)
    return res, None


def form_view(request: Request) -> Response:
    """The mini-form (an HTML fragment); values of the same names may come in the query string
    (the outer form's province for a new city)."""
    res, refused = _target(request)
    if res is None:
        assert refused is not None
        return refused
    kernel = request.app.state.kernel
    names = quick_fields(res)
    values = {n: str(v)[:500] for n, v in request.query_params.items() if n in names}
    with kernel.sessions() as session:
        widgets = ref_inputs.widgets(kernel, session, request.state.actor, [res.field(n) for n in names], values)
    return render(request, "kernel/resource/quick_add.html", {"res": res, "names": names, "values": values,
                                                               "errors": {}, "refs": widgets})


def create_view(request: Request) -> Response:
    res, refused = _target(request)
    if res is None:
        assert refused is not None
        return refused
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    names = quick_fields(res)
    raw = {n: str(data.get(n, "")) for n in names}
    values, errors = records.parse_values(kernel, res, raw, money_unit=actor.money_unit)
    # Fields outside the mini-form keep their columns' defaults instead of becoming empty.
    values = {n: v for n, v in values.items() if n in names}
    errors = {n: e for n, e in errors.items() if n in names}
    if errors:
        return JSONResponse({"errors": field_errors(request, errors)}, status_code=400)
    try:
        with kernel.session(actor) as session:
            obj = records.create_record(kernel, session, actor, res, values)
            out = {"id": obj.id, "title": res.title_of(obj)}
    except FormErrors as exc:
        return JSONResponse({"errors": field_errors(request, exc.errors)}, status_code=400)
    except (InputError, Conflict) as exc:
        return JSONResponse({"errors": {"__all__": error_text(request, exc)}}, status_code=400)
    return JSONResponse(out, status_code=201)


def routes() -> list[Route]:
    # The resource's own create permission is checked in the views: the route serves every resource.
    return [
        Route("/quick-add/{resource:str}", form_view, methods=["GET"], permission=AUTHENTICATED,
              name="kernel:quick_add_form"),
        Route("/quick-add/{resource:str}", create_view, methods=["POST"], permission=AUTHENTICATED,
              name="kernel:quick_add"),
    ]
