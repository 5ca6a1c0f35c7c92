"""Dashboard (blocks the user arranges), global search and the health check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from kernel.declarations import Block, SearchHit
from kernel.models import UserPref
from kernel.records import ListQuery, list_records
from kernel.routing import AUTHENTICATED, PUBLIC, Route
from kernel.web.forms import form, redirect
from kernel.web.templating import render

DASHBOARD_KEY = "dashboard.blocks"


def _pref(session: Any, user_id: int, key: str) -> Any:
    row = session.get(UserPref, (user_id, key))
    return json.loads(row.value) if row else None


def save_pref(session: Any, user_id: int, key: str, value: Any) -> None:
    row = session.get(UserPref, (user_id, key)) or UserPref(user_id=user_id, key=key, value="")
    row.value = json.dumps(value, ensure_ascii=False)
    session.add(row)


def visible_blocks(kernel: Any, actor: Any) -> list[Block]:
    return [b for b in kernel.blocks if b.permission is None or actor.can(b.permission)]


def dashboard(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    blocks = visible_blocks(kernel, actor)
    with kernel.sessions() as session:
        chosen = _pref(session, actor.user_id, DASHBOARD_KEY)
    by_key = {b.key: b for b in blocks}
    order = [k for k in chosen if k in by_key] if isinstance(chosen, list) else list(by_key)
    rendered = []
    for key in order:
        block = by_key[key]
        try:
            body = Markup(block.render(request=request, kernel=kernel, actor=actor))
        except Exception:  # one broken block must not take the dashboard down
            body = Markup("<p class='error'>—</p>")
        rendered.append({"block": block, "body": body})
    return render(request, "kernel/dashboard.html", {
        "blocks": rendered, "available": [b for b in blocks if b.key not in order], "order": order,
        "by_key": by_key,
    })


def dashboard_arrange(request: Request) -> Response:
    """Add, remove and move blocks; the layout is remembered per user (KER-13)."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    keys = {b.key for b in visible_blocks(kernel, actor)}
    with kernel.session(actor) as session:
        current = _pref(session, actor.user_id, DASHBOARD_KEY)
        order = [k for k in current if k in keys] if isinstance(current, list) else sorted(keys, key=list(keys).index)
        if not isinstance(current, list):
            order = [b.key for b in visible_blocks(kernel, actor)]
        key, op = str(data.get("block", "")), str(data.get("op", ""))
        if key in keys:
            if op == "add" and key not in order:
                order.append(key)
            elif op == "remove" and key in order:
                order.remove(key)
            elif op in ("up", "down") and key in order:
                i = order.index(key)
                j = i - 1 if op == "up" else i + 1
                if 0 <= j < len(order):
                    order[i], order[j] = order[j], order[i]
        save_pref(session, actor.user_id, DASHBOARD_KEY, order)
    return redirect("/")


def resource_search(kernel: Any, session: Any, actor: Any, query: str, limit: int,
                    covered: frozenset[str] = frozenset()) -> list[SearchHit]:
    """Every resource with a search key answers the top-bar box, inside the actor's scope;
    ``covered`` are the resources a provider has answered already (SearchProvider.covers)."""
    hits: list[SearchHit] = []
    for res in kernel.resources.values():
        if not res.search or not res.global_search or not actor.can(res.perm("view")) or res.name in covered:
            continue
        page = list_records(kernel, session, actor, res, ListQuery(search=query, limit=limit, count=False, quick=True))
        for obj in page.items:
            hits.append(SearchHit(res.title_of(obj), f"{res.url}{obj.id}", res.label, record=f"{res.name}:{obj.id}"))
    return hits


def _covered(kernel: Any, provider: Any, query: str) -> list[str]:
    """The resources ``provider`` answers for this query: those it covers whose ``lookup`` reads
    the query as one of their keys (a text that is no document number still searches them)."""
    out = []
    for name in provider.covers:
        res = kernel.resources.get(name)
        if res is not None and res.lookup is not None and res.lookup(query) is not None:
            out.append(name)
    return out


def _provider_hits(kernel: Any, session: Any, actor: Any, query: str, providers: list[Any],
                   seen: set[str], covered: set[str]) -> list[dict[str, Any]]:
    """The groups ``providers`` find for ``query`` (a record already listed is not listed again)."""
    groups: list[dict[str, Any]] = []
    for provider in providers:
        if provider.permission and not actor.can(provider.permission):
            continue
        covered.update(_covered(kernel, provider, query))
        found = [h for h in provider.search(session=session, actor=actor, query=query, limit=10)
                 if h.identity not in seen]
        seen.update(h.identity for h in found)
        if found:
            groups.append({"label": provider.label, "hits": found})
    return groups


def find_groups(kernel: Any, session: Any, actor: Any, query: str, everywhere: bool) -> tuple[list[dict[str, Any]], bool]:
    """The top-bar search's groups for ``query``, and whether they were narrowed to exact hits.

    The exact providers (``SearchProvider.exact``: a cheque number, a Sayad ID, a phone, a
    document number) answer first; when one finds a record and ``everywhere`` is not asked, that
    is the answer — someone who typed an ID wants its record, and the fragment searches of the
    same digits (every partner whose phone contains them) are the slow part and the noise."""
    seen: set[str] = set()
    covered: set[str] = set()
    exact = [p for p in kernel.search_providers if p.exact]
    groups = _provider_hits(kernel, session, actor, query, exact, seen, covered)
    if groups and not everywhere:
        return groups, True
    groups += _provider_hits(kernel, session, actor, query, [p for p in kernel.search_providers if not p.exact],
                             seen, covered)
    hits = [h for h in resource_search(kernel, session, actor, query, 10, frozenset(covered)) if h.identity not in seen]
    if hits:
        groups.append({"label": "Records", "hits": hits})
    return groups, False


def search(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    query = request.query_params.get("q", "").strip()[:200]
    everywhere = request.query_params.get("all") == "1"
    groups: list[dict[str, Any]] = []
    narrowed = False
    if query:
        with kernel.sessions() as session:
            groups, narrowed = find_groups(kernel, session, actor, query, everywhere)
    more = f"/search?{urlencode({'q': query, 'all': '1'})}"
    if request.query_params.get("format") == "json":
        lang = actor.lang
        out = [{"group": kernel.t(lang, g["label"]), "label": h.label, "url": h.url, "kind": kernel.t(lang, h.kind)}
               for g in groups for h in g["hits"]]
        if narrowed:  # the last entry of the list under the box: the rest of the search
            out.append({"group": "", "label": kernel.t(lang, "Search everywhere for these characters"), "url": more,
                        "kind": ""})
        return JSONResponse(out)
    return render(request, "kernel/search.html", {"query": query, "groups": groups, "narrowed": narrowed,
                                                  "more": more})


def healthz(request: Request) -> Response:
    """"ok" or "error" for anyone (a load balancer); the modules, edition and the database's
    error only for a signed-in user, since they tell an attacker what runs here."""
    kernel = request.app.state.kernel
    signed_in = request.state.actor is not None
    try:
        with kernel.engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # the point of a health check is to report, not to raise
        return JSONResponse({"status": "error", **({"database": str(exc)[:200]} if signed_in else {})}, status_code=503)
    if not signed_in:
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "ok", "modules": list(kernel.module_names), "edition": kernel.edition.name})


FAVICON = Path(__file__).parent.parent / "static" / "kernel" / "favicon.svg"


def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico whatever the page links; an SVG answers (they read the type)."""
    return FileResponse(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


def routes() -> list[Route]:
    return [
        Route("/", dashboard, methods=["GET"], permission=AUTHENTICATED, name="dashboard"),
        Route("/dashboard/arrange", dashboard_arrange, methods=["POST"], permission=AUTHENTICATED,
              name="dashboard_arrange"),
        Route("/search", search, methods=["GET"], permission=AUTHENTICATED, name="search"),
        Route("/healthz", healthz, methods=["GET"], permission=PUBLIC, name="healthz"),
        Route("/favicon.ico", favicon, methods=["GET"], permission=PUBLIC, name="favicon"),
    ]
