"""Base's own panels on the 360° profile: relations (BASE-16), preferences (FAQ 78, 79) and
planned communications (BASE-17), declared through the same hook as every other module's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup

from kernel import Panel
from kernel.db import utcnow
from kernel.web.refs import widget
from modules.base import choices as c
from modules.base.models import Partner, PlannedCommunication, Preference
from modules.base.panels import PAGE, panel_markup
from modules.base.services.relations import kind_choices, relations_of

PLANS_SHOWN = 20


def relations(request: Any, kernel: Any, session: Any, actor: Any, record: Any) -> Markup | None:
    found = relations_of(session, record.id)
    if record.kind != "person" and not found:
        return None  # a company only shows whom it introduced
    ids = {r.other_id for r in found}
    # The names of partners outside the user's record scope are not shown.
    visible = set(session.scalars(kernel.scoped_select(actor, Partner).with_only_columns(Partner.id)
                                  .where(Partner.id.in_(ids)))) if ids else set()
    res = kernel.resources["base.relation"]
    can_add = actor.can("base.relation.create") and record.kind == "person"
    return panel_markup(request, "base/panel_relations.html", partner=record,
                        relations=[r for r in found if r.other_id in visible], kinds=kind_choices(session),
                        can_add=can_add, can_delete=actor.can("base.relation.delete"),
                        other=widget(kernel, session, actor, res.field("other_id"), None) if can_add else None)


def preferences(request: Any, kernel: Any, session: Any, actor: Any, record: Any) -> Markup | None:
    if record.kind != "person":
        return None
    rows = list(session.scalars(kernel.scoped_select(actor, Preference).where(Preference.partner_id == record.id)
                                .order_by(Preference.kind, Preference.id).limit(100)))
    return panel_markup(request, "base/panel_preferences.html", partner=record, rows=rows,
                        kinds=c.PREFERENCE_KINDS, kind_names=dict(c.PREFERENCE_KINDS),
                        can_add=actor.can("base.preference.create"), can_delete=actor.can("base.preference.delete"))


def planned(request: Any, kernel: Any, session: Any, actor: Any, record: Any) -> Markup:
    """Open plans, the overdue first (they stay until done or cancelled), then the last done."""
    base = kernel.scoped_select(actor, PlannedCommunication).where(PlannedCommunication.partner_id == record.id)
    open_ = list(session.scalars(base.where(PlannedCommunication.state == "planned")
                                 .order_by(PlannedCommunication.planned_at, PlannedCommunication.id).limit(PLANS_SHOWN)))
    closed = list(session.scalars(base.where(PlannedCommunication.state != "planned")
                                  .order_by(PlannedCommunication.done_at.desc(), PlannedCommunication.id.desc())
                                  .limit(5)))
    res = kernel.resources["base.planned_communication"]
    can_add = actor.can("base.planned_communication.create")
    return panel_markup(request, "base/panel_planned.html", partner=record, plans=open_, closed=closed,
                        now=utcnow(), kinds=c.PLANNED_KINDS, kind_names=dict(c.PLANNED_KINDS),
                        state_names=dict(c.PLANNED_STATES), can_add=can_add,
                        can_edit=actor.can("base.planned_communication.edit"),
                        can_log=actor.can("base.communication.create"),
                        users=widget(kernel, session, actor, res.field("user_id"), None) if can_add else None,
                        me=actor.user_id, tomorrow=dt.date.today() + dt.timedelta(days=1))


PANELS = (
    Panel("base.relations", PAGE, "Relations", relations, permission="base.relation.view", sequence=10),
    Panel("base.preferences", PAGE, "Personal preferences", preferences, permission="base.preference.view", sequence=20),
    Panel("base.planned", PAGE, "Planned communications", planned, permission="base.planned_communication.view",
          sequence=30),
)
