"""On a partner's record page: its photo (BASE-01), beside the way to the 360° profile."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel.web.templating import request_lang
from modules.base.services.photo import photo_url


def detail(context: dict[str, Any], request: Any) -> Markup | None:
    record = context.get("record")
    if record is None or getattr(record, "id", None) is None or not getattr(record, "photo_attachment_id", None):
        return None
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        url = photo_url(session, int(record.id))
    if url is None:
        return None
    return Markup('<p class="partner-photo-bar"><img class="partner-photo" src="{}" alt="{}" width="96" height="96"></p>').format(
        url, kernel.t(request_lang(request), "Photo"))


SLOTS = {"base.partner.detail": detail}
