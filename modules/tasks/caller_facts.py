"""The caller's open tasks on telephony's incoming-call pop-up (``telephony_caller_facts``).

Tasks does not depend on telephony: the hook is optional and nothing of telephony is imported."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from kernel.persian.numbers import format_number
from modules.tasks.models import Task


def facts(kernel: Any, session: Any, actor: Any, partner_id: int, lang: str) -> list[tuple[int, str, str]]:
    if not actor.can("tasks.task.view"):
        return []
    open_tasks = session.scalar(kernel.scoped_select(actor, Task)
                                .where(Task.partner_id == partner_id, Task.done_at.is_(None))
                                .with_only_columns(func.count()))
    if not open_tasks:
        return []
    return [(40, "Open tasks", format_number(int(open_tasks), lang))]
