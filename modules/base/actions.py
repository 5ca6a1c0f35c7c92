"""Base's entries in records' context menus and its keys in the keyboard map (KER-17)."""

from __future__ import annotations

from kernel import RecordAction, Shortcut

NEW_COMMUNICATION = "/base/communication/new?partner_id={%s}"


def record_actions() -> list[RecordAction]:
    # On a partner, for that partner; on anything with a partner link, for the linked partner.
    return [
        RecordAction("base.new_communication", "New communication", NEW_COMMUNICATION % "id",
                     permission="base.communication.create", resources=("base.partner",), shortcut="F9",
                     sequence=10),
        RecordAction("base.new_communication_linked", "New communication", NEW_COMMUNICATION % "partner_id",
                     permission="base.communication.create", with_field="partner_id", shortcut="F9",
                     sequence=10),
        RecordAction("base.profile", "360° profile", "/base/partner/{id}/profile", permission="base.partner.view",
                     resources=("base.partner",), sequence=20),
    ]


def shortcuts() -> list[Shortcut]:
    return [Shortcut("base.new_communication", "F9", "New communication (for the partner on screen)",
                     permission="base.communication.create", sequence=100)]
