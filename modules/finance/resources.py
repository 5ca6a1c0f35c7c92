"""What the finance module looks like in lists, forms, filters, exports and the API.

Each part declares its resources in its own file; this list joins them.
"""

from __future__ import annotations

from kernel import Resource

# -- catalogue, price lists, competitors, sales policies (FIN-01 … FIN-03) --------------------
from modules.finance.resources_catalogue import PRODUCT, catalogue_resources

__all__ = ["PRODUCT", "resources"]


def resources() -> list[Resource]:
    # -- documents (proformas, invoices, receipts, tax rates): resources_documents.py ----------
    from modules.finance.resources_cheques import (
        cheque_resources,  # -- cheques: banks, accounts, POS, cheques
    )
    from modules.finance.resources_commissions import commission_resources  # -- commissions (FIN-13)
    from modules.finance.resources_documents import document_resources
    from modules.finance.resources_editor import editor_resources  # -- editor: reasons for cancelling
    from modules.finance.resources_fiscal import fiscal_resources  # -- fiscal year (FIN-16)
    from modules.finance.resources_payments import payment_resources  # -- the plans' payments (issue 12)
    from modules.finance.resources_purchases import purchase_resources  # -- purchases (FIN-18)

    return [
        *catalogue_resources(),
        *document_resources(),
        *editor_resources(),
        *cheque_resources(),
        *commission_resources(),
        *purchase_resources(),
        *fiscal_resources(),  # -- fiscal year (FIN-16)
        *payment_resources(),
    ]
