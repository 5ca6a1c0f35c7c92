"""A campaign's letter and call steps (MKT-01): the letter step writes a group letter to the
targets — each a letter of the register with its number, on the partner's timeline — and the
call step gives a colleague a task per target ("call about the campaign"), through the tasks
module when it is enabled; the targets page then shows the letter numbers and the calls made.
Without the tasks module a call step fails, saying why, and nothing is half done."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kernel import InputError, records
from kernel.jobs import run_due
from kernel.testing import create_record, create_user, jalali_at
from modules.base.models import Communication
from modules.marketing.campaigns import steps, tracking
from modules.marketing.models import Campaign, CampaignStep, Letter
from modules.marketing.tests.campaigns_helpers import (
    ENGINES,
    MARKETER,
    approved,
    campaign,
    jdate,
    targets,
    world,
)
from modules.marketing.tests.compose_helpers import marketing_kernel

CALLER = ("tasks.task.*", "base.partner.view")


def letter_template(kernel: Any, uid: int) -> int:
    return create_record(kernel, uid, "marketing.letter_template", name="دعوت به نمایشگاه",
                         subject="دعوت به نمایشگاه پاییزه", body="{گیرنده}\nبا سلام، شما را به نمایشگاه دعوت می‌کنیم.")


@pytest.mark.parametrize("engine", ENGINES)
def test_letters_and_call_tasks_for_every_target(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(edition="tier1", modules=("marketing", "tasks"), engine=engine)
    w = world(kernel, MARKETER + ("tasks.task.*", "marketing.letter_template.*"))
    omid = create_user(kernel, "omid", perms=CALLER)
    cid = campaign(w)
    letter = create_record(kernel, w.mina, "marketing.campaign_step", campaign_id=cid, kind="letter",
                           on_date=jdate(1405, 9, 22), letter_template_id=letter_template(kernel, w.mina),
                           first_number=120)
    call = create_record(kernel, w.mina, "marketing.campaign_step", campaign_id=cid, kind="call",
                         on_date=jdate(1405, 9, 28), assignee_id=omid)
    approved(w, cid)
    with kernel.session() as s:  # the letters at once ("run now"); the calls on their day, by the job
        steps.run_step(kernel, s, letter, jalali_at(1405, 9, 21, 10))
    run_due(kernel, now=jalali_at(1405, 9, 28, 10))
    run_due(kernel, now=jalali_at(1405, 9, 28, 10, 10))  # again: one task per target, not two

    got = targets(kernel, cid)
    task_model = kernel.resources["tasks.task"].model
    with kernel.sessions() as s:
        letters = {r.partner_id: r for r in s.scalars(select(Letter))}
        tasks = s.scalars(select(task_model).order_by(task_model.id)).all()
        timeline = s.scalars(select(Communication.partner_id).where(Communication.kind == "letter")).all()
    assert {p: letters[p].number for p in (w.ali, w.maryam)} == {w.ali: "120", w.maryam: "121"}
    assert {p: t.letter_id for p, t in got.items()} == {p: letters[p].id for p in (w.ali, w.maryam)}
    assert sorted(timeline) == sorted([w.ali, w.maryam])
    assert [(t.partner_id, t.assignee_id, t.title, t.link_resource, t.link_id) for t in tasks] == [
        (p, omid, "تماس دربارهٔ طرح «حراج پاییزه»", "marketing.campaign", cid) for p in (w.ali, w.maryam)]
    assert {p: t.task_id for p, t in got.items()} == {t.partner_id: t.id for t in tasks}

    omid_actor = w.actor(omid)
    with kernel.session(omid_actor) as s:  # Omid calls Ali: the task is done
        records.update_record(kernel, s, omid_actor, kernel.resources["tasks.task"], tasks[0].id, {"progress": 100})
    with kernel.sessions() as s:
        c = s.get(Campaign, cid)
        assert c is not None
        its_steps = tracking.steps_of(s, cid)
        rows = {r.target.partner_id: r.got for r in tracking.rows(kernel, s, w.actor(w.reza), c, its_steps)}
        totals = tracking.totals(kernel, s, c)
    assert rows == {w.ali: {letter: "letter:120", call: "task_done"}, w.maryam: {letter: "letter:121", call: "task_open"}}
    assert (totals.targets, totals.reached) == (2, 2)  # both got a letter


@pytest.mark.parametrize("engine", ENGINES)
def test_a_call_step_without_the_tasks_module_fails_saying_why(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    cid = campaign(w)
    sid = create_record(kernel, w.mina, "marketing.campaign_step", campaign_id=cid, kind="call",
                        on_date=jdate(1405, 9, 22), assignee_id=w.mina)
    approved(w, cid)
    run_due(kernel, now=jalali_at(1405, 9, 22, 10))
    with kernel.sessions() as s:
        step = s.get(CampaignStep, sid)
        c = s.get(Campaign, cid)
        assert step is not None and c is not None
        assert (step.state, step.note, c.state) == (
            "failed", "مرحلهٔ تماس به ماژول وظایف نیاز دارد که فعال نیست", "approved")
    assert {t.task_id for t in targets(kernel, cid).values()} == {None}
    with kernel.session() as s, pytest.raises(InputError):  # "run now" says the same, and changes nothing
        steps.run_step(kernel, s, sid)
