"""The sync between the shop and Peyvand, run by the job every few minutes or by "Sync now".

One run, in this order:
1. read the link (a short read); build the adapter; read the shop's products and the orders
   created since the cursor (no transaction open while the shop is called). A failed call
   records the failure on the link and changes nothing else.
2. one transaction imports the new orders — each in a savepoint: a partner found by mobile or
   e-mail or created, a **draft** proforma with a line per SKU — and retries the orders that
   needed attention (an unknown SKU added since). The ledger's unique (link, shop order id)
   makes a second import impossible; the cursor moves in the same transaction.
3. the matched SKUs' available stock (inventory's stock levels: on hand less reserved, all
   warehouses) is pushed to the shop, only where the shop shows another number.
4. the link records the run: when, the counts, the SKUs with no product, or the error.
Prices are never changed on either side, and no product is ever created: a SKU with no
product of that code is listed on the page, for a person to decide.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError
from kernel.actor import SYSTEM
from kernel.db import transaction, utcnow
from kernel.records import FormErrors, create_record
from kernel.timezone import to_local
from modules.carpet.shop.adapter import LinkConfig, ShopError, ShopItem, kinds
from modules.carpet.shop.adapter import ShopOrder as Order
from modules.carpet.shop.adapter import ShopOrderLine as OrderLine
from modules.carpet.shop.models import ShopLink, ShopOrder

FIRST_DAYS = 30  # a new link asks for the orders of the last 30 days
OVERLAP = dt.timedelta(hours=1)  # asked again each run: an order saved late by the shop is not missed
NOT_IMPORTED = frozenset({"cancelled", "failed", "refunded", "trash", "checkout-draft"})
TIMEOUT_SETTING = "carpet.shop.timeout"


@dataclass
class Outcome:
    ok: bool = True
    error: str = ""
    detail: str = ""
    imported: int = 0
    attention: int = 0
    stock_pushed: int = 0
    unmatched: list[tuple[str, str]] = field(default_factory=list)


def link_of(session: Session) -> ShopLink | None:
    """The shop link (one per installation)."""
    return session.scalars(select(ShopLink).order_by(ShopLink.id).limit(1)).first()


def _config(kernel: Any, session: Session, link: ShopLink) -> LinkConfig:
    return LinkConfig(base_url=link.base_url, key=link.consumer_key or "", secret=link.consumer_secret or "",
                      keys_in_query=link.keys_in_query, currency=link.currency,
                      timeout=float(kernel.setting(session, TIMEOUT_SETTING, 20)))


def run_due(kernel: Any, now: dt.datetime | None = None) -> Outcome | None:
    """The job: a sync when the link is enabled and its interval has passed since the last run."""
    now = now or utcnow()
    with kernel.sessions() as s:
        link = link_of(s)
        if link is None or not link.enabled or not link.base_url:
            return None
        if link.last_run_at is not None and now - link.last_run_at < dt.timedelta(minutes=link.every_minutes):
            return None
    return run(kernel, now)


def run(kernel: Any, now: dt.datetime | None = None, actor: Actor = SYSTEM) -> Outcome:
    """One whole sync (the module docstring); the outcome is also recorded on the link."""
    now = now or utcnow()
    with kernel.sessions() as s:
        link = link_of(s)
        if link is None or not link.base_url:
            return Outcome(False, "The shop's address is not set")
        config, kind_key = _config(kernel, s, link), link.kind
        since = link.orders_after or (now - dt.timedelta(days=FIRST_DAYS))
    outcome = Outcome()
    try:
        kind = kinds(kernel).get(kind_key)
        if kind is None:
            raise ShopError("No enabled module speaks to this kind of shop", kind_key)
        adapter = kind.make(config)
        items = adapter.items()
        orders = [o for o in adapter.orders_since(since - OVERLAP) if o.status not in NOT_IMPORTED]
        with transaction(kernel.sessions, actor) as s:
            _lock_link(s)
            import_orders(kernel, s, actor, orders, outcome)
            newest = max((o.created_at for o in orders), default=None)
            link = link_of(s)
            if link is not None and newest is not None and (link.orders_after is None or newest > link.orders_after):
                link.orders_after = newest
            elif link is not None and link.orders_after is None:
                link.orders_after = since
        with kernel.sessions() as s:
            pushes, outcome.unmatched = stock_to_push(s, items)
        many = getattr(adapter, "set_stocks", None)
        if many is not None and pushes:
            many(pushes)
            outcome.stock_pushed = len(pushes)
        else:
            for item, quantity in pushes:
                adapter.set_stock(item, quantity)
                outcome.stock_pushed += 1
    except ShopError as exc:
        outcome.ok, outcome.error, outcome.detail = False, exc.msgid, exc.detail
    _record(kernel, now, outcome)
    return outcome


def _lock_link(session: Session) -> None:
    """Two runs at once (the job and the button) take turns on the import: the second then sees
    the first's orders (PostgreSQL row lock; SQLite has one writer anyway)."""
    session.execute(select(ShopLink.id).order_by(ShopLink.id).limit(1).with_for_update())


def _record(kernel: Any, now: dt.datetime, outcome: Outcome) -> None:
    with transaction(kernel.sessions, SYSTEM) as s:
        link = link_of(s)
        if link is None:
            return
        link.last_run_at, link.last_ok = now, outcome.ok
        link.last_error, link.last_error_detail = (outcome.error or None), (outcome.detail[:300] or None)
        link.last_imported, link.last_attention = outcome.imported, outcome.attention
        link.last_stock_pushed = outcome.stock_pushed
        if outcome.ok:  # a failed run keeps the list the last good one made
            link.unmatched = json.dumps(outcome.unmatched, ensure_ascii=False)


# -- orders -------------------------------------------------------------------------------------
def import_orders(kernel: Any, session: Session, actor: Actor, orders: list[Order], outcome: Outcome) -> None:
    link = link_of(session)
    assert link is not None
    seen = {o.id for o in orders}
    known = set(session.scalars(select(ShopOrder.shop_order_id).where(
        ShopOrder.link_id == link.id, ShopOrder.shop_order_id.in_(seen)))) if seen else set()
    new_rows: set[int] = set()
    for order in orders:
        if order.id in known:  # imported by an earlier run, or listed twice by the shop's pages
            continue
        known.add(order.id)
        row = ShopOrder(link_id=link.id, shop_order_id=order.id, number=order.number[:40], status=order.status[:30],
                        ordered_at=order.created_at, customer_name=order.customer_name[:200],
                        mobile=order.mobile[:40], email=order.email[:200], total=order.total,
                        payload=json.dumps(asdict(order), ensure_ascii=False, default=str))
        session.add(row)
        session.flush()
        new_rows.add(row.id)
        _try(kernel, session, actor, row, order, outcome)
    for row in list(session.scalars(select(ShopOrder).where(ShopOrder.link_id == link.id,
                                                           ShopOrder.state == "attention").order_by(ShopOrder.id))):
        if row.id not in new_rows:
            _try(kernel, session, actor, row, _from_payload(row.payload), outcome, retry=True)


def _from_payload(payload: str) -> Order:
    data = json.loads(payload)
    data["created_at"] = dt.datetime.fromisoformat(data["created_at"])
    data["lines"] = [OrderLine(**li) for li in data.get("lines") or ()]
    return Order(**data)


def _try(kernel: Any, session: Session, actor: Actor, row: ShopOrder, order: Order, outcome: Outcome,
         retry: bool = False) -> None:
    """Make the order's proforma in a savepoint, or say on the row why it waits."""
    problem: tuple[str, str] | None = None
    try:
        with session.begin_nested():
            pf_id, partner_id = _proforma(kernel, session, actor, order)
    except _Attention as exc:
        problem = (exc.msgid, exc.detail)
    except (InputError, Conflict) as exc:
        problem = ("Finance refused the proforma", _words(kernel, exc))
    except FormErrors as exc:
        problem = ("Finance refused the proforma", "; ".join(_words(kernel, e) for e in exc.errors.values()))
    if problem is None:
        row.state, row.problem, row.problem_detail = "imported", None, None
        row.proforma_id, row.partner_id = pf_id, partner_id
        outcome.imported += 1
    else:
        if row.problem != problem[0] or not retry:
            row.problem, row.problem_detail = problem[0], problem[1][:300] or None
        row.state = "attention"
        if not retry:
            outcome.attention += 1
    session.flush()


def _words(kernel: Any, exc: Any) -> str:
    msgid = getattr(exc, "msgid", None)
    return kernel.t("fa", msgid, **getattr(exc, "params", {})) if msgid else str(exc)


class _Attention(Exception):
    def __init__(self, msgid: str, detail: str = "") -> None:
        super().__init__(msgid)
        self.msgid, self.detail = msgid, detail


def _products_by_code(session: Session, skus: set[str]) -> dict[str, int]:
    from modules.finance.models import Product

    if not skus:
        return {}
    return {str(code): int(pid) for code, pid in session.execute(
        select(Product.code, Product.id).where(Product.code.in_(skus), Product.deleted_at.is_(None)))}


def _proforma(kernel: Any, session: Session, actor: Actor, order: Order) -> tuple[int, int]:
    from modules.finance.services.documents import PROFORMA
    from modules.finance.services.drafts import create_document

    if not order.lines:
        raise _Attention("The order has no lines")
    by_code = _products_by_code(session, {li.sku for li in order.lines if li.sku})
    unknown = sorted({li.sku or li.name for li in order.lines if li.sku not in by_code})
    if unknown:
        raise _Attention("A line's SKU matches no product code", "، ".join(unknown))
    partner_id = _partner(kernel, session, actor, order)
    lines = [{"product_id": by_code[li.sku], "quantity": Decimal(li.quantity), "unit_price": li.unit_price,
              "discount_kind": "rial", "discount_value": Decimal(li.discount)} for li in order.lines]
    header = {"partner_id": partner_id, "date": to_local(order.created_at, kernel.config.timezone).date(),
              "title": kernel.t("fa", "Online shop order {number}", number=order.number)[:200],
              "shipping": order.shipping}
    doc = create_document(kernel, session, actor, PROFORMA, header, lines)
    return int(doc.id), partner_id


def _partner(kernel: Any, session: Session, actor: Actor, order: Order) -> int:
    """The customer: a live partner with this mobile (or e-mail, main or extra), else a new
    person with the customer role."""
    from kernel.persian.phones import canonical_phone
    from modules.base.services.roles import add_role
    from modules.marketing.inbound import match_partner

    mobile = ""
    if order.mobile:
        try:
            mobile = canonical_phone(order.mobile)
        except InputError:
            mobile = ""
    email = order.email.strip().lower()
    found = (match_partner(session, "sms", mobile) if mobile else None) or (
        match_partner(session, "email", email) if email else None)
    if found is not None:
        return int(found)
    if not (mobile or email):
        raise _Attention("The order has no mobile or e-mail of its customer")
    first, _, last = order.customer_name.strip().partition(" ")
    values = {"kind": "person", "first_name": first or None, "last_name": last or (None if first else mobile or email),
              "mobile": mobile or None, "email": email or None, "source": kernel.t("fa", "Online shop")[:120]}
    partner = create_record(kernel, session, actor, kernel.resources["base.partner"], values)
    add_role(session, partner.id, "customer")
    return int(partner.id)


# -- stock --------------------------------------------------------------------------------------
def stock_to_push(session: Session, items: list[ShopItem]) -> tuple[list[tuple[ShopItem, int]], list[tuple[str, str]]]:
    """(the items whose shop stock differs from ours, with our number; the SKUs with no product)."""
    from modules.inventory.services.stock import available_of

    by_code = _products_by_code(session, {i.sku for i in items if i.sku})
    unmatched = sorted({(i.sku, i.name) for i in items if i.sku and i.sku not in by_code})
    unmatched += sorted({("", i.name) for i in items if not i.sku})
    available = available_of(session, by_code.values())  # inventory's levels, all matched products at once
    pushes = []
    for item in items:
        pid = by_code.get(item.sku)
        if pid is None:
            continue
        ours = max(int(available.get(pid, 0)), 0)  # a shop sells whole carpets: 2.5 m² of runner shows as 2
        if item.stock != ours:
            pushes.append((item, ours))
    return pushes, unmatched
