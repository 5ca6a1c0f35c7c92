from kernel import Manifest

MANIFEST = Manifest(
    name="base",
    version="0.1.0",
    summary="Partners and communications (tier 1). This first version carries Iran's geography.",
    tiers=("tier1", "tier2", "tier3", "tier4", "tier5"),
)
