""""New partner" from a call of an unknown number: base's partner form opened with the number in
the right field (a mobile for 09…, the phone otherwise) and coming back to the call, which the
save links (``link_partner``)."""

from __future__ import annotations

from urllib.parse import urlencode

from kernel.persian.phones import is_mobile
from modules.telephony.models import Call


def local_form(canonical: str) -> str:
    """``+989121234567`` → ``09121234567``: what people read and type (the form canonicalises)."""
    return "0" + canonical[3:] if canonical.startswith("+98") else canonical


def new_partner_url(call: Call) -> str | None:
    if call.partner_id is not None or not call.number_canonical:
        return None
    number = call.number_canonical
    field = "mobile" if is_mobile(number) else "phone"
    return "/base/partner/new?" + urlencode({"kind": "person", field: local_form(number),
                                             "next": f"/telephony/call/{call.id}"})
