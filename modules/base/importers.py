"""Base's own import target: partners (INT-04). Other modules declare theirs the same way, in
their own ``importers.py`` (see :mod:`modules.base.importer.targets`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from modules.base.importer.mapping import PARTNER, guess, target_labels
from modules.base.importer.rows import RowParser
from modules.base.importer.targets import ImportTarget
from modules.base.importer.write import import_rows

if TYPE_CHECKING:
    from kernel.kernel import Kernel

PARTNERS = ImportTarget(
    resource=PARTNER, permission="base.partner.import", path="/import/", name="import",
    title="Import partners", field_heading="Partner field",
    targets=target_labels, guess=guess, check=lambda kernel, mapping, lang: mapping.check(kernel, lang),
    parser=RowParser, write=import_rows,
    duplicates_legend="When a partner with the same mobile, national ID or economic code exists",
    mode_labels=("Skip the line", "Update the existing partner with the filled cells", "Create a new partner anyway"),
    options_template="base/import_partner_options.html",
    list_url="/base/partner/", list_label="Partners",
)


def import_targets(kernel: Kernel) -> list[ImportTarget]:
    return [PARTNERS]
