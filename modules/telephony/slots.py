"""Markup telephony adds to other pages (kernel.template_slot): the pop-up's script and style on
every page of a signed-in user, and the caller's card with "log the call" on a call's page."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel import NotFound


def head(context: dict[str, Any], request: Any) -> Markup | None:
    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.user_id or not actor.can("telephony.call.view"):
        return None  # the login page, or a user who gets no pop-ups
    return Markup('<link rel="stylesheet" href="/static/telephony/popup.css">'
                  '<script src="/static/telephony/popup.js" defer></script>')


def call_detail(context: dict[str, Any], request: Any) -> Markup | None:
    """Under a call's record page: the same card as the pop-up, with its log form."""
    from modules.telephony.routes.popup import card_markup

    record = context.get("record")
    if record is None:
        return None
    try:
        return card_markup(request, int(record.id))
    except NotFound:
        return None


SLOTS = {"kernel.head": head, "telephony.call.detail": call_detail}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    return handler(context, request) if handler else None

