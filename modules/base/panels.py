"""Panels of the partner's 360° profile (BASE-11): every module adds its own through the
``register_panels`` hook (:class:`kernel.Panel` with ``page=PAGE``), shown in ``sequence`` order.

Base's own panels take 10–39 (relations, preferences, planned communications), tasks 40;
later modules pick their place (finance's proformas, invoices and balance at 50–59, medical
appointments 60, insurance policies 70), so the order is declared, never an accident of load order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from starlette.requests import Request

from kernel.routing import csrf_token
from kernel.web.templating import request_lang

PAGE = "base.partner.profile"


@dataclass(frozen=True)
class ShownPanel:
    key: str
    title: str
    html: Markup

    @property
    def anchor(self) -> str:
        return "panel-" + self.key.replace(".", "-")


def panel_markup(request: Request, template: str, **context: Any) -> Markup:
    """Render a panel's own template with what every page template has (lang, tz, csrf, actor)."""
    kernel = request.app.state.kernel
    actor = getattr(request.state, "actor", None)
    ctx = {"request": request, "actor": actor, "lang": request_lang(request), "tz": kernel.config.timezone,
           "money_unit": actor.money_unit if actor else "rial", "csrf": csrf_token(request), **context}
    return Markup(request.app.state.jinja.get_template(template).render(ctx))


def profile_panels(request: Request, kernel: Any, session: Any, actor: Any, partner: Any) -> list[ShownPanel]:
    """The panels this user may see on this partner's profile, in their declared order."""
    shown = []
    for panel in kernel.panels_for(PAGE):
        if panel.permission and not actor.can(panel.permission):
            continue
        html = panel.render(request=request, kernel=kernel, session=session, actor=actor, record=partner)
        if html is not None:
            shown.append(ShownPanel(panel.key, panel.title, Markup(html)))
    return shown
