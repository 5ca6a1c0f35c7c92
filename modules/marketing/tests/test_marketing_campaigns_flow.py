"""A campaign through its life (MKT-01): a marketer plans it for a filtered list with an SMS step
and submits it; only a manager approves it, which fixes its targets; on the step's day the job
sends the SMS to those targets once (the job run again, "run now" pressed after it), through
the SMS pipe to the local fake panel, and the campaign's totals and cost follow the messages.
Every move is in the campaign's history with who made it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from kernel import InputError, PermissionDenied
from kernel.jobs import run_due
from kernel.testing import jalali_at
from modules.marketing.campaigns import steps, tracking
from modules.marketing.models import Campaign, CampaignStep, Message, Send
from modules.marketing.testing import add_panel
from modules.marketing.tests.campaigns_helpers import (
    ENGINES,
    approved,
    campaign,
    jdate,
    move,
    sms_step,
    state_history,
    targets,
    world,
)
from modules.marketing.tests.compose_helpers import marketing_kernel, person


@pytest.mark.parametrize("engine", ENGINES)
def test_submitted_approved_and_the_sms_step_sent_once_on_its_day(make_kernel: Any, engine: str,
                                                                  fake_panel: Any) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    add_panel(kernel, fake_panel)
    w = world(kernel)
    cid = campaign(w)
    sid = sms_step(w, cid, jdate(1405, 9, 25))
    assert move(w, w.mina, cid, "submit") == "submitted"
    with pytest.raises(PermissionDenied) as denied:  # the marketer cannot approve their own plan
        move(w, w.mina, cid, "approve")
    assert kernel.t("fa", str(denied.value)) == (
        "تنها مدیری که مجوز تأیید طرح‌های بازاریابی را دارد می‌تواند طرح را تأیید یا رد کند")
    assert move(w, w.reza, cid, "approve", "با بودجه موافقم") == "approved"
    assert set(targets(kernel, cid)) == {w.ali, w.maryam}  # the persons of the list, not the company
    # Someone who joins the list after the approval is not a target: the manager approved these.
    person(kernel, "نیما", "کاظمی", "+989121000009")

    run_due(kernel, now=jalali_at(1405, 9, 24, 10))  # the day before: nothing
    with kernel.sessions() as s:
        assert s.scalars(select(Send.id)).all() == []
    for minute in (0, 10, 20, 30):  # the step's day; the job again and again, delivery reports polled
        run_due(kernel, now=jalali_at(1405, 9, 25, 10, minute))
    with kernel.session() as s:  # "run now" after the job: refused, nothing sent twice
        with pytest.raises(InputError) as refused:
            steps.run_step(kernel, s, sid, jalali_at(1405, 9, 25, 11))
    assert refused.value.msgid == "This step has already run"

    assert sorted(fake_panel.state.sends_per_mobile.items()) == [("09121000001", 1), ("09121000002", 1)]
    with kernel.sessions() as s:
        rows = s.execute(select(Message.partner_id, Message.body, Message.state).order_by(Message.id)).all()
        step = s.get(CampaignStep, sid)
        c = s.get(Campaign, cid)
        assert step is not None and c is not None
        assert (step.state, c.state, c.decision_note) == ("done", "running", "با بودجه موافقم")
        totals = tracking.totals(kernel, s, c)
        cost = sum(s.scalars(select(Message.cost)))
    assert rows == [(w.ali, "علی گرامی، حراج پاییزهٔ فروشگاه پیوند از فردا", "delivered"),
                    (w.maryam, "مریم گرامی، حراج پاییزهٔ فروشگاه پیوند از فردا", "delivered")]
    assert (totals.targets, totals.reached, totals.responded) == (2, 2, 0)
    assert cost > 0 and (totals.cost, totals.budget, totals.over_budget) == (cost, 5_000_000, False)
    assert state_history(kernel, cid) == [(None, "draft", w.mina), ("draft", "submitted", w.mina),
                                          ("submitted", "approved", w.reza), ("approved", "running", None)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rejection_needs_its_reason_and_sends_the_plan_back_to_the_marketer(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    cid = campaign(w)
    sms_step(w, cid, jdate(1405, 9, 25))
    move(w, w.mina, cid, "submit")
    with pytest.raises(InputError) as no_reason:
        move(w, w.reza, cid, "reject", "  ")
    assert no_reason.value.msgid == "Write the reason for the rejection"
    assert move(w, w.reza, cid, "reject", "بودجه زیاد است") == "rejected"
    assert targets(kernel, cid) == {}  # a rejected plan reaches nobody
    from kernel.records import update_record

    mina = w.actor(w.mina)
    with kernel.session(mina) as s:  # back with the marketer: the budget may change again
        update_record(kernel, s, mina, kernel.resources["marketing.campaign"], cid, {"budget": 3_000_000})
    assert move(w, w.mina, cid, "submit") == "submitted"
    assert move(w, w.reza, cid, "approve") == "approved"
    assert move(w, w.mina, cid, "finish") == "done"
    with pytest.raises(InputError) as closed:
        move(w, w.mina, cid, "cancel")
    assert closed.value.msgid == "A closed or cancelled campaign cannot be cancelled"
    assert [new for _, new, _ in state_history(kernel, cid)] == ["draft", "submitted", "rejected", "submitted",
                                                                  "approved", "done"]


@pytest.mark.parametrize("engine", ENGINES)
def test_nothing_to_submit_without_a_step_or_with_an_empty_list(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    bare = campaign(w)
    with pytest.raises(InputError) as no_step:
        move(w, w.mina, bare, "submit")
    assert no_step.value.msgid == "Add at least one step before submitting the campaign"
    nobody = campaign(w, target_query="f_kind=person&q=ناشناس")
    sms_step(w, nobody, jdate(1405, 9, 25))
    with pytest.raises(InputError) as empty:
        move(w, w.mina, nobody, "submit")
    assert empty.value.msgid == "The campaign's target list is empty"
    with kernel.sessions() as s:
        assert {c.state for c in s.scalars(select(Campaign))} == {"draft"}


@pytest.mark.parametrize("engine", ENGINES)
def test_two_runners_at_the_same_moment_run_the_step_once(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    cid = campaign(w)
    sid = sms_step(w, cid, jdate(1405, 9, 25))
    approved(w, cid)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def runner() -> None:  # the job on one worker, "run now" on another
        start.wait()
        try:
            with kernel.session() as s:
                steps.run_step(kernel, s, sid, jalali_at(1405, 9, 25, 10))
            outcomes.append("ran")
        except InputError as exc:
            outcomes.append(exc.msgid)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["This step has already run", "ran"]
    with kernel.sessions() as s:
        assert len(s.scalars(select(Send.id)).all()) == 1
        assert sorted(s.scalars(select(Message.partner_id))) == sorted([w.ali, w.maryam])
