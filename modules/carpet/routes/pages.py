"""The carpet module's pages beyond its resources: the warranty cards of an invoice, a batch or
one card as a PDF; a new batch for a dealer; voiding a card. Each loads its records with the
actor's permission and record scope (``get_record`` / ``scoped_select``): outside it, 404."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, NotFound, PermissionDenied, Route
from kernel.documents import download_headers
from kernel.persian.textnorm import to_ascii_digits
from kernel.records import get_record
from kernel.timezone import local_today
from kernel.web.forms import error_text, flash, form, redirect
from kernel.web.templating import render, request_lang
from modules.carpet.models import CarpetDesign, Dealer, WarrantyCard
from modules.carpet.pdf import cards_pdf

PRINT = "carpet.card.print"
MAKE_BATCH = "carpet.batch.make"
VOID = "carpet.card.void"


def _not_found(request: Request) -> Response:
    return render(request, "kernel/message.html",
                  {"message": request.app.state.kernel.t(request_lang(request), "Not found"), "status": 404}, 404)


def _pdf(request: Request, title: str, cards: list[WarrantyCard], session: Any) -> Response:
    kernel = request.app.state.kernel
    lang = request_lang(request)
    if not cards:
        return render(request, "kernel/message.html",
                      {"message": kernel.t(lang, "No warranty cards to print"), "status": 404}, 404)
    pdf = cards_pdf(kernel, request.app.state.jinja, session, cards, lang=lang, title=title)
    headers = download_headers(title, "pdf", local_today(kernel.config.timezone), lang, "carpet.card")
    headers["content-disposition"] = headers["content-disposition"].replace("attachment", "inline", 1)
    return Response(pdf, media_type="application/pdf", headers=headers)


def _cards_of(request: Request, resource: str, column: Any) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    with kernel.sessions() as session:
        try:
            record = get_record(kernel, session, actor, kernel.resources[resource], request.path_params["id"], "view")
        except (NotFound, PermissionDenied):
            return _not_found(request)
        cards = list(session.scalars(kernel.scoped_select(actor, WarrantyCard, "print").where(
            column == record.id, WarrantyCard.state != "void").order_by(WarrantyCard.id)))
        title = kernel.t(lang, "Warranty cards") + " " + kernel.record_title(kernel.resources[resource], record, lang)
        return _pdf(request, title, cards, session)


def invoice_cards(request: Request) -> Response:
    return _cards_of(request, "finance.invoice", WarrantyCard.invoice_id)


def batch_cards(request: Request) -> Response:
    return _cards_of(request, "carpet.batch", WarrantyCard.batch_id)


def one_card(request: Request) -> Response:
    kernel = request.app.state.kernel
    lang = request_lang(request)
    with kernel.sessions() as session:
        try:
            card = get_record(kernel, session, request.state.actor, kernel.resources["carpet.card"],
                              request.path_params["id"], "print")
        except (NotFound, PermissionDenied):
            return _not_found(request)
        return _pdf(request, kernel.t(lang, "Warranty card") + " " + card.code, [card], session)


def _choices(session: Any, kernel: Any, actor: Any) -> dict[str, Any]:
    from modules.base.models import Partner

    dealers = session.execute(kernel.scoped_select(actor, Dealer).where(Dealer.active.is_(True))
                              .join(Partner, Partner.id == Dealer.partner_id)
                              .with_only_columns(Dealer.id, Partner.name).order_by(Partner.name)).all()
    designs = session.execute(kernel.scoped_select(actor, CarpetDesign)
                              .with_only_columns(CarpetDesign.id, CarpetDesign.code, CarpetDesign.name)
                              .order_by(CarpetDesign.code)).all()
    return {"dealers": dealers, "designs": designs}


def batch_page(request: Request, error: str = "", values: dict[str, str] | None = None, status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        ctx = _choices(session, kernel, request.state.actor)
    return render(request, "carpet/batch_new.html", {**ctx, "error": error, "values": values or {}}, status)


def _int(text: str | None) -> int | None:
    raw = to_ascii_digits(str(text or "")).strip().replace(",", "").replace("٬", "")
    return int(raw) if raw.isdigit() else None


def batch_make(request: Request) -> Response:
    from modules.carpet.services.cards import make_batch

    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    values = {k: str(data.get(k) or "") for k in ("dealer_id", "design_id", "count", "note")}
    count, dealer, design = _int(values["count"]), _int(values["dealer_id"]), _int(values["design_id"])
    if count is None:
        return batch_page(request, kernel.t(request_lang(request), "Enter how many cards"), values, 422)
    try:
        with kernel.session(actor) as session:
            if dealer is None or session.scalar(kernel.scoped_select(actor, Dealer).where(Dealer.id == dealer)
                                                .with_only_columns(Dealer.id)) is None:
                raise InputError("Choose a dealer")
            if design is not None and session.scalar(kernel.scoped_select(actor, CarpetDesign).where(
                    CarpetDesign.id == design).with_only_columns(CarpetDesign.id)) is None:
                raise InputError("Choose a design")
            batch = make_batch(session, actor, dealer, count, design, values["note"].strip() or None)
            batch_id = batch.id
    except InputError as exc:
        return batch_page(request, error_text(request, exc), values, 422)
    flash(request, "Saved")
    return redirect(f"/carpet/batch/{batch_id}")


def void_card(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    reason = str(form(request).get("reason") or "").strip()
    with kernel.session(actor) as session:
        try:
            card = get_record(kernel, session, actor, kernel.resources["carpet.card"], request.path_params["id"], "view")
        except (NotFound, PermissionDenied):
            return _not_found(request)
        url = f"/carpet/card/{card.id}"
        if card.state == "void":
            flash(request, "The card is void already")
            return redirect(url)
        if not reason:
            flash(request, "Give the reason")
            return redirect(url)
        card.state, card.void_reason = "void", reason[:300]
    flash(request, "The card is void")
    return redirect(url)


def routes() -> list[Any]:
    return [
        Route("/invoice/{id:int}/cards.pdf", invoice_cards, methods=["GET"], permission=PRINT, name="invoice_cards"),
        Route("/batch/{id:int}/cards.pdf", batch_cards, methods=["GET"], permission=PRINT, name="batch_cards"),
        Route("/card/{id:int}/card.pdf", one_card, methods=["GET"], permission=PRINT, name="card_pdf"),
        Route("/batches/new", batch_page, methods=["GET"], permission=MAKE_BATCH, name="batch_new"),
        Route("/batches/new", batch_make, methods=["POST"], permission=MAKE_BATCH, name="batch_make"),
        Route("/card/{id:int}/void", void_card, methods=["POST"], permission=VOID, name="card_void"),
    ]


