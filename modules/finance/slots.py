"""Markup the finance module adds to pages (kernel.template_slot): its stylesheet; under a
product or a price list what belongs to it — variants, quantity tiers, list prices, competitors'
prices — each with a link to add one; under a proforma's or an invoice's page its lines and
totals (read only; the line editor is its own page), the grand total in words, and its receipts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import select

from kernel.persian.words import amount_in_words
from kernel.web.resource_views import titles_for
from kernel.web.templating import request_lang
from modules.base.panels import panel_markup
from modules.finance.models import (
    CompetitorPrice,
    Invoice,
    PriceList,
    PriceListItem,
    PriceTier,
    Product,
    Receipt,
)
from modules.finance.services.catalogue import variants_of
from modules.finance.services.documents import lines_of

SHOWN = 50


def head(context: dict[str, Any], request: Any) -> Markup | None:
    return Markup('<link rel="stylesheet" href="/static/finance/finance.css">')


def _new(url: str, back: str, **prefill: Any) -> str:
    return f"{url}new?" + urlencode({**prefill, "next": back})


def product_detail(context: dict[str, Any], request: Any) -> Markup | None:
    product = context.get("record")
    actor = getattr(request.state, "actor", None)
    if not isinstance(product, Product) or actor is None:
        return None
    kernel = request.app.state.kernel
    back = f"/finance/product/{product.id}"
    with kernel.sessions() as session:
        variants = variants_of(session, product.id)[:SHOWN] if product.parent_id is None else []
        tiers = list(session.scalars(kernel.scoped_select(actor, PriceTier).where(
            PriceTier.product_id == product.id, PriceTier.deleted_at.is_(None)).order_by(PriceTier.above_quantity)))
        items = session.execute(
            kernel.scoped_select(actor, PriceListItem).add_columns(PriceList)
            .join(PriceList, PriceList.id == PriceListItem.price_list_id)
            .where(PriceListItem.product_id == product.id, PriceListItem.deleted_at.is_(None),
                   PriceList.deleted_at.is_(None))
            .order_by(PriceList.valid_from.desc(), PriceList.id.desc()).limit(SHOWN)).all()
        competitors = list(session.scalars(kernel.scoped_select(actor, CompetitorPrice).where(
            CompetitorPrice.product_id == product.id, CompetitorPrice.deleted_at.is_(None))
            .order_by(CompetitorPrice.observed_on.desc(), CompetitorPrice.id.desc()).limit(SHOWN)))
    env = request.app.state.jinja
    return Markup(env.get_template("finance/product_extra.html").render(
        product=product, variants=variants, tiers=tiers, items=items, competitors=competitors,
        lang=request_lang(request), kernel=kernel, actor=actor,
        new_tier=_new("/finance/price_tier/", back, product_id=product.id),
        new_competitor=_new("/finance/competitor_price/", back, product_id=product.id)))


def price_list_detail(context: dict[str, Any], request: Any) -> Markup | None:
    price_list = context.get("record")
    actor = getattr(request.state, "actor", None)
    if not isinstance(price_list, PriceList) or actor is None:
        return None
    kernel = request.app.state.kernel
    back = f"/finance/price_list/{price_list.id}"
    with kernel.sessions() as session:
        rows = session.execute(
            kernel.scoped_select(actor, PriceListItem).add_columns(Product.name)
            .join(Product, Product.id == PriceListItem.product_id)
            .where(PriceListItem.price_list_id == price_list.id, PriceListItem.deleted_at.is_(None))
            .order_by(Product.sort_key, PriceListItem.id)).all()
        tiers: dict[int, list[PriceTier]] = {}
        ids = [item.id for item, _ in rows]
        if ids:
            for tier in session.scalars(select(PriceTier).where(PriceTier.item_id.in_(ids), PriceTier.deleted_at.is_(None))
                                        .order_by(PriceTier.above_quantity)):
                tiers.setdefault(tier.item_id or 0, []).append(tier)
    env = request.app.state.jinja
    return Markup(env.get_template("finance/price_list_extra.html").render(
        price_list=price_list, rows=rows, tiers=tiers, lang=request_lang(request), actor=actor, back=back,
        new_item=_new("/finance/price_list_item/", back, price_list_id=price_list.id)))


def document_detail(context: dict[str, Any], request: Any) -> Markup | None:
    doc, res = context.get("record"), context.get("resource")
    if doc is None or res is None or res.name not in ("finance.proforma", "finance.invoice"):
        return None
    kernel = request.app.state.kernel
    actor = request.state.actor
    unit: Any = actor.money_unit if actor else "rial"
    lang = request_lang(request)
    with kernel.sessions() as session:
        lines = lines_of(session, doc)
        products = titles_for(kernel, session, {"finance.product": {li.product_id for li in lines}}, actor)
        receipts = []
        if isinstance(doc, Invoice):
            receipts = list(session.scalars(kernel.scoped_select(actor, Receipt)
                                            .where(Receipt.invoice_id == doc.id).order_by(Receipt.date, Receipt.id)))
    return panel_markup(request, "finance/document_lines.html", doc=doc, res=res, lines=lines, receipts=receipts,
                        product=lambda pid: products.get(("finance.product", pid), f"#{pid}"),
                        words=amount_in_words(int(doc.grand_total), unit, lang),
                        is_invoice=isinstance(doc, Invoice))


SLOTS = {"kernel.head": head, "finance.product.detail": product_detail, "finance.price_list.detail": price_list_detail,
         "finance.proforma.detail": document_detail, "finance.invoice.detail": document_detail}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    return handler(context, request) if handler else None
