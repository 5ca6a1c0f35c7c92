from kernel import Manifest

MANIFEST = Manifest(
    name="insurance",
    version="0.1.0",
    summary="Insurance agencies: policies with instalments, the renewal alarm and SMS, thank-you SMS, "
            "birthdays of the insured and renewal reports (edition insurance).",
    depends=("base", "finance", "marketing"),
    tiers=("insurance",),
)
