"""FIN-02: price_for picks the valid price list by precedence (partner > group > role >
everyone > base price; the most recent list wins a tie) and then the quantity tier (FAQ 18:
10 units at 10,000 Rials each, 11 at 9,000 each), with validity days around Jalali month
ends; bad price-list input is refused in Persian with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.persian.jalali import jalali_to_date
from kernel.testing import create_record, create_user, csrf
from modules.base.models import PartnerGroup, PartnerRole, RoleKind
from modules.finance.models import PriceList, Product
from modules.finance.services.pricing import price_for


def _engines() -> list[Any]:
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _world(k: Any) -> dict[str, int]:
    uid = create_user(k, "sara", perms=("finance.*", "base.partner.*"))
    with k.session() as s:
        top = PartnerGroup(name="صنعتی")
        s.add(top)
        s.flush()
        textile = PartnerGroup(name="نساجی", parent_id=top.id)
        s.add(textile)
        if s.scalar(select(RoleKind.id).where(RoleKind.code == "customer")) is None:
            s.add(RoleKind(code="customer", name="Customer"))
        s.flush()
        ids = {"top": top.id, "textile": textile.id,
               "customer": s.scalar(select(RoleKind.id).where(RoleKind.code == "customer"))}
    ids["uid"] = uid
    ids["partner"] = create_record(k, uid, "base.partner", kind="company", name="نساجی کاشان", group_id=ids["textile"])
    ids["plain"] = create_record(k, uid, "base.partner", kind="person", first_name="رضا", last_name="کریمی")
    with k.session() as s:
        s.add_all([PartnerRole(partner_id=ids["partner"], role="customer"),
                   PartnerRole(partner_id=ids["plain"], role="customer")])
    ids["product"] = create_record(k, uid, "finance.product", name="نخ پنبه", code="N-1", price=10_000)
    return ids


def _list(k: Any, ids: dict[str, int], name: str, price: int, start: Any = None, end: Any = None,
          **who: Any) -> tuple[int, int]:
    pl = create_record(k, ids["uid"], "finance.price_list", name=name, valid_from=start, valid_to=end, **who)
    item = create_record(k, ids["uid"], "finance.price_list_item", price_list_id=pl, product_id=ids["product"],
                         price=price)
    return pl, item


@pytest.mark.parametrize("engine", _engines())
def test_the_most_specific_valid_list_wins_then_the_newest(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    ids = _world(k)
    farvardin_1, farvardin_31 = jalali_to_date(1405, 1, 1), jalali_to_date(1405, 1, 31)
    ordibehesht_1 = jalali_to_date(1405, 2, 1)
    _list(k, ids, "عمومی قدیم", 12_500)
    _list(k, ids, "عمومی فروردین", 12_000, farvardin_1, farvardin_31)
    _list(k, ids, "مشتریان", 11_500, farvardin_1, farvardin_31, role_id=ids["customer"])
    _list(k, ids, "صنعتی", 11_000, farvardin_1, farvardin_31, group_id=ids["top"])
    _list(k, ids, "نساجی", 10_800, farvardin_1, farvardin_31, group_id=ids["textile"])
    mine, _ = _list(k, ids, "ویژه‌ی نساجی کاشان", 10_500, farvardin_1, farvardin_31, partner_id=ids["partner"])

    def quote(partner: int | None, day: Any, qty: int = 1) -> tuple[int, str]:
        with k.sessions() as s:
            q = price_for(s, ids["product"], partner, qty, day)
            return q.unit_price, q.label(k.t, "fa")

    assert quote(ids["partner"], farvardin_31) == (10_500, "لیست قیمت «ویژه‌ی نساجی کاشان»")
    assert quote(ids["plain"], farvardin_31) == (11_500, "لیست قیمت «مشتریان»")
    assert quote(None, farvardin_1) == (12_000, "لیست قیمت «عمومی فروردین»")
    # The first of Ordibehesht: every Farvardin list has ended; the open-ended old list is left.
    assert quote(ids["partner"], ordibehesht_1) == (12_500, "لیست قیمت «عمومی قدیم»")
    # The partner's own list gone, its nearer group beats the group above it, which beats its role.
    with k.session() as s:
        s.get(PriceList, mine).active = False
    assert quote(ids["partner"], farvardin_31)[0] == 10_800
    assert quote(ids["partner"], jalali_to_date(1404, 12, 29))[0] == 12_500  # before the lists start


@pytest.mark.parametrize("engine", _engines())
def test_quantity_tiers_on_the_product_and_on_a_list_item(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    ids = _world(k)
    day = jalali_to_date(1405, 6, 31)  # the last day of Shahrivar
    create_record(k, ids["uid"], "finance.price_tier", product_id=ids["product"], above_quantity=10, unit_price=9_000)
    with k.sessions() as s:
        ten, eleven = price_for(s, ids["product"], None, 10, day), price_for(s, ids["product"], None, 11, day)
    assert (ten.unit_price, ten.rule_label) == (10_000, "Base price")
    assert (eleven.unit_price, eleven.label(k.t, "fa")) == (9_000, "قیمت پایه، بیش از ۱۰ واحد")
    assert eleven.rule_ref == f"finance.product:{ids['product']}"
    pl, item = _list(k, ids, "عمده", 9_500, jalali_to_date(1405, 6, 1), day, group_id=ids["textile"])
    create_record(k, ids["uid"], "finance.price_tier", item_id=item, above_quantity=10, unit_price=8_500)
    create_record(k, ids["uid"], "finance.price_tier", item_id=item, above_quantity=100, unit_price=8_000)
    with k.sessions() as s:
        got = [price_for(s, ids["product"], ids["partner"], q, day).unit_price for q in (1, 10, 11, 100, 101)]
        assert price_for(s, ids["product"], ids["partner"], "10.5", day).rule_ref == f"finance.price_list:{pl}"
        # The next day (1 Mehr) the list has ended: the product's own tier applies again.
        assert price_for(s, ids["product"], ids["partner"], 11, jalali_to_date(1405, 7, 1)).unit_price == 9_000
    assert got == [9_500, 9_500, 8_500, 8_500, 8_000]


def test_bad_price_list_input_is_refused_in_persian_and_nothing_is_saved(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    ids = _world(k)
    c = web_client(k, "sara")
    new = "/finance/price_list/new"
    r = c.post(new, data={"csrf": csrf(c, new), "name": "تابستان", "valid_from": "۱۴۰۵/۰۴/۰۱",
                          "valid_to": "۱۴۰۵/۰۳/۳۱", "active": "1"})
    assert r.status_code == 400 and "پایان اعتبار نمی‌تواند پیش از آغاز آن باشد" in r.text
    r = c.post(new, data={"csrf": csrf(c, new), "name": "دو مخاطب", "partner_id": str(ids["partner"]),
                          "group_id": str(ids["top"]), "active": "1"})
    assert r.status_code == 400 and "فقط یکی را انتخاب کنید" in r.text
    with k.sessions() as s:
        assert s.scalar(select(func.count()).select_from(PriceList)) == 0
    pl = create_record(k, ids["uid"], "finance.price_list", name="بهار")
    item_new = "/finance/price_list_item/new"
    for price, message in (("ده هزار", "عدد معتبر نیست"), ("-۵۰۰", "قیمت نمی‌تواند منفی باشد")):
        r = c.post(item_new, data={"csrf": csrf(c, item_new), "price_list_id": str(pl), "product_id": str(ids["product"]),
                                   "price": price})
        assert r.status_code == 400 and message in r.text, price
    product_new = "/finance/product/new"
    r = c.post(product_new, data={"csrf": csrf(c, product_new), "name": "منفی", "kind": "goods", "price": "-1"})
    assert r.status_code == 400 and "قیمت نمی‌تواند منفی باشد" in r.text
    # The API refuses the same, in Persian when asked.
    api = c.post("/api/finance/price_list", json={"name": "API", "valid_from": "2026-06-22", "valid_to": "2026-06-21"},
                 headers={"X-CSRF-Token": csrf(c), "Accept-Language": "fa"})
    assert api.status_code == 422 and "پایان اعتبار" in api.json()["errors"]["valid_to"]
    with k.sessions() as s:
        assert s.scalar(select(func.count()).select_from(PriceList)) == 1
        assert s.scalar(select(func.count()).select_from(Product).where(Product.name == "منفی")) == 0
