"""The SMS pipe's jobs, returned by the module's ``register_jobs``."""

from __future__ import annotations

from kernel.jobs import Job
from modules.marketing.sending.consumer import TOPIC, run_batch
from modules.marketing.sending.reports import poll

POLL_EVERY = 60  # seconds


def sms_jobs() -> list[Job]:
    # max_attempts counts crashed runs only: a panel's errors are retried by the consumer itself.
    return [Job("marketing.sms_batch", run_batch, topic=TOPIC, own_transactions=True, max_attempts=5,
                retry_after=30),
            Job("marketing.sms_poll", poll, every=POLL_EVERY, own_transactions=True)]
