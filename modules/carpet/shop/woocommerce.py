"""The WooCommerce adapter: its REST API v3 (``/wp-json/wc/v3``) through httpx.

- Authentication: the consumer key and secret as HTTP basic auth (over HTTPS), or as the query
  parameters ``consumer_key`` / ``consumer_secret`` (``keys_in_query``: a server that drops the
  ``Authorization`` header).
- Lists are read page by page (``page``, ``per_page`` ≤ 100) until the ``X-WP-TotalPages``
  header's count; an item seen twice (an order created while we page shifts the pages) counts
  once.
- Products: ``GET /products`` (``id``, ``name``, ``type``, ``sku``, ``price``, ``manage_stock``,
  ``stock_quantity``); a ``variable`` product's variations ``GET /products/<id>/variations``.
  Stock: ``PUT /products/<id>`` or ``PUT /products/<id>/variations/<vid>`` with
  ``{"manage_stock": true, "stock_quantity": n}``.
- Orders: ``GET /orders?after=<ISO 8601, UTC>&dates_are_gmt=true&orderby=date&order=asc`` (``id``, ``number``,
  ``status``, ``currency``, ``date_created_gmt``, ``total``, ``shipping_total``, ``billing``
  with ``first_name``, ``last_name``, ``email``, ``phone``; ``line_items`` with ``sku``,
  ``name``, ``quantity``, ``subtotal`` and ``total``).
Prices are decimal strings in the shop's currency; Iranian shops use ``IRR`` (Rial), ``IRT``
(Toman), ``IRHR`` / ``IRHT`` (thousand Rials / Toman): all become integer Rials here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from modules.carpet.shop.adapter import LinkConfig, ShopError, ShopItem, ShopKind, ShopOrder, ShopOrderLine

API = "/wp-json/wc/v3"
PER_PAGE = 100
BATCH = 100  # WooCommerce's default most objects of one batch request
MAX_PAGES = 1000  # a shop answering an ever-growing page count is refused, not followed forever
RIALS_PER_UNIT = {"IRR": 1, "IRT": 10, "IRHR": 1000, "IRHT": 10_000}


def to_rials(amount: Any, currency: str) -> int:
    """A WooCommerce amount ("12500000.00", 1250, "") in integer Rials."""
    rate = RIALS_PER_UNIT.get(currency.upper())
    if rate is None:
        raise ShopError("The shop's currency is not one Peyvand knows (IRR, IRT, IRHR, IRHT)", currency)
    try:
        value = Decimal(str(amount or "0").replace(",", ""))
    except InvalidOperation:
        raise ShopError("The shop answered something Peyvand cannot read", str(amount)[:80]) from None
    return int((value * rate).to_integral_value())


def parse_gmt(raw: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(raw).replace("Z", "")).replace(tzinfo=None)
    except ValueError:
        raise ShopError("The shop answered something Peyvand cannot read", str(raw)[:80]) from None


class WooCommerce:
    """One shop, one :class:`httpx.Client` (its connections reused across a sync's calls)."""

    def __init__(self, config: LinkConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        auth = None if config.keys_in_query else httpx.BasicAuth(config.key, config.secret)
        self.client = httpx.Client(base_url=config.base_url.rstrip("/") + API, auth=auth, timeout=config.timeout,
                                   transport=transport, headers={"accept": "application/json"})

    # -- the HTTP exchange --------------------------------------------------------------------
    def _call(self, method: str, path: str, params: dict[str, Any] | None = None,
              body: dict[str, Any] | None = None) -> httpx.Response:
        params = dict(params or {})
        if self.config.keys_in_query:
            params.update(consumer_key=self.config.key, consumer_secret=self.config.secret)
        try:
            answer = self.client.request(method, path, params=params, json=body)
        except httpx.TimeoutException:
            raise ShopError("The shop did not answer in time") from None
        except httpx.HTTPError as exc:
            raise ShopError("The shop could not be reached", type(exc).__name__) from None
        if answer.status_code in (401, 403):
            raise ShopError("The shop refused the keys (check the consumer key and secret)",
                            str(answer.status_code))
        if answer.status_code >= 500:
            raise ShopError("The shop had an error of its own; try again later", str(answer.status_code))
        if answer.status_code >= 400:
            raise ShopError("The shop refused the request", f"{answer.status_code} {self._message(answer)}")
        return answer

    @staticmethod
    def _message(answer: httpx.Response) -> str:
        try:
            return str(answer.json().get("message", ""))[:200]
        except (ValueError, AttributeError):
            return ""

    def _json(self, answer: httpx.Response) -> Any:
        try:
            return answer.json()
        except ValueError:
            raise ShopError("The shop answered something Peyvand cannot read", answer.text[:80]) from None

    def _all(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every row of a list, page by page, each id once (the first time it was seen)."""
        rows: dict[Any, dict[str, Any]] = {}
        page, pages = 1, 1
        while page <= pages:
            answer = self._call("GET", path, {**(params or {}), "page": page, "per_page": PER_PAGE})
            data = self._json(answer)
            if not isinstance(data, list):
                raise ShopError("The shop answered something Peyvand cannot read", path)
            for row in data:
                if isinstance(row, dict) and "id" in row:
                    rows.setdefault(row["id"], row)
            try:
                pages = int(answer.headers.get("x-wp-totalpages") or 1)
            except ValueError:
                pages = 1
            if pages > MAX_PAGES:
                raise ShopError("The shop answered something Peyvand cannot read", f"X-WP-TotalPages {pages}")
            page += 1
        return list(rows.values())

    # -- the interface ------------------------------------------------------------------------
    def items(self) -> list[ShopItem]:
        found: list[ShopItem] = []
        currency = self.config.currency
        for p in self._all("/products"):
            if p.get("type") == "variable":
                for v in self._all(f"/products/{p['id']}/variations"):
                    name = " ".join([str(p.get("name") or ""), *(str(a.get("option") or "")
                                                               for a in v.get("attributes") or ())]).strip()
                    found.append(self._item(v, int(p["id"]), int(v["id"]), name, currency))
            else:
                found.append(self._item(p, int(p["id"]), None, str(p.get("name") or ""), currency))
        return found

    @staticmethod
    def _item(row: dict[str, Any], product_id: int, variation_id: int | None, name: str, currency: str) -> ShopItem:
        stock = row.get("stock_quantity") if row.get("manage_stock") is True else None
        return ShopItem(product_id=product_id, variation_id=variation_id, sku=str(row.get("sku") or "").strip(),
                        name=name, price=to_rials(row.get("price"), currency),
                        stock=int(stock) if stock is not None else None)

    def set_stock(self, item: ShopItem, quantity: int) -> None:
        path = (f"/products/{item.product_id}/variations/{item.variation_id}" if item.variation_id
                else f"/products/{item.product_id}")
        self._call("PUT", path, body={"manage_stock": True, "stock_quantity": quantity})

    def set_stocks(self, changes: list[tuple[ShopItem, int]]) -> None:
        """Many at once through the batch endpoints (``POST /products/batch``,
        ``/products/<id>/variations/batch``, ``{"update": [...]}``, at most 100 a call): a design
        in 100 sizes and colours is one call, not 100."""
        groups: dict[int | None, list[dict[str, Any]]] = {}
        for item, quantity in changes:
            key = item.product_id if item.variation_id else None
            groups.setdefault(key, []).append({"id": item.variation_id or item.product_id, "manage_stock": True,
                                               "stock_quantity": quantity})
        for product_id, updates in groups.items():
            path = f"/products/{product_id}/variations/batch" if product_id else "/products/batch"
            for start in range(0, len(updates), BATCH):
                answer = self._json(self._call("POST", path, body={"update": updates[start:start + BATCH]}))
                refused = [u for u in (answer or {}).get("update") or () if isinstance(u, dict) and u.get("error")]
                if refused:
                    raise ShopError("The shop refused the request",
                                    f"{refused[0].get('id')}: {refused[0]['error'].get('message', '')}"[:200])

    def orders_since(self, since: dt.datetime | None) -> list[ShopOrder]:
        params: dict[str, Any] = {"orderby": "date", "order": "asc"}
        if since is not None:  # UTC: compared with the orders' GMT dates, not the shop's local ones
            params.update(after=since.replace(microsecond=0).isoformat(), dates_are_gmt="true")
        orders = [self._order(o) for o in self._all("/orders", params)]
        return sorted(orders, key=lambda o: (o.created_at, o.id))

    @staticmethod
    def _order(o: dict[str, Any]) -> ShopOrder:
        currency = str(o.get("currency") or "IRT")
        billing = o.get("billing") or {}
        lines = []
        for li in o.get("line_items") or ():
            quantity = int(li.get("quantity") or 0)
            subtotal, total = to_rials(li.get("subtotal"), currency), to_rials(li.get("total"), currency)
            # A unit price rounded up and the cents it adds taken off as discount: the line's
            # total stays the shop's to the Rial.
            unit = -(-subtotal // quantity) if quantity else 0
            lines.append(ShopOrderLine(sku=str(li.get("sku") or "").strip(), name=str(li.get("name") or ""),
                                       quantity=quantity, unit_price=unit,
                                       discount=max(unit * quantity - total, 0)))
        name = " ".join(str(billing.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
        return ShopOrder(id=int(o["id"]), number=str(o.get("number") or o["id"]), status=str(o.get("status") or ""),
                         created_at=parse_gmt(o.get("date_created_gmt") or o.get("date_created")),
                         customer_name=name, mobile=str(billing.get("phone") or "").strip(),
                         email=str(billing.get("email") or "").strip(), currency=currency,
                         total=to_rials(o.get("total"), currency), shipping=to_rials(o.get("shipping_total"), currency),
                         lines=lines)


def kind() -> ShopKind:
    return ShopKind("woocommerce", "WooCommerce", WooCommerce,
                    docs_url="https://woocommerce.github.io/woocommerce-rest-api-docs/")
