"""The "New SMS" page (MKT-02) and the "New e-mail" page (MKT-03, the same page with the e-mail
channel: a subject, attached files, no range of mobiles): choose the recipients, the category,
a template or a text; the part count and the recipient count are previewed while typing
(``/marketing/<sms|email>/preview``, JSON); send now or at a Jalali date and time. A refusal
comes back on the form in Persian beside its field, nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import InputError, Route
from kernel.persian.jalali import parse_jalali_date
from kernel.persian.numbers import format_number
from kernel.persian.textnorm import clean_input, to_ascii_digits
from kernel.records import FormErrors
from kernel.timezone import to_utc
from kernel.web import refs
from kernel.web.forms import field_errors, flash, redirect, tr
from kernel.web.templating import render, request_lang
from modules.marketing import audiences, compose, placeholders
from modules.marketing.mail import page as email_page
from modules.marketing.models import Category, Template
from modules.marketing.sms_parts import count_parts

SEND_SMS = "marketing.sms.send"
SEND_EMAIL = "marketing.email.send"
FIELDS = ("audience", "partner_id", "query", "group_id", "company_id", "range_start", "range_end", "category_id",
          "template_id", "body", "when", "send_date", "send_time", "subject", "attach")
PATHS = {"sms": "sms", "email": "email"}


def _int(raw: str | None) -> int | None:
    text = to_ascii_digits(clean_input(raw or ""))
    return int(text) if text.isdigit() else None


def parse_when(typed: dict[str, str], tz: str) -> dt.datetime | None:
    """"now", or a Jalali date and a local time ("۱۴۰۵/۰۹/۲۰", "۱۸:۳۰") as naive UTC."""
    if typed.get("when") != "later":
        return None
    errors: dict[str, InputError] = {}
    day: dt.date | None = None
    try:
        day = parse_jalali_date(typed.get("send_date", ""))
    except InputError as exc:
        errors["send_date"] = exc
    text = to_ascii_digits(clean_input(typed.get("send_time", ""))).strip() or "09:00"
    hour, _, minute = text.partition(":")
    if not (hour.isdigit() and (minute or "0").isdigit() and int(hour) < 24 and int(minute or 0) < 60):
        errors["send_time"] = InputError("Enter a time such as ۱۸:۳۰")
    if errors or day is None:
        raise FormErrors(errors)
    return to_utc(dt.datetime.combine(day, dt.time(int(hour), int(minute or 0))), tz)


def draft_of(typed: dict[str, str], tz: str, channel: str = "sms",
             files: list[Any] | None = None) -> compose.Draft:
    kind = typed.get("audience", "")
    audience: dict[str, Any] = {"kind": kind}
    if kind == "range":
        audience |= {"start": typed.get("range_start", ""), "end": typed.get("range_end", "")}
    elif kind == "filter":
        audience["query"] = typed.get("query", "")
    else:
        audience["id"] = typed.get({"partner": "partner_id", "group": "group_id", "personnel": "company_id"}
                                   .get(kind, "partner_id"), "")
    return compose.Draft(audience=audience, category_id=_int(typed.get("category_id")), body=typed.get("body", ""),
                         template_id=_int(typed.get("template_id")), scheduled_at=parse_when(typed, tz),
                         channel=channel, subject=typed.get("subject") if channel == "email" else None,
                         files=list(files or []))


def _typed(request: Request) -> dict[str, str]:
    source = request.state.form if request.method == "POST" else request.query_params
    return {k: str(source.get(k, "")) for k in FIELDS if source is not None and source.get(k) is not None}


def _page(request: Request, typed: dict[str, str], errors: dict[str, str], status: int = 200,
          channel: str = "sms") -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    if not typed.get("audience"):
        typed["audience"] = ("partner" if typed.get("partner_id") else "filter" if typed.get("query")
                             else "group" if typed.get("group_id") else "personnel" if typed.get("company_id")
                             else "range" if channel == "sms" else "filter")
    with kernel.sessions() as session:
        # First: an attached document chooses its partner as the recipient.
        extra = email_page.extras(request, session, typed) if channel == "email" else {}
        fields = [kernel.resources["marketing.message"].field("partner_id"),
                  kernel.resources["base.employment"].field("company_id"),
                  kernel.resources["base.partner"].field("group_id")]
        widgets = refs.widgets(kernel, session, actor, fields, {"partner_id": typed.get("partner_id"),
                                                              "company_id": typed.get("company_id"),
                                                              "group_id": typed.get("group_id")})
        categories = list(session.execute(select(Category.id, Category.name, Category.advertising)
                                          .where(Category.deleted_at.is_(None)).order_by(Category.sequence)))
        templates = list(session.execute(kernel.scoped_select(actor, Template).with_only_columns(
            Template.id, Template.name, Template.body, Template.category_id, Template.subject)
            .where(Template.channel == channel).order_by(Template.name)))
        range_max = kernel.setting(session, audiences.RANGE_MAX_SETTING, audiences.RANGE_MAX_DEFAULT)
    places = placeholders.declared(kernel)
    return render(request, "marketing/compose.html", {
        "typed": typed, "errors": errors, "widgets": widgets, "categories": categories, "templates": templates,
        "places": places, "range_max": range_max, "channel": channel, "path": PATHS[channel],
        "parts": count_parts(typed.get("body", "")), **extra,
    }, status)


def page(request: Request) -> Response:
    return _page(request, _typed(request), {})


def send(request: Request, channel: str = "sms") -> Response:
    kernel = request.app.state.kernel
    typed = _typed(request)
    try:
        files = email_page.files_of(request, typed) if channel == "email" else []
        with kernel.session(request.state.actor) as session:
            made = compose.compose(kernel, session, request.state.actor,
                                   draft_of(typed, kernel.config.timezone, channel, files))
            sid = made.id
    except FormErrors as exc:
        return _page(request, typed, field_errors(request, exc.errors), 400, channel)
    flash(request, "The message is scheduled." if typed.get("when") == "later" else "The message is queued.")
    return redirect(f"/marketing/send/{sid}")


def email_new(request: Request) -> Response:
    return _page(request, _typed(request), {}, channel="email")


def email_send(request: Request) -> Response:
    return send(request, "email")


def email_preview(request: Request) -> Response:
    return preview(request, "email")


def preview(request: Request, channel: str = "sms") -> Response:
    """The recipient count, the skipped by reason and the parts, as the form stands (JSON)."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    typed = {**_typed(request), "when": "now"}  # the preview is of the audience as it is now
    try:
        with kernel.sessions() as session:
            draft = draft_of(typed, kernel.config.timezone, channel)
            checked = compose.check(kernel, session, actor, draft)
            got = compose.tally(kernel, session, actor, checked)
    except FormErrors as exc:
        return JSONResponse({"errors": field_errors(request, exc.errors)})
    parts = count_parts(checked.body)
    lang = request_lang(request)
    if channel == "email":
        return JSONResponse({
            "total": got.total, "queued": got.queued,
            "skipped": [{"reason": tr(request, reason), "count": n} for reason, n in got.skipped.most_common()],
            "summary": tr(request, "{queued} of {total} recipients", queued=format_number(got.queued, lang),
                          total=format_number(got.total, lang))})
    return JSONResponse({
        "total": got.total, "queued": got.queued, "parts": got.parts, "per_message": parts.parts,
        "length": parts.length, "encoding": parts.encoding,
        "skipped": [{"reason": tr(request, reason), "count": n} for reason, n in got.skipped.most_common()],
        "summary": tr(request, "{queued} of {total} recipients, {parts} parts", queued=format_number(got.queued, lang),
                      total=format_number(got.total, lang), parts=format_number(got.parts, lang)),
    })


def routes() -> list[Route]:
    return [
        Route("/sms/new", page, methods=["GET"], permission=SEND_SMS, name="sms_new"),
        Route("/sms/new", send, methods=["POST"], permission=SEND_SMS, name="sms_send"),
        Route("/sms/preview", preview, methods=["GET"], permission=SEND_SMS, name="sms_preview"),
        Route("/email/new", email_new, methods=["GET"], permission=SEND_EMAIL, name="email_new"),
        Route("/email/new", email_send, methods=["POST"], permission=SEND_EMAIL, name="email_send"),
        Route("/email/preview", email_preview, methods=["GET"], permission=SEND_EMAIL, name="email_preview"),
    ]
