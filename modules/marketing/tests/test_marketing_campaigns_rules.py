"""Bad input on campaigns (MKT-01): a campaign that ends before it starts, a negative budget, a
target list the partner list would refuse, the targets or budget of a submitted campaign, a step
outside the campaign's dates or of a submitted campaign, a step without what its kind needs, a
step of a campaign not approved — each refused on its field with a Persian message, nothing
changed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import InputError, records
from kernel.records import FormErrors
from modules.marketing.campaigns import steps
from modules.marketing.models import Campaign, CampaignStep, Send
from modules.marketing.tests.campaigns_helpers import (
    ENGINES,
    approved,
    campaign,
    jdate,
    move,
    sms_step,
    world,
)
from modules.marketing.tests.compose_helpers import marketing_kernel


def refused(call: Any) -> dict[str, str]:
    """The Persian message of each field a save was refused on."""
    with pytest.raises(FormErrors) as exc:
        call()
    return {name: e.msgid for name, e in exc.value.errors.items()}


def count(kernel: Any, model: Any) -> int:
    with kernel.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("engine", ENGINES)
def test_dates_amounts_and_the_target_list_are_checked(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    assert refused(lambda: campaign(w, start_on=jdate(1405, 10, 1), end_on=jdate(1405, 9, 1))) == {
        "end_on": "The campaign ends before it starts"}
    assert refused(lambda: campaign(w, budget=-1, manual_cost=-5)) == {
        "budget": "An amount cannot be negative", "manual_cost": "An amount cannot be negative"}
    assert "target_query" in refused(lambda: campaign(w, target_query="f_province_id=تهران"))
    assert count(kernel, Campaign) == 0
    translated = kernel.t("fa", "The campaign ends before it starts")
    assert translated == "پایان طرح پیش از آغاز آن است"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_submitted_plan_keeps_its_targets_budget_and_steps(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    cid = campaign(w)
    sid = sms_step(w, cid, jdate(1405, 9, 25))
    mina = w.actor(w.mina)
    res, step_res = kernel.resources["marketing.campaign"], kernel.resources["marketing.campaign_step"]

    def edit(values: dict[str, Any]) -> Any:
        with kernel.session(mina) as s:
            return records.update_record(kernel, s, mina, res, cid, values)

    def edit_step(values: dict[str, Any]) -> Any:
        with kernel.session(mina) as s:
            return records.update_record(kernel, s, mina, step_res, sid, values)

    approved(w, cid)
    locked = "The campaign was submitted: its targets and budget can no longer be changed"
    assert refused(lambda: edit({"budget": 9_000_000})) == {"budget": locked}
    assert refused(lambda: edit({"target_query": "f_kind=company"})) == {"target_query": locked}
    edit({"goal": "فروش بیشتر", "manual_cost": 200_000})  # what is not the approved plan may change
    steps_locked = "The campaign was submitted: its steps can no longer be changed"
    assert refused(lambda: sms_step(w, cid, jdate(1405, 9, 26))) == {"campaign_id": steps_locked}
    assert refused(lambda: edit_step({"body": "متن دیگر"})) == {"campaign_id": steps_locked}
    with kernel.sessions() as s:
        c, step = s.get(Campaign, cid), s.get(CampaignStep, sid)
        assert c is not None and step is not None
        assert (c.budget, c.target_query, c.goal, c.manual_cost) == (5_000_000, "f_kind=person", "فروش بیشتر", 200_000)
        assert step.body is not None and step.body.startswith("{first_name}")
    assert count(kernel, CampaignStep) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_a_step_needs_what_its_kind_needs_and_a_date_in_the_campaign(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    cid = campaign(w)
    assert refused(lambda: sms_step(w, cid, jdate(1405, 11, 1))) == {
        "on_date": "The step's date is outside the campaign's dates"}
    assert refused(lambda: sms_step(w, cid, jdate(1405, 9, 25), category_id=None, body="")) == {
        "category_id": "Choose a send category", "body": "Write the message or choose a template"}
    assert refused(lambda: sms_step(w, cid, jdate(1405, 9, 25), body="سلام {نام_ناشناخته}"))["body"]
    assert refused(lambda: sms_step(w, cid, jdate(1405, 9, 25), kind="letter")) == {
        "letter_template_id": "Choose a letter template", "first_number": "Type the first letter's number"}
    assert refused(lambda: sms_step(w, cid, jdate(1405, 9, 25), kind="call")) == {
        "assignee_id": "Choose who calls the targets"}
    assert refused(lambda: sms_step(w, cid, jdate(1405, 9, 25), kind="email")) == {
        "subject": "Write the e-mail's subject"}
    assert count(kernel, CampaignStep) == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_step_of_a_campaign_not_approved_does_not_run(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    w = world(kernel)
    cid = campaign(w)
    sid = sms_step(w, cid, jdate(1405, 9, 25))
    for action in (None, "submit"):
        if action:
            move(w, w.mina, cid, action)
        with kernel.session() as s, pytest.raises(InputError) as exc:
            steps.run_step(kernel, s, sid)
        assert exc.value.msgid == "A step runs only when its campaign is approved"
    move(w, w.reza, cid, "reject", "زود است")
    with kernel.session() as s, pytest.raises(InputError):
        steps.run_step(kernel, s, sid)
    with kernel.sessions() as s:
        step = s.get(CampaignStep, sid)
        assert step is not None and step.state == "planned"
    assert count(kernel, Send) == 0
