"""Dashboard blocks of the base module (KER-13)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from kernel import Block


def _welcome(request: Any, kernel: Any, actor: Any) -> Markup:
    msg = kernel.t(actor.lang, "Welcome, {name}", name=escape(actor.display_name))
    return Markup(f"<p>{escape(msg)}</p>")


BLOCKS = [Block("base.welcome", "Welcome", _welcome, sequence=10)]
