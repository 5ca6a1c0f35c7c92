"""A cheque's lifecycle (FIN-09): which state may follow which, and nothing else.

    received ─┬─ in_safe ─┬─ deposited ─┬─ cleared
              │           │             └─ bounced ─┬─ legal ─┬─ cleared
              │           │                         │         └─ returned
              │           │                         └─ returned
              ├───────────┴─ endorsed (to a supplier) ── bounced (the supplier brings it back)
              └───────────── returned (to the customer)

A cheque may go to the bank or to a supplier straight from the clerk's desk, or be kept in the
safe first; only a deposited (or endorsed) cheque can clear or bounce; a bounced one goes to
legal follow-up or back to its drawer. ``cleared`` and ``returned`` are final. Nothing goes back
into the safe: a bounced cheque that is presented again is a legal follow-up's business.

**The one move outside ``TRANSITIONS``** (:data:`UNDO`): an endorsement recorded by mistake is
undone by deleting the payment to the supplier it made, while the endorsement is still the
cheque's last change — the cheque goes back to the state it came from (``received`` or
``in_safe``), with its own history row saying so (:mod:`modules.finance.services.endorsements`).
It is not a button of the cheque: the payment is what the bookkeeper got wrong, and it must go
with it. Once the supplier brought the cheque back (``bounced``) nothing is undone any more.
"""

from __future__ import annotations

from collections.abc import Mapping

INITIAL = "received"
TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "received": ("in_safe", "deposited", "endorsed", "returned"),
    "in_safe": ("deposited", "endorsed", "returned"),
    "deposited": ("cleared", "bounced"),
    "endorsed": ("bounced",),
    "bounced": ("legal", "returned"),
    "legal": ("cleared", "returned"),
    "cleared": (),
    "returned": (),
}
# Undone, not moved: an endorsement whose payment is deleted puts the cheque back where it was
# (the history row's ``from_state``), never anywhere else.
UNDO: Mapping[str, tuple[str, ...]] = {"endorsed": ("received", "in_safe")}
# The money is still to come in: what the calendar and the cash-in per week count.
EXPECTED = ("received", "in_safe", "deposited")
# While a cheque is at our desk or in our safe its details may still be corrected.
EDITABLE = ("received", "in_safe")
# The button that moves a cheque into each state (an English msgid).
ACTIONS = {
    "in_safe": "Put in the safe",
    "deposited": "Deposit at the bank",
    "cleared": "Cleared",
    "bounced": "Bounced",
    "endorsed": "Endorse to a supplier",
    "returned": "Return to the drawer",
    "legal": "Legal follow-up",
}


def allowed(state: str) -> tuple[str, ...]:
    """The states a cheque in ``state`` may move to (none for an unknown state)."""
    return TRANSITIONS.get(state, ())


def may_move(from_state: str, to_state: str) -> bool:
    return to_state in allowed(from_state)


def may_follow(from_state: str, to_state: str) -> bool:
    """Whether a cheque's history may show this move: an allowed one, or an endorsement undone."""
    return may_move(from_state, to_state) or to_state in UNDO.get(from_state, ())
