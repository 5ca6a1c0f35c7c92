"""The occasions pages (MKT-06): the yearly calendar with "send a birthday SMS" on today, the
batches awaiting approval, and a batch's preview with approve / reject. Every route names its
permission; a batch is read through the send resource's record scope."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, Route, utcnow
from kernel.persian.jalali import to_jalali
from kernel.persian.textnorm import clean_input, to_ascii_digits
from kernel.records import FormErrors, get_record
from kernel.timezone import local_today
from kernel.web.forms import error_text, field_errors, flash, redirect
from kernel.web.templating import render, request_lang
from modules.base.models import Partner
from modules.marketing.models import Category, Send
from modules.marketing.occasions import batches, birthdays_today, calendar

VIEW = "marketing.occasion_rule.view"
SEND_VIEW = "marketing.send.view"
APPROVE = "marketing.occasion.approve"
SEND_SMS = "marketing.sms.send"


def _int(raw: str | None) -> int | None:
    text = to_ascii_digits(clean_input(raw or "")).strip()
    return int(text) if text.isdigit() else None


def calendar_page(request: Request, errors: dict[str, str] | None = None, typed: dict[str, str] | None = None,
                  status: int = 200) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    today = local_today(kernel.config.timezone)
    this_year = to_jalali(today).year
    jyear = _int(request.query_params.get("year")) or this_year
    if not 1300 <= jyear <= 1500:
        jyear = this_year
    with kernel.sessions() as session:
        months = calendar.year(kernel, session, actor, jyear, request_lang(request))
        categories = list(session.execute(select(Category.id, Category.name).where(Category.deleted_at.is_(None))
                                          .order_by(Category.sequence)))
    return render(request, "marketing/occasions/calendar.html", {
        "year": jyear, "months": months, "today": today, "categories": categories,
        "can_send": actor.can(SEND_SMS), "errors": errors or {}, "religion_label": calendar.religion_label,
        "typed": typed or {"body": birthdays_today.DEFAULT_TEXT}}, status)


def birthdays(request: Request) -> Response:
    kernel = request.app.state.kernel
    form = request.state.form
    typed = {k: str(form.get(k, "")) for k in ("category_id", "body")} if form is not None else {}
    try:
        with kernel.session(request.state.actor) as session:
            send = birthdays_today.send_today(kernel, session, request.state.actor, _int(typed.get("category_id")),
                                              typed.get("body", ""), utcnow())
            sid = send.id
    except FormErrors as exc:
        return calendar_page(request, field_errors(request, exc.errors), typed, 400)
    flash(request, "The message is queued.")
    return redirect(f"/marketing/send/{sid}")


def pending_page(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        rows = list(session.scalars(kernel.scoped_select(request.state.actor, Send).where(
            Send.state == batches.PENDING).order_by(Send.id)))
    return render(request, "marketing/occasions/pending.html", {"rows": rows})


def _batch(request: Request, session: Session) -> Send:
    kernel = request.app.state.kernel
    send: Send = get_record(kernel, session, request.state.actor, kernel.resources["marketing.send"],
                            int(request.path_params["id"]))
    return send


def batch_page(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        send = _batch(request, session)  # outside the user's scope: the app's 404 page
        shown = batches.preview(session, send.id)
        ids = {p for p, _, _ in shown.first if p}
        # Names of the partners this user sees (a narrower scope than the rule's author: numbers only).
        rows = session.execute(kernel.scoped_select(request.state.actor, Partner).with_only_columns(
            Partner.id, Partner.name).where(Partner.id.in_(ids))) if ids else []
        names = {pid: name for pid, name in rows}
    return render(request, "marketing/occasions/batch.html", {
        "send": send, "preview": shown, "names": names, "error": error,
        "can_approve": request.state.actor.can(APPROVE) and send.state == batches.PENDING}, status)


def _decide(request: Request, approve: bool) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    try:
        with kernel.session(actor) as session:
            send = _batch(request, session)
            (batches.approve if approve else batches.reject)(kernel, session, actor, send.id)
    except Conflict as exc:
        return batch_page(request, error_text(request, exc), 409)
    flash(request, "Approved: the messages are queued." if approve else "Rejected: nothing was sent.")
    return redirect(f"/marketing/send/{request.path_params['id']}")


def approve(request: Request) -> Response:
    return _decide(request, True)


def reject(request: Request) -> Response:
    return _decide(request, False)


def routes() -> list[Route]:
    return [
        Route("/occasions/calendar", calendar_page, methods=["GET"], permission=VIEW, name="occasions_calendar"),
        Route("/occasions/birthdays", birthdays, methods=["POST"], permission=SEND_SMS, name="occasions_birthdays"),
        Route("/occasions/pending", pending_page, methods=["GET"], permission=SEND_VIEW, name="occasions_pending"),
        Route("/occasions/batch/{id:int}", batch_page, methods=["GET"], permission=SEND_VIEW, name="occasions_batch"),
        Route("/occasions/batch/{id:int}/approve", approve, methods=["POST"], permission=APPROVE,
              name="occasions_approve"),
        Route("/occasions/batch/{id:int}/reject", reject, methods=["POST"], permission=APPROVE,
              name="occasions_reject"),
    ]
