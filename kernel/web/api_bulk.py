"""``POST /api/<module>/<kind>/bulk``: up to :data:`BULK_MAX` records in one call, all or none.

One request per record took 35 s for 10,000 partners: each paid a request, an authentication
and a commit. Here every record passes the same path as a single create
(:func:`kernel.records.create_record_ids`: permission, parsing, the module's rules, references and
scope, history, events) in one transaction; the first refusal does not stop the checks, so the
client gets every problem of the batch at once, keyed by the item's position.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import records
from kernel.errors import Conflict, InputError, NotFound
from kernel.resources import Resource
from kernel.web.api_answers import field_messages, read_body, refusal

if TYPE_CHECKING:
    from kernel.kernel import Kernel

BULK_MAX = 1_000
# A thousand records of a few KB each (Persian text sent as \u escapes is six bytes a letter)
# pass the instance's usual 2 MB body limit; this route alone takes up to 8 KB an item.
BULK_BYTES_PER_ITEM = 8 * 1024


def bulk_body_limit(kernel: Kernel) -> int:
    return max(kernel.config.max_body_bytes, BULK_MAX * BULK_BYTES_PER_ITEM)


def _item_errors(request: Request, errors: dict[int, dict[str, Any]]) -> JSONResponse:
    """422 with ``{"errors": {"<index>": {field: message}}}``: nothing was saved."""
    return JSONResponse({"errors": {str(i): field_messages(request, e) for i, e in sorted(errors.items())}},
                        status_code=422)


def make_bulk(res: Resource) -> Callable[[Request], Response]:
    def bulk(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        data = read_body(request)
        items = data.get("items") if data is not None else None
        if not isinstance(items, list):
            return refusal(request, 'The body must be a JSON object with the records in a list "items"', 400)
        if len(items) > BULK_MAX:
            return refusal(request, "At most {n} records in one call; send the rest in another", 413,
                           params={"n": BULK_MAX}, limit=BULK_MAX)
        batch: list[tuple[int, dict[str, Any]]] = []
        errors: dict[int, dict[str, Any]] = {}
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                errors[index] = {"__all__": InputError("Each item must be a JSON object")}
                continue
            values, problems = records.parse_values(kernel, res, item, from_json=True)
            if problems:
                errors[index] = problems
            else:
                batch.append((index, values))
        # The items that parsed are checked against the database even when others did not, so
        # the answer names every problem; then nothing is kept.
        try:
            with kernel.session(actor) as session:
                ids = records.create_record_ids(kernel, session, actor, res, [v for _, v in batch])
                if errors:
                    raise records.BulkErrors({})
        except records.BulkErrors as exc:
            errors.update({batch[i][0]: e for i, e in exc.errors.items()})
            return _item_errors(request, errors)
        except Conflict as exc:
            return refusal(request, exc, 409)
        except NotFound:
            return refusal(request, "Not found", 404)
        return JSONResponse({"ids": ids}, status_code=201)

    return bulk

