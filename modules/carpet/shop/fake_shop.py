"""A fake WooCommerce shop: a real HTTP server in a thread (``http.server``), for the tests, the
benchmark and a demo without a shop. It answers only what the adapter calls — the products and
their variations, a stock update, the orders — with WooCommerce's fields, its pagination
(``page``, ``per_page``, ``X-WP-Total``, ``X-WP-TotalPages``), its two ways of giving the keys
and its 401 answer; and it fails on request (:meth:`ShopState.fail`) and can repeat the last
row of a page at the top of the next (:attr:`ShopState.overlap_pages`), as a shop does when an
order arrives while a client pages."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API = "/wp-json/wc/v3"


def _money(rials_or_units: int) -> str:
    return f"{rials_or_units}.00"


@dataclass
class ShopState:
    key: str = "ck_test_5f2a"
    secret: str = "cs_test_9b7c"
    page_size: int = 100  # the most rows a page holds, whatever per_page asks (tests page small)
    overlap_pages: bool = False
    currency: str = "IRT"
    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    variations: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)
    orders: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    stock_updates: list[tuple[str, int]] = field(default_factory=list)  # (sku, quantity) in order
    failures: list[tuple[str, int | str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _next_id: int = 100

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    # -- filling the shop -----------------------------------------------------------------------
    def add_product(self, sku: str, name: str, price: int, stock: int | None = None) -> int:
        with self.lock:
            pid = self._id()
            self.products[pid] = {"id": pid, "name": name, "type": "simple", "sku": sku, "price": _money(price),
                                  "regular_price": _money(price), "manage_stock": stock is not None,
                                  "stock_quantity": stock, "variations": []}
            return pid

    def add_variable(self, name: str, variations: list[tuple[str, str, int, int | None]]) -> tuple[int, list[int]]:
        """A variable product and its variations, each (sku, option, price, stock)."""
        with self.lock:
            pid = self._id()
            ids = []
            self.variations[pid] = {}
            for sku, option, price, stock in variations:
                vid = self._id()
                ids.append(vid)
                self.variations[pid][vid] = {"id": vid, "sku": sku, "price": _money(price),
                                             "regular_price": _money(price), "manage_stock": stock is not None,
                                             "stock_quantity": stock,
                                             "attributes": [{"id": 1, "name": "اندازه", "option": option}]}
            self.products[pid] = {"id": pid, "name": name, "type": "variable", "sku": "", "price": "",
                                  "manage_stock": False, "stock_quantity": None, "variations": ids}
            return pid, ids

    def add_order(self, lines: list[tuple[str, int, int]], *, first_name: str = "", last_name: str = "",
                  phone: str = "", email: str = "", created: dt.datetime | None = None, status: str = "processing",
                  shipping: int = 0, coupon: int = 0, currency: str | None = None) -> int:
        """An order of lines (sku, quantity, unit price in the shop's currency); ``coupon`` is
        taken off the first line. Answers its id (its number is the same)."""
        with self.lock:
            oid = self._id()
            items = []
            for n, (sku, quantity, price) in enumerate(lines):
                subtotal = quantity * price
                total = subtotal - (coupon if n == 0 else 0)
                items.append({"id": oid * 10 + n, "name": sku, "sku": sku, "quantity": quantity, "price": price,
                              "subtotal": _money(subtotal), "total": _money(total), "product_id": 0,
                              "variation_id": 0})
            total = sum(q * p for _, q, p in lines) - coupon + shipping
            created = created or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
            self.orders.append({"id": oid, "number": str(oid), "status": status,
                                "currency": currency or self.currency,
                                "date_created": created.isoformat(), "date_created_gmt": created.isoformat(),
                                "total": _money(total), "shipping_total": _money(shipping),
                                "discount_total": _money(coupon),
                                "billing": {"first_name": first_name, "last_name": last_name, "phone": phone,
                                            "email": email},
                                "line_items": items})
            return oid

    def fail(self, path_part: str, outcome: int | str, times: int = 1) -> None:
        """The next ``times`` calls whose path contains ``path_part`` answer ``outcome``: a
        status code, or ``"timeout"`` (the server waits 3 s before answering); 200 answers as
        usual, to let the first calls pass (``fail("/orders", 200); fail("/orders", 503)``: the
        second page fails)."""
        with self.lock:
            self.failures.extend([(path_part, outcome)] * times)

    def stock_of(self, sku: str) -> int | None:
        with self.lock:
            for row in [*self.products.values(), *(v for vs in self.variations.values() for v in vs.values())]:
                if row.get("sku") == sku:
                    return row.get("stock_quantity")
        return None

    # -- answering ------------------------------------------------------------------------------
    def _failure(self, path: str) -> int | str | None:
        for n, (part, outcome) in enumerate(self.failures):
            if part in path:
                del self.failures[n]
                return outcome
        return None

    def _page(self, rows: list[dict[str, Any]], query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        per_page = min(max(int(query.get("per_page") or 10), 1), 100, self.page_size)
        page = max(int(query.get("page") or 1), 1)
        pages = max((len(rows) + per_page - 1) // per_page, 1)
        start = (page - 1) * per_page
        if self.overlap_pages and page > 1:
            start -= 1
        chunk = rows[start:(page - 1) * per_page + per_page]
        return 200, chunk, {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(pages)}

    def answer(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: Any) -> tuple[int, Any, dict[str, str]]:
        with self.lock:
            self.calls.append((method, path))
            if not self._authorised(query, headers):
                return 401, {"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources.",
                             "data": {"status": 401}}, {}
            outcome = self._failure(path)
            if outcome is not None and outcome != 200:
                return (0 if outcome == "timeout" else int(outcome)), {
                    "code": "internal_server_error", "message": "خطای داخلی", "data": {"status": outcome}}, {}
            return self._route(method, path, query, body)

    def _authorised(self, query: dict[str, str], headers: dict[str, str]) -> bool:
        if query.get("consumer_key") == self.key and query.get("consumer_secret") == self.secret:
            return True
        auth = headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                return base64.b64decode(auth[6:]).decode() == f"{self.key}:{self.secret}"
            except ValueError:
                return False
        return False

    def _route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any, dict[str, str]]:
        rest = path[len(API):] if path.startswith(API) else None
        if rest == "/products" and method == "GET":
            return self._page(sorted(self.products.values(), key=lambda p: p["id"]), query)
        if rest == "/orders" and method == "GET":
            after = query.get("after")  # compared with the GMT dates (the client sends dates_are_gmt=true)
            rows = [o for o in self.orders if after is None or o["date_created_gmt"] > after]
            rows.sort(key=lambda o: (o["date_created_gmt"], o["id"]), reverse=query.get("order") != "asc")
            return self._page(rows, query)
        m = re.fullmatch(r"/products/(\d+)/variations", rest or "")
        if m and method == "GET" and int(m[1]) in self.variations:
            return self._page(sorted(self.variations[int(m[1])].values(), key=lambda v: v["id"]), query)
        m = re.fullmatch(r"/products(?:/(\d+)/variations)?/batch", rest or "")
        if m and method in ("PUT", "POST"):
            return self._batch(int(m[1]) if m[1] else None, body)
        m = re.fullmatch(r"/products/(\d+)(?:/variations/(\d+))?", rest or "")
        if m and method in ("PUT", "POST"):
            row = (self.variations.get(int(m[1]), {}).get(int(m[2])) if m[2] else self.products.get(int(m[1])))
            if row is None:
                return 404, {"code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.",
                             "data": {"status": 404}}, {}
            self._update(row, body if isinstance(body, dict) else {})
            return 200, row, {}
        return 404, {"code": "rest_no_route", "message": "No route was found matching the URL and request method.",
                     "data": {"status": 404}}, {}

    def _update(self, row: dict[str, Any], changes: dict[str, Any]) -> None:
        if "stock_quantity" in changes:
            row["manage_stock"] = bool(changes.get("manage_stock", True))
            row["stock_quantity"] = int(changes["stock_quantity"])
            self.stock_updates.append((row["sku"], row["stock_quantity"]))

    def _batch(self, product_id: int | None, body: Any) -> tuple[int, Any, dict[str, str]]:
        """``POST /products/batch`` or ``/products/<id>/variations/batch`` with ``{"update": [...]}``:
        each object updated or answered with its own ``error``, as WooCommerce does."""
        updates = (body or {}).get("update") or [] if isinstance(body, dict) else []
        if len(updates) > BATCH_LIMIT:
            return 413, {"code": "rest_request_entity_too_large",
                         "message": f"Unable to accept more than {BATCH_LIMIT} items for this request.",
                         "data": {"status": 413}}, {}
        rows = self.variations.get(product_id or 0, {}) if product_id else self.products
        answered = []
        for change in updates:
            row = rows.get(int(change.get("id") or 0))
            if row is None:
                answered.append({"id": change.get("id"), "error": {"code": "woocommerce_rest_invalid_id",
                                                                   "message": "Invalid ID.", "data": {"status": 400}}})
                continue
            self._update(row, change)
            answered.append(row)
        return 200, {"update": answered}, {}


BATCH_LIMIT = 100  # WooCommerce's default most objects of one batch request


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # The headers and the body go out as two writes: with Nagle's algorithm on, the body waits
    # for the client's delayed ACK (40 ms a call), which is this server's, not a shop's, cost.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._answer("GET")

    def do_PUT(self) -> None:
        self._answer("PUT")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, data, extra = self.server.state.answer(method, url.path, query, headers, body)
        if status == 0:  # "timeout": answer too late for the client
            time.sleep(3)
            status = 200
        payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json; charset=utf-8")
            for k, v in extra.items():
                self.send_header(k, v)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (a timeout)
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: ShopState) -> None:
        self.state = state
        super().__init__(("127.0.0.1", 0), _Handler)


class FakeShop:
    """Start with :meth:`start`; ``base_url`` is what the shop link points at."""

    def __init__(self, state: ShopState | None = None) -> None:
        self.state = state or ShopState()
        self._server = _Server(self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-shop", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeShop:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
