"""What the campaign tests share: a marketing kernel (with tasks when asked) on either engine, a
marketer who plans and submits, a manager who approves, partners of a list, a campaign with its
steps made through the forms' path, and the campaign's moves, targets and history read back."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from kernel.models import History
from kernel.persian.jalali import jalali_to_date
from kernel.testing import actor_of, create_record, create_user
from modules.marketing.campaigns import states
from modules.marketing.models import CampaignTarget
from modules.marketing.tests.compose_helpers import ADS, category, company, person

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
MARKETER = ("marketing.campaign.view", "marketing.campaign.create", "marketing.campaign.edit",
            "marketing.campaign_step.*", "marketing.category.view", "marketing.template.view", "marketing.letter.*",
            "marketing.letter_template.view", "marketing.send.view", "marketing.message.view", "base.partner.view")
MANAGER = ("marketing.campaign.*", "marketing.campaign_step.view", "base.partner.view", "marketing.send.view")
TEXT = "{first_name} گرامی، حراج پاییزهٔ فروشگاه پیوند از فردا"


def jdate(y: int, m: int, d: int) -> dt.date:
    return jalali_to_date(y, m, d)


@dataclass
class World:
    kernel: Any
    mina: int  # the marketer
    reza: int  # the manager
    ali: int
    maryam: int
    alborz: int  # a company: not in a list of persons

    def actor(self, uid: int) -> Any:
        return actor_of(self.kernel, uid)


def world(kernel: Any, marketer: tuple[str, ...] = MARKETER) -> World:
    with kernel.session() as s:  # seats on top of tier 1's two: the tests sign in several users
        kernel.set_setting(s, "kernel.extra_seats", 8)
    mina = create_user(kernel, "mina", perms=marketer)
    reza = create_user(kernel, "reza", perms=MANAGER)
    return World(kernel, mina, reza, person(kernel, "علی", "رضایی", "+989121000001"),
                 person(kernel, "مریم", "احمدی", "+989121000002"), company(kernel, "صنایع البرز", "+989121000003"))


def campaign(w: World, **values: Any) -> int:
    fields = {"name": "حراج پاییزه", "goal": "فروش کالاهای فصل", "target_query": "f_kind=person",
              "start_on": jdate(1405, 9, 20), "end_on": jdate(1405, 10, 20), "budget": 5_000_000, **values}
    return create_record(w.kernel, w.mina, "marketing.campaign", **fields)


def sms_step(w: World, campaign_id: int, on: dt.date, **values: Any) -> int:
    fields = {"campaign_id": campaign_id, "kind": "sms", "on_date": on, "category_id": category(w.kernel, ADS),
              "body": TEXT, **values}
    return create_record(w.kernel, w.mina, "marketing.campaign_step", **fields)


def move(w: World, uid: int, campaign_id: int, action: str, note: str = "") -> str:
    actor = w.actor(uid)
    with w.kernel.session(actor) as s:
        return states.move(w.kernel, s, actor, campaign_id, action, note).state


def approved(w: World, campaign_id: int) -> None:
    move(w, w.mina, campaign_id, "submit")
    move(w, w.reza, campaign_id, "approve")


def targets(kernel: Any, campaign_id: int) -> dict[int, CampaignTarget]:
    with kernel.sessions() as s:
        rows = s.scalars(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)).all()
        for r in rows:
            s.expunge(r)
        return {r.partner_id: r for r in rows}


def state_history(kernel: Any, campaign_id: int) -> list[tuple[Any, Any, int | None]]:
    """Each change of the campaign's state in its history: (old, new, who)."""
    with kernel.sessions() as s:
        rows = s.scalars(select(History).where(History.table_name == "marketing_campaign",
                                               History.record_id == campaign_id).order_by(History.id)).all()
    out = []
    for h in rows:
        changes = json.loads(h.changes or "{}")
        if "state" in changes:
            old, new = changes["state"]
            out.append((old, new, h.user_id))
    return out
