"""The consumer of ``marketing.email_batch`` outbox rows (``{"messages": [ids]}``, written by
:mod:`modules.marketing.dispatch`), run by the kernel's workers with ``own_transactions`` like
the SMS one (:mod:`modules.marketing.sending.consumer`).

For each chunk: claim its messages (queued → sending) and COMMIT, send them over one SMTP
connection with no transaction open, then record each answer in a second transaction through
:func:`~modules.marketing.sending.states.move` (which writes the partner's timeline too):

* accepted (2xx) → ``sent``;
* refused for good (5xx) → ``failed``, recorded as a bounce with the server's answer;
* refused for now (4xx, greylisting) → back to ``queued`` with the reason; the others go on,
  and these are tried again in a new outbox row after a back-off (30 s doubling to 30 min,
  10 attempts: about two hours), then failed with the reason;
* the server unreachable or the connection lost → the chunk's unanswered messages and the rest
  of the batch go back to ``queued`` and wait for the back-off the same way.

Exactly once across worker crashes: a message found in ``sending`` was claimed by an attempt
that died between its two commits, so the server may have it. SMTP has no way to ask, so it is
marked failed, "unknown whether the server received it", rather than mailed twice — the user
sees exactly which recipients are in doubt.

Each message's Message-ID is ``<marketing-<id>@<domain>>``: a bounce report naming it finds
the message again (:mod:`.bounces`)."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.mail import MailNotConfigured, build_mail, deliver
from kernel.outbox import enqueue
from modules.marketing.mail import attachments, html
from modules.marketing.models import Message
from modules.marketing.sending.consumer import _finish_sends
from modules.marketing.sending.states import Change, move

TOPIC = "marketing.email_batch"
CHUNK = 50  # messages per SMTP connection and per pair of commits
MAX_ATTEMPTS = 10
FIRST_RETRY = 30
LAST_RETRY = 1800
MESSAGE_ID = "marketing-{id}"
UNKNOWN = "Unknown whether the SMTP server received it: not sent again"
BOUNCED = "Bounced: {reason}"
TEMPORARY = "The mail server did not take it for now, retried later: {reason}"
GAVE_UP = "The mail server did not take it in {n} attempts: {reason}"


def message_id(mid: int) -> str:
    return MESSAGE_ID.format(id=mid)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}".strip()
    return f"{type(exc).__name__}: {exc}".strip()


def _permanent(exc: BaseException) -> bool:
    return isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600


def _again(answers: dict[int, BaseException | None], mid: int) -> bool:
    """Sent again later: no answer (the connection stopped before it) or a temporary refusal."""
    if mid not in answers:
        return True
    exc = answers[mid]
    return exc is not None and not _permanent(exc)


def run_batch(kernel: Any, payload: dict[str, Any], now: dt.datetime) -> None:
    ids = [int(i) for i in payload.get("messages", ())]
    attempt = int(payload.get("attempt", 1))
    with kernel.sessions() as s:
        rows = s.execute(select(Message.id, Message.state).where(
            Message.id.in_(ids), Message.channel == "email", Message.state.in_(("queued", "sending")))
            .order_by(Message.id)).all()
    leftovers = [r.id for r in rows if r.state == "sending"]
    if leftovers:
        with transaction(kernel.sessions, SYSTEM) as s:
            move(kernel, s, [Change(i, "failed", error=kernel.t("fa", UNKNOWN)) for i in leftovers], now)
            _finish_sends(s, leftovers)
    todo = [r.id for r in rows if r.state == "queued"]
    files: dict[int | None, list[tuple[str, str, bytes]]] = {}
    progressed = False  # something went out in this run: the attempts count again from 1
    deferred: list[int] = []  # refused for now (4xx): tried again after the back-off
    why = ""
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start:start + CHUNK]
        with transaction(kernel.sessions, SYSTEM) as s:
            s.execute(update(Message).where(Message.id.in_(chunk), Message.state == "queued")
                      .values(state="sending").execution_options(synchronize_session=False))
            claimed = s.execute(select(Message.id, Message.send_id, Message.address, Message.subject, Message.body)
                                .where(Message.id.in_(chunk), Message.state == "sending")
                                .order_by(Message.id)).all()
            for r in claimed:  # a send's files read once, not once per message
                if r.send_id not in files:
                    files[r.send_id] = attachments.of_send(kernel.config.files_dir, s, r.send_id)
        if not claimed:
            continue
        answers, stopped = _send(kernel, claimed, files)
        with transaction(kernel.sessions, SYSTEM) as s:
            changes = [Change(i, "sent") if exc is None else
                       Change(i, "failed", error=kernel.t("fa", BOUNCED, reason=_reason(exc)))
                       for i, exc in answers.items() if exc is None or _permanent(exc)]
            move(kernel, s, changes, now)
            _finish_sends(s, [c.message_id for c in changes])
            progressed = progressed or any(c.state == "sent" for c in changes)
            later = [r.id for r in claimed if _again(answers, r.id)]
            if later:
                first = stopped or next((e for i in later if (e := answers.get(i)) is not None), None)
                why = _reason(first) if first is not None else why
                _requeue(kernel, s, later, why, now)
            if stopped is not None:
                # The server is unreachable or dropped us: the rest of the batch waits with these.
                _retry(kernel, s, deferred + later + todo[start + CHUNK:], why, 1 if progressed else attempt, now)
                return
            deferred += later
    if deferred:
        with transaction(kernel.sessions, SYSTEM) as s:
            _retry(kernel, s, deferred, why, 1 if progressed else attempt, now)


def _send(kernel: Any, claimed: Sequence[Any], files: dict[int | None, list[tuple[str, str, bytes]]],
          ) -> tuple[dict[int, BaseException | None], BaseException | None]:
    """Each claimed message's answer (None: accepted), and the error that stopped the
    connection, if one did (the messages after it have no answer)."""
    config = kernel.config
    built = {}
    for r in claimed:
        subject = r.subject or ""
        built[r.id] = build_mail(config, r.address, subject, r.body, message_id=message_id(r.id),
                                 html=html.to_html(r.body, subject), attachments=files.get(r.send_id, []))
    by_msg = {id(m): mid for mid, m in built.items()}
    answers: dict[int, BaseException | None] = {}
    try:
        for msg, error in deliver(config, built.values()):
            answers[by_msg[id(msg)]] = error
    except (OSError, smtplib.SMTPException, MailNotConfigured) as exc:
        return answers, exc
    return answers, None


def _requeue(kernel: Any, s: Any, ids: list[int], reason: str, now: dt.datetime) -> None:
    """Claimed messages the server did not take for now: back to the queue, with the reason."""
    move(kernel, s, [Change(i, "queued") for i in ids], now)
    s.execute(update(Message).where(Message.id.in_(ids)).values(error=kernel.t("fa", TEMPORARY, reason=reason))
              .execution_options(synchronize_session=False))


def _retry(kernel: Any, s: Any, ids: list[int], reason: str, attempt: int, now: dt.datetime) -> None:
    """A new outbox row for queued messages after a back-off (30 s doubling to 30 min); after
    the last attempt they fail with the reason instead."""
    if attempt >= MAX_ATTEMPTS:
        move(kernel, s, [Change(i, "failed", error=kernel.t("fa", GAVE_UP, n=MAX_ATTEMPTS, reason=reason))
                         for i in ids], now)
        _finish_sends(s, ids)
        return
    s.execute(update(Message).where(Message.id.in_(ids), Message.error.is_(None))
              .values(error=kernel.t("fa", TEMPORARY, reason=reason)).execution_options(synchronize_session=False))
    delay = dt.timedelta(seconds=min(FIRST_RETRY * 2 ** (attempt - 1), LAST_RETRY))
    enqueue(s, TOPIC, {"messages": ids, "attempt": attempt + 1}, available_at=now + delay)
