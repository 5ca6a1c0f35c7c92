from kernel import Manifest

MANIFEST = Manifest(
    name="medical",
    version="0.1.0",
    summary="Clinics: patients and their files, doctors' schedules, appointments that are never double-booked, "
            "referrals and appointment SMS (edition clinic).",
    depends=("base", "marketing"),
    tiers=("clinic",),
)
