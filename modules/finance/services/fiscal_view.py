"""What the fiscal year page shows (FIN-16): the year to close and what blocks it, the years
closed, and for the year after the last close its next document numbers, its opening balances and
the items carried into it (counts and sums, and the first rows of each; the full lists are the
resources' lists with their xlsx export). The opening balances are shown side by side: what the
customers owed us and what we owed the suppliers (never netted: two figures). Reads only; a few
statements whatever the size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import Actor
from kernel.numbering import next_values, style_of
from kernel.web.cells import titles_for
from modules.finance.models.fiscal import CARRY_KINDS, FiscalCarry, FiscalOpening, FiscalYear
from modules.finance.numbers import SERIES
from modules.finance.services.fiscal_checks import (
    Blocker,
    close_blockers,
    last_closed,
    next_to_close,
    reopen_blockers,
    visible_to,
)

SHOWN = 20


@dataclass
class NewYear:
    year: int
    closed: FiscalYear
    numbers: list[tuple[str, str]]  # (series label, its next number)
    openings: int = 0
    opening_total: int = 0
    top: list[FiscalOpening] = field(default_factory=list)
    suppliers: int = 0
    supplier_total: int = 0
    top_suppliers: list[FiscalOpening] = field(default_factory=list)
    kinds: list[tuple[str, str, int, int, list[FiscalCarry]]] = field(default_factory=list)
    undo_blockers: list[Blocker] = field(default_factory=list)


@dataclass
class FiscalPage:
    today: dt.date
    to_close: int
    blockers: list[Blocker]
    years: list[FiscalYear]
    new_year: NewYear | None
    titles: dict[tuple[str, int], str]


def next_numbers(session: Session, year: int) -> list[tuple[str, str]]:
    """Each finance series' next number in ``year`` (1 where the year has none yet)."""
    taken = next_values(session, year)
    return [(s.label, style_of(session, s).format(year, taken.get(s.key, 1))) for s in SERIES]


def _new_year(session: Session, year: int, row: FiscalYear, visible: Callable[[Any], list[Any]]) -> NewYear:
    ny = NewYear(year=year, closed=row, numbers=next_numbers(session, year))
    sides = {side: (int(n), int(total)) for side, n, total in session.execute(  # a sum of bigints: numeric on PG
        select(FiscalOpening.side, func.count(), func.coalesce(func.sum(FiscalOpening.amount), 0))
        .where(FiscalOpening.year == year).group_by(FiscalOpening.side))}
    ny.openings, ny.opening_total = sides.get("customer", (0, 0))
    ny.suppliers, ny.supplier_total = sides.get("supplier", (0, 0))

    def largest(side: str) -> list[FiscalOpening]:
        return list(session.scalars(select(FiscalOpening).where(
            FiscalOpening.year == year, FiscalOpening.side == side, *visible(FiscalOpening))
            .order_by(FiscalOpening.amount.desc(), FiscalOpening.id).limit(SHOWN)))

    ny.top = largest("customer") if ny.openings else []
    ny.top_suppliers = largest("supplier") if ny.suppliers else []
    sums = {k: (n, total) for k, n, total in session.execute(
        select(FiscalCarry.kind, func.count(), func.coalesce(func.sum(FiscalCarry.amount), 0))
        .where(FiscalCarry.year == year).group_by(FiscalCarry.kind))}
    for kind, label in CARRY_KINDS:
        n, total = sums.get(kind, (0, 0))
        rows = list(session.scalars(select(FiscalCarry).where(FiscalCarry.year == year, FiscalCarry.kind == kind,
                                                              *visible(FiscalCarry))
                                    .order_by(FiscalCarry.id).limit(SHOWN))) if n else []
        ny.kinds.append((kind, label, int(n), int(total), rows))
    ny.undo_blockers = reopen_blockers(session, year - 1, visible)
    return ny


def page(kernel: Any, session: Session, actor: Actor, today: dt.date) -> FiscalPage:
    # Counts and totals are the company's (the close is); what is listed and linked, the viewer's.
    visible = visible_to(kernel, actor)
    to_close = next_to_close(session, today)
    years = list(session.scalars(select(FiscalYear).order_by(FiscalYear.year.desc())))
    closed = last_closed(session)
    new_year = None
    if closed is not None:
        row = next(y for y in years if y.year == closed)
        new_year = _new_year(session, closed + 1, row, visible)
    partners: set[int] = set()
    if new_year is not None:
        partners = {o.partner_id for o in (*new_year.top, *new_year.top_suppliers)} | {
            c.partner_id for *_, rows in new_year.kinds for c in rows}
    users = {u for y in years for u in (y.closed_by_id, y.reopened_by_id) if u}
    titles = titles_for(kernel, session, {"base.partner": partners, "@user": users}, actor)
    return FiscalPage(today, to_close, close_blockers(session, to_close, today, visible), years, new_year, titles)
