"""The Jinja environment and the one function that renders a page with the shared context."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from kernel.i18n import DEFAULT_LANG, LANGS, direction, install_jinja
from kernel.icons import icon
from kernel.occasions.definitions import shipped
from kernel.routing import csrf_token
from kernel.web.gregorian import hijri_corrections, show_gregorian

if TYPE_CHECKING:
    from kernel.kernel import Kernel

log = logging.getLogger("peyvand.web")


def make_environment(kernel: Kernel) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(p) for p in kernel.template_dirs()]),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_jinja(env, kernel.catalog)
    env.globals["kernel"] = kernel
    env.globals["icon"] = icon
    env.globals["ref"] = _ref_global(kernel)
    env.globals["record_menu"] = _record_menu_global(kernel)
    kernel.pm.hook.prepare_jinja2_environment(env=env, kernel=kernel)
    return env


def _ref_global(kernel: Kernel) -> Any:
    """``{{ ref("base.partner", visit.partner_id) }}``: the record's title as a link, in the
    page's language (``link=False`` for the title alone)."""
    from jinja2 import pass_context

    from kernel.references import reference_link, reference_title

    @pass_context
    def ref(ctx: Any, resource: str, record_id: int | None, link: bool = True) -> Markup | str:
        request = ctx.get("request")
        lang = request_lang(request) if request is not None else ctx.get("lang", DEFAULT_LANG)
        with kernel.sessions() as session:
            if link:
                return reference_link(kernel, session, resource, record_id, lang)
            return reference_title(kernel, session, resource, record_id, lang)

    return ref


def _record_menu_global(kernel: Kernel) -> Any:
    """``{{ record_menu(entries, label) }}``: a record's context menu in the page's language."""
    from jinja2 import pass_context

    from kernel.web.list_rows import record_menu

    @pass_context
    def menu(ctx: Any, entries: Any, label: str) -> Markup:
        lang = ctx.get("lang") if ctx.get("lang") in LANGS else DEFAULT_LANG
        return record_menu(entries, label, lambda msgid: kernel.catalog.gettext(lang, msgid))

    return menu


def request_lang(request: Request) -> str:
    actor = getattr(request.state, "actor", None)
    if actor is not None and actor.lang in LANGS:
        return str(actor.lang)
    lang = request.session.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG


def menu_for(kernel: Kernel, actor: Any) -> list[dict[str, Any]]:
    """The menu tree with entries the actor may not open left out (and empty parents too)."""
    if actor is None:
        return []
    visible = [m for m in kernel.menu if m.permission is None or actor.can(m.permission)]
    badges = menu_badges(kernel, actor, [m for m in visible if m.badge is not None])
    tree: list[dict[str, Any]] = []
    by_key: dict[str, dict[str, Any]] = {}
    for item in visible:
        node = {"item": item, "children": [], "badge": badges.get(item.key)}
        by_key[item.key] = node
    for item in visible:
        node = by_key[item.key]
        if item.parent and item.parent in by_key:
            by_key[item.parent]["children"].append(node)
        elif not item.parent:
            tree.append(node)
    return [n for n in tree if n["item"].url or n["children"]]


def menu_badges(kernel: Kernel, actor: Any, items: list[Any]) -> dict[str, int]:
    """The counts beside menu entries; a failing count hides its badge, never the page."""
    if not items:
        return {}
    out: dict[str, int] = {}
    with kernel.sessions() as session:
        for item in items:
            try:
                value = item.badge(session=session, actor=actor, kernel=kernel)
            except Exception:
                log.exception("menu badge %s failed", item.key)
                session.rollback()
                continue
            if value:
                out[item.key] = int(value)
    return out


# The session key of the confirmation shown once on the next page (kernel.web.forms.flash).
FLASH = "flash"


def render(request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    kernel: Kernel = request.app.state.kernel
    env: Environment = request.app.state.jinja
    actor = getattr(request.state, "actor", None)
    lang = request_lang(request)

    def slot(name: str, **ctx: Any) -> Markup:
        answers = kernel.pm.hook.template_slot(slot=name, context=ctx, request=request)
        return Markup("").join(Markup(a) for a in reversed(answers) if a is not None)

    ctx = {
        "request": request,
        "actor": actor,
        "lang": lang,
        # The page's language bound once: the global ``_`` looks it up in the context on each
        # of the ~200 calls of a list page.
        "_": partial(kernel.catalog.gettext, lang),
        "dir": direction(lang),
        "money_unit": actor.money_unit if actor else "rial",
        "tz": kernel.config.timezone,
        "csrf": csrf_token(request),
        "menu": menu_for(kernel, actor),
        "slot": slot,
        "edition": kernel.edition,
        "company_name": request.app.state.company_name(),
        # The jgdate filter reads it: Gregorian beside Jalali when the user asked for it (KER-19).
        "show_gregorian": show_gregorian(request) if actor is not None else False,
        # Iran's observed lunar months (shipped and the administrator's) for the hijri filter.
        "hijri_corrections": hijri_corrections(request) if actor is not None else shipped().corrections,
    }
    ctx.update(context or {})
    # Shown once, by the first full page after the action that left it (base.html).
    ctx.setdefault("flash", request.session.pop(FLASH, "") if "session" in request.scope else "")
    html = env.get_template(template).render(ctx)
    return HTMLResponse(html, status_code=status)
