"""Group letters printed in the background (MKT-05). Up to :data:`INLINE_MAX` letters are
rendered in the request (a few seconds at most); a bigger batch — New-Year letters to 500
managing directors take 13–21 s in WeasyPrint — is prepared by a worker: the user presses
"Prepare the PDF", the page says it is being prepared and follows it, and the file is kept in
the files store for that user alone.

The worker renders as the user who asked (their record scope: the letters they may print of
the batch, as the direct link would give them) and in their language. Its own transactions
(``Job(own_transactions=True)``): the letters are read, the PDF is rendered with no transaction
open, and the result recorded — a render of twenty seconds holds no lock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import utcnow
from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.jobs import Job
from kernel.outbox import enqueue
from kernel.security import load_actor
from modules.marketing.letters.printing import letters_html
from modules.marketing.models import Letter, LetterPrint

INLINE_MAX = 100  # letters rendered in the request; more are prepared by a worker
TOPIC = "marketing.letters_pdf"
PRINT = "marketing.letter.print"


def batch_letters(kernel: Any, session: Session, actor: Any, batch: str, action: str) -> list[Letter]:
    """The batch's letters ``actor`` may see (``view``) or print (``print``), in number order."""
    stmt = kernel.scoped_select(actor, Letter, action).where(Letter.batch == batch).order_by(Letter.id)
    return list(session.scalars(stmt))


def ask(session: Session, actor: Any, batch: str, lang: str) -> LetterPrint:
    """A print of ``batch`` for ``actor``, queued for a worker in the caller's transaction."""
    row = LetterPrint(batch=batch, user_id=actor.user_id, lang=lang)
    session.add(row)
    session.flush()
    enqueue(session, TOPIC, {"print": row.id})
    return row


def latest(session: Session, actor: Any, batch: str) -> LetterPrint | None:
    return session.scalars(select(LetterPrint).where(LetterPrint.batch == batch, LetterPrint.user_id == actor.user_id)
                           .order_by(LetterPrint.id.desc()).limit(1)).first()


def prepare(kernel: Any, payload: dict[str, Any], now: dt.datetime | None = None) -> None:
    """The job: render one asked-for print and keep it in the files store."""
    from kernel.web.attachments import store_file
    from kernel.web.templating import make_environment

    with kernel.sessions() as s:
        row = s.get(LetterPrint, int(payload["print"]))
        if row is None or row.state != "queued":
            return  # already done by a worker that died before marking its message
        actor = load_actor(s, row.user_id)
        letters = batch_letters(kernel, s, actor, row.batch, "print") if actor and actor.can(PRINT) else []
        html = letters_html(kernel, make_environment(kernel), s, letters, row.lang) if letters else ""
        print_id, count = row.id, len(letters)
    values: dict[str, Any]
    if not html:
        values = {"state": "failed", "error": kernel.t(row.lang, "No letter of this batch may be printed by you")}
    else:
        from kernel.documents import render_pdf

        try:
            pdf = render_pdf(html, kernel.static_dirs())
            values = {"state": "ready", "sha256": store_file(kernel.config.files_dir, pdf), "size": len(pdf)}
        except Exception as exc:  # the page says so, and the user may ask again
            values = {"state": "failed", "error": f"{type(exc).__name__}: {exc}"[:500]}
    with transaction(kernel.sessions, SYSTEM) as s:
        got = s.get(LetterPrint, print_id)
        if got is not None and got.state == "queued":
            for key, value in {**values, "letters": count, "finished_at": now or utcnow()}.items():
                setattr(got, key, value)


def jobs() -> list[Job]:
    return [Job("marketing.letters_pdf", prepare, topic=TOPIC, own_transactions=True, max_attempts=3,
                retry_after=30)]
