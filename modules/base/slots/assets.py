"""The base module's script and stylesheet on every page."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup


def head(context: dict[str, Any], request: Any) -> Markup:
    return Markup('<link rel="stylesheet" href="/static/base/base.css">'
                  '<script src="/static/base/base.js" defer></script>')


SLOTS = {"kernel.head": head}
