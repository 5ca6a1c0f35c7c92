"""The profile's quick forms (BASE-16, BASE-17): a relation, a preference or a planned
communication added from the panel, and removed from it; each goes through the resource's own
parsing, permission, record scope and history, then back to the panel with a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, NotFound, PermissionDenied, Route
from kernel.records import FormErrors, create_record, delete_record, get_record, parse_values
from kernel.web.forms import error_text, form, redirect
from kernel.web.templating import request_lang
from modules.base.routes.profile import not_found, profile_url


def _errors_text(request: Request, res: Any, errors: dict[str, InputError]) -> str:
    kernel = request.app.state.kernel
    lang = request_lang(request)
    parts = []
    for name, exc in errors.items():
        label = kernel.t(lang, res.field(name).label) if name in res.all_fields else ""
        parts.append(f"{label}: {error_text(request, exc)}" if label else error_text(request, exc))
    return " — ".join(parts)


def _create(resource: str, anchor: str, fixed: Callable[[int], dict[str, Any]]) -> Callable[[Request], Response]:
    """A POST that creates one ``resource`` row for the partner in the path, from the form."""

    def view(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        pid = request.path_params["id"]
        res = kernel.resources[resource]
        data = {**{k: v for k, v in form(request).items() if k in res.form}, **fixed(pid)}
        values, errors = parse_values(kernel, res, {k: str(v) for k, v in data.items()}, money_unit=actor.money_unit)
        try:
            if errors:
                raise FormErrors(errors)
            with kernel.session(actor) as session:
                get_record(kernel, session, actor, kernel.resources["base.partner"], pid)
                create_record(kernel, session, actor, res, values)
        except NotFound:
            return not_found(request)
        except FormErrors as exc:
            return redirect(profile_url(pid, _errors_text(request, res, exc.errors), anchor))
        except (InputError, Conflict, PermissionDenied) as exc:
            return redirect(profile_url(pid, error_text(request, exc), anchor))
        return redirect(profile_url(pid, kernel.t(request_lang(request), "Saved"), anchor))

    return view


def _remove(resource: str, anchor: str, column: str) -> Callable[[Request], Response]:
    """A POST that soft-deletes one ``resource`` row of the partner in the path (history kept)."""

    def view(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        pid, rid = request.path_params["id"], request.path_params["rid"]
        res = kernel.resources[resource]
        try:
            with kernel.session(actor) as session:
                row = get_record(kernel, session, actor, res, rid, "delete")
                if pid not in {getattr(row, c) for c in column.split()}:
                    raise NotFound(resource)
                delete_record(kernel, session, actor, res, rid)
        except NotFound:
            return not_found(request)
        except (InputError, Conflict, PermissionDenied) as exc:
            return redirect(profile_url(pid, error_text(request, exc), anchor))
        return redirect(profile_url(pid, kernel.t(request_lang(request), "Removed"), anchor))

    return view


def routes() -> list[Route]:
    return [
        Route("/partner/{id:int}/relations", _create("base.relation", "panel-base-relations",
                                                     lambda pid: {"partner_id": str(pid)}),
              methods=["POST"], permission="base.relation.create", name="partner_relation_add"),
        Route("/partner/{id:int}/relations/{rid:int}/delete",
              _remove("base.relation", "panel-base-relations", "partner_id other_id"),
              methods=["POST"], permission="base.relation.delete", name="partner_relation_remove"),
        Route("/partner/{id:int}/preferences", _create("base.preference", "panel-base-preferences",
                                                       lambda pid: {"partner_id": str(pid)}),
              methods=["POST"], permission="base.preference.create", name="partner_preference_add"),
        Route("/partner/{id:int}/preferences/{rid:int}/delete",
              _remove("base.preference", "panel-base-preferences", "partner_id"),
              methods=["POST"], permission="base.preference.delete", name="partner_preference_remove"),
        Route("/partner/{id:int}/planned", _create("base.planned_communication", "panel-base-planned",
                                                   lambda pid: {"partner_id": str(pid)}),
              methods=["POST"], permission="base.planned_communication.create", name="partner_plan_add"),
    ]
