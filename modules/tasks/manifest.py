from kernel import Manifest

MANIFEST = Manifest(
    name="tasks",
    version="0.1.0",
    summary="Tasks, referrals, reminders and alarms, the work queue (kartable) and the daily reminder report (tier 2).",
    depends=("base",),
    tiers=("tier2", "tier4", "tier5"),
)
