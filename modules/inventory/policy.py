"""What an invoice does to the warehouse's stock (INV-01; FAQ 12 and 106), where it takes it
from, and whether an issued proforma holds stock: three kernel settings, read per transaction.

- ``none``: an invoice does not touch warehouse stock; the warehouse delivers it later by an issue
  made from the invoice (the "deliver" button on its page) — FAQ 106's answer ("no, it is not
  reduced") for businesses that invoice before goods leave.
- ``reduce``: issuing an invoice posts an issue of its goods, even below zero (stock runs ahead
  of receipts not yet recorded).
- ``refuse`` (the default): as ``reduce``, but an invoice short of stock is refused — the product
  document's own words for an instance with the warehouse module: the stock is checked, reduced,
  and then the invoice is issued; without stock it cannot be issued.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import InputError
from modules.inventory.models import Warehouse
from modules.inventory.services.stock import default_warehouse_id

EDIT = "inventory.settings.edit"  # an inventory manager's
INVOICES = "inventory.invoices"
WAREHOUSE = "inventory.invoice_warehouse"
PROFORMA_RESERVES = "inventory.proforma_reserves"
POLICIES = (("refuse", "Reduce stock and refuse an invoice without stock"),
            ("reduce", "Reduce stock, even below zero"),
            ("none", "Do not touch stock: the warehouse delivers invoices by an issue"))
DEFAULT = "refuse"


def invoice_policy(kernel: Any, session: Session) -> str:
    value = kernel.setting(session, INVOICES, DEFAULT)
    return value if value in dict(POLICIES) else DEFAULT


def reduces(kernel: Any, session: Session) -> bool:
    return invoice_policy(kernel, session) != "none"


def invoice_warehouse_id(kernel: Any, session: Session) -> int | None:
    """The chosen warehouse while it is active, else the default one."""
    chosen = kernel.setting(session, WAREHOUSE, None)
    if chosen is not None and session.scalar(select(Warehouse.id).where(
            Warehouse.id == int(chosen), Warehouse.active.is_(True), Warehouse.deleted_at.is_(None))) is not None:
        return int(chosen)
    return default_warehouse_id(session)


def proforma_reserves(kernel: Any, session: Session) -> bool:
    return bool(kernel.setting(session, PROFORMA_RESERVES, False))


def save(kernel: Any, session: Session, policy: str, warehouse_id: int | None, reserves: bool) -> None:
    """Keep the three settings; an unknown policy or warehouse changes nothing."""
    if policy not in dict(POLICIES):
        raise InputError("Choose one of the listed values")
    if warehouse_id is not None and session.scalar(select(Warehouse.id).where(
            Warehouse.id == warehouse_id, Warehouse.active.is_(True), Warehouse.deleted_at.is_(None))) is None:
        raise InputError("Choose one of the listed values")
    kernel.set_setting(session, INVOICES, policy)
    kernel.set_setting(session, WAREHOUSE, warehouse_id)
    kernel.set_setting(session, PROFORMA_RESERVES, bool(reserves))
