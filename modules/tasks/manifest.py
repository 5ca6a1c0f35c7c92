from kernel import Manifest

MANIFEST = Manifest(
    name="tasks",
    version="0.1.0",
    summary="Tasks, referrals and the work queue (kartable) (tier 2); reminders and alarms are the kernel's.",
    depends=("base",),
    tiers=("tier2", "tier4", "tier5"),
)
