"""Tier 3 is tier 1 plus finance: the catalogue's product list and form work in Persian, and a
price typed with Persian digits and separators is stored as integer Rials."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from kernel.testing import create_user, csrf
from kernel.web.app import build_app
from modules.finance.models import Product


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier3")


def test_tier3_has_finance_without_tasks(kernel: Any) -> None:
    assert kernel.module_names == ("base", "finance")


def test_a_product_typed_in_persian_is_saved_in_rials_and_listed(kernel: Any, login_as: Any) -> None:
    create_user(kernel, "sara", perms=("finance.product.*",))
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        r = c.post("/finance/product/new", data={
            "csrf": csrf(c, "/finance/product/new"), "name": "فرش ماشینی ۷۰۰ شانه", "code": "C-700",
            "kind": "goods", "unit": "تخته", "price": "۱۲٬۵۰۰٬۰۰۰", "active": "1"}, follow_redirects=False)
        assert r.status_code == 303, r.text[:2000]
        bad = c.post("/finance/product/new", data={
            "csrf": csrf(c, "/finance/product/new"), "name": "کالای بد", "kind": "goods", "price": "دوازده"})
        assert bad.status_code == 400
        page = c.get("/finance/product/").text
        assert "فرش ماشینی ۷۰۰ شانه" in page and "کالاها و خدمات" in page and "کالای بد" not in page
    with kernel.sessions() as s:
        prices = [p.price for p in s.query(Product)]
    assert prices == [12_500_000]


def test_a_code_typed_with_persian_digits_is_the_same_code(kernel: Any, login_as: Any) -> None:
    """A product's code and barcode are stored with ASCII digits whatever keyboard typed them, so
    «GL-۹» and «GL-9» are one code: the second product is refused, and imports and searches
    compare one spelling. (The browser journey typed «GL-۹» and got a second spelling.)"""
    create_user(kernel, "sara", perms=("finance.product.*",))
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        r = c.post("/finance/product/new", data={
            "csrf": csrf(c, "/finance/product/new"), "name": "گلیم قشقایی", "code": "GL-۹", "kind": "goods",
            "barcode": "۶۲۶۰۱۲۳۴۵۶۷۸۹", "price": "۱۰٬۰۰۰٬۰۰۰"}, follow_redirects=False)
        assert r.status_code == 303, r.text[:2000]
        again = c.post("/finance/product/new", data={
            "csrf": csrf(c, "/finance/product/new"), "name": "گلیم دیگر", "code": "GL-9", "kind": "goods",
            "price": "1"})
        assert again.status_code == 400 and "کالای دیگری همین کد را دارد" in again.text
        # Shown as a Persian page shows codes: Persian digits, kept left to right.
        assert "\u2066GL-۹\u2069" in c.get("/finance/product/").text
    with kernel.sessions() as s:
        assert [(p.code, p.barcode) for p in s.query(Product)] == [("GL-9", "6260123456789")]


def test_the_demo_catalogue_loads_once(kernel: Any) -> None:
    from kernel.demo import load_demo
    from kernel.timezone import local_today
    from modules.finance.services.catalogue import sellable
    from modules.finance.services.pricing import price_for

    first = load_demo(kernel)
    assert "finance: 6 carpet variants, 6 other products, 1 price list, 4 competitor prices" in first, first
    assert "finance: already loaded" in load_demo(kernel)
    today = local_today(kernel.config.timezone)
    with kernel.sessions() as s:
        names = {p.name for p in sellable(s)}
        assert "فرش کاشان ۷۰۰ شانه — ۹ متری — کرم" in names and "فرش کاشان ۷۰۰ شانه" not in names
        assert "فرش ۵۰۰ شانه (توقف تولید)" not in names
        doormat = s.query(Product).filter(Product.code == "PD-1").one()
        assert [price_for(s, doormat.id, None, q, today).unit_price for q in (10, 11)] == [10_000, 9_000]
