"""Marketing's additions to other pages (MKT-02): the progress and recipients under a send's
page, and "Send SMS" on each row of the kernel's daily reminder report."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from kernel.web.templating import request_lang
from modules.base.models import Partner
from modules.marketing.progress import progress, recipients

SEND_SMS = "marketing.sms.send"


def send_detail(context: dict[str, Any], request: Any) -> Markup | None:
    send = context.get("record")
    if send is None:
        return None
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        got = progress(session, send.id)
        rows = recipients(session, send.id)
        ids = {r.partner_id for r in rows if r.partner_id}
        # Names of the partners the reader may see; the others show their number only.
        visible = kernel.scoped_select(actor, Partner).with_only_columns(Partner.id, Partner.name)
        names = {pid: name for pid, name in session.execute(visible.where(Partner.id.in_(ids)))} if ids else {}
    return Markup(request.app.state.jinja.get_template("marketing/send_progress.html").render(
        send=send, progress=got, rows=rows, names=names, lang=request_lang(request), tz=kernel.config.timezone,
        log_url="/marketing/message/?" + urlencode({"f_send_id": send.id})))


def daily_row(context: dict[str, Any], request: Any) -> Markup | None:
    """One click to an SMS to the row's partner, prefilled on the New SMS page."""
    row = context.get("row")
    actor = getattr(request.state, "actor", None)
    if row is None or actor is None or not row.get("partner_id") or not actor.can(SEND_SMS):
        return None
    kernel = request.app.state.kernel
    url = "/marketing/sms/new?" + urlencode({"partner_id": row["partner_id"]})
    return Markup(' <a class="button" href="{}">{}</a>').format(url, kernel.t(request_lang(request), "Send SMS"))


def partner_list(context: dict[str, Any], request: Any) -> Markup | None:
    """Above the partner list: an SMS to the list as it is filtered (its filters and search)."""
    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.can(SEND_SMS):
        return None
    kernel = request.app.state.kernel
    url = "/marketing/sms/new?" + urlencode({"audience": "filter", "query": request.url.query})
    return Markup('<p class="mk-list-sms"><a class="button" href="{}" data-sms-list>{}</a></p>').format(
        url, kernel.t(request_lang(request), "Send SMS to this list"))


SLOTS = {"marketing.send.detail": send_detail, "kernel.daily_report.row": daily_row,
         "base.partner.list": partner_list}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    return handler(context, request) if handler is not None else None
