"""Commissions earned from invoice lines (FIN-13, FAQ 34), kept in step with the invoice.

The rule, per line of an issued invoice, in whole Rials (``round_half_up``, halves up):

1. **The line's base** is its net after every discount, its own and its share of the document
   discount (``taxable``), before VAT.
2. **The pool** = base × the product's agency % (rounded). An empty agency % counts as 100: FAQ 34
   sets it to 100 so that the marketer's percentage is of the whole line.
3. **The marketer** of the invoice earns pool × the product's marketer % (rounded).
4. **The agency** of the invoice (when it names one and the product has an agency %) earns the pool
   less what the invoice's marketer earns from the line.
5. **Up the tree**: an agent with a parent gives that parent ``parent_share`` % of each amount it
   earns (rounded), the parent's parent its share of that, and so on (levels 1, 2, …).

The percentages are the product's when the line was first sold (kept on the line); an amount of
zero makes no row. Rows are only ever added: :func:`sync` compares what the invoice should give
with the rows in force and, for each difference, reverses the old row (its negative, dated the
day of the change) and writes the new one. A void reverses everything; an edit of an issued
invoice rewrites only the lines that changed; a receipt (also ``InvoiceChanged``) changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel.timezone import local_today
from modules.finance.events import InvoiceChanged, InvoiceIssued, InvoiceVoided
from modules.finance.models import Agent, Commission, Invoice, InvoiceLine, Product
from modules.finance.models.commission import MAX_LEVELS
from modules.finance.services.documents import lines_of
from modules.finance.totals import round_half_up

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Due:
    """One amount an invoice line should give one agent."""

    line_id: int
    agent_id: int
    seller_id: int
    kind: str
    level: int
    base: int
    rate: Decimal
    amount: int

    @property
    def key(self) -> tuple[int, int, int, str, int]:
        return (self.line_id, self.agent_id, self.seller_id, self.kind, self.level)


def line_shares(base: int, marketer_rate: Decimal | None, agency_rate: Decimal | None, *, marketer: bool,
                agency: bool) -> tuple[int, int, int]:
    """(pool, marketer's commission, agency's commission) of a line whose base is ``base`` Rials."""
    pool = round_half_up(Decimal(base) * (HUNDRED if agency_rate is None else agency_rate) / HUNDRED)
    for_marketer = round_half_up(pool * (marketer_rate or 0) / HUNDRED) if marketer else 0
    for_agency = pool - for_marketer if agency and agency_rate is not None else 0
    return pool, for_marketer, max(for_agency, 0)


class Tree:
    """The live agents, read as needed and kept for the whole sync: who is whose parent, with what
    share (the session's identity map holds its rows only weakly, so they are kept here)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_partner: dict[int, Agent | None] = {}
        self._by_id: dict[int, Agent | None] = {}

    def _keep(self, agent: Agent) -> None:
        self._by_id[agent.id] = agent
        self._by_partner[agent.partner_id] = agent

    def agent(self, partner_id: int) -> Agent | None:
        if partner_id not in self._by_partner:
            found = self.session.scalars(
                select(Agent).where(Agent.partner_id == partner_id, Agent.deleted_at.is_(None))).first()
            self._by_partner[partner_id] = found
            if found is not None:
                self._keep(found)
        return self._by_partner[partner_id]

    def parent_of(self, agent: Agent) -> Agent | None:
        pid = agent.parent_id
        if pid is None:
            return None
        if pid not in self._by_id:
            parent = self.session.get(Agent, pid)
            if parent is not None and parent.deleted_at is None:
                self._keep(parent)
            else:
                self._by_id[pid] = None  # gone to the recycle bin: the walk stops here
        return self._by_id[pid]

    def user_of(self, partner_id: int) -> int | None:
        agent = self.agent(partner_id)
        return agent.user_id if agent is not None else None


def _up_the_tree(tree: Tree, first: Due) -> Iterable[Due]:
    """The shares ``first`` gives the agent's parent, its parent's parent, …"""
    node, amount, seen = tree.agent(first.agent_id), first.amount, {first.agent_id}
    for level in range(1, MAX_LEVELS + 1):
        parent = tree.parent_of(node) if node is not None else None
        if node is None or parent is None or parent.partner_id in seen or not node.parent_share:
            return
        share = round_half_up(Decimal(amount) * node.parent_share / HUNDRED)
        if share == 0:
            return
        yield Due(first.line_id, parent.partner_id, first.seller_id, first.kind, level, amount, node.parent_share,
                  share)
        seen.add(parent.partner_id)
        node, amount = parent, share


def due_for(session: Session, invoice: Invoice, lines: list[InvoiceLine], tree: Tree | None = None) -> list[Due]:
    """Everything the invoice's lines should give, at every level (none unless it is issued)."""
    if invoice.state != "issued" or not (invoice.marketer_id or invoice.agency_id):
        return []
    tree = tree or Tree(session)
    out: list[Due] = []
    for line in lines:
        pool, for_marketer, for_agency = line_shares(line.taxable, line.marketer_rate, line.agency_rate,
                                                     marketer=bool(invoice.marketer_id), agency=bool(invoice.agency_id))
        firsts = []
        if invoice.marketer_id and for_marketer:
            firsts.append(Due(line.id, invoice.marketer_id, invoice.marketer_id, "marketer", 0, pool,
                              line.marketer_rate or Decimal(0), for_marketer))
        if invoice.agency_id and for_agency:
            firsts.append(Due(line.id, invoice.agency_id, invoice.agency_id, "agency", 0, line.taxable,
                              line.agency_rate or Decimal(0), for_agency))
        for first in firsts:
            out.append(first)
            out.extend(_up_the_tree(tree, first))
    return out


# The product's percentages a line keeps, as read with it (a conversion reads them with the
# proforma's lines, so its invoice's lines go in with their rates: no UPDATE after).
RATES = (Product.marketer_commission, Product.agency_commission)


def give_rates(line: InvoiceLine, rates: tuple[Decimal | None, Decimal | None]) -> None:
    """Keep ``rates`` (the line's product's :data:`RATES`) on the line, for its product."""
    line.marketer_rate, line.agency_rate = rates
    line.rated_product_id = line.product_id


def keep_rates(session: Session, lines: list[InvoiceLine]) -> None:
    """Give each line the product's percentages unless it has them for its product already."""
    fresh = [li for li in lines if li.rated_product_id != li.product_id]
    if not fresh:
        return
    rates = {pid: (m, a) for pid, m, a in session.execute(
        select(Product.id, *RATES).where(Product.id.in_({li.product_id for li in fresh})))}
    for li in fresh:
        give_rates(li, rates.get(li.product_id, (None, None)))


def _in_force(session: Session, invoice_id: int) -> list[Commission]:
    return list(session.scalars(select(Commission).where(
        Commission.invoice_id == invoice_id, Commission.reversal_of_id.is_(None), Commission.reversed.is_(False),
        Commission.deleted_at.is_(None)).order_by(Commission.id)))


def _key(row: Commission) -> tuple[int, int, int, str, int]:
    return (row.invoice_line_id or 0, row.agent_id, row.seller_id, row.kind, row.level)


def sync(session: Session, invoice: Invoice, on: dt.date, *, first: bool = False, new: bool = False) -> tuple[int, int]:
    """Bring the invoice's commission rows in line with what it should give; (reversed, written).

    ``first`` is the issue: the lines take the product's percentages. Afterwards an invoice that
    never took part (issued before commissions existed) is left alone. ``new``: the invoice was
    written in this transaction (a conversion), so no row can name it yet: none is read."""
    lines = lines_of(session, invoice)
    current = [] if new else _in_force(session, invoice.id)
    if not first and not current and not any(li.rated_product_id for li in lines):
        return 0, 0
    if invoice.state == "issued":
        keep_rates(session, lines)
    tree = Tree(session)
    with session.no_autoflush:  # nothing pending is read: each query need not flush first
        due = {d.key: d for d in due_for(session, invoice, lines, tree)}
    reversed_, written = 0, 0
    for row in current:
        d = due.get(_key(row))
        if d is not None and (row.base, row.rate, row.amount) == (d.base, d.rate, d.amount):
            due.pop(d.key)  # unchanged: keep it
            continue
        row.reversed = True
        session.add(Commission(invoice_id=row.invoice_id, invoice_line_id=row.invoice_line_id, agent_id=row.agent_id,
                               seller_id=row.seller_id, kind=row.kind, level=row.level, base=-row.base, rate=row.rate,
                               amount=-row.amount, date=on, reversal_of_id=row.id, owner_id=invoice.owner_id,
                               agent_user_id=tree.user_of(row.agent_id)))
        reversed_ += 1
    for d in due.values():
        session.add(Commission(invoice_id=invoice.id, invoice_line_id=d.line_id, agent_id=d.agent_id,
                               seller_id=d.seller_id, kind=d.kind, level=d.level, base=d.base, rate=d.rate,
                               amount=d.amount, date=on, owner_id=invoice.owner_id,
                               agent_user_id=tree.user_of(d.agent_id)))
        written += 1
    session.flush()
    return reversed_, written


def on_event(kernel: Any, event: Any, session: Session) -> None:
    """Issue: the rows, dated the invoice's day. Edit or void: the differences, dated today."""
    if not isinstance(event, InvoiceIssued | InvoiceChanged | InvoiceVoided):
        return
    invoice = session.get(Invoice, event.invoice_id)
    if invoice is None:
        return
    if isinstance(event, InvoiceIssued):
        # A conversion's invoice was written just now (InvoiceIssued names its proforma).
        sync(session, invoice, invoice.date, first=True, new=event.proforma_id is not None)
    else:
        sync(session, invoice, local_today(kernel.config.timezone))


def agent_user_changed(session: Session, agent_id: int) -> None:
    """An agent's user account changed: its rows follow, so "own commissions" stay the agent's."""
    agent = session.get(Agent, agent_id)
    if agent is None:
        return
    user_id = None if agent.deleted_at is not None else agent.user_id
    session.execute(update(Commission).where(Commission.agent_id == agent.partner_id)
                    .values(agent_user_id=user_id).execution_options(synchronize_session=False))
