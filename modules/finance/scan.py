"""A product's barcode scanned with no field focused (DEV-02).

On the page of a proforma (its record page or its line editor) the product is added to it —
one more of it on its line when it has one, else a new line of one — through the editor's own
service (``drafts.save_lines``: the edit permission, record scope, editable state, fiscal year,
prices and totals, history); the page then reloads. Elsewhere the product's page opens. Products
are found by ``finance_product.barcode`` (indexed) within the user's record scope.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from kernel.records import FormErrors
from kernel.scan import ScanAnswer
from modules.finance.models import Product
from modules.finance.services import drafts
from modules.finance.services.documents import PROFORMA, lines_of

PROFORMA_PAGE = re.compile(r"^/finance/proforma/(\d{1,18})(?:/lines)?/?(?:\?.*)?$")
ADDED = 100  # the page's own document wins over a partner whose card has the same number
OPENED = 5


def _product(kernel: Any, actor: Any, code: str) -> Product | None:
    stmt = (kernel.scoped_select(actor, Product).where(Product.barcode == code)
            .order_by(Product.active.desc(), Product.id).limit(1))
    with kernel.sessions() as session:
        product = session.scalar(stmt)
        if product is not None:
            session.expunge(product)
        return product


def add_one(kernel: Any, actor: Any, proforma_id: int, product_id: int) -> None:
    """One more of the product on the proforma: +1 on its first line of it, or a new line of one."""
    with kernel.session(actor) as session:
        doc = drafts.load(kernel, session, actor, PROFORMA, proforma_id)
        line = next((ln for ln in lines_of(session, doc) if ln.product_id == product_id), None)
        change = (drafts.LineChange("", {"quantity": Decimal(line.quantity) + 1}, int(line.id)) if line is not None
                  else drafts.LineChange("", {"product_id": product_id, "quantity": Decimal(1)}))
        try:
            drafts.save_lines(kernel, session, actor, PROFORMA, proforma_id, [change])
        except FormErrors as exc:  # e.g. an inactive product: the line's own message, as a toast
            raise next(iter(exc.errors.values())) from None


def resolve(kernel: Any, actor: Any, code: str, page: str) -> ScanAnswer | None:
    if not actor.can("finance.product.view"):
        return None
    product = _product(kernel, actor, code)
    if product is None:
        return None
    on_proforma = PROFORMA_PAGE.match(page)
    if on_proforma and actor.can("finance.proforma.edit"):
        add_one(kernel, actor, int(on_proforma[1]), product.id)
        return ScanAnswer(reload=True, message="Added to the proforma: {name}", params={"name": product.name},
                          priority=ADDED)
    return ScanAnswer(open=f"{kernel.resources['finance.product'].url}{product.id}", priority=OPENED)

