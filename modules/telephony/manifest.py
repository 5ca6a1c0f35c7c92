from kernel import Manifest

MANIFEST = Manifest(
    name="telephony",
    version="0.1.0",
    summary="Caller ID and call logging from a PBX's SMDR output or a caller-ID modem (DEV-01), through the device service.",
    depends=("base",),
    tiers=("tier2", "tier4", "tier5"),
)
