"""The JSON API (INT-01): list/get/create/update/delete for every resource, plus OpenAPI."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import records, versions
from kernel.errors import Conflict, InputError, NotFound
from kernel.fields import Field
from kernel.records import FormErrors, ListQuery
from kernel.resources import Resource
from kernel.routing import PUBLIC, Route
from kernel.web.api_answers import field_errors, read_body, refusal
from kernel.web.api_bulk import BULK_MAX, bulk_body_limit, make_bulk
from kernel.web.cells import hidden_refs
from kernel.web.read_only import read_only_routes

if TYPE_CHECKING:
    from kernel.kernel import Kernel


def json_fields(res: Resource) -> list[Field]:
    """The fields the API shows, in order; a list of records looks them up once, not per row."""
    return [res.field(n) for n in dict.fromkeys((*res.form, "created_at", "updated_at", "owner_id"))
            if n in res.all_fields]


def to_json(res: Resource, obj: Any, hidden: frozenset[str] = frozenset(),
            fields: list[Field] | None = None) -> dict[str, Any]:
    """The record as the API shows it. A reference in ``hidden`` points at a record outside the
    reader's scope: it is ``null`` and named in ``_hidden`` — neither the record's title nor its
    id. Sending it back as ``null`` keeps it (:func:`kernel.records.update_record`)."""
    out: dict[str, Any] = {"id": obj.id, "_title": api_title(res, obj)}
    for f in json_fields(res) if fields is None else fields:
        out[f.name] = None if f.name in hidden else f.to_json(getattr(obj, f.name))
    if hidden:
        out["_hidden"] = sorted(hidden)
    return out


def api_title(res: Resource, obj: Any) -> str:
    """``_title`` as an integration reads it: a code (a document number) exactly as stored, in
    ASCII without the isolating marks a page needs; any other title as people read it."""
    if res.all_fields[res.title_field].kind == "code" and getattr(obj, res.title_field, None):
        return str(getattr(obj, res.title_field))
    return res.title_of(obj)


def _etag(version: str) -> str:
    return f'"v{version}"'


def _if_match(request: Request) -> str | None:
    """The version an ``If-Match: "v123"`` names; ``*`` or none: no check (as HTTP says)."""
    header = request.headers.get("if-match", "").strip()
    if not header or header == "*":
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    return tag[1:] if tag.startswith("v") else "invalid"


def make_api(res: Resource) -> dict[str, Callable[[Request], Response]]:
    def list_(request: Request) -> Response:
        kernel = request.app.state.kernel
        q = ListQuery.from_params(dict(request.query_params), res.page_size)
        with kernel.sessions() as session:
            try:
                page = records.list_records(kernel, session, request.state.actor, res, q)
            except InputError as exc:
                return refusal(request, exc, 400)
            if page.errors:
                return field_errors(request, page.errors)
            hidden = hidden_refs(kernel, session, request.state.actor, res, page.items)
            fields = json_fields(res)
            return JSONResponse({"count": page.total, "count_capped": page.total_capped, "next": page.next_cursor or None,
                                 "prev": page.prev_cursor or None,
                                 "items": [to_json(res, o, hidden[o.id], fields) for o in page.items]})

    def get(request: Request) -> Response:
        kernel = request.app.state.kernel
        with kernel.sessions() as session:
            try:
                obj = records.get_record(kernel, session, request.state.actor, res, request.path_params["id"])
            except NotFound:
                return refusal(request, "Not found", 404)
            etag = _etag(versions.current(session, res.table.name, obj.id))
            hidden = hidden_refs(kernel, session, request.state.actor, res, [obj])[obj.id]
            return JSONResponse(to_json(res, obj, hidden), headers={"etag": etag})

    def write(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        data = read_body(request)
        if data is None:
            return refusal(request, "The body must be a JSON object", 400)
        rid = request.path_params.get("id")
        values, errors = records.parse_values(kernel, res, data, from_json=True,
                                              partial=request.method == "PATCH")
        if errors:
            return field_errors(request, errors)
        expected = _if_match(request) if rid is not None else None
        try:
            with kernel.session(actor) as session:
                obj = records.save_record(kernel, session, actor, res, rid, values, expected)
                session.flush()
                out = to_json(res, obj, hidden_refs(kernel, session, actor, res, [obj])[obj.id])
                etag = _etag(versions.current(session, res.table.name, obj.id))
        except versions.StaleRecord as exc:
            answer = refusal(request, "The record changed since the version you sent", 412, etag=_etag(exc.version),
                             changed={c.field: c.new for c in exc.changes})
            answer.headers["etag"] = _etag(exc.version)
            return answer
        except FormErrors as exc:
            return field_errors(request, exc.errors)
        except InputError as exc:  # a module's handle_event vetoed the change
            return field_errors(request, {"__all__": exc})
        except Conflict as exc:
            return refusal(request, exc, 409)
        except NotFound:
            return refusal(request, "Not found", 404)
        return JSONResponse(out, status_code=201 if rid is None else 200, headers={"etag": etag})

    def delete(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        try:
            with kernel.session(actor) as session:
                records.delete_record(kernel, session, actor, res, request.path_params["id"])
        except NotFound:
            return refusal(request, "Not found", 404)
        except Conflict as exc:
            if "what" not in exc.params:  # a module's veto (a ``RecordDeleted`` listener): its own words
                return refusal(request, exc, 409)
            deps = {label: n for label, n in exc.params.get("what", [])}
            return refusal(request, "Other records depend on it", 409, dependants=deps)
        except InputError as exc:  # vetoed by a module
            return refusal(request, exc, 409)
        return Response(status_code=204)

    return {"list": list_, "get": get, "write": write, "delete": delete, "bulk": make_bulk(res)}


def openapi(kernel: Kernel) -> dict[str, Any]:
    """OpenAPI 3.1 description of every enabled resource's API."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    err = {"description": "validation errors by field",
           "content": {"application/json": {"schema": {"type": "object"}}}}
    for res in kernel.resources.values():
        sname = res.name.replace(".", "_")
        props = {n: res.field(n).json_schema() for n in res.form}
        schemas[sname] = {"type": "object", "properties": {"id": {"type": "integer"}, **props},
                          "required": [n for n in res.form if res.field(n).required]}
        ref = {"$ref": f"#/components/schemas/{sname}"}
        one = {"description": "the record", "content": {"application/json": {"schema": ref}}}
        tag = [res.module]
        paths[res.api_url] = {
            "get": {"summary": f"List {res.label_plural}", "tags": tag, "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "search"},
                {"name": "sort", "in": "query", "schema": {"type": "string"}},
                {"name": "after", "in": "query", "schema": {"type": "string"}, "description": "cursor of the next page"},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 500}},
            ], "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"count": {"type": "integer"}, "count_capped": {"type": "boolean"}, "next": {"type": ["string", "null"]},
                                                 "items": {"type": "array", "items": ref}}}}}}}},
            "post": {"summary": f"Create a {res.label}", "tags": tag,
                     "requestBody": {"content": {"application/json": {"schema": ref}}},
                     "responses": {"201": one, "422": err}},
        }
        paths[f"{res.api_url}/bulk"] = {"post": {
            "summary": f"Create up to {BULK_MAX:,} {res.label_plural} at once: all of them, or none",
            "tags": tag,
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "required": ["items"],
                "properties": {"items": {"type": "array", "items": ref, "maxItems": BULK_MAX}}}}}},
            "responses": {
                "201": {"description": "all created; their ids in the order of the items",
                        "content": {"application/json": {"schema": {"type": "object", "properties": {
                            "ids": {"type": "array", "items": {"type": "integer"}}}}}}},
                "413": {"description": f"more than {BULK_MAX:,} items, or a body over the size limit"},
                "422": {"description": 'nothing saved; errors by item position and field: {"errors": {"3": {"name": "..."}}}',
                        "content": {"application/json": {"schema": {"type": "object"}}}}}}}
        idp = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
        paths[f"{res.api_url}/{{id}}"] = {
            "get": {"summary": f"Get a {res.label}", "tags": tag, "parameters": idp, "responses": {"200": one}},
            "patch": {"summary": f"Change a {res.label} (only the fields sent)", "tags": tag,
                      "parameters": [*idp, {"name": "If-Match", "in": "header", "schema": {"type": "string"},
                                            "description": "the ETag of the version you read; 412 if it changed since"}],
                      "requestBody": {"content": {"application/json": {"schema": ref}}},
                      "responses": {"200": one, "412": {"description": "changed since the version of If-Match"},
                                    "422": err}},
            "delete": {"summary": f"Delete a {res.label} (to the recycle bin)", "tags": tag, "parameters": idp,
                       "responses": {"204": {"description": "deleted"}, "409": {"description": "has dependants"}}},
        }
        if res.read_only:  # read it, nothing more (its writes answer 405)
            del paths[res.api_url]["post"], paths[f"{res.api_url}/bulk"]
            paths[f"{res.api_url}/{{id}}"] = {"get": paths[f"{res.api_url}/{{id}}"]["get"]}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Peyvand API", "version": "1",
                 "description": "Authenticate with `Authorization: Bearer <token>` (`peyvand token create USER`)."},
        "components": {"schemas": schemas,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }


def routes(kernel: Kernel) -> list[Route]:
    def spec(request: Request) -> Response:
        return JSONResponse(openapi(request.app.state.kernel))

    out = [Route("/api/openapi.json", spec, methods=["GET"], permission=PUBLIC, name="openapi")]
    for res in kernel.resources.values():
        v = make_api(res)
        u, p, n = res.api_url, res.perm, res.name
        out += [
            Route(u, v["list"], methods=["GET"], permission=p("view"), name=f"api:{n}:list"),
            Route(f"{u}/{{id:int}}", v["get"], methods=["GET"], permission=p("view"), name=f"api:{n}:get"),
        ]
        if res.read_only:  # every write answers 405
            out += read_only_routes(res, [(u, "POST"), (f"{u}/bulk", "POST"), (f"{u}/{{id:int}}", "PATCH"),
                                          (f"{u}/{{id:int}}", "PUT"), (f"{u}/{{id:int}}", "DELETE")])
            continue
        out += [
            Route(u, v["write"], methods=["POST"], permission=p("create"), name=f"api:{n}:create"),
            Route(f"{u}/bulk", v["bulk"], methods=["POST"], permission=p("create"), name=f"api:{n}:bulk",
                  max_body=bulk_body_limit(kernel)),
            Route(f"{u}/{{id:int}}", v["write"], methods=["PATCH", "PUT"], permission=p("edit"), name=f"api:{n}:update"),
            Route(f"{u}/{{id:int}}", v["delete"], methods=["DELETE"], permission=p("delete"), name=f"api:{n}:delete"),
        ]
    return out
