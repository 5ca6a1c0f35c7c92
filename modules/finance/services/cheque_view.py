"""What a cheque's state panel shows (its page and the state form): the state, the moves allowed
from it, the suppliers it may be endorsed to and our accounts it may be deposited into (both as
far as the user may see), and its history with who made each change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor
from kernel.models import User
from kernel.records import get_record
from modules.base.models import Partner, PartnerRole
from modules.finance.cheque_states import ACTIONS, allowed
from modules.finance.models import BankAccount
from modules.finance.models.cheque import CHEQUE_STATES
from modules.finance.services.cheques import CHANGE_STATE, history

SUPPLIERS_SHOWN = 200


def state_form(kernel: Any, session: Session, actor: Actor, cheque_id: int) -> dict[str, Any]:
    """The context of ``finance/cheque_state.html`` for one cheque (NotFound outside the scope)."""
    cheque = get_record(kernel, session, actor, kernel.resources["finance.cheque"], cheque_id)
    moves = allowed(cheque.state) if actor.can(CHANGE_STATE) else ()
    suppliers: list[Any] = []
    if "endorsed" in moves:
        suppliers = list(session.execute(
            kernel.scoped_select(actor, Partner).with_only_columns(Partner.id, Partner.name)
            .join(PartnerRole, PartnerRole.partner_id == Partner.id)
            .where(PartnerRole.role == "supplier", Partner.deleted_at.is_(None))
            .order_by(Partner.sort_key, Partner.id).limit(SUPPLIERS_SHOWN)))
    # -- purchases: an endorsement may pay an open purchase invoice of the supplier (FIN-18)
    purchases: list[Any] = []
    if "endorsed" in moves and actor.can("finance.purchase_payment.create"):
        from modules.finance.models import Purchase

        purchases = list(session.execute(
            kernel.scoped_select(actor, Purchase).with_only_columns(Purchase.id, Purchase.number, Purchase.balance)
            .where(Purchase.state == "posted", Purchase.balance > 0).order_by(Purchase.id.desc())
            .limit(SUPPLIERS_SHOWN)))
    accounts: list[Any] = []
    if "deposited" in moves:
        accounts = list(session.execute(select(BankAccount.id, BankAccount.title).where(
            BankAccount.active.is_(True), BankAccount.deleted_at.is_(None)).order_by(BankAccount.title)))
    events = history(session, cheque.id)
    user_ids = {e.user_id for e in events if e.user_id}
    users = {u.id: u.full_name or u.username for u in session.execute(
        select(User.id, User.username, User.full_name).where(User.id.in_(user_ids)))} if user_ids else {}
    partner_ids = {e.endorsed_to_id for e in events if e.endorsed_to_id}
    partners = {p.id: p.name for p in session.execute(
        kernel.scoped_select(actor, Partner).with_only_columns(Partner.id, Partner.name)
        .where(Partner.id.in_(partner_ids)))} if partner_ids else {}
    account_ids = {e.account_id for e in events if e.account_id}
    titles = {a.id: a.title for a in session.execute(
        select(BankAccount.id, BankAccount.title).where(BankAccount.id.in_(account_ids)))} if account_ids else {}
    labels = dict(CHEQUE_STATES)
    return {"cheque": cheque, "labels": labels, "state_label": labels.get(cheque.state, cheque.state), "moves": [(m, ACTIONS[m]) for m in moves], "suppliers": suppliers,
            "accounts": accounts, "events": events, "users": users, "partners": partners, "titles": titles,
            "back": f"/finance/cheque/{cheque.id}", "purchases": purchases}
