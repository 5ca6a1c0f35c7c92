"""Background jobs of the base module, returned by its ``register_jobs`` hook."""

from __future__ import annotations

from kernel.jobs import Job
from modules.base.importer.run import TOPIC, forget_abandoned, run_job

# A batch that fails (database away) is retried; a bad line never fails its batch.
IMPORT_JOB = Job("base.import", run_job, topic=TOPIC, max_attempts=3, retry_after=30)

JOBS = (
    IMPORT_JOB,
    Job("base.import_cleanup", forget_abandoned, every=6 * 3600),
)
