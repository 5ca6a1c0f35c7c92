"""Our own cheques given to suppliers (FIN-18): kept minimal on purpose. A cheque of ours is
``issued`` (the supplier has it) → ``cleared`` (the bank paid it), ``bounced`` or ``returned``
(it came back unpaid): a bounced or returned cheque re-opens the purchase it paid."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

OWN_CHEQUE_STATES = (("issued", "Issued"), ("cleared", "Cleared"), ("bounced", "Bounced"), ("returned", "Returned"))
OWN_MOVES = {"issued": ("cleared", "bounced", "returned")}


class OwnCheque(Record, Base):
    __tablename__ = "finance_own_cheque"
    __scope_follows__ = ("partner_id",)
    __table_args__ = (Index("ix_finance_own_cheque_due", "due_date", "id"),)
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)  # the supplier
    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_bank_account.id"), index=True)
    number: Mapped[str] = mapped_column(String(30), index=True)
    sayad_id: Mapped[str | None] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    issued_on: Mapped[dt.date]
    due_date: Mapped[dt.date]
    state: Mapped[str] = mapped_column(String(12), default="issued", server_default="issued", index=True)
    state_on: Mapped[dt.date | None]
