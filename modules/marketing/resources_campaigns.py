"""Campaigns and their steps as resources (MKT-01): the list, forms, history and API come from
these declarations; the moves, "run now" and the targets page are the campaign's own routes
(:mod:`modules.marketing.campaigns.routes`). ``approvable`` gives ``marketing.campaign.approve``,
the manager's permission."""

from __future__ import annotations

from kernel import Field, Resource, Section
from modules.marketing.campaigns.rules import check_campaign, check_step
from modules.marketing.models import Campaign, CampaignStep
from modules.marketing.models.campaign import CAMPAIGN_STATES
from modules.marketing.models.campaign_step import STEP_KINDS, STEP_STATES

CAMPAIGN = Resource(
    name="marketing.campaign", model=Campaign, label="Campaign", label_plural="Campaigns", approvable=True,
    columns=("name", "state", "start_on", "end_on", "budget"),
    # The state and the decision are read-only here (they move by the campaign's own routes) but
    # listed, so the page and its history show every move.
    form=("name", "goal", "target_query", "start_on", "end_on", "budget", "manual_cost", "state", "decision_note",
          "decided_by_id", "decided_at"),
    search=("name", "goal"), filters=("state",), default_sort="-id", title_field="name", global_search=False,
    validate=check_campaign,
    fields={
        "name": Field(label="Name"),
        "goal": Field(label="Goal"),
        "target_query": Field(label="Target partners (the partner list's filters)", required=False,
                              help="Filled by «Create a campaign for this list» on the partner list; "
                                   "empty: every partner"),
        "start_on": Field(label="Starts on"),
        "end_on": Field(label="Ends on"),
        "budget": Field(kind="money", label="Budget"),
        "manual_cost": Field(kind="money", label="Other costs (typed by hand)", required=False,
                             help="Added to the cost of the messages for the actual cost"),
        "state": Field(label="State", choices=CAMPAIGN_STATES, readonly=True),
        "decision_note": Field(label="Manager's note", readonly=True),
        "decided_by_id": Field(label="Decided by", readonly=True),
        "decided_at": Field(label="Decided at", readonly=True),
    },
)

STEP = Resource(
    name="marketing.campaign_step", model=CampaignStep, label="Campaign step", label_plural="Campaign steps",
    columns=("campaign_id", "on_date", "kind", "state"),
    form=("campaign_id", "kind", "on_date", "category_id", "template_id", "subject", "body", "letter_template_id",
          "first_number", "assignee_id", "state", "note"),
    sections=(
        Section("", ("campaign_id", "kind", "on_date")),
        Section("The message", ("category_id", "template_id", "body"), when=("kind", ("sms", "email"))),
        Section("E-mail", ("subject",), when=("kind", ("email",))),
        Section("Letter", ("letter_template_id", "first_number"), when=("kind", ("letter",))),
        Section("Call", ("assignee_id",), when=("kind", ("call",))),
    ),
    filters=("campaign_id", "state"), default_sort="on_date", title_field="on_date", global_search=False,
    validate=check_step,
    fields={
        "campaign_id": Field(label="Campaign", ref="marketing.campaign"),
        "kind": Field(label="Kind of step", choices=STEP_KINDS),
        "on_date": Field(label="Runs on", help="Jalali date; the step runs on this day once the campaign is approved"),
        "category_id": Field(label="Send category", ref="marketing.category"),
        "template_id": Field(label="Message template", ref="marketing.template"),
        "subject": Field(label="Subject (e-mail)"),
        "body": Field(label="Text", help="Placeholders: {name} {first_name} {last_name} {mobile} {today}"),
        "letter_template_id": Field(label="Letter template", ref="marketing.letter_template"),
        "first_number": Field(label="First letter's number", required=False,
                              help="Only when letter numbers are typed by hand; the others count up from it"),
        "assignee_id": Field(label="Who calls the targets"),
        "state": Field(label="State", choices=STEP_STATES, readonly=True),
        "ran_at": Field(label="Ran at", readonly=True),
        "send_id": Field(label="Bulk send", ref="marketing.send", readonly=True),
        "letter_batch": Field(label="Group letter", readonly=True, internal=True),
        "note": Field(label="Why it failed", readonly=True),
    },
)


def campaign_resources() -> list[Resource]:
    return [CAMPAIGN, STEP]
