"""What warehouses, stock documents and inventory's facts per product look like in lists, forms,
filters, exports and the API. A document's state, number and lines do not change through its
form: posting and voiding are their own actions (``services.posting``)."""

from __future__ import annotations

from kernel import Resource


def resources() -> list[Resource]:
    from modules.inventory.declarations import DOCUMENT, WAREHOUSE

    return [WAREHOUSE, DOCUMENT]
