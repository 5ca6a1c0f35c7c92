"""What the e-mail channel declares to the kernel (MKT-03, MKT-07): permission, menu entry,
record actions ("Send e-mail" on a partner, "E-mail with its PDF" on a proforma or an invoice
when finance is enabled), the partner list's "Send e-mail to this list", and the jobs.
``hooks.py`` delegates here."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from kernel import MenuItem, Permission, RecordAction

SEND_EMAIL = "marketing.email.send"


def mail_permissions() -> list[Permission]:
    return [Permission(SEND_EMAIL, "Send e-mail")]


def mail_menu_items() -> list[MenuItem]:
    return [MenuItem("marketing.email_new", "New e-mail", "/marketing/email/new", SEND_EMAIL,
                     parent="marketing.menu", sequence=11)]


def mail_record_actions() -> list[RecordAction]:
    # The finance resources are named, not imported: the actions show only where they exist.
    return [
        RecordAction("marketing.email", "Send e-mail", "/marketing/email/new?partner_id={id}", permission=SEND_EMAIL,
                     resources=("base.partner",), sequence=61),
        *(RecordAction(f"marketing.email_{name.split('.')[1]}", "E-mail with its PDF",
                       f"/marketing/email/new?attach={name}:{{id}}", permission=SEND_EMAIL, resources=(name,),
                       sequence=70) for name in ("finance.proforma", "finance.invoice")),
    ]



def mail_jobs() -> list[Any]:
    from modules.marketing.mail.jobs import mail_jobs as jobs

    return jobs()


def mail_slot(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    """Above the partner list: an e-mail to the list as it is filtered."""
    if slot != "base.partner.list":
        return None
    from kernel.web.templating import request_lang

    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.can(SEND_EMAIL):
        return None
    url = "/marketing/email/new?" + urlencode({"audience": "filter", "query": request.url.query})
    return Markup('<p class="mk-list-sms"><a class="button" href="{}" data-email-list>{}</a></p>').format(
        url, request.app.state.kernel.t(request_lang(request), "Send e-mail to this list"))
