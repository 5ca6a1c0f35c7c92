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
