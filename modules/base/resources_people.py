"""Resources of the person's circle (BASE-16, BASE-17): relations and their kinds, preferences,
planned communications. Lists, history, exports and the API come from these declarations; the
profile adds its own quick forms (modules/base/routes/relations.py, routes/planned.py)."""

from __future__ import annotations

from kernel import Field, Resource
from modules.base import choices as c
from modules.base.models import PlannedCommunication, Preference, Relation, RelationKind

RELATION = Resource(
    name="base.relation", model=Relation, label="Relation", label_plural="Relations",
    columns=("partner_id", "kind", "other_id", "notes"), form=("partner_id", "kind", "other_id", "notes"),
    filters=("partner_id", "other_id", "kind"),
    fields={"partner_id": Field(label="Person"), "other_id": Field(label="Related person"),
            # A code of base_relation_kind (or a built-in one): the profile offers them as a list.
            "kind": Field(label="Relation code"), "notes": Field(label="Notes")},
    title_field="kind", global_search=False,
)

RELATION_KIND = Resource(
    name="base.relation_kind", model=RelationKind, label="Relation kind", label_plural="Relation kinds",
    columns=("name", "reverse_name", "code", "persons_only", "sequence"),
    form=("name", "reverse_name", "code", "persons_only", "sequence"), search=("name", "code"),
    fields={"reverse_name": Field(label="Reverse label (seen from the other side)"),
            "persons_only": Field(label="Only between persons")},
    default_sort="sequence", shared=True, global_search=False,
)

PREFERENCE = Resource(
    name="base.preference", model=Preference, label="Preference", label_plural="Preferences",
    columns=("partner_id", "kind", "text"), form=("partner_id", "kind", "text", "notes"),
    filters=("partner_id", "kind"),
    fields={"partner_id": Field(label="Person"), "kind": Field(choices=c.PREFERENCE_KINDS),
            "text": Field(label="What to remember"), "notes": Field(label="Notes")},
    title_field="text", global_search=False,
)

PLANNED = Resource(
    name="base.planned_communication", model=PlannedCommunication, label="Planned communication",
    label_plural="Planned communications",
    columns=("planned_at", "kind", "subject", "partner_id", "user_id", "state"),
    form=("partner_id", "kind", "subject", "planned_at", "user_id"),
    search=("subject",),
    filters=("state", "kind", "partner_id", "user_id", "planned_at"),
    fields={"partner_id": Field(label="Partner"), "kind": Field(choices=c.PLANNED_KINDS),
            "planned_at": Field(label="Planned for"), "user_id": Field(label="By (user)"),
            "state": Field(choices=c.PLANNED_STATES, readonly=True), "outcome": Field(label="Outcome"),
            "communication_id": Field(label="Logged communication", readonly=True)},
    default_sort="planned_at", icon="mail",
)

ALL = (RELATION, RELATION_KIND, PREFERENCE, PLANNED)
