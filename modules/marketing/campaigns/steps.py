"""Running a campaign's steps (MKT-01): on their date by the periodic job, or at once ("run now").

A step runs only while its campaign is approved or running, as the campaign's marketer (their
record scope and permissions), and once: its row is locked and its state checked in the
transaction that writes what it makes — the send and its messages (SMS, e-mail, through
``compose``'s pieces and the outbox), the group letter (``letters.register.write_group``), or a
call task per target (through the tasks module's resource, when that module is enabled). A
refusal rolls all of it back; the job then marks the step ``failed`` with the reason, and a
user may run it again once the cause is fixed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, NotFound, PermissionDenied, utcnow
from kernel.records import BulkErrors, FormErrors, create_records
from kernel.timezone import local_today, to_utc
from modules.marketing import compose
from modules.marketing.campaigns import states, targets
from modules.marketing.models import Campaign, CampaignStep, Send
from modules.marketing.models.campaign import LIVE

STEPS_JOB = "marketing.campaign_steps"
TASKS = "tasks.task"
CALL_HOUR = dt.time(9, 0)  # a call task is due at the start of the step's office day


def _audience(campaign: Campaign) -> dict[str, Any]:
    return {"kind": "filter", "query": campaign.target_query or ""}


def _sms(kernel: Any, session: Session, actor: Actor, campaign: Campaign, step: CampaignStep,
         now: dt.datetime) -> None:
    """A send to the approved targets: compose's checks, its rules per recipient (no companies,
    opt-outs), its messages and its outbox rows."""
    checked = compose.check(kernel, session, actor, compose.Draft(_audience(campaign), step.category_id,
                                                                  step.body or "", step.template_id), now)
    send = Send(channel="sms", category_id=checked.category.id, template_id=checked.template_id, body=checked.body,
                audience=json.dumps({"kind": "campaign", "campaign": campaign.id}), state="queued",
                audience_label=kernel.t("fa", "Campaign: {name}", name=campaign.name)[:300], owner_id=actor.user_id)
    session.add(send)
    session.flush()
    people = compose.plain(targets.recipients(kernel, session, actor, targets.target_rows(session, campaign.id)))
    compose.finish(session, send, compose.write_messages(kernel, session, actor, send, checked.category, people, now))
    step.send_id = send.id


def _email(kernel: Any, session: Session, actor: Actor, campaign: Campaign, step: CampaignStep,
           now: dt.datetime) -> None:
    """An e-mail through compose's e-mail channel (MKT-03), to the campaign's list."""
    draft = compose.Draft(_audience(campaign), step.category_id, step.body or "", step.template_id,
                          channel="email", subject=step.subject)
    send = compose.compose(kernel, session, actor, draft, now)
    if send.channel != "email":  # a compose without the e-mail channel made an SMS send: undone by the caller
        raise InputError("E-mail cannot be sent yet: the e-mail channel is not installed")
    step.send_id = send.id


def _letter(kernel: Any, session: Session, actor: Actor, campaign: Campaign, step: CampaignStep,
            now: dt.datetime) -> None:
    """A group letter to the targets, each one numbered in the register and on its timeline."""
    from modules.marketing.letters.addressing import Recipient as Addressee
    from modules.marketing.letters.register import GroupErrors, write_group

    rows = targets.target_rows(session, campaign.id)
    if step.letter_template_id is None:
        raise InputError("Choose a letter template")
    try:
        batch, letters = write_group(kernel, session, actor, step.letter_template_id,
                                     [Addressee(t.partner_id) for t in rows], local_today(kernel.config.timezone, now),
                                     step.first_number)
    except GroupErrors as exc:
        raise next(iter(exc.errors.values())) from exc
    except NotFound as exc:
        raise InputError("Choose a letter template") from exc
    for target, letter in zip(rows, letters, strict=True):
        target.letter_id = letter.id
    step.letter_batch = batch


def _call(kernel: Any, session: Session, actor: Actor, campaign: Campaign, step: CampaignStep,
          now: dt.datetime) -> None:
    """A task per target for the chosen colleague: "call about the campaign", due on the step's day."""
    res = kernel.resources.get(TASKS)
    if res is None:
        raise InputError("A call step needs the tasks module, which is not enabled")
    rows = targets.target_rows(session, campaign.id)
    due = to_utc(dt.datetime.combine(step.on_date, CALL_HOUR), kernel.config.timezone)
    title = kernel.t("fa", "Call about the campaign «{name}»", name=campaign.name)[:200]
    values = [{"title": title, "description": campaign.goal, "partner_id": t.partner_id, "due_at": due,
               "assignee_id": step.assignee_id, "link_resource": "marketing.campaign", "link_id": campaign.id}
              for t in rows]
    try:
        tasks = create_records(kernel, session, actor, res, values) if values else []
    except BulkErrors as exc:
        first = exc.errors[min(exc.errors)]
        raise next(iter(first.values())) from exc
    for target, task in zip(rows, tasks, strict=True):
        target.task_id = task.id


KINDS = {"sms": _sms, "email": _email, "letter": _letter, "call": _call}


def run_step(kernel: Any, session: Session, step_id: int, now: dt.datetime | None = None,
             retry: bool = True) -> CampaignStep:
    """Run the step once, in the caller's transaction. ``retry``: a failed step may run again
    (a user's "run now"); the job runs only planned ones."""
    now = now or utcnow()
    # Locked: a second runner waits here and then finds the step done (PostgreSQL; on SQLite the
    # writer already holds the database).
    step = session.scalars(select(CampaignStep).where(CampaignStep.id == step_id, CampaignStep.deleted_at.is_(None))
                           .with_for_update().execution_options(populate_existing=True)).first()
    if step is None:
        raise NotFound("marketing.campaign_step")
    campaign = session.get(Campaign, step.campaign_id)
    if campaign is None or campaign.deleted_at is not None or campaign.state not in LIVE:
        raise InputError("A step runs only when its campaign is approved")
    if step.state == "done" or (step.state == "failed" and not retry):
        raise InputError("This step has already run")
    actor = targets.marketer(session, campaign)
    try:
        KINDS[step.kind](kernel, session, actor, campaign, step, now)
    except FormErrors as exc:
        raise next(iter(exc.errors.values())) from exc
    except PermissionDenied as exc:  # the marketer's role lacks what the step writes (letters, tasks)
        raise InputError("The campaign's marketer may not do what this step does") from exc
    step.state, step.ran_at, step.note = "done", now, None
    states.started(session, campaign)
    session.flush()
    return step


def run_due(kernel: Any, session: Session, now: dt.datetime) -> None:
    """The periodic job: every planned step whose day has come, of an approved or running
    campaign. Each in a savepoint: one that is refused is marked ``failed`` with the reason."""
    today = local_today(kernel.config.timezone, now)
    due = session.scalars(select(CampaignStep.id).join(Campaign, Campaign.id == CampaignStep.campaign_id).where(
        CampaignStep.state == "planned", CampaignStep.on_date <= today, CampaignStep.deleted_at.is_(None),
        Campaign.state.in_(LIVE), Campaign.deleted_at.is_(None)).order_by(CampaignStep.on_date, CampaignStep.id))
    for step_id in list(due):
        try:
            with session.begin_nested():
                run_step(kernel, session, step_id, now, retry=False)
        except InputError as exc:
            step = session.get(CampaignStep, step_id)
            if step is not None and step.state == "planned":
                step.state, step.ran_at = "failed", now
                step.note = kernel.t("fa", exc.msgid, **exc.params)
                session.flush()
