"""Base's role templates: the jobs of a front office that only base's pages serve."""

from __future__ import annotations

from kernel import RoleTemplate

_PLACES = ("base.country.view", "base.province.view", "base.city.view", "base.region.view",
           "base.group.view", "base.role_kind.view")

TEMPLATES = [
    # Answers the phone and the door: finds and registers people, logs every contact.
    RoleTemplate("base.receptionist", "Receptionist",
                 ("base.partner.view", "base.partner.create", "base.partner.edit",
                  "base.contact.*", "base.address.*",
                  "base.communication.view", "base.communication.create", "base.communication.edit",
                  *_PLACES), record_scope="all", sequence=10),
    # Works their own customers: everything on them except deleting, merging and importing.
    RoleTemplate("base.sales_clerk", "Sales clerk",
                 ("base.partner.view", "base.partner.create", "base.partner.edit", "base.partner.export",
                  "base.partner.print", "base.contact.*", "base.address.*", "base.employment.*",
                  "base.communication.*", *_PLACES), record_scope="own", sequence=20),
    # Keeps the customer file clean: merges duplicates, imports lists, sees everyone.
    RoleTemplate("base.data_keeper", "Customer records keeper",
                 ("base.partner.*", "base.partner.merge", "base.partner.import", "base.contact.*",
                  "base.address.*", "base.employment.*", "base.communication.view", "base.country.*",
                  "base.province.*", "base.city.*", "base.region.*", "base.group.*", "base.role_kind.*"),
                 record_scope="all", sequence=30),
]
