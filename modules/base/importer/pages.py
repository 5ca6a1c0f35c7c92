"""Import pages (INT-04): upload → mapping with preview → progress → report, for any
:class:`~modules.base.importer.targets.ImportTarget`. ``routes_for(target)`` gives a target's
routes; the module that owns the target mounts them (base: partners at ``/base/import/``)."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import Conflict, InputError, Route
from kernel.documents import write_csv
from kernel.persian.textnorm import to_persian_digits
from kernel.timezone import to_local
from kernel.web.forms import error_text, form, redirect, tr
from kernel.web.templating import render, request_lang
from modules.base.importer import run
from modules.base.importer.mapping import KIND_MODES, Mapping
from modules.base.importer.reading import MAX_BYTES
from modules.base.importer.rows import ParsedRow
from modules.base.importer.targets import ImportTarget
from modules.base.models import RoleKind
from modules.base.models.imports import MODES, Import, ImportError_

REPORT_ERRORS = 200
STATUS_LABELS = {"uploaded": "Waiting for the column mapping", "queued": "Waiting to start",
                 "reading": "Reading the file", "running": "Importing", "done": "Finished", "failed": "Failed"}


def _not_found(request: Request) -> Response:
    return render(request, "kernel/message.html", {"message": tr(request, "Not found"), "status": 404}, 404)


def home(target: ImportTarget, request: Request, message: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        imports = run.recent(session, request.state.actor, resource=target.resource)
    return render(request, "base/import.html", {
        "target": target, "imports": imports, "message": message, "max_mb": MAX_BYTES // (1024 * 1024),
        "status_labels": STATUS_LABELS,
    }, status)


def upload(target: ImportTarget, request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    file = form(request).get("file")
    if file is None or not hasattr(file, "file") or not getattr(file, "filename", ""):
        return home(target, request, tr(request, "Choose a file"), 400)
    try:
        with kernel.session(actor) as session:
            imp = run.create_import(kernel, session, actor, str(file.filename), file.file, target.resource)
            new_id = imp.id
    except InputError as exc:
        return home(target, request, error_text(request, exc), 400)
    return redirect(f"{target.url}{new_id}/mapping")


def _roles(session: Any) -> list[tuple[str, str]]:
    from sqlalchemy import select

    stmt = select(RoleKind.code, RoleKind.name).where(RoleKind.deleted_at.is_(None)).order_by(RoleKind.sequence, RoleKind.id)
    return [(c, n) for c, n in session.execute(stmt)]


def _mapping_page(target: ImportTarget, request: Request, imp: Import, mapping: Mapping, problems: list[str],
                  status: int = 200) -> Response:
    kernel = request.app.state.kernel
    headers = run.headers_of(imp)
    with kernel.sessions() as session:
        roles = _roles(session) if target.options_template else []
        try:
            rows = run.preview(kernel, session, imp, mapping)
        except (InputError, OSError) as exc:
            rows = []
            problems = [*problems, error_text(request, exc) if isinstance(exc, InputError)
                        else tr(request, "The file could not be read as CSV or Excel")]
    return render(request, "base/import_mapping.html", {
        "target": target, "imp": imp, "headers": headers, "mapping": mapping, "targets": target.targets(kernel),
        "roles": roles, "rows": [_preview_row(target, request, r, mapping) for r in rows], "problems": problems,
        "modes": MODES, "kind_modes": KIND_MODES,
    }, status)


def _preview_row(target: ImportTarget, request: Request, row: ParsedRow, mapping: Mapping) -> dict[str, Any]:
    """Each cell as typed, what it becomes (the stored value as the pages show it) and its errors."""
    kernel = request.app.state.kernel
    res = kernel.resources[target.resource]
    columns = mapping.columns
    lang = request_lang(request)
    width = len(mapping.columns)
    errors: list[list[str]] = [[] for _ in range(width)]
    general: list[str] = []
    for col, exc in row.errors:
        (errors[col] if col is not None and col < width else general).append(error_text(request, exc))
    cells = []
    for i, raw in enumerate(row.cells[:width]):
        field = columns[i]
        shown = ""
        if not errors[i] and field in res.all_fields and res.field(field).kind != "ref":
            value = row.values.get(field)
            shown = res.field(field).display(value, lang, t=kernel.t) if value is not None else ""
        # Phone groups keep their order inside right-to-left text only when isolated as LTR.
        ltr = field in res.all_fields and res.field(field).kind in ("phone", "email")
        cells.append((raw, shown if shown and shown != raw else "", errors[i], ltr))
    return {"line": row.line, "cells": cells, "general": general, "has_error": bool(row.errors)}


def _load(target: ImportTarget, request: Request) -> Import | None:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        return run.get_import(session, request.state.actor, request.path_params["id"], resource=target.resource)


def mapping_page(target: ImportTarget, request: Request) -> Response:
    imp = _load(target, request)
    if imp is None:
        return _not_found(request)
    if imp.status != "uploaded":
        return redirect(f"{target.url}{imp.id}")
    return _mapping_page(target, request, imp, run.mapping_of(imp), [])


def _mapping_from_form(request: Request, width: int) -> Mapping:
    data = form(request)
    return Mapping(columns=[str(data.get(f"col_{i}", "")) for i in range(width)], kind=str(data.get("kind", "auto")),
                   role=str(data.get("role", "")), mode=str(data.get("mode", "skip")))


def mapping_save(target: ImportTarget, request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    imp = _load(target, request)
    if imp is None:
        return _not_found(request)
    if imp.status != "uploaded":  # a second click on "start"
        return redirect(f"{target.url}{imp.id}")
    mapping = _mapping_from_form(request, len(run.headers_of(imp)))
    if form(request).get("action") != "start":
        return _mapping_page(target, request, imp, mapping, [])
    try:
        with kernel.session(actor) as session:
            locked = run.get_import(session, actor, imp.id, lock=True, resource=target.resource)
            if locked is None:
                return _not_found(request)
            if locked.status != "uploaded":
                return redirect(f"{target.url}{imp.id}")
            run.start(kernel, session, locked, mapping, request_lang(request))
    except (InputError, Conflict) as exc:
        lang = request_lang(request)
        problems = [error_text(request, p) for p in target.check(kernel, mapping, lang)] or [error_text(request, exc)]
        return _mapping_page(target, request, imp, mapping, problems, 400)
    return redirect(f"{target.url}{imp.id}")


def status_page(target: ImportTarget, request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        imp = run.get_import(session, request.state.actor, request.path_params["id"], resource=target.resource)
        if imp is None:
            return _not_found(request)
        if imp.status == "uploaded":
            return redirect(f"{target.url}{imp.id}/mapping")
        errors = run.errors_of(session, imp, REPORT_ERRORS) if imp.status in ("done", "failed") else []
        resume = _resume_notice(request, run.resumes_at(session, imp))
    headers = run.headers_of(imp)
    return render(request, "base/import_status.html", {
        "target": target, "imp": imp, "progress": run.progress(imp), "status_label": STATUS_LABELS.get(imp.status, imp.status),
        "resume": resume,
        "errors": [_error_row(request, e, headers) for e in errors], "more_errors": imp.failed > len(errors),
        "import_error": tr(request, imp.error) if imp.error else "",
    })


def _error_row(request: Request, e: ImportError_, headers: list[str]) -> dict[str, Any]:
    reasons = []
    for d in json.loads(e.details or "[]"):
        col = d.get("column")
        where = headers[col] if isinstance(col, int) and 0 <= col < len(headers) else ""
        reasons.append((where, tr(request, str(d.get("msgid", "")), **dict(d.get("params") or {}))))
    return {"line": e.line, "reasons": reasons}


def _resume_notice(request: Request, when: Any) -> str:
    if when is None:
        return ""
    kernel = request.app.state.kernel
    local = to_local(when, kernel.config.timezone)
    at = f"{local:%H:%M}"
    at = to_persian_digits(at) if request_lang(request) == "fa" else at
    return tr(request, "The import was interrupted (was the server restarted?). It resumes by {time} "
                       "where it stopped: no line is lost or imported twice.", time=at)


def status_json(target: ImportTarget, request: Request) -> Response:
    imp = _load(target, request)
    if imp is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    data = run.progress(imp)
    with request.app.state.kernel.sessions() as session:
        data["notice"] = _resume_notice(request, run.resumes_at(session, imp))
    data["label"] = tr(request, STATUS_LABELS.get(imp.status, imp.status))
    return JSONResponse(data, headers={"cache-control": "no-store"})


def errors_csv(target: ImportTarget, request: Request) -> Response:
    """The refused lines with their reasons, to fix in Excel and import again."""
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        imp = run.get_import(session, request.state.actor, request.path_params["id"], resource=target.resource)
        if imp is None:
            return _not_found(request)
        headers = run.headers_of(imp)
        rows = []
        for e in run.errors_of(session, imp):
            reasons = "؛ ".join(f"{w}: {m}" if w else m for w, m in _error_row(request, e, headers)["reasons"])
            cells = [str(c) for c in json.loads(e.cells or "[]")]
            rows.append([*cells[: len(headers)], *[""] * (len(headers) - len(cells)), e.line, reasons])
    body = write_csv([*headers, tr(request, "Line in the file"), tr(request, "Why it was not imported")], rows)
    name = f"import-{imp.id}-errors.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def routes_for(target: ImportTarget) -> list[Route]:
    """The import pages of a target, to return from its module's ``register_routes``: mounted
    at ``target.path`` inside the module, named ``<target.name>``, ``<target.name>_upload`` …,
    each guarded by ``target.permission``."""
    p, n, perm = target.path, target.name, target.permission

    def bind(view: Any) -> Any:
        return partial(view, target)

    return [
        Route(p, bind(home), methods=["GET"], permission=perm, name=n),
        Route(p, bind(upload), methods=["POST"], permission=perm, name=f"{n}_upload", max_body=MAX_BYTES + 64 * 1024),
        Route(p + "{id:int}", bind(status_page), methods=["GET"], permission=perm, name=f"{n}_status"),
        Route(p + "{id:int}/status", bind(status_json), methods=["GET"], permission=perm, name=f"{n}_status_json"),
        Route(p + "{id:int}/mapping", bind(mapping_page), methods=["GET"], permission=perm, name=f"{n}_mapping"),
        Route(p + "{id:int}/mapping", bind(mapping_save), methods=["POST"], permission=perm, name=f"{n}_start"),
        Route(p + "{id:int}/errors.csv", bind(errors_csv), methods=["GET"], permission=perm, name=f"{n}_errors"),
    ]
