"""The online-shop link's demo: a link to a WooCommerce shop (off, no keys: there is no shop to
call) and the outcome of its first sync, made from the demo shop's listing and three orders by
the same code path a real sync takes (matching, partners, draft proformas, attention)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from kernel.actor import SYSTEM
from kernel.db import utcnow
from modules.carpet.shop.adapter import ShopItem, ShopOrder, ShopOrderLine
from modules.carpet.shop.models import ShopLink
from modules.carpet.shop.sync import Outcome, import_orders, link_of, stock_to_push


def load_shop(kernel: Any, session: Any) -> str:
    if link_of(session) is not None:
        return "shop link already there"
    from sqlalchemy import select

    from modules.finance.models import Product

    codes = sorted(c for c in session.scalars(select(Product.code).where(Product.code.like("KSH700-%"),
                                                                         Product.deleted_at.is_(None))) if c)
    if len(codes) < 2:
        return "no demo carpets yet: no shop link added"
    link = ShopLink(kind="woocommerce", base_url="https://shop.example.ir", currency="IRT", enabled=False)
    session.add(link)
    session.flush()
    items = [ShopItem(501, 600 + n, code, f"فرش کاشان ۷۰۰ شانه {code}", 42_000_000 + n * 1_000_000, 1)
             for n, code in enumerate(codes[:4])]
    items += [ShopItem(502, 610, "KSH700-15-CR", "فرش کاشان ۷۰۰ شانه ۱۵ متری کرم", 95_000_000, 1),
              ShopItem(503, None, "TBL-40", "تابلوفرش گل و مرغ", 30_000_000, 2)]
    now = utcnow().replace(microsecond=0)

    def order(n: int, hours: int, name: str, mobile: str, email: str, lines: list[tuple[str, int, int]],
              shipping: int = 0) -> ShopOrder:
        return ShopOrder(id=n, number=str(n), status="processing", created_at=now - dt.timedelta(hours=hours),
                         customer_name=name, mobile=mobile, email=email, currency="IRT",
                         total=sum(q * p for _, q, p in lines) + shipping, shipping=shipping,
                         lines=[ShopOrderLine(s, s, q, p, 0) for s, q, p in lines])

    orders = [order(1041, 26, "نرگس احمدی", "09121110041", "narges@example.ir", [(codes[0], 1, 420_000_000)], 2_000_000),
              order(1042, 5, "حمید کریمی", "09351110042", "", [(codes[1], 2, 430_000_000)]),
              order(1043, 2, "لیلا صادقی", "09191110043", "", [("KSH700-15-CR", 1, 950_000_000)])]
    outcome = Outcome()
    import_orders(kernel, session, SYSTEM, orders, outcome)
    pushes, outcome.unmatched = stock_to_push(session, items)
    link.orders_after, link.last_run_at, link.last_ok = orders[-1].created_at, now, True
    link.last_imported, link.last_attention, link.last_stock_pushed = outcome.imported, outcome.attention, len(pushes)
    link.unmatched = json.dumps(outcome.unmatched, ensure_ascii=False)
    return (f"a shop link (off) with {outcome.imported} orders imported as draft proformas, "
            f"{outcome.attention} needing attention, {len(outcome.unmatched)} SKUs with no product")
