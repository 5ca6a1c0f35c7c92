from kernel import Manifest

MANIFEST = Manifest(
    name="carpet",
    version="0.1.0",
    summary="Machine-made carpet makers: designs, warranty cards with a QR code registered by SMS, dealers "
            "and the online-shop link (edition carpet).",
    depends=("base", "finance", "inventory", "marketing"),
    tiers=("carpet",),
)
