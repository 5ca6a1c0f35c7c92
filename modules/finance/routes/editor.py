"""The line editor (FIN-04, FAQ 27): one page per editable proforma or invoice where lines are
added, edited in place and removed without leaving the page, and the totals follow each change.

The page is server-rendered; ``static/finance/editor.js`` posts each change (with the CSRF token
in ``X-CSRF-Token``) to ``/finance/<doc>/<id>/lines`` or ``…/totals`` and puts the answer's HTML
in place. Every write is one call of the documents' services (:mod:`services.drafts`) or the
resource's own update in one transaction: a refused change comes back as Persian messages keyed
by field, and nothing is saved. Products come from ``/finance/sellable.json`` (the line picker's
``catalogue.sellable``, within the user's record scope) and a chosen product's price and policy
discount from ``…/quote.json`` (the same rules the saved line gets).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import Conflict, InputError, NotFound, PermissionDenied, Route
from kernel.persian.money import format_money
from kernel.persian.numbers import parse_decimal
from kernel.persian.textnorm import clean_input, search_key
from kernel.records import FormErrors, get_record, parse_values, update_record
from kernel.web.forms import error_text
from kernel.web.templating import render, request_lang
from modules.base.panels import panel_markup
from modules.finance.models import Product
from modules.finance.models.scaled import plain
from modules.finance.services import drafts, line_rules
from modules.finance.services.catalogue import sellable_select
from modules.finance.services.documents import INVOICE, PROFORMA, DocType, check_editable
from modules.finance.services.editor_view import editor_context
from modules.finance.services.labels import localise

DOCS = {"proforma": PROFORMA, "invoice": INVOICE}
HEADER_FIELDS = ("discount_kind", "discount_value", "shipping")
PICKER_LIMIT = 12


def _doc_type(request: Request) -> DocType:
    return DOCS[request.url.path.split("/")[2]]


def _json_error(request: Request, exc: Exception, status: int) -> JSONResponse:
    return JSONResponse({"error": error_text(request, exc)}, status_code=status)


def _errors(request: Request, exc: FormErrors) -> JSONResponse:
    return JSONResponse({"errors": {k: error_text(request, v) for k, v in exc.errors.items()}}, status_code=400)


def _fragment(request: Request, kernel: Any, session: Session, doc: Any, doc_type: DocType,
              lines: list[Any] | None = None) -> str:
    ctx = editor_context(kernel, session, request.state.actor, doc, doc_type, lines)
    return str(panel_markup(request, "finance/editor_body.html", **ctx))


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    doc_type = _doc_type(request)
    res = kernel.resources[doc_type.name]
    with kernel.sessions() as session:
        try:
            doc = get_record(kernel, session, actor, res, int(request.path_params["id"]), "edit")
        except PermissionDenied:  # outside the scope: not told apart from missing
            raise NotFound() from None
        refused = ""
        try:
            check_editable(actor, doc)
        except Conflict as exc:
            refused = error_text(request, exc)
        if not refused:  # -- fiscal year: said on opening, not only on the first save
            from modules.finance.fiscal_guard import problems

            closed = problems(kernel, session, {"__all__": doc.date})
            refused = error_text(request, closed["__all__"]) if closed else ""
        ctx = editor_context(kernel, session, actor, doc, doc_type)
    return render(request, "finance/editor.html", {**ctx, "refused": refused})


def _form(request: Request) -> dict[str, str]:
    form = request.state.form
    return {k: str(v) for k, v in form.items() if k != "csrf"} if form is not None else {}


# A row of a batch is named by its line's id (a change) or "n<k>" (a new line, in the order sent).
_ROW_KEY = re.compile(r"^(?:\d{1,18}|n\d{1,6})$")
MAX_ROWS = 200


def batch_rows(data: dict[str, str]) -> list[drafts.LineChange]:
    """The rows of an ``op=save`` post: ``<key>.<field>`` for each field of a row (``<key>.delete``
    removes the line), the rows in the order their first field came."""
    rows: dict[str, dict[str, str]] = {}
    for name, value in data.items():
        key, dot, field = name.partition(".")
        if not dot or (field not in drafts.LINE_FIELDS and field != "delete"):
            continue
        if not _ROW_KEY.match(key):
            raise InputError("Choose one of the listed values")
        rows.setdefault(key, {})[field] = value
    if len(rows) > MAX_ROWS:
        raise InputError("At most {n} lines at once", n=MAX_ROWS)
    return [drafts.LineChange(key, {k: v for k, v in row.items() if k != "delete"},
                              None if key.startswith("n") else int(key), delete=bool(row.get("delete")))
            for key, row in rows.items()]


def lines(request: Request) -> Response:
    """Add (``op=add``), change (``op=edit``, ``line=<id>``) or remove (``op=delete``) one line, or
    save several at once (``op=save``: :func:`batch_rows`; all or none, each row's errors keyed
    ``<key>.<field>``): each a batch of :func:`drafts.save_lines`, whose answer is drawn."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    doc_type = _doc_type(request)
    doc_id = int(request.path_params["id"])
    data = _form(request)
    op = data.get("op", "add")
    values = {k: v for k, v in data.items() if k in drafts.LINE_FIELDS}
    try:
        if op == "save":
            changes = batch_rows(data)
        elif op in ("add", "edit", "delete"):
            raw = clean_input(data.get("line", ""))
            line_id = (int(parse_decimal(raw)) if raw else 0) if op != "add" else None
            changes = [drafts.LineChange("", values, line_id, delete=op == "delete")]
        else:
            raise InputError("Choose one of the listed values")
        with kernel.session(actor) as session:
            saved = drafts.save_lines(kernel, session, actor, doc_type, doc_id, changes)
            # The document and its lines as just written: drawn without reading them again.
            html = _fragment(request, kernel, session, saved.doc, doc_type, saved.lines)
    except FormErrors as exc:
        return _errors(request, exc)
    except (NotFound, PermissionDenied) as exc:
        return _json_error(request, exc if isinstance(exc, NotFound) else NotFound("Not found"), 404)
    except (Conflict, InputError) as exc:
        return _json_error(request, exc, 409 if isinstance(exc, Conflict) else 400)
    return JSONResponse({"ok": True, "html": html})


def totals(request: Request) -> Response:
    """The document discount (with its %/Rial switch) and the shipping cost, through the resource's
    own update: its rules (``check_document``), history and the totals' recomputation."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    doc_type = _doc_type(request)
    res = kernel.resources[doc_type.name]
    doc_id = int(request.path_params["id"])
    data = {k: v for k, v in _form(request).items() if k in HEADER_FIELDS}
    values, errors = parse_values(kernel, res, data, partial=True, money_unit=actor.money_unit)
    if errors:
        return _errors(request, FormErrors(errors))
    try:
        with kernel.session(actor) as session:
            doc = update_record(kernel, session, actor, res, doc_id, values)
            html = _fragment(request, kernel, session, doc, doc_type)
    except FormErrors as exc:
        return _errors(request, exc)
    except (NotFound, PermissionDenied):
        return _json_error(request, NotFound("Not found"), 404)
    except (Conflict, InputError) as exc:
        return _json_error(request, exc, 409 if isinstance(exc, Conflict) else 400)
    return JSONResponse({"ok": True, "html": html})


def quote(request: Request) -> Response:
    """What the rules give a product on this document: price, discount and their names."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    doc_type = _doc_type(request)
    res = kernel.resources[doc_type.name]
    try:
        parsed = drafts.parse_line({"product_id": request.query_params.get("product_id", ""),
                                    "quantity": request.query_params.get("quantity", "") or "1"})
        with kernel.sessions() as session:
            doc = get_record(kernel, session, actor, res, int(request.path_params["id"]))
            product_id = parsed.get("product_id")
            product = session.get(Product, product_id) if product_id else None
            visible = kernel.scoped_select(actor, Product).where(Product.id == (product_id or 0))
            if product is None or session.scalar(visible.with_only_columns(Product.id)) is None:
                raise NotFound("Not found")
            quantity = parsed.get("quantity") or Decimal(1)
            rules = line_rules.price_rules(kernel, session, doc, product.id, quantity)
    except FormErrors as exc:
        return _errors(request, exc)
    except (NotFound, PermissionDenied):
        return _json_error(request, NotFound("Not found"), 404)
    except InputError as exc:
        return _json_error(request, exc, 400)
    lang = request_lang(request)
    return JSONResponse({
        "unit_price": format_money(rules.quote.unit_price, actor.money_unit, lang, with_unit=False),
        "price_rule": rules.price_label,
        "discount_kind": rules.discount_kind,
        "discount_value": localise(plain(rules.discount_value), lang) if rules.discount else "",
        "discount_rule": rules.discount_label or "",
    })


def products(request: Request) -> Response:
    """The line picker: sellable products (``catalogue.sellable``) the user may see, by name, code
    or barcode (Persian or Latin digits, ی/ک as typed on either keyboard)."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    text = str(request.query_params.get("q", ""))[:100]
    key = search_key(text)
    stmt = sellable_select().where(*kernel.record_conditions(actor, Product, "view"))
    if key:
        stmt = stmt.where(Product.search_key.contains(key, autoescape=True))
    lang = request_lang(request)
    with kernel.sessions() as session:
        found = list(session.scalars(stmt.limit(PICKER_LIMIT)))
        items = [{"id": p.id, "name": p.name, "code": p.code or "", "unit": p.unit or "",
                  "price": format_money(int(p.price or 0), actor.money_unit, lang)} for p in found]
    return JSONResponse({"items": items})


def routes() -> list[Route]:
    out = [Route("/sellable.json", products, methods=["GET"], permission="finance.product.view",
                 name="sellable_json")]
    for kind, doc_type in DOCS.items():
        edit = f"{doc_type.name}.edit"
        out += [
            Route(f"/{kind}/{{id:int}}/lines", page, methods=["GET"], permission=edit, name=f"{kind}_lines_page"),
            Route(f"/{kind}/{{id:int}}/lines", lines, methods=["POST"], permission=edit, name=f"{kind}_lines"),
            Route(f"/{kind}/{{id:int}}/totals", totals, methods=["POST"], permission=edit, name=f"{kind}_totals"),
            Route(f"/{kind}/{{id:int}}/quote.json", quote, methods=["GET"], permission=edit, name=f"{kind}_quote"),
        ]
    return out

