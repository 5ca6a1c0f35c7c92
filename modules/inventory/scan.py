"""A barcode scanned on a stock document's editor (DEV-02, INV-01) with no field focused, or read
by a serial scanner and pushed to the page: the product goes on that draft — one more on its line,
or a new line — through :func:`drafts.add_line` (the edit permission, record scope, draft state,
the variant and serial rules), and the page reloads to show it. The editor's own script takes
wedge bursts itself (no reload); this answer is for pages without it and for pushed scans.

Elsewhere inventory does not answer: finance opens the product's page.
"""

from __future__ import annotations

import re
from typing import Any

from kernel import Conflict, InputError, NotFound, PermissionDenied
from kernel.scan import ScanAnswer
from modules.inventory.services import drafts

EDITOR_PAGE = re.compile(r"^/inventory/documents/(\d{1,18})/edit/?(?:\?.*)?$")
ADDED = 100  # the page's own document wins over the product page finance would open


def resolve(kernel: Any, actor: Any, code: str, page: str) -> ScanAnswer | None:
    on_editor = EDITOR_PAGE.match(page)
    if not on_editor or not actor.can(drafts.EDIT):
        return None
    try:
        with kernel.session(actor) as session:
            line = drafts.add_line(kernel, session, actor, int(on_editor[1]), code=code)
            name = line_name(session, line.product_id)
    except (InputError, Conflict) as exc:  # said as a toast, the document unchanged
        return ScanAnswer(message=exc.msgid, params=dict(getattr(exc, "params", {})), priority=ADDED)
    except (NotFound, PermissionDenied):
        return None
    return ScanAnswer(reload=True, message="Added: {name}", params={"name": name}, priority=ADDED)


def line_name(session: Any, product_id: int) -> str:
    from modules.finance.models import Product

    product = session.get(Product, product_id)
    return product.name if product else ""
