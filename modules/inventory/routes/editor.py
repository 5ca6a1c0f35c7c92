"""The stock document editor (INV-01): ``/inventory/documents/new?kind=…`` and
``/inventory/documents/{id}/edit`` — the header, the lines, a "scan or type a code" input that
a keyboard-wedge scanner or the phone camera feeds, and the post button.

Every change is one POST that works as a plain form (the page comes back, with its message) and
as a script's call (``accept: application/json``: the lines' new HTML and a message, or the
Persian refusal with 422), so a scan adds its line without reloading the page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import Conflict, Field, InputError, MenuItem, RecordAction, Route
from kernel.persian.numbers import parse_decimal
from kernel.timezone import local_today
from kernel.web.forms import error_text, flash, form, redirect, tr
from kernel.web.refs import widget
from kernel.web.templating import render
from modules.base.panels import panel_markup
from modules.finance.models import Product
from modules.inventory.access import POST
from modules.inventory.models import KINDS, StockDocument, StockLevel, Warehouse
from modules.inventory.services import drafts, posting

CREATE, EDIT = drafts.CREATE, drafts.EDIT
PARTNER = Field(name="partner_id", label="Partner", kind="ref", ref="base.partner")


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _url(doc_id: int) -> str:
    return f"/inventory/documents/{doc_id}/edit"


# -- what the page shows -------------------------------------------------------------------------
def _lines(session: Session, doc: StockDocument) -> list[dict[str, Any]]:
    """The lines with their product and what is on hand of it now in the document's warehouse
    (before posting: what a receipt adds to or an issue takes from; after: the result)."""
    line = drafts.StockDocumentLine
    rows = session.execute(
        select(line, Product, StockLevel.on_hand).join(Product, Product.id == line.product_id)
        .outerjoin(StockLevel, and_(StockLevel.product_id == line.product_id,
                                    StockLevel.warehouse_id == doc.warehouse_id))
        .where(line.document_id == doc.id).order_by(line.position, line.id)).all()
    return [{"id": ln.id, "name": p.name, "code": p.code or "", "barcode": p.barcode or "", "unit": p.unit or "",
             "quantity": Decimal(ln.quantity).normalize(), "unit_cost": int(ln.unit_cost),
             "serials": ln.serials or "", "product_id": p.id, "on_hand": Decimal(on_hand or 0).normalize()}
            for ln, p, on_hand in rows]


def _context(request: Request, session: Session, doc: StockDocument | None, kind: str,
             values: dict[str, Any] | None = None, error: str = "") -> dict[str, Any]:
    kernel, actor = request.app.state.kernel, request.state.actor
    values = values or {}
    warehouses = list(session.execute(select(Warehouse.id, Warehouse.name).where(
        Warehouse.deleted_at.is_(None), Warehouse.active.is_(True)).order_by(Warehouse.is_default.desc(), Warehouse.id)))
    partner_id = values.get("partner_id", doc.partner_id if doc else None)
    lines = _lines(session, doc) if doc else []
    return {"doc": doc, "kind": kind, "kind_label": dict(KINDS)[kind], "warehouses": warehouses,
            "warehouse_id": values.get("warehouse_id", doc.warehouse_id if doc else warehouses[0][0] if warehouses else None),
            "to_warehouse_id": values.get("to_warehouse_id", doc.to_warehouse_id if doc else None),
            "partner_id": partner_id or "", "partner": widget(kernel, session, actor, PARTNER, partner_id),
            "date": values.get("date", doc.date if doc else local_today(kernel.config.timezone)), "notes": values.get("notes", (doc.notes if doc else "") or ""),
            "lines": lines, "total": sum((ln["quantity"] for ln in lines), Decimal(0)),
            "draft": doc is None or doc.state == "draft", "can_post": actor.can(POST), "error": error}


def _lines_html(request: Request, ctx: dict[str, Any]) -> str:
    return str(panel_markup(request, "inventory/editor_lines.html", **ctx))


def _page(request: Request, doc_id: int | None, kind: str, values: dict[str, Any] | None = None,
          error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        doc = drafts.load(kernel, session, request.state.actor, doc_id, "edit") if doc_id else None
        ctx = _context(request, session, doc, doc.kind if doc else kind, values, error)
        return render(request, "inventory/editor.html", ctx, status)


# -- reading the form ----------------------------------------------------------------------------
def _int(value: Any) -> int | None:
    text = drafts.clean_code(value)
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _header(request: Request, data: Any) -> dict[str, Any]:
    date_text = str(data.get("date") or "").strip()
    return {"warehouse_id": _int(data.get("warehouse_id")), "to_warehouse_id": _int(data.get("to_warehouse_id")),
            "partner_id": _int(data.get("partner_id")), "notes": str(data.get("notes") or ""),
            "date": Field(kind="date").parse(date_text) if date_text else None}


def _quantity(data: Any, name: str = "quantity") -> Decimal | None:
    text = str(data.get(name) or "").strip()
    return drafts.check_quantity(parse_decimal(text)) if text else None


def _cost(request: Request, data: Any) -> int | None:
    text = str(data.get("unit_cost") or "").strip()
    if not text:
        return None
    value = Field(kind="money").parse(text, money_unit="rial")  # the cost column is in Rials
    return None if value is None else int(value)


def _serials(data: Any) -> list[str] | None:
    text = data.get("serials")
    return None if text is None else str(text).replace("\r", "").split("\n")


# -- the pages -----------------------------------------------------------------------------------
def new_page(request: Request) -> Response:
    kind = str(request.query_params.get("kind") or "receipt")
    return _page(request, None, kind if kind in dict(KINDS) else "receipt")


def new_submit(request: Request) -> Response:
    """The header, and the first code when the new page's scan input sent it: the draft is made
    and the editor opens on it (the page's one reload)."""
    kernel, actor = request.app.state.kernel, request.state.actor
    data = form(request)
    kind = str(data.get("kind") or "receipt")
    kind = kind if kind in dict(KINDS) else "receipt"
    try:
        header = _header(request, data)
        with kernel.session(actor) as session:
            doc = drafts.new_document(kernel, session, actor, kind, **header)
            if drafts.clean_code(data.get("code")):
                drafts.add_line(kernel, session, actor, doc.id, code=str(data.get("code")), quantity=_quantity(data))
            doc_id = doc.id
    except (InputError, Conflict) as exc:
        return _page(request, None, kind, {k: str(v or "") for k, v in data.items()}, error_text(request, exc), 422)
    return redirect(_url(doc_id))


def edit_page(request: Request) -> Response:
    return _page(request, int(request.path_params["id"]), "receipt")


def _refused(request: Request, doc_id: int, exc: Exception) -> Response:
    """A rule said no: the script gets the Persian message (422), the form its page with it."""
    text = error_text(request, exc)
    if _wants_json(request):
        return JSONResponse({"ok": False, "error": text}, status_code=422)
    return _page(request, doc_id, "receipt", error=text, status=422)


def _changed(request: Request, doc_id: int, msgid: str, change: Any, flashed: str = "Saved") -> Response:
    """Run one change of the draft in one transaction; answer the script or the form."""
    kernel, actor = request.app.state.kernel, request.state.actor
    try:
        with kernel.session(actor) as session:
            said = change(kernel, session, actor) or {}
    except (InputError, Conflict) as exc:
        return _refused(request, doc_id, exc)
    if _wants_json(request):
        with kernel.sessions() as session:
            doc = drafts.load(kernel, session, actor, doc_id, "edit")
            ctx = _context(request, session, doc, doc.kind)
            return JSONResponse({"ok": True, "message": tr(request, msgid, **said),
                                 "lines": _lines_html(request, ctx), "count": len(ctx["lines"])})
    flash(request, flashed)
    return redirect(_url(doc_id))


def header_submit(request: Request) -> Response:
    doc_id = int(request.path_params["id"])
    data = form(request)

    def change(kernel: Any, session: Session, actor: Any) -> None:
        drafts.set_header(kernel, session, actor, doc_id, **_header(request, data))

    return _changed(request, doc_id, "Saved", change)


def line_add(request: Request) -> Response:
    doc_id = int(request.path_params["id"])
    data = form(request)

    def change(kernel: Any, session: Session, actor: Any) -> dict[str, Any]:
        serials = [s for s in (_serials(data) or []) if s.strip()]
        line = drafts.add_line(kernel, session, actor, doc_id, code=str(data.get("code") or ""),
                               quantity=_quantity(data), unit_cost=_cost(request, data), serials=serials)
        product = session.get(Product, line.product_id)
        return {"name": product.name if product else ""}

    return _changed(request, doc_id, "Added: {name}", change, "The line was added")


def line_set(request: Request) -> Response:
    doc_id, line_id = int(request.path_params["id"]), int(request.path_params["line"])
    data = form(request)

    def change(kernel: Any, session: Session, actor: Any) -> None:
        drafts.set_line(kernel, session, actor, doc_id, line_id, quantity=_quantity(data),
                        unit_cost=_cost(request, data), serials=_serials(data))

    return _changed(request, doc_id, "Saved", change)


def line_remove(request: Request) -> Response:
    doc_id, line_id = int(request.path_params["id"]), int(request.path_params["line"])

    def change(kernel: Any, session: Session, actor: Any) -> None:
        drafts.remove_line(kernel, session, actor, doc_id, line_id)

    return _changed(request, doc_id, "The line was removed", change, "The line was removed")


def post_submit(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    doc_id = int(request.path_params["id"])
    try:
        with kernel.session(actor) as session:
            posting.post(kernel, session, actor, doc_id)
    except (InputError, Conflict) as exc:
        return _refused(request, doc_id, exc)
    if _wants_json(request):
        return JSONResponse({"ok": True, "open": _url(doc_id)})
    flash(request, "The document was posted")
    return redirect(_url(doc_id))


def routes() -> list[Any]:
    one = "/documents/{id:int}"
    return [Route("/documents/new", new_page, methods=["GET"], permission=CREATE, name="editor_new"),
            Route("/documents/new", new_submit, methods=["POST"], permission=CREATE, name="editor_create"),
            Route(f"{one}/edit", edit_page, methods=["GET"], permission=EDIT, name="editor_edit"),
            Route(f"{one}/header", header_submit, methods=["POST"], permission=EDIT, name="editor_header"),
            Route(f"{one}/lines", line_add, methods=["POST"], permission=EDIT, name="editor_line_add"),
            Route(f"{one}/lines/{{line:int}}", line_set, methods=["POST"], permission=EDIT,
                  name="editor_line_set"),
            Route(f"{one}/lines/{{line:int}}/remove", line_remove, methods=["POST"], permission=EDIT,
                  name="editor_line_remove"),
            Route(f"{one}/post", post_submit, methods=["POST"], permission=POST, name="editor_post")]



def menu_items() -> list[MenuItem]:
    """A new document straight into the scanner, beside each kind's list in «انبار»."""
    return [MenuItem(f"inventory.new_{kind}", label, f"/inventory/documents/new?kind={kind}", CREATE,
                     parent="inventory.menu", sequence=seq)
            for kind, label, seq in (("receipt", "New goods receipt", 11), ("issue", "New goods issue", 21),
                                     ("transfer", "New stock transfer", 31))]


def record_actions() -> list[RecordAction]:
    return [RecordAction("inventory.scan_lines", "Lines and scanning", "/inventory/documents/{id}/edit", EDIT,
                         resources=("inventory.document",), sequence=10)]
