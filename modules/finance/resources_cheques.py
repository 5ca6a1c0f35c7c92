"""Banks, our bank accounts, POS terminals (FIN-10) and cheques (FIN-09) in lists, forms, filters,
exports and the API. A cheque's state is shown, never typed: it moves by the buttons on its page
(:mod:`modules.finance.routes.cheques`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from kernel import CellIcon, Field, InputError, Resource, Section
from modules.finance.banking_codes import check_iban, check_legal_or_national_id, check_sayad, iban_bank_code
from modules.finance.models import Bank, BankAccount, Cheque, PosTerminal
from modules.finance.models.banking import ACCOUNT_KINDS
from modules.finance.models.cheque import CHEQUE_STATES, DRAWN_ON


def _only(check: Callable[[str], str]) -> Callable[[Any], None]:
    """A field rule from a checker that also answers the compact value (kept by ``before_save``)."""
    def rule(value: Any) -> None:
        check(str(value))
    return rule


_BOUNCED = CellIcon("alert", "Bounced", "red")
_CLEARED = CellIcon("check", "Cleared", "green")


def _state_icon(state: str | None) -> CellIcon | None:
    return {"bounced": _BOUNCED, "legal": _BOUNCED, "cleared": _CLEARED}.get(state or "")


def _check_account(values: dict[str, Any], record: Any = None, session: Any = None,
                   **_: Any) -> dict[str, InputError]:
    """The IBAN's bank must be one we know: the account's bank is derived from it."""
    iban = values.get("iban")
    if not iban or session is None:
        return {}
    try:
        code = iban_bank_code(check_iban(iban))
    except InputError as exc:
        return {"iban": exc}
    if session.scalar(select(Bank.id).where(Bank.iban_code == code, Bank.deleted_at.is_(None))) is None:
        return {"iban": InputError("No bank in the list of banks has the code in this IBAN (Sheba)")}
    return {}


def _check_cheque(values: dict[str, Any], **kw: Any) -> Any:
    from modules.finance.services.cheques import check_cheque

    return check_cheque(values, **kw)


BANK = Resource(
    name="finance.bank", model=Bank, label="Bank", label_plural="Banks",
    columns=("name", "iban_code", "active"), form=("name", "iban_code", "active"),
    search=("name", "iban_code"), filters=("active",), shared=True, global_search=False,
    fields={"name": Field(label="Bank"),
            "iban_code": Field(kind="code", label="Bank code in IBANs", help="Three digits, e.g. 017"),
            "active": Field(label="Active")},
    title_field="name", default_sort="iban_code",
)

BANK_ACCOUNT = Resource(
    name="finance.bank_account", model=BankAccount, label="Our bank account", label_plural="Our bank accounts",
    columns=("title", "bank_id", "iban", "account_number", "branch", "active"),
    form=("title", "iban", "account_number", "branch", "kind", "holder", "active", "notes"),
    search=("title", "iban", "account_number", "holder"), filters=("bank_id", "kind", "active"),
    shared=True, global_search=False, validate=_check_account,
    fields={
        "title": Field(label="Name of the account", help="As people call it, e.g. «جاری ملت مرکزی»"),
        "iban": Field(kind="code", label="IBAN (Sheba)", max_length=40, help="IR and 24 digits; the bank is read from it",
                      validate=_only(check_iban)),
        "bank_id": Field(label="Bank", ref="finance.bank", readonly=True),
        "account_number": Field(kind="code", label="Account number"),
        "branch": Field(label="Branch"),
        "kind": Field(label="Kind of account", choices=ACCOUNT_KINDS),
        "holder": Field(label="Account holder"),
        "active": Field(label="Active"),
        "notes": Field(label="Notes"),
    },
    title_field="title", default_sort="title",
)

POS_TERMINAL = Resource(
    name="finance.pos_terminal", model=PosTerminal, label="POS terminal", label_plural="POS terminals",
    columns=("name", "terminal_id", "provider", "account_id", "active"),
    form=("name", "terminal_id", "provider", "account_id", "active"),
    search=("name", "terminal_id", "provider"), filters=("account_id", "active"),
    shared=True, global_search=False,
    fields={
        "name": Field(label="Name of the terminal", help="E.g. «کارتخوان فروشگاه»"),
        "terminal_id": Field(kind="code", label="Terminal ID"),
        "provider": Field(label="Payment provider (PSP)"),
        "account_id": Field(label="Settles into account", ref="finance.bank_account"),
        "active": Field(label="Active"),
    },
    title_field="name", default_sort="name",
)

CHEQUE = Resource(
    name="finance.cheque", model=Cheque, label="Cheque", label_plural="Cheques",
    columns=("number", "partner_id", "amount", "due_date", "bank_id", "state", "issuer"),
    sections=(
        Section("", ("partner_id", "invoice_id", "amount", "number", "sayad_id", "due_date", "received_on")),
        Section("Bank and drawer", ("bank_id", "branch", "drawn_on", "account_number", "issuer",
                                    "issuer_national_id")),
        Section("State", ("state", "state_on", "endorsed_to_id", "deposit_account_id", "notes")),
    ),
    search=("number", "sayad_id", "issuer", "notes"),
    filters=("partner_id", "state", "due_date", "bank_id", "invoice_id"),
    validate=_check_cheque,
    fields={
        "partner_id": Field(label="Received from", help="The customer who gave the cheque"),
        "invoice_id": Field(label="For invoice", help="Optional: the invoice this cheque pays"),
        "amount": Field(kind="money", label="Amount"),
        "number": Field(kind="code", label="Cheque number"),
        "sayad_id": Field(kind="code", label="Sayad ID", max_length=30, help="The 16-digit number printed on the cheque",
                          validate=_only(check_sayad)),
        "due_date": Field(label="Due date"),
        "received_on": Field(label="Received on", starts_today=True),
        "bank_id": Field(label="Bank", ref="finance.bank"),
        "branch": Field(label="Branch"),
        "drawn_on": Field(label="Kind of account", choices=DRAWN_ON),
        "account_number": Field(kind="code", label="Drawer's account number"),
        "issuer": Field(label="Issuer", help="The drawer's name as written on the cheque"),
        "issuer_national_id": Field(kind="code", label="Issuer's national ID", max_length=20,
                                    validate=_only(check_legal_or_national_id)),
        "state": Field(label="State", choices=CHEQUE_STATES, readonly=True, icon=_state_icon),
        "state_on": Field(label="State since", readonly=True),
        "revision": Field(label="Revision", readonly=True, internal=True),
        "endorsed_to_id": Field(label="Endorsed to", ref="base.partner", readonly=True),
        "deposit_account_id": Field(label="Deposited into", ref="finance.bank_account", readonly=True),
        "notes": Field(label="Notes"),
    },
    title_field="number", default_sort="due_date", icon="wallet",
)


def cheque_resources() -> list[Resource]:
    return [BANK, BANK_ACCOUNT, POS_TERMINAL, CHEQUE]
