"""The e-mail channel's jobs, returned by the module's ``register_jobs``."""

from __future__ import annotations

from kernel.jobs import Job

IMAP_EVERY = 120  # seconds between two looks at the mailbox


def mail_jobs() -> list[Job]:
    from modules.marketing.mail.consumer import TOPIC, run_batch
    from modules.marketing.mail.imap import poll_mailbox

    # max_attempts counts crashed runs only: the SMTP server's refusals are retried by the consumer.
    return [Job(TOPIC, run_batch, topic=TOPIC, own_transactions=True, max_attempts=5, retry_after=30),
            Job("marketing.imap_poll", poll_mailbox, every=IMAP_EVERY)]
