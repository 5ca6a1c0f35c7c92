"""Marketing's own hooks, for the modules and pip packages that depend on it (docs/plugins.md §5,
"A module's own hooks")."""

from __future__ import annotations

from typing import Any

from kernel import hookspec


@hookspec
def register_marketing_sms_panels(kernel: Any) -> Any:
    """SMS panels this package speaks: ``list[modules.marketing.panels.PanelKind]``. Each kind is
    offered when an administrator adds a panel (its key, label, settings and a factory of the
    adapter that sends, reads delivery states and inbound messages, and asks for the credit)."""


@hookspec
def register_marketing_placeholders(kernel: Any) -> Any:
    """Placeholders this module offers to message templates:
    ``list[modules.marketing.placeholders.Placeholder]`` (``{balance}``, ``{due_date}``, …). Each
    has a key, a label and ``value(context)`` answering the text for one recipient
    (``context.recipient``, ``context.session``, ``context.record`` for a relative schedule)."""


@hookspec(firstresult=True)
def marketing_email_attachment(kernel: Any, session: Any, actor: Any, ref: str, lang: str, env: Any,
                               render: bool) -> Any:
    """A record's document for the e-mail composer to attach (MKT-03: a proforma's PDF).
    ``ref`` is ``"<resource>:<id>"`` (``finance.proforma:12``), as the record action that opens
    ``/marketing/email/new?attach=<ref>`` put it. Answer ``None`` when the ref is not yours, or
    a dict ``{"filename", "content_type", "content", "partner_id", "title"}`` read through
    ``actor``'s permissions and record scope (``content`` may be ``b""`` when ``render`` is
    False: the page only names it). A module that does not depend on marketing implements it
    with ``@hookimpl(optionalhook=True)``, so it loads whether marketing is enabled or not."""
