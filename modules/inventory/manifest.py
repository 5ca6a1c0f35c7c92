from kernel import Manifest

MANIFEST = Manifest(
    name="inventory",
    version="0.1.0",
    summary="Warehouses, goods receipts and issues, transfers, stock per product and variant, serial numbers "
            "and scanning (tier 5, carpet).",
    depends=("base", "finance"),
    tiers=("tier5", "carpet"),
)
