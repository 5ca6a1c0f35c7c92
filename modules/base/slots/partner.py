"""On a partner's record page: the way to its 360° profile, and the partner id that F9 reads."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from kernel.icons import icon
from kernel.web.templating import request_lang
from modules.base.services.links import new_communication_url


def detail(context: dict[str, Any], request: Any) -> Markup | None:
    record = context.get("record")
    if record is None or getattr(record, "id", None) is None:
        return None
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    pid = int(record.id)
    parts = [Markup('<a class="button primary" href="/base/partner/{}/profile">{} {}</a>').format(
        pid, icon("users"), kernel.t(lang, "360° profile"))]
    if actor is not None and actor.can("base.communication.create"):
        url = new_communication_url(kernel.config.timezone, partner_id=pid, back=f"/base/partner/{pid}")
        parts.append(Markup('<a class="button" href="{}" title="F9">{} {}</a>')
                     .format(url, icon("mail"), kernel.t(lang, "New communication")))
    return Markup('<div class="partner-bar actions" data-partner-id="{}">{}</div>').format(
        escape(pid), Markup(" ").join(parts))


SLOTS = {"base.partner.detail": detail}
