""""Send a birthday SMS" (MKT-06) from the calendar: one send, at once, to the persons the user
sees whose Jalali birthday is today (30 Esfand ones on a 29-day Esfand's last day), through the
composer's writer and the outbox like any other send."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import Session

from kernel import Actor, InputError
from kernel.persian.jalali import format_jalali
from kernel.persian.textnorm import clean_input
from kernel.records import FormErrors
from kernel.timezone import local_today
from modules.marketing import compose, placeholders
from modules.marketing.models import Category, OccasionRule, Send
from modules.marketing.models.occasion_rule import BIRTHDAY
from modules.marketing.occasions import matching

DEFAULT_TEXT = "{name}، زادروزتان خجسته باد. {today}"


def send_today(kernel: Any, session: Session, actor: Actor, category_id: int | None, body: str,
               now: dt.datetime) -> Send:
    errors: dict[str, InputError] = {}
    category = session.get(Category, category_id) if category_id else None
    if category is None or category.deleted_at is not None:
        errors["category_id"] = InputError("Choose a send category")
    text = clean_input(body or "").strip()
    if not text:
        errors["body"] = InputError("Write the message or choose a template")
    else:
        try:
            placeholders.check(text, placeholders.declared(kernel))
        except InputError as exc:
            errors["body"] = exc
    day = local_today(kernel.config.timezone, now)
    rule = OccasionRule(name="", occasion=BIRTHDAY)  # not saved: the recipients' query of a birthday rule
    people = [] if errors else list(matching.recipients(kernel, session, actor, rule,
                                                        matching.Found(matching.LABELS[BIRTHDAY]), day))
    if not errors and not people:
        errors["body"] = InputError("No one you see has a birthday today")
    if errors:
        raise FormErrors(errors)
    assert category is not None
    send = Send(channel="sms", category_id=category.id, body=text, state="queued",
                audience=json.dumps({"kind": "birthdays", "on": day.isoformat()}),
                audience_label=kernel.t("fa", "Birthdays of {date}", date=format_jalali(day))[:300])
    session.add(send)
    session.flush()
    compose.finish(session, send, compose.write_messages(kernel, session, actor, send, category,
                                                         compose.plain(people), now))
    return send
