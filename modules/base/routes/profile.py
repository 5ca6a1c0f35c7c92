"""The customer 360° profile (BASE-11): one page with everything linked to a partner.

Every related table is read in one bounded query through the actor's record scope, and the
sections modules add (relations, plans, tasks, invoices, balance, tickets, surveys, points) are
panels declared through the ``register_panels`` hook (modules/base/panels.py), in their declared
order; the template slot ``base.partner.profile`` stays for free-form markup at the end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, NotFound, PermissionDenied, Route
from kernel.models import Attachment
from kernel.persian.jalali import format_jalali
from kernel.records import get_record
from kernel.web.forms import error_text, form, redirect
from kernel.web.refs import SELECT_MAX, RefWidget
from kernel.web.resource_views import display, ref_titles
from kernel.web.templating import render, request_lang
from modules.base.models import Address, Communication, Contact, Partner
from modules.base.panels import profile_panels
from modules.base.services import photo, positions, roles

COMMUNICATIONS_SHOWN = 20
ROWS_SHOWN = 50


def not_found(request: Request) -> Response:
    kernel = request.app.state.kernel
    return render(request, "kernel/message.html", {"message": kernel.t(request_lang(request), "Not found"),
                                                   "status": 404}, 404)


def profile_url(partner_id: int, msg: str = "", anchor: str = "") -> str:
    query = "?" + urlencode({"msg": msg}) if msg else ""
    return f"/base/partner/{partner_id}/profile{query}{'#' + anchor if anchor else ''}"


def _identity(request: Request, kernel: Any, session: Any, partner: Partner) -> tuple[list[Any], str]:
    """The form's sections that apply to this kind of partner, each with its non-empty values."""
    res = kernel.resources["base.partner"]
    shown = [s for s in res.sections if s.applies({"kind": partner.kind}) and s.fields != ("kind",)]
    names = list(dict.fromkeys((*(n for s in shown for n in s.fields), "owner_id")))
    refs = ref_titles(kernel, session, res, [partner], names)
    sections = []
    for section in shown:
        values = [(res.field(n), display(request, res, partner, n, refs)) for n in section.fields]
        values = [(f, v) for f, v in values if v]
        if values:
            sections.append({"title": section.title, "values": values})
    owner = refs.get(("@user", partner.owner_id), "") if partner.owner_id else ""
    return sections, owner


def _rows(kernel: Any, session: Any, actor: Any, model: Any, partner_id: int, *order: Any) -> list[Any]:
    stmt = kernel.scoped_select(actor, model).where(model.partner_id == partner_id)
    return list(session.scalars(stmt.order_by(*order).limit(ROWS_SHOWN)))


def _addresses(request: Request, kernel: Any, session: Any, actor: Any, partner_id: int) -> list[dict[str, Any]]:
    res = kernel.resources["base.address"]
    rows = _rows(kernel, session, actor, Address, partner_id, Address.is_default.desc(), Address.id)
    refs = ref_titles(kernel, session, res, rows, ["province_id", "city_id", "region_id"])
    out = []
    for a in rows:
        place = [display(request, res, a, n, refs) for n in ("province_id", "city_id", "region_id")]
        out.append({"obj": a, "purpose": display(request, res, a, "purpose", refs),
                    "place": "، ".join(p for p in place if p) if request_lang(request) == "fa"
                    else ", ".join(p for p in place if p),
                    "street": display(request, res, a, "street", refs), "postal_code": display(request, res, a, "postal_code", refs)})
    return out


def _communications(request: Request, kernel: Any, session: Any, actor: Any, partner: Partner) -> list[dict[str, Any]]:
    """The latest communications with the partner, and for a person those they took part in
    at a company too; two index-ordered queries rather than one OR that no index serves."""
    res = kernel.resources["base.communication"]
    newest = (Communication.started_at.desc(), Communication.id.desc())
    base = kernel.scoped_select(actor, Communication)
    found = {c.id: c for c in session.scalars(base.where(Communication.partner_id == partner.id)
                                              .order_by(*newest).limit(COMMUNICATIONS_SHOWN))}
    if partner.kind == "person":
        for c in session.scalars(base.where(Communication.contact_id == partner.id)
                                 .order_by(*newest).limit(COMMUNICATIONS_SHOWN)):
            found.setdefault(c.id, c)
    rows = sorted(found.values(), key=lambda c: (c.started_at, c.id), reverse=True)[:COMMUNICATIONS_SHOWN]
    refs = ref_titles(kernel, session, res, rows, ["partner_id", "contact_id"])
    return [{"obj": c, "when": display(request, res, c, "started_at", refs),
             "kind": display(request, res, c, "kind", refs), "direction": display(request, res, c, "direction", refs),
             "partner": display(request, res, c, "partner_id", refs) if c.partner_id != partner.id else "",
             "contact": display(request, res, c, "contact_id", refs), "position": c.contact_position or ""}
            for c in rows]


def _company_widget(kernel: Any, session: Any, actor: Any, current: int | None) -> RefWidget:
    """Companies to move a person to: a drop-down while few, otherwise the live search."""
    base = kernel.scoped_select(actor, Partner).where(Partner.kind == "company")
    rows = list(session.scalars(base.order_by(Partner.sort_key, Partner.id).limit(SELECT_MAX + 1)))
    if len(rows) <= SELECT_MAX:
        return RefWidget("select", tuple((p.id, p.name) for p in rows))
    title = next((p.name for p in rows if p.id == current), "")
    if current and not title:
        title = session.scalar(base.with_only_columns(Partner.name).where(Partner.id == current)) or ""
    return RefWidget("search", api_url="/api/base/partner", title=title)


def profile_context(request: Request, kernel: Any, session: Any, actor: Any, partner: Partner) -> dict[str, Any]:
    lang = request_lang(request)
    identity, owner = _identity(request, kernel, session, partner)
    held = roles.roles_of(session, partner.id)
    choices = roles.role_choices(session)
    choices += [(code, code) for code in held if code not in {c for c, _ in choices}]
    ctx: dict[str, Any] = {
        "partner": partner, "identity": identity, "owner": owner,
        "kind_label": kernel.resources["base.partner"].field("kind").display(partner.kind, lang, t=kernel.t),
        "roles": held, "role_choices": choices, "role_names": dict(choices),
        "contacts": [], "addresses": [], "communications": [], "current": [], "former": [], "career": [],
        "can": {
            "edit": actor.can("base.partner.edit"),
            "contacts": actor.can("base.contact.view"), "add_contact": actor.can("base.contact.create"),
            "addresses": actor.can("base.address.view"), "add_address": actor.can("base.address.create"),
            "positions": actor.can("base.employment.view"), "add_position": actor.can("base.employment.create"),
            "communications": actor.can("base.communication.view"),
            "add_communication": actor.can("base.communication.create"),
        },
        "today": format_jalali(dt.date.today(), lang, "short"),
        "message": request.query_params.get("msg", "")[:300],
    }
    if ctx["can"]["contacts"]:
        ctx["contacts"] = _rows(kernel, session, actor, Contact, partner.id, Contact.kind, Contact.id)
        ctx["contact_kinds"] = dict(kernel.resources["base.contact"].field("kind").choices)
    if ctx["can"]["addresses"]:
        ctx["addresses"] = _addresses(request, kernel, session, actor, partner.id)
    if ctx["can"]["positions"]:
        if partner.kind == "company":
            ctx["current"], ctx["former"] = positions.personnel(kernel, session, actor, partner.id)
        else:
            ctx["career"] = positions.career(kernel, session, actor, partner.id)
    if ctx["can"]["communications"]:
        ctx["communications"] = _communications(request, kernel, session, actor, partner)
    ctx["attachments"] = session.scalar(select(func.count()).select_from(Attachment).where(
        Attachment.table_name == Partner.__tablename__, Attachment.record_id == partner.id,
        Attachment.deleted_at.is_(None))) or 0
    ctx["photo_url"] = photo.photo_url(session, partner.id)
    ctx["photo_choices"] = photo.image_attachments(session, partner.id) if ctx["can"]["edit"] else []
    # Every module's panels (this module's relations, preferences and plans too), in declared order.
    ctx["panels"] = profile_panels(request, kernel, session, actor, partner)
    if ctx["can"]["add_position"] and partner.kind == "person":
        open_jobs = [e for e, _ in ctx["career"] if e.ended_on is None]
        company_id = open_jobs[-1].company_id if open_jobs else None
        ctx["company_widget"] = _company_widget(kernel, session, actor, company_id)
        ctx["current_company"] = str(company_id or "")
    return ctx


def profile(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        try:
            partner = get_record(kernel, session, actor, kernel.resources["base.partner"], request.path_params["id"])
        except NotFound:
            return not_found(request)
        ctx = profile_context(request, kernel, session, actor, partner)
    return render(request, "base/profile.html", ctx)


def save_roles(request: Request) -> Response:
    """Tick the roles a partner holds; what is not ticked is removed (one POST for all)."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    pid = request.path_params["id"]
    codes = [str(c) for c in form(request).getlist("role")] if hasattr(form(request), "getlist") else []
    try:
        with kernel.session(actor) as session:
            roles.set_roles(kernel, session, actor, pid, codes)
    except NotFound:
        return not_found(request)
    except (InputError, Conflict, PermissionDenied) as exc:
        return redirect(profile_url(pid, error_text(request, exc), "roles"))
    return redirect(profile_url(pid, kernel.t(request_lang(request), "Saved"), "roles"))


def routes() -> list[Route]:
    return [
        Route("/partner/{id:int}/profile", profile, methods=["GET"], permission="base.partner.view",
              name="partner_profile"),
        Route("/partner/{id:int}/roles", save_roles, methods=["POST"], permission="base.partner.edit",
              name="partner_roles"),
    ]
