"""What a campaign did, per target and in total (MKT-01): what each target got — each step's
message state from the log, the letter's number, the call task's state — and its response; the
totals (targets, reached, responded) and the actual cost beside the budget.

Reached: a message handed to the panel or delivered, a letter written, or a call task done.
The actual cost is the steps' messages' cost (what the panels bill) plus the costs typed by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import Actor
from modules.base.models import Partner
from modules.marketing.models import Campaign, CampaignStep, CampaignTarget, Letter, Message

REACHED_STATES = ("sent", "delivered")
PAGE = 500  # targets shown on the page; the totals count them all


@dataclass
class Row:
    target: CampaignTarget
    name: str | None  # None: a partner the reader may not see
    mobile: str | None
    got: dict[int, str] = field(default_factory=dict)  # step id → what it got ("delivered", "⁦12⁩", "done")


@dataclass
class Totals:
    targets: int = 0
    reached: int = 0
    responded: int = 0
    message_cost: int = 0
    cost: int = 0
    budget: int = 0

    @property
    def over_budget(self) -> bool:
        return self.cost > self.budget


def steps_of(session: Session, campaign_id: int) -> list[CampaignStep]:
    return list(session.scalars(select(CampaignStep).where(
        CampaignStep.campaign_id == campaign_id, CampaignStep.deleted_at.is_(None))
        .order_by(CampaignStep.on_date, CampaignStep.id)))


def _send_ids(steps: list[CampaignStep]) -> dict[int, int]:
    return {s.send_id: s.id for s in steps if s.send_id is not None}


def message_cost(session: Session, steps: list[CampaignStep]) -> int:
    sends = list(_send_ids(steps))
    if not sends:
        return 0
    return int(session.scalar(select(func.coalesce(func.sum(Message.cost), 0)).where(Message.send_id.in_(sends))) or 0)


def _task_model(kernel: Any) -> Any:
    res = kernel.resources.get("tasks.task")
    return res.model if res is not None else None


def _tasks_done(kernel: Any, session: Session, ids: list[int]) -> dict[int, bool]:
    model = _task_model(kernel)
    if model is None or not ids:
        return {}
    return {tid: done is not None for tid, done in session.execute(
        select(model.id, model.done_at).where(model.id.in_(ids), model.deleted_at.is_(None)))}


def totals(kernel: Any, session: Session, campaign: Campaign) -> Totals:
    steps = steps_of(session, campaign.id)
    out = Totals(budget=campaign.budget or 0)
    base = select(func.count()).select_from(CampaignTarget).where(CampaignTarget.campaign_id == campaign.id)
    out.targets = int(session.scalar(base) or 0)
    out.responded = int(session.scalar(base.where(CampaignTarget.response != "none")) or 0)
    sends = list(_send_ids(steps))
    reached: set[int] = set()
    if sends:
        reached |= set(session.scalars(select(Message.partner_id).distinct().where(
            Message.send_id.in_(sends), Message.state.in_(REACHED_STATES), Message.partner_id.is_not(None))))
    tasks: dict[int, int] = {tid: pid for tid, pid in session.execute(select(
        CampaignTarget.task_id, CampaignTarget.partner_id).where(
        CampaignTarget.campaign_id == campaign.id, CampaignTarget.task_id.is_not(None))) if tid is not None}
    reached |= {tasks[t] for t, done in _tasks_done(kernel, session, list(tasks)).items() if done}
    reached |= set(session.scalars(select(CampaignTarget.partner_id).where(
        CampaignTarget.campaign_id == campaign.id, CampaignTarget.letter_id.is_not(None))))
    targets_ids = set(session.scalars(select(CampaignTarget.partner_id).where(CampaignTarget.campaign_id == campaign.id)))
    out.reached = len(reached & targets_ids)
    out.message_cost = message_cost(session, steps)
    out.cost = out.message_cost + (campaign.manual_cost or 0)
    return out


def rows(kernel: Any, session: Session, actor: Actor, campaign: Campaign, steps: list[CampaignStep]) -> list[Row]:
    """The first :data:`PAGE` targets with what each got from each step that ran."""
    targets = list(session.scalars(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign.id)
                                   .order_by(CampaignTarget.id).limit(PAGE)))
    pids = {t.partner_id for t in targets}
    visible = kernel.scoped_select(actor, Partner).with_only_columns(Partner.id, Partner.name, Partner.mobile)
    people = {pid: (name, mobile) for pid, name, mobile in session.execute(visible.where(Partner.id.in_(pids)))} \
        if pids else {}
    states: dict[tuple[int, int | None], str] = {}
    sends = _send_ids(steps)
    if sends and pids:
        for send_id, pid, state in session.execute(select(Message.send_id, Message.partner_id, Message.state).where(
                Message.send_id.in_(list(sends)), Message.partner_id.in_(pids))):
            if send_id is not None:
                states[(sends[send_id], pid)] = state
    letters = {t.letter_id for t in targets if t.letter_id}
    numbers = {lid: number for lid, number in session.execute(select(Letter.id, Letter.number).where(
        Letter.id.in_(letters)))} if letters else {}
    tasks = _tasks_done(kernel, session, [t.task_id for t in targets if t.task_id])
    out = []
    for t in targets:
        name, mobile = people.get(t.partner_id, (None, None))
        row = Row(t, name, mobile)
        for s in steps:
            if s.kind in ("sms", "email") and (s.id, t.partner_id) in states:
                row.got[s.id] = states[(s.id, t.partner_id)]
            elif s.kind == "letter" and t.letter_id:
                row.got[s.id] = "letter:" + numbers.get(t.letter_id, "")
            elif s.kind == "call" and t.task_id in tasks:
                row.got[s.id] = "task_done" if tasks[t.task_id] else "task_open"
        out.append(row)
    return out
