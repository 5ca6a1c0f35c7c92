"""The finance module's own pages (what is more than its resources)."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    # -- catalogue (FIN-01 … FIN-03) --
    from modules.base.importer.pages import routes_for
    from modules.finance.importers import PRODUCTS
    from modules.finance.routes import commissions, competitors, documents, editor, follow_up, variants

    return [*variants.routes(), *competitors.routes(), *routes_for(PRODUCTS),
            # -- documents
            *documents.routes(),
            # -- editor
            *editor.routes(), *follow_up.routes(),
            # -- commissions (FIN-13)
            *commissions.routes()]
