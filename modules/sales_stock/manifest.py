from kernel import Manifest

MANIFEST = Manifest(
    name="sales_stock",
    version="0.1.0",
    summary="Sales orders and stock: an approved order reserves its goods, the reservation passes to its "
            "proforma, and the order's page shows reserved and delivered.",
    depends=("sales", "inventory"),
    auto_install=True,
)
