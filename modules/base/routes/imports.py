"""Partner import pages (INT-04): upload → mapping with preview → progress → report, and the
export of every partner that the import reads back."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import Conflict, InputError, Route
from kernel.documents import write_csv, write_xlsx
from kernel.persian.textnorm import to_persian_digits
from kernel.records import ListQuery
from kernel.timezone import to_local
from kernel.web.exports import download_headers
from kernel.web.forms import error_text, form, redirect, tr
from kernel.web.templating import render, request_lang
from modules.base.importer import export, run
from modules.base.importer.mapping import KIND_MODES, PARTNER, Mapping, target_labels
from modules.base.importer.reading import MAX_BYTES
from modules.base.importer.rows import ParsedRow
from modules.base.models import RoleKind
from modules.base.models.imports import MODES, Import, ImportError_

PERM = run.PERMISSION
REPORT_ERRORS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = {"uploaded": "Waiting for the column mapping", "queued": "Waiting to start",
                 "reading": "Reading the file", "running": "Importing", "done": "Finished", "failed": "Failed"}


def _not_found(request: Request) -> Response:
    return render(request, "kernel/message.html", {"message": tr(request, "Not found"), "status": 404}, 404)


def home(request: Request, message: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        imports = run.recent(session, request.state.actor)
    return render(request, "base/import.html", {
        "imports": imports, "message": message, "max_mb": MAX_BYTES // (1024 * 1024), "status_labels": STATUS_LABELS,
    }, status)


def upload(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    file = form(request).get("file")
    if file is None or not hasattr(file, "file") or not getattr(file, "filename", ""):
        return home(request, tr(request, "Choose a file"), 400)
    try:
        with kernel.session(actor) as session:
            imp = run.create_import(kernel, session, actor, str(file.filename), file.file)
            new_id = imp.id
    except InputError as exc:
        return home(request, error_text(request, exc), 400)
    return redirect(f"/base/import/{new_id}/mapping")


def _roles(session: Any) -> list[tuple[str, str]]:
    from sqlalchemy import select

    stmt = select(RoleKind.code, RoleKind.name).where(RoleKind.deleted_at.is_(None)).order_by(RoleKind.sequence, RoleKind.id)
    return [(c, n) for c, n in session.execute(stmt)]


def _mapping_page(request: Request, imp: Import, mapping: Mapping, problems: list[str], status: int = 200) -> Response:
    kernel = request.app.state.kernel
    headers = run.headers_of(imp)
    with kernel.sessions() as session:
        roles = _roles(session)
        try:
            rows = run.preview(kernel, session, imp, mapping)
        except (InputError, OSError) as exc:
            rows = []
            problems = [*problems, error_text(request, exc) if isinstance(exc, InputError)
                        else tr(request, "The file could not be read as CSV or Excel")]
    return render(request, "base/import_mapping.html", {
        "imp": imp, "headers": headers, "mapping": mapping, "targets": target_labels(kernel), "roles": roles,
        "rows": [_preview_row(request, r, mapping) for r in rows], "problems": problems,
        "modes": MODES, "kind_modes": KIND_MODES,
    }, status)


def _preview_row(request: Request, row: ParsedRow, mapping: Mapping) -> dict[str, Any]:
    """Each cell as typed, what it becomes (the stored value as the pages show it) and its errors."""
    kernel = request.app.state.kernel
    res = kernel.resources[PARTNER]
    lang = request_lang(request)
    width = len(mapping.columns)
    errors: list[list[str]] = [[] for _ in range(width)]
    general: list[str] = []
    for col, exc in row.errors:
        (errors[col] if col is not None and col < width else general).append(error_text(request, exc))
    cells = []
    for i, raw in enumerate(row.cells[:width]):
        target = mapping.columns[i]
        shown = ""
        if not errors[i] and target in res.all_fields and res.field(target).kind != "ref":
            value = row.values.get(target)
            shown = res.field(target).display(value, lang, t=kernel.t) if value is not None else ""
        # Phone groups keep their order inside right-to-left text only when isolated as LTR.
        ltr = target in res.all_fields and res.field(target).kind in ("phone", "email")
        cells.append((raw, shown if shown and shown != raw else "", errors[i], ltr))
    return {"line": row.line, "cells": cells, "general": general, "has_error": bool(row.errors)}


def _load(request: Request) -> Import | None:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        return run.get_import(session, request.state.actor, request.path_params["id"])


def mapping_page(request: Request) -> Response:
    imp = _load(request)
    if imp is None:
        return _not_found(request)
    if imp.status != "uploaded":
        return redirect(f"/base/import/{imp.id}")
    return _mapping_page(request, imp, run.mapping_of(imp), [])


def _mapping_from_form(request: Request, width: int) -> Mapping:
    data = form(request)
    return Mapping(columns=[str(data.get(f"col_{i}", "")) for i in range(width)], kind=str(data.get("kind", "auto")),
                   role=str(data.get("role", "")), mode=str(data.get("mode", "skip")))


def mapping_save(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    imp = _load(request)
    if imp is None:
        return _not_found(request)
    if imp.status != "uploaded":  # a second click on "start"
        return redirect(f"/base/import/{imp.id}")
    mapping = _mapping_from_form(request, len(run.headers_of(imp)))
    if form(request).get("action") != "start":
        return _mapping_page(request, imp, mapping, [])
    try:
        with kernel.session(actor) as session:
            locked = run.get_import(session, actor, imp.id, lock=True)
            if locked is None:
                return _not_found(request)
            if locked.status != "uploaded":
                return redirect(f"/base/import/{imp.id}")
            run.start(kernel, session, locked, mapping, request_lang(request))
    except (InputError, Conflict) as exc:
        lang = request_lang(request)
        problems = [error_text(request, p) for p in mapping.check(kernel, lang)] or [error_text(request, exc)]
        return _mapping_page(request, imp, mapping, problems, 400)
    return redirect(f"/base/import/{imp.id}")


def status_page(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        imp = run.get_import(session, request.state.actor, request.path_params["id"])
        if imp is None:
            return _not_found(request)
        if imp.status == "uploaded":
            return redirect(f"/base/import/{imp.id}/mapping")
        errors = run.errors_of(session, imp, REPORT_ERRORS) if imp.status in ("done", "failed") else []
        resume = _resume_notice(request, run.resumes_at(session, imp))
    headers = run.headers_of(imp)
    return render(request, "base/import_status.html", {
        "imp": imp, "progress": run.progress(imp), "status_label": STATUS_LABELS.get(imp.status, imp.status),
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


def status_json(request: Request) -> Response:
    imp = _load(request)
    if imp is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    data = run.progress(imp)
    with request.app.state.kernel.sessions() as session:
        data["notice"] = _resume_notice(request, run.resumes_at(session, imp))
    data["label"] = tr(request, STATUS_LABELS.get(imp.status, imp.status))
    return JSONResponse(data, headers={"cache-control": "no-store"})


def errors_csv(request: Request) -> Response:
    """The refused lines with their reasons, to fix in Excel and import again."""
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        imp = run.get_import(session, request.state.actor, request.path_params["id"])
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


def export_all(request: Request) -> Response:
    """Every partner the user may export (the list's filters apply), every field and role."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    q = ListQuery.from_params(dict(request.query_params))
    with kernel.sessions() as session:
        try:
            body = write_xlsx(export.headers(kernel, lang), export.rows(kernel, session, actor, lang, q),
                              rtl=lang == "fa", title=kernel.t(lang, "Partners"))
        except InputError as exc:
            return Response(error_text(request, exc), status_code=400)
    return Response(body, media_type=XLSX,
                    headers=download_headers(request, kernel.t(lang, "Partners"), "xlsx", "partners"))


def routes() -> list[Route]:
    return [
        Route("/import/", home, methods=["GET"], permission=PERM, name="import"),
        Route("/import/", upload, methods=["POST"], permission=PERM, name="import_upload",
              max_body=MAX_BYTES + 64 * 1024),
        Route("/import/{id:int}", status_page, methods=["GET"], permission=PERM, name="import_status"),
        Route("/import/{id:int}/status", status_json, methods=["GET"], permission=PERM, name="import_status_json"),
        Route("/import/{id:int}/mapping", mapping_page, methods=["GET"], permission=PERM, name="import_mapping"),
        Route("/import/{id:int}/mapping", mapping_save, methods=["POST"], permission=PERM, name="import_start"),
        Route("/import/{id:int}/errors.csv", errors_csv, methods=["GET"], permission=PERM, name="import_errors"),
        Route("/partner/export-all.xlsx", export_all, methods=["GET"], permission="base.partner.export",
              name="partner_export_all"),
    ]
