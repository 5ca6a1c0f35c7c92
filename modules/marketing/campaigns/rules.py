"""The campaign's and its steps' input rules (``Resource.validate``): dates in order, no negative
amounts, a target list the partner list itself accepts, and a plan that no longer changes once
it was submitted — the manager approves these targets, this budget and these steps."""

from __future__ import annotations

from typing import Any

from kernel import InputError
from modules.marketing import audiences, placeholders
from modules.marketing.letters import numbering
from modules.marketing.models import Campaign
from modules.marketing.models.campaign import EDITABLE

LOCKED = "The campaign was submitted: its targets and budget can no longer be changed"
STEPS_LOCKED = "The campaign was submitted: its steps can no longer be changed"


def check_targets(kernel: Any, session: Any, actor: Any, query: str) -> InputError | None:
    """A target list is a partner list's query string: its filters must be ones that list accepts."""
    try:
        audience = audiences.normalise(kernel, session, {"kind": "filter", "query": query or ""})
        audiences.partners_select(kernel, session, actor, audience)
    except audiences.AudienceError as exc:
        return InputError(exc.msgid, **exc.params)
    return None


def check_campaign(values: dict[str, Any], record: Any = None, session: Any = None, actor: Any = None,
                   kernel: Any = None, **_: Any) -> dict[str, InputError] | None:
    errors: dict[str, InputError] = {}
    start, end = values.get("start_on"), values.get("end_on")
    if start is not None and end is not None and end < start:
        errors["end_on"] = InputError("The campaign ends before it starts")
    for name in ("budget", "manual_cost"):
        if (values.get(name) or 0) < 0:
            errors[name] = InputError("An amount cannot be negative")
    if record is not None and record.state not in EDITABLE:
        for name in ("target_query", "budget"):
            if values.get(name) != getattr(record, name):
                errors[name] = InputError(LOCKED)
    if "target_query" not in errors and kernel is not None and session is not None and actor is not None:
        problem = check_targets(kernel, session, actor, values.get("target_query") or "")
        if problem is not None:
            errors["target_query"] = problem
    return errors or None


def _kind_errors(values: dict[str, Any], kernel: Any, session: Any) -> dict[str, InputError]:
    """What each kind of step needs: a text and a category, a letter template, a caller."""
    errors: dict[str, InputError] = {}
    kind = values.get("kind")
    if kind in ("sms", "email"):
        if not values.get("category_id"):
            errors["category_id"] = InputError("Choose a send category")
        body = (values.get("body") or "").strip()
        if not body and not values.get("template_id"):
            errors["body"] = InputError("Write the message or choose a template")
        elif body and kernel is not None:
            try:
                placeholders.check(body, placeholders.declared(kernel))
            except InputError as exc:
                errors["body"] = exc
        if kind == "email" and not (values.get("subject") or "").strip():
            errors["subject"] = InputError("Write the e-mail's subject")
    elif kind == "letter":
        if not values.get("letter_template_id"):
            errors["letter_template_id"] = InputError("Choose a letter template")
        if session is not None and numbering.mode(kernel, session) == "manual" and not values.get("first_number"):
            errors["first_number"] = InputError("Type the first letter's number")
    elif kind == "call" and not values.get("assignee_id"):
        errors["assignee_id"] = InputError("Choose who calls the targets")
    return errors


def check_step(values: dict[str, Any], record: Any = None, session: Any = None, kernel: Any = None,
               **_: Any) -> dict[str, InputError] | None:
    errors = _kind_errors(values, kernel, session)
    if record is not None and record.state != "planned":
        errors["__all__"] = InputError("This step has run: it can no longer be changed")
    campaign = session.get(Campaign, values["campaign_id"]) if session is not None and values.get("campaign_id") \
        else None
    if campaign is not None:
        if campaign.state not in EDITABLE:
            errors["campaign_id"] = InputError(STEPS_LOCKED)
        day = values.get("on_date")
        if day is not None and not campaign.start_on <= day <= campaign.end_on:
            errors["on_date"] = InputError("The step's date is outside the campaign's dates")
    return errors or None
