"""The demo fills tier 5's inventory once: warehouses, posted documents, a serial-tracked product."""

from __future__ import annotations

import re
from typing import Any

from kernel.demo import load_demo
from kernel.testing import create_user


def test_the_demo_shows_stock_documents_and_serials_once(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(edition="tier5")
    create_user(kernel, "admin", admin=True)
    assert "inventory: a store, 2 receipts, an issue and a transfer added" in load_demo(kernel)
    assert "inventory: already loaded" in load_demo(kernel)
    c = web_client(kernel, "admin")
    docs = c.get("/inventory/document/").text
    assert "RCV-۱۴" in docs and "ISS-۱۴" in docs and "TRF-۱۴" in docs
    stock = c.get("/reports/inventory.stock").text
    assert "انبار فروشگاه" in stock and "بارکدخوان بی‌سیم" in stock and "فرش کاشان" in stock
    assert "پادری ماشینی" in c.get("/reports/inventory.reorder").text  # 35 left, reorder below 50
    card = c.get("/reports/inventory.stock_card", params={"product": "BCR-1"}).text
    assert len(re.findall(r'href="/inventory/document/\d+"', card)) == 3  # received, then out of central and into the store
