"""Shared set-up of the documents' tests: a customer, three products, a clerk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from kernel.persian.jalali import jalali_to_date
from kernel.testing import actor_of, create_record, create_user
from modules.finance.services.documents import INVOICE, PROFORMA

PERMS = ("finance.proforma.*", "finance.invoice.*", "finance.receipt.*", "finance.product.view", "base.partner.*")
__all__ = ["INVOICE", "PROFORMA", "PERMS", "jdate", "world", "actor_of", "statements"]


def jdate(y: int, m: int, d: int) -> dt.date:
    return jalali_to_date(y, m, d)


def world(kernel: Any, perms: tuple[str, ...] = PERMS, username: str = "sara") -> dict[str, Any]:
    """A clerk, a customer and three products: a carpet, a cloth sold by the metre, an exempt service."""
    uid = create_user(kernel, username, perms=perms)
    customer = create_record(kernel, None, "base.partner", kind="company", name="فرش کاشان")
    carpet = create_record(kernel, None, "finance.product", name="فرش ۷۰۰ شانه", kind="goods", price=12_500_000)
    cloth = create_record(kernel, None, "finance.product", name="پارچه", kind="goods", unit="متر", price=1_234_567)
    setup = create_record(kernel, None, "finance.product", name="نصب", kind="service", price=1_500_000,
                          tax_exempt=True)
    return {"uid": uid, "actor": actor_of(kernel, uid), "customer": customer, "carpet": carpet, "cloth": cloth,
            "setup": setup}


def three_lines(w: dict[str, Any]) -> list[dict[str, Any]]:
    """The docs' worked example: 2 carpets −10 %, 2.5 m of cloth −86,418 Rials, an exempt set-up."""
    return [
        {"product_id": w["carpet"], "quantity": "۲", "discount_kind": "percent", "discount_value": "۱۰"},
        {"product_id": w["cloth"], "quantity": "۲٫۵", "discount_kind": "rial", "discount_value": "۸۶٬۴۱۸",
         "serial_number": "SN-77"},
        {"product_id": w["setup"], "quantity": "1"},
    ]


@contextmanager
def statements(engine: Any) -> Iterator[list[str]]:
    """Every SQL statement sent meanwhile, its whitespace folded."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)
