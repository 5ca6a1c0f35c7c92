"""Commissions (FIN-13) in lists, forms, filters, exports and the API: the tree of agents (edited
by hand), the commission rows and their payments (written only by
:mod:`modules.finance.services.commissions` and :mod:`~modules.finance.services.commission_pay`:
they are read-only resources: no New, Edit or Delete, and every write through HTTP answers 405;
the list, the record page, the export and the API are what people get)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel import Field, Filter, InputError, Resource, Section
from modules.finance.models import Agent, Commission, CommissionPayment
from modules.finance.models.commission import COMMISSION_KINDS
from modules.finance.services.trees import ancestors

PAID = (("unpaid", "Unpaid"), ("paid", "Paid"))


def check_agent(values: dict[str, Any], record: Any = None, session: Any = None, **_: Any) -> dict[str, InputError]:
    """One place per partner; a parent that is not the agent itself nor one of its sub-agents; a
    parent's share only with a parent, and one with it."""
    errors: dict[str, InputError] = {}
    partner, parent, share = values.get("partner_id"), values.get("parent_id"), values.get("parent_share")
    if session is not None and partner is not None:
        taken = select(Agent.id).where(Agent.partner_id == partner, Agent.deleted_at.is_(None))
        if record is not None:
            taken = taken.where(Agent.id != record.id)
        if session.scalar(taken.limit(1)) is not None:
            errors["partner_id"] = InputError("This partner is already in the tree of agents")
    if parent is not None and record is not None and session is not None \
            and record.id in ancestors(session, Agent, parent):
        errors["parent_id"] = InputError("An agent cannot be put under itself or under one of its own sub-agents")
    if parent is not None and share is None:
        errors["parent_share"] = InputError("Give the parent's share")
    elif parent is None and share:
        errors["parent_share"] = InputError("A share needs a parent agent")
    return errors


def _paid(value: str) -> Any:
    if value == "unpaid":
        return Commission.payment_id.is_(None)
    if value == "paid":
        return Commission.payment_id.is_not(None)
    raise InputError("Choose one of the listed values")


def _paid_choices(**_: Any) -> list[tuple[str, str]]:
    return list(PAID)


AGENT = Resource(
    name="finance.agent", model=Agent, label="Sales agent", label_plural="Sales agents",
    columns=("partner_id", "parent_id", "parent_share", "user_id"),
    form=("partner_id", "parent_id", "parent_share", "user_id", "note"),
    filters=("parent_id", "user_id"),
    validate=check_agent,
    fields={
        "partner_id": Field(label="Partner"),
        "parent_id": Field(label="Parent agent"),
        "parent_share": Field(kind="percent", label="Parent's share %",
                              help="Of what this agent earns, e.g. ۱۰"),
        "user_id": Field(label="The agent's user",
                         help="With the own-records scope this user sees the commissions the agent earns"),
        "note": Field(label="Note"),
    },
    title_field="partner_id", default_sort="-id", global_search=False, icon="users",
)

_READ = {
    "invoice_id": Field(label="Invoice", readonly=True),
    "invoice_line_id": Field(label="Invoice line", readonly=True, internal=True),
    "agent_id": Field(label="Agent", readonly=True),
    "seller_id": Field(label="From the sale of", readonly=True),
    "kind": Field(label="Commission of", choices=COMMISSION_KINDS, readonly=True),
    "level": Field(label="Level", help="0: the agent's own sale; 1: a sub-agent's; 2: a sub-agent's sub-agent's",
                   readonly=True),
    "base": Field(kind="money", label="Base", readonly=True),
    "rate": Field(kind="percent", label="Rate %", readonly=True),
    "amount": Field(kind="money", label="Commission", readonly=True),
    "date": Field(label="Date", readonly=True),
    "reversal_of_id": Field(label="Reverses", readonly=True),
    "reversed": Field(label="Reversed", readonly=True),
    "agent_user_id": Field(label="The agent's user", readonly=True, internal=True),
    "payment_id": Field(label="Payment", readonly=True),
    "paid_on": Field(label="Paid on", readonly=True),
}

COMMISSION = Resource(
    name="finance.commission", model=Commission, label="Commission", label_plural="Commissions",
    columns=("date", "agent_id", "invoice_id", "kind", "level", "amount", "paid_on"),
    sections=(Section("", ("date", "agent_id", "seller_id", "invoice_id", "kind", "level", "base", "rate", "amount")),
              Section("Payment", ("payment_id", "paid_on", "reversal_of_id", "reversed"))),
    filters=("agent_id", "date", "invoice_id", "payment_id", "kind"),
    custom_filters=(Filter("paid", "Paid or not", _paid, choices=_paid_choices),),
    read_only=True, fields=_READ,
    title_field="date", default_sort="-id", global_search=False, icon="wallet",
)

PAYMENT = Resource(
    name="finance.commission_payment", model=CommissionPayment, label="Commission payment",
    label_plural="Commission payments",
    columns=("paid_on", "reference", "amount", "note"),
    filters=("paid_on",),
    read_only=True,
    fields={
        "paid_on": Field(label="Paid on", readonly=True),
        "reference": Field(label="Reference", readonly=True),
        "amount": Field(kind="money", label="Amount", readonly=True),
        "note": Field(label="Note", readonly=True),
    },
    title_field="reference", default_sort="-id", global_search=False,
)


def commission_resources() -> list[Resource]:
    return [AGENT, COMMISSION, PAYMENT]
