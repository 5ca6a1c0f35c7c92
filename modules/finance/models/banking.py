"""Banks, our bank accounts and our POS terminals (FIN-10): base data that cheques, deposit
slips and POS payments (FIN-08) point at.

Banks are seeded by the migration with their IBAN bank codes (the three digits after ``IR`` and
the check digits). Sources, two independent lists that agree on every code used here:
persian-tools/persian-tools ``src/modules/sheba/codes.skip.ts`` and sepehr1101/Aban360
``…/DbSeeder/DataScript/Bank.sql`` (the Central Bank's codes; 062 was Tat, now Ayandeh).
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

# (IBAN code, Persian name, English name) as seeded; the administrator may add, rename or
# deactivate banks on the "Banks" list (a merged bank keeps its code for old cheques).
BANKS: tuple[tuple[str, str, str], ...] = (
    ("010", "بانک مرکزی جمهوری اسلامی ایران", "Central Bank of Iran"),
    ("011", "بانک صنعت و معدن", "Sanat va Madan"),
    ("012", "بانک ملت", "Mellat"),
    ("013", "بانک رفاه کارگران", "Refah"),
    ("014", "بانک مسکن", "Maskan"),
    ("015", "بانک سپه", "Sepah"),
    ("016", "بانک کشاورزی", "Keshavarzi"),
    ("017", "بانک ملی ایران", "Melli"),
    ("018", "بانک تجارت", "Tejarat"),
    ("019", "بانک صادرات ایران", "Saderat"),
    ("020", "بانک توسعه صادرات ایران", "Tosee Saderat"),
    ("021", "پست بانک ایران", "Post Bank"),
    ("022", "بانک توسعه تعاون", "Tosee Taavon"),
    ("053", "بانک کارآفرین", "Karafarin"),
    ("054", "بانک پارسیان", "Parsian"),
    ("055", "بانک اقتصاد نوین", "Eghtesad Novin"),
    ("056", "بانک سامان", "Saman"),
    ("057", "بانک پاسارگاد", "Pasargad"),
    ("058", "بانک سرمایه", "Sarmayeh"),
    ("059", "بانک سینا", "Sina"),
    ("060", "بانک قرض‌الحسنه مهر ایران", "Gharzolhasaneh Mehr Iran"),
    ("061", "بانک شهر", "Shahr"),
    ("062", "بانک آینده", "Ayandeh"),
    ("066", "بانک دی", "Dey"),
    ("069", "بانک ایران زمین", "Iran Zamin"),
    ("070", "بانک قرض‌الحسنه رسالت", "Resalat"),
    ("078", "بانک خاورمیانه", "Khavarmianeh"),
)

ACCOUNT_KINDS = (("current", "Current account"), ("savings", "Savings account"),
                 ("gharz", "Gharz-al-hasaneh account"), ("other", "Other"))


class Bank(Record, Base):
    """A bank of Iran, known by the code its IBANs carry."""

    __tablename__ = "finance_bank"
    __table_args__ = (Index("uq_finance_bank_code", "iban_code", unique=True),)
    name: Mapped[str] = mapped_column(String(120))
    iban_code: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class BankAccount(Record, Base):
    """One of our own bank accounts: where cheques are deposited and customers pay in."""

    __tablename__ = "finance_bank_account"
    __table_args__ = (Index("uq_finance_bank_account_iban", "iban", unique=True,
                            sqlite_where="deleted_at IS NULL", postgresql_where="deleted_at IS NULL"),)
    title: Mapped[str] = mapped_column(String(120))
    iban: Mapped[str] = mapped_column(String(26))
    # Derived from the IBAN on every save (its three-digit bank code): never typed.
    bank_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_bank.id"), index=True)
    account_number: Mapped[str | None] = mapped_column(String(30))
    branch: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(12), default="current", server_default="current")
    holder: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    notes: Mapped[str | None] = mapped_column(Text)

    def before_save(self) -> None:
        from sqlalchemy import select
        from sqlalchemy.orm import object_session

        from modules.finance.banking_codes import compact, iban_bank_code

        self.iban = compact(self.iban)  # kept as IR + 24 digits, however it was typed or pasted
        session = object_session(self)
        if session is not None and self.iban:
            with session.no_autoflush:
                self.bank_id = session.scalar(select(Bank.id).where(Bank.iban_code == iban_bank_code(self.iban)))


class PosTerminal(Record, Base):
    """One of our card readers (POS): which account its payments land in (FIN-10)."""

    __tablename__ = "finance_pos_terminal"
    name: Mapped[str] = mapped_column(String(120))
    terminal_id: Mapped[str] = mapped_column(String(20), index=True)
    provider: Mapped[str | None] = mapped_column(String(120))  # the PSP: «به‌پرداخت ملت», «سامان کیش»
    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_bank_account.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
