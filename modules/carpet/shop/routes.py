"""``/carpet/shop``: the online-shop link's settings, its last run, the shop's SKUs with no
product, the orders needing attention and the latest imported ones; "Sync now".

The consumer key and secret are typed here and never shown back (their last four characters
only), as marketing's panel keys page does; an empty field keeps the one set."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.db import transaction
from kernel.persian.textnorm import to_ascii_digits
from kernel.web.forms import flash, form, redirect, tr
from kernel.web.templating import render
from modules.carpet.shop import sync
from modules.carpet.shop.adapter import kinds
from modules.carpet.shop.declarations import MANAGE
from modules.carpet.shop.models import ShopLink, ShopOrder
from modules.carpet.shop.woocommerce import RIALS_PER_UNIT
from modules.marketing.routes_panel_keys import masked

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
CURRENCIES = (("IRT", "Toman"), ("IRR", "Rial"), ("IRHT", "Thousand Toman"), ("IRHR", "Thousand Rials"))


def page(request: Request, errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None,
         status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as s:
        link = sync.link_of(s)
        attention = recent = []
        if link is not None:
            attention = list(s.scalars(select(ShopOrder).where(ShopOrder.link_id == link.id,
                                                               ShopOrder.state == "attention")
                                       .order_by(ShopOrder.ordered_at.desc(), ShopOrder.id.desc()).limit(200)))
            recent = list(s.scalars(select(ShopOrder).where(ShopOrder.link_id == link.id, ShopOrder.state == "imported")
                                    .order_by(ShopOrder.id.desc()).limit(20)))
        context = {
            "link": link, "typed": typed or {}, "errors": errors or {},
            "key": masked(link.consumer_key if link else None), "secret": masked(link.consumer_secret if link else None),
            "kinds": [(k.key, k.label) for k in kinds(kernel).values()], "currencies": CURRENCIES,
            "unmatched": json.loads(link.unmatched) if link else [], "attention": attention, "recent": recent,
        }
        return render(request, "carpet/shop.html", context, status)


def _int(text: str) -> int | None:
    text = to_ascii_digits(text).strip()
    return int(text) if text.isdigit() else None


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    typed: dict[str, Any] = {k: str(data.get(k) or "").strip() for k in ("kind", "base_url", "currency", "every_minutes")}
    typed["enabled"] = bool(data.get("enabled"))
    typed["keys_in_query"] = bool(data.get("keys_in_query"))
    errors: dict[str, str] = {}
    url = to_ascii_digits(typed["base_url"]).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        errors["base_url"] = tr(request, "Enter the shop's address, e.g. https://shop.example.ir")
    elif parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        errors["base_url"] = tr(request, "The keys go to the shop only over HTTPS: enter an https:// address")
    if typed["kind"] not in kinds(kernel):
        errors["kind"] = tr(request, "Choose one of the listed values")
    if typed["currency"] not in RIALS_PER_UNIT:
        errors["currency"] = tr(request, "Choose one of the listed values")
    every = _int(typed["every_minutes"])
    if every is None or not 5 <= every <= 1440:
        errors["every_minutes"] = tr(request, "Enter a number of minutes from 5 to 1440")
    if errors or every is None:
        return page(request, errors, typed, 422)
    key, secret = str(data.get("consumer_key") or "").strip(), str(data.get("consumer_secret") or "").strip()
    with transaction(kernel.sessions, request.state.actor) as s:
        link = sync.link_of(s)
        if link is None:
            link = ShopLink()
            s.add(link)
        if link.base_url != url:  # another shop: its orders are asked from the start again
            link.orders_after = None
        link.kind, link.base_url, link.currency = str(typed["kind"]), url, str(typed["currency"])
        link.enabled, link.keys_in_query = bool(typed["enabled"]), bool(typed["keys_in_query"])
        link.every_minutes = every
        if key:  # an empty field keeps the key that is set
            link.consumer_key = key
        if secret:
            link.consumer_secret = secret
    flash(request, "Saved")
    return redirect("/carpet/shop")


def sync_now(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as s:
        if sync.link_of(s) is None:
            flash(request, "Save the shop's address and keys first")
            return redirect("/carpet/shop")
    outcome = sync.run(kernel)
    # The flash is one msgid; the counts or the reason are on the page's "Last run".
    flash(request, "Sync finished" if outcome.ok else "The sync failed; the reason is under Last run")
    return redirect("/carpet/shop")


def routes() -> list[Route]:
    return [Route("/shop", page, methods=["GET"], permission=MANAGE, name="shop"),
            Route("/shop", save, methods=["POST"], permission=MANAGE, name="shop_save"),
            Route("/shop/sync", sync_now, methods=["POST"], permission=MANAGE, name="shop_sync")]
