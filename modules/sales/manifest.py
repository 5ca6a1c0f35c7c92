from kernel import Manifest

MANIFEST = Manifest(
    name="sales",
    version="0.1.0",
    summary="Sales pipeline: leads, opportunities on a board, stages per customer type, won and lost (tier 4).",
    depends=("base", "finance"),
    tiers=("tier4", "tier5"),
)
