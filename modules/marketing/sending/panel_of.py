"""Which panel a message goes through, and its adapter: the message's own panel, else its
send's, else the default active panel (else any active one)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.marketing.models import Panel, Send
from modules.marketing.panels import PanelKind, SmsPanel, panel_kinds


def live_panel(session: Session, panel_id: int) -> Panel | None:
    """The panel row a page names, unless it is in the recycle bin."""
    panel = session.get(Panel, panel_id)
    return panel if panel is not None and panel.deleted_at is None else None


def default_panel(session: Session) -> Panel | None:
    return session.scalars(select(Panel).where(Panel.active.is_(True), Panel.deleted_at.is_(None))
                           .order_by(Panel.is_default.desc(), Panel.id)).first()


def choose(session: Session, panel_id: int | None, send_id: int | None) -> Panel | None:
    if panel_id is None and send_id is not None:
        panel_id = session.scalar(select(Send.panel_id).where(Send.id == send_id))
    if panel_id is not None:
        panel = session.get(Panel, panel_id)
        return panel if panel is not None and panel.active and panel.deleted_at is None else None
    return default_panel(session)


def adapter(kernel: Any, panel: Panel) -> tuple[PanelKind, SmsPanel]:
    kinds = panel_kinds(kernel)
    if panel.kind not in kinds:
        raise LookupError(panel.kind)
    kind = kinds[panel.kind]
    return kind, kind.make(panel)
