"""Conversion (SAL-05): by stage — how many deals reached each stage of a pipeline and how many
went on from it — and by lead source — leads, how many became deals, how many were won and for how
much. Both read the deals and leads the reader may see, opened in a Jalali period.

A deal's furthest stage is the furthest open stage (by the pipeline's order) it has stood on:
where it was opened and every stage its history (the kernel's change history, KER-07) shows it
moved to — a deal moved back still counts as having reached the stage it left. A won deal went
through every open stage; a lost one stops at its furthest. So "reached" a stage is the deals whose
furthest is it or later (or won), "went on" those that got past it, and the rate their ratio.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from kernel import InputError, ReportParam
from kernel.models import History
from kernel.persian.money import format_money
from modules.sales.display import unit_of
from modules.sales.models import Lead, Opportunity, Stage
from modules.sales.models.lead import SOURCES
from modules.sales.report_common import percent, period, pipeline_choices

HISTORY_BATCH = 500


PERIOD = (ReportParam("from", "From", kind="date"), ReportParam("to", "Until", kind="date"))
STAGE_PARAMS = (*PERIOD, ReportParam("pipeline", "Pipeline", kind="choice", choices=pipeline_choices))


def _pipeline(session: Any, raw: str) -> int:
    chosen = pipeline_choices(session)
    if not chosen:
        raise InputError("There is no pipeline yet")
    ids = [int(i) for i, _ in chosen]
    pid = int(raw) if raw.isdigit() else ids[0]
    if pid not in ids:
        raise InputError("Choose a pipeline")
    return pid


def stages_reached(session: Any, deals: dict[int, int]) -> dict[int, set[int]]:
    """Every stage each deal stood on: the one it was opened on (``deals``: id → current stage,
    the first guess) plus each stage_id its history shows, old and new."""
    seen: dict[int, set[int]] = {i: {s} for i, s in deals.items()}
    ids = list(deals)
    for start in range(0, len(ids), HISTORY_BATCH):
        rows = session.execute(select(History.record_id, History.changes).where(
            History.table_name == Opportunity.__tablename__, History.record_id.in_(ids[start:start + HISTORY_BATCH]),
            History.changes.like('%"stage_id"%')))
        for record_id, changes in rows:
            values = json.loads(changes or "{}").get("stage_id") or []
            seen[int(record_id)].update(int(v) for v in values if isinstance(v, int))
    return seen


def by_stage(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    low, high = period(params, kernel.config.timezone)
    pid = _pipeline(session, params.get("pipeline") or "")
    stages = list(session.scalars(select(Stage).where(Stage.pipeline_id == pid, Stage.deleted_at.is_(None))
                                  .order_by(Stage.sequence, Stage.id)))
    open_stages = [s for s in stages if s.outcome == "open"]
    order = {s.id: n for n, s in enumerate(open_stages)}
    deals = {int(i): (int(s), o) for i, s, o in session.execute(
        kernel.scoped_select(actor, Opportunity).where(Opportunity.pipeline_id == pid, Opportunity.created_at >= low,
                                                       Opportunity.created_at < high)
        .with_only_columns(Opportunity.id, Opportunity.stage_id, Opportunity.outcome))}
    stood = stages_reached(session, {i: s for i, (s, _o) in deals.items()})
    last = len(open_stages) - 1
    furthest = []  # per deal: index of its furthest open stage (last for a won deal), -1 for none
    for i, (_s, outcome) in deals.items():
        on = [order[s] for s in stood[i] if s in order]
        furthest.append((last if outcome == "won" else max(on, default=-1), outcome == "won"))
    body: list[tuple[Any, ...]] = []
    for n, stage in enumerate(open_stages):
        reached = sum(1 for f, _w in furthest if f >= n)
        went_on = sum(1 for f, won in furthest if f > n or (f == n and won))
        body.append((stage.name, reached, went_on, percent(went_on, reached, lang)))
    won = sum(1 for _f, w in furthest if w)
    body.append((kernel.t(lang, "Won"), won, "", percent(won, len(deals), lang)))
    return ("Stage", "Deals that reached it", "Went on", "Conversion"), body


def by_source(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Per lead source: leads opened in the period, those qualified into a deal, the deals won and
    their value; each rate of the step before."""
    low, high = period(params, kernel.config.timezone)
    leads = (kernel.scoped_select(actor, Lead).where(Lead.created_at >= low, Lead.created_at < high)
             .with_only_columns(Lead.source, Lead.opportunity_id).subquery())
    # The deals are read through the reader's scope too: a lead's deal they may not see is not counted as won.
    deals = kernel.scoped_select(actor, Opportunity).with_only_columns(
        Opportunity.id, Opportunity.outcome, Opportunity.expected_value).subquery()
    won = deals.c.outcome == "won"
    rows = session.execute(
        select(leads.c.source, func.count(), func.count(leads.c.opportunity_id),
               func.count(deals.c.id).filter(won), func.coalesce(func.sum(deals.c.expected_value).filter(won), 0))
        .select_from(leads).outerjoin(deals, deals.c.id == leads.c.opportunity_id).group_by(leads.c.source))
    found = {src: (int(n), int(q), int(w), int(v)) for src, n, q, w, v in rows}
    labels = dict(SOURCES)
    unit = unit_of(actor)
    body = []
    for src in [s for s, _ in SOURCES] + sorted(set(found) - set(labels)):
        if src not in found:
            continue
        n, q, w, v = found[src]
        body.append((kernel.t(lang, labels.get(src, src)), n, q, percent(q, n, lang), w, percent(w, q, lang),
                     format_money(v, unit, lang)))
    return ("Lead source", "Leads", "Became deals", "Lead to deal", "Won", "Deal to won", "Value won"), body
