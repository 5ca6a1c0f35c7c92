"""Shared helpers of the sales tests: a kernel with the module, people, partners, deals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from kernel.testing import actor_of, create_record, create_user

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
SALES = {"modules": ("tasks", "sales"), "packages": ("modules.sales",)}
SELLER = ("sales.lead.*", "sales.opportunity.view", "sales.opportunity.create", "sales.opportunity.edit",
          "sales.pipeline.view", "sales.stage.view", "sales.lost_reason.view", "base.partner.view",
          "base.partner.create", "base.communication.*", "tasks.task.*", "sales.forgotten.report",
          "sales.forecast.report", "sales.won_lost.report", "sales.agents.report", "sales.order.view",
          "sales.order.create", "sales.order.edit", "finance.product.view")
MANAGER = (*SELLER, "sales.opportunity.*", "sales.pipeline.*", "sales.stage.*", "sales.lost_reason.*",
           "sales.order.approve")


def sales_kernel(make_kernel: Callable[..., Any], engine: str = "sqlite") -> Any:
    return make_kernel(engine=engine, edition="tier2", **SALES)


def people(kernel: Any) -> dict[str, int]:
    """Sara and Reza sell, each seeing their own deals; Maryam manages the team and approves."""
    return {"sara": create_user(kernel, "sara", perms=SELLER, scope="own", team="sales"),
            "reza": create_user(kernel, "reza", perms=SELLER, scope="own", team="sales"),
            "maryam": create_user(kernel, "maryam", perms=MANAGER, scope="team", team="sales")}


def partner(kernel: Any, user_id: int | None, name: str = "شرکت فرش نگین", kind: str = "company") -> int:
    return create_record(kernel, user_id, "base.partner", kind=kind, name=name)


def deal(kernel: Any, user_id: int, title: str, partner_id: int, value: int = 0) -> int:
    return create_record(kernel, user_id, "sales.opportunity", title=title, partner_id=partner_id,
                         expected_value=value)


def stages(kernel: Any) -> dict[str, Any]:
    """The seeded stages by name: نیازسنجی, سفارش فروش, مذاکره (needs approval), قرارداد, برنده, بازنده."""
    from modules.sales.models import Stage

    with kernel.sessions() as s:
        return {st.name: st for st in s.scalars(select(Stage).order_by(Stage.sequence))}


def reason(kernel: Any, name: str = "انتخاب رقیب") -> int:
    from modules.sales.models import LostReason

    with kernel.sessions() as s:
        return int(s.scalar(select(LostReason.id).where(LostReason.name == name)))


def opportunity(kernel: Any, opp_id: int) -> Any:
    from modules.sales.models import Opportunity

    with kernel.sessions() as s:
        return s.get(Opportunity, opp_id)


def as_user(kernel: Any, user_id: int) -> Any:
    return actor_of(kernel, user_id)
