from kernel import Manifest

MANIFEST = Manifest(
    name="marketing",
    version="0.1.0",
    summary="Messages: SMS panels, e-mail, inbound messages, letters and labels, occasions, campaigns.",
    depends=("base",),
    tiers=("tier4", "tier5"),
)
