from kernel import Manifest

MANIFEST = Manifest(
    name="finance",
    version="0.1.0",
    summary="Products, prices, proformas and invoices (tier 3); payments and cheques follow.",
    depends=("base",),
    tiers=("tier3", "tier4", "tier5"),
)
