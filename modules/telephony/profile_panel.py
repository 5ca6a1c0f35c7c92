"""The partner's last call on the 360° profile (FAQ 105 "when did this customer last call?")."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from kernel import Panel
from kernel.persian.jalali import format_jalali
from kernel.timezone import to_local
from kernel.web.templating import request_lang
from modules.base.panels import PAGE
from modules.telephony.duration import duration_text
from modules.telephony.models import Call


def render(request: Any, kernel: Any, session: Any, actor: Any, record: Any, **_: Any) -> Markup | None:
    call = session.scalars(kernel.scoped_select(actor, Call).where(Call.partner_id == record.id)
                           .order_by(Call.started_at.desc(), Call.id.desc()).limit(1)).first()
    if call is None:
        return None
    lang = request_lang(request)
    t = kernel.t
    when = format_jalali(to_local(call.started_at, kernel.config.timezone), lang, "datetime")
    what = t(lang, "Incoming call" if call.direction == "incoming" else "Outgoing call")
    if call.answered is False:
        what = t(lang, "Missed call")
    length = duration_text(call.duration_seconds, lang)
    link = "/telephony/call/?" + urlencode({"f_partner_id": record.id})
    return Markup('<p class="last-call" data-call="{}"><a href="/telephony/call/{}">{}</a> — {} — '
                  '<bdi dir="ltr">{}</bdi></p><p><a href="{}">{}</a></p>').format(
        call.id, call.id, what, when, length, link, t(lang, "All calls of this partner"))


def panels() -> list[Panel]:
    return [Panel("telephony.last_call", PAGE, "Last call", render, permission="telephony.call.view", sequence=45)]
