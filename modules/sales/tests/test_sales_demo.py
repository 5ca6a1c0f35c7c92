"""The demo fills the sales board of a new installation, once."""

from __future__ import annotations

from typing import Any

from kernel.demo import load_demo
from kernel.testing import create_user
from modules.sales.tests.sales_helpers import SALES


def test_the_demo_fills_the_board_and_the_reports_once(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(edition="tier2", **SALES)
    create_user(kernel, "admin", admin=True)
    first = load_demo(kernel)
    assert "sales: 5 leads, 8 opportunities and 2 sales orders added" in first
    assert "sales: already loaded" in load_demo(kernel)
    c = web_client(kernel, "admin")
    board = c.get("/sales/board").text
    for title in ("۲۰ تخته فرش لابی هتل", "سفارش عمدهٔ فروشگاه زنجیره‌ای", "فرش تالار پذیرایی", "قرارداد سالانهٔ تأمین"):
        assert title in board, title
    assert "فرش سالن همایش" not in board  # won: off the board
    closed = c.get("/reports/sales.won_lost").text
    assert "قیمت بالاتر از رقبا" in closed and "۴۸۰٬۰۰۰٬۰۰۰ ریال" in closed
    assert "درخواست نمایندگی در شیراز" in c.get("/reports/sales.forgotten").text  # 20 days untouched
    orders = c.get("/sales/order/").text  # one waiting for approval, one approved
    assert "سفارش عمدهٔ فروشگاه زنجیره‌ای" in orders and "فرش تالار پذیرایی" in orders
