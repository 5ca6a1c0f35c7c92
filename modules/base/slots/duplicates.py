"""The duplicate warning's script (with its texts in the user's language) on every page, and a
"Merge with…" link on a partner's pages."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from kernel import cached
from kernel.web.templating import request_lang
from modules.base.duplicates import FIELDS

# What the warning says for each kind of match; {link} becomes a link to the partner.
WARNINGS = {
    "mobile": "A partner with this mobile number already exists: {link}",
    "phone": "A partner with this phone number already exists: {link}",
    "national_id": "A partner with this national ID already exists: {link}",
    "economic_code": "A partner with this economic code already exists: {link}",
    "name": "A partner with this name already exists: {link}",
}


def _actor(request: Any) -> Any:
    return getattr(request.state, "actor", None)


def head(context: dict[str, Any], request: Any) -> Markup | None:
    actor = _actor(request)
    if actor is None or not actor.can("base.partner.view"):
        return None
    lang, merge = request_lang(request), actor.can("base.partner.merge")
    # The same markup on every page of a language: built once (kernel.memo).
    return cached(("base.duplicates.head", lang, merge), lambda: _head(request.app.state.kernel, lang, merge))


def _head(kernel: Any, lang: str, merge: bool) -> Markup:
    texts = {f"data-warn-{f.replace('_', '-')}": kernel.t(lang, WARNINGS[f]) for f in FIELDS}
    if merge:
        texts["data-merge"] = kernel.t(lang, "Merge these two")
    attrs = Markup(" ").join(Markup('{}="{}"').format(Markup(k), escape(v)) for k, v in texts.items())
    return Markup('<meta name="base-duplicates" {}>'
                  '<script src="/static/base/duplicates.js" defer></script>').format(attrs)


def detail(context: dict[str, Any], request: Any) -> Markup | None:
    actor = _actor(request)
    record = context.get("record")
    if actor is None or record is None or not actor.can("base.partner.merge"):
        return None
    text = request.app.state.kernel.t(request_lang(request), "Merge with…")
    return Markup('<p class="base-merge-link"><a class="button" href="/base/partner/merge?keep={}">{}</a></p>'
                  ).format(record.id, text)


# The record page (asked for) and the bottom of the 360° profile, where users land after a merge.
SLOTS = {"kernel.head": head, "base.partner.detail": detail, "base.partner.profile": detail}
