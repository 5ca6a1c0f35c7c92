"""Business logic of acme_hello, callable without HTTP: routes only parse, call and render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from kernel import Actor, PermissionDenied
from kernel.records import get_record

from .models import Greeting

if TYPE_CHECKING:
    from kernel.kernel import Kernel

RESOURCE = "acme_hello.greeting"
APPROVE = "acme_hello.greeting.approve"


def greeting_for(kernel: Kernel, session: Session, actor: Actor, greeting_id: int, action: str) -> Greeting:
    """One greeting the actor may ``action``. ``get_record`` checks the permission and applies
    every module's record scope: outside the scope the greeting does not exist (NotFound)."""
    res = kernel.resources[RESOURCE]
    obj: Greeting = get_record(kernel, session, actor, res, greeting_id, action)
    return obj


def approve(kernel: Kernel, session: Session, actor: Actor, greeting_id: int) -> Greeting:
    """Mark a greeting approved; the kernel's history records who did it and when."""
    if not actor.can(APPROVE):
        raise PermissionDenied(APPROVE)
    greeting = greeting_for(kernel, session, actor, greeting_id, "edit")
    greeting.approved = True
    return greeting


def card_context(kernel: Kernel, session: Session, greeting: Greeting, lang: str) -> dict[str, Any]:
    """What the card template needs: the greeting and the company's letterhead settings."""
    return {
        "lang": lang,
        "title": kernel.t(lang, "Greeting card"),
        "greeting": greeting,
        "company": kernel.letterhead(session),
    }
