"""A step (activity) of a campaign (MKT-01): on a date, an SMS or an e-mail to the targets, a
group letter to them, or a call task per target for a colleague. A step runs once: its state
leaves ``planned`` in the same transaction that writes its messages, letters or tasks, by a
conditional UPDATE (:mod:`modules.marketing.campaigns.steps`), so a job run twice, or "run now"
pressed while the job runs, cannot run it again."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

STEP_KINDS = (("sms", "SMS"), ("email", "E-mail"), ("letter", "Letter"), ("call", "Call"))
STEP_STATES = (("planned", "Planned"), ("done", "Done"), ("failed", "Failed"))


class CampaignStep(Record, Base):
    __tablename__ = "marketing_campaign_step"
    campaign_id: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_campaign.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="sms", server_default="sms")
    on_date: Mapped[dt.date] = mapped_column(index=True)
    # SMS and e-mail: the text (or a template's) and the send category (opt-outs, reports).
    category_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_category.id"))
    template_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_template.id"))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    # Letter: the template of the group letter.
    letter_template_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_letter_template.id"))
    # When letter numbers are typed by hand (FAQ 17): the first letter's number, the others count up.
    first_number: Mapped[int | None]
    # Call: the colleague who calls each target (a task each).
    assignee_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    state: Mapped[str] = mapped_column(String(10), default="planned", server_default="planned", index=True)
    ran_at: Mapped[dt.datetime | None]
    # What it made: the send (SMS, e-mail) or the letters' batch.
    send_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_send.id"))
    letter_batch: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)  # why it failed, in Persian
