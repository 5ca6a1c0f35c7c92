"""FIN-01: variants generated from chosen attribute values, once each, with their names and
codes; a product with variants is sold through them; inactive products are kept but not
offered; codes unique among live products; commissions typed as «۲٫۵»."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel.testing import actor_of, create_record, create_user, csrf
from modules.finance.models import Product
from modules.finance.services import catalogue


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier3")


def _carpet(kernel: Any, uid: int) -> tuple[int, dict[str, int]]:
    size = create_record(kernel, uid, "finance.attribute", name="اندازه", kind="size", sequence=1)
    colour = create_record(kernel, uid, "finance.attribute", name="رنگ", kind="colour", sequence=2)
    values = {
        "9m": create_record(kernel, uid, "finance.attribute_value", attribute_id=size, name="۹ متری", code="9M"),
        "12m": create_record(kernel, uid, "finance.attribute_value", attribute_id=size, name="۱۲ متری", code="12M"),
        "cream": create_record(kernel, uid, "finance.attribute_value", attribute_id=colour, name="کرم", code="CR"),
        "red": create_record(kernel, uid, "finance.attribute_value", attribute_id=colour, name="لاکی", code="RD"),
    }
    product = create_record(kernel, uid, "finance.product", name="فرش کاشان", code="KSH", kind="goods", unit="تخته",
                            price=45_000_000)
    return product, values


def test_variants_are_generated_once_with_their_names_and_codes(kernel: Any) -> None:
    uid = create_user(kernel, "sara", perms=("finance.*",))
    product, v = _carpet(kernel, uid)
    actor = actor_of(kernel, uid)
    with kernel.session(actor) as s:
        first = catalogue.generate_variants(kernel, s, actor, product, [v["9m"], v["cream"], v["red"]])
    assert (len(first.created), first.existing) == (2, 0)
    # Adding a size later adds only its combinations; the two made before are kept, not doubled.
    with kernel.session(actor) as s:
        second = catalogue.generate_variants(kernel, s, actor, product, [v["9m"], v["12m"], v["cream"], v["red"]])
    assert (len(second.created), second.existing) == (2, 2)
    with kernel.session(actor) as s:
        again = catalogue.generate_variants(kernel, s, actor, product, [v["9m"], v["12m"], v["cream"], v["red"]])
    assert (again.created, again.existing) == ([], 4)
    with kernel.sessions() as s:
        rows = s.execute(select(Product.name, Product.code, Product.price, Product.unit)
                         .where(Product.parent_id == product).order_by(Product.id)).all()
    assert [r.name for r in rows] == ["فرش کاشان — ۹ متری — کرم", "فرش کاشان — ۹ متری — لاکی",
                                      "فرش کاشان — ۱۲ متری — کرم", "فرش کاشان — ۱۲ متری — لاکی"]
    assert [r.code for r in rows] == ["KSH-9M-CR", "KSH-9M-RD", "KSH-12M-CR", "KSH-12M-RD"]
    assert {(r.price, r.unit) for r in rows} == {(45_000_000, "تخته")}


def test_a_product_with_variants_is_sold_through_them_and_inactive_ones_are_not_offered(kernel: Any) -> None:
    uid = create_user(kernel, "sara", perms=("finance.*",))
    product, v = _carpet(kernel, uid)
    rug = create_record(kernel, uid, "finance.product", name="پادری", code="PD", price=900_000)
    old = create_record(kernel, uid, "finance.product", name="فرش قدیمی", code="OLD", price=1, active=False)
    with kernel.sessions() as s:
        assert catalogue.is_sellable(s, product) and catalogue.is_sellable(s, rug)
    actor = actor_of(kernel, uid)
    with kernel.session(actor) as s:
        made = catalogue.generate_variants(kernel, s, actor, product, [v["9m"], v["cream"]]).created
    with kernel.sessions() as s:
        offered = {p.id for p in catalogue.sellable(s)}
        assert offered == {rug, *made}
        assert not catalogue.is_sellable(s, product) and not catalogue.is_sellable(s, old)
        assert [p.name for p in catalogue.sellable(s, "کاشان کرم")] == [] and \
            [p.name for p in catalogue.sellable(s, "کرم")] == ["فرش کاشان — ۹ متری — کرم"]
        # The inactive product is kept (old documents still show it).
        assert s.get(Product, old).name == "فرش قدیمی"
    # Making the product inactive takes its variants off new lines too.
    with kernel.session(actor) as s:
        s.get(Product, product).active = False
    with kernel.sessions() as s:
        assert {p.id for p in catalogue.sellable(s)} == {rug}


def test_the_variants_page_generates_and_shows_them(kernel: Any, web_client: Any) -> None:
    uid = create_user(kernel, "sara", perms=("finance.*",))
    create_user(kernel, "reza", perms=("finance.product.view",))
    product, v = _carpet(kernel, uid)
    c = web_client(kernel, "sara")
    url = f"/finance/product/{product}/variants"
    r = c.post(url, data={"csrf": csrf(c, url), "value": [str(v["12m"]), str(v["red"])]})
    assert r.status_code == 200, r.text[:500]
    assert "۱ variants" not in r.text and "فرش کاشان — ۱۲ متری — لاکی" in r.text
    assert "۱ تنوع افزوده شد" in r.text
    detail = c.get(f"/finance/product/{product}").text
    assert "فرش کاشان — ۱۲ متری — لاکی" in detail
    viewer = web_client(kernel, "reza")
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, data={"csrf": csrf(viewer, url), "value": [str(v["9m"])]}).status_code == 403
    bad = c.post(url, data={"csrf": csrf(c, url), "value": ["abc"]})
    assert bad.status_code == 400 and "یکی از گزینه‌های فهرست" in bad.text


def test_codes_are_unique_among_live_products_and_commissions_are_typed_as_decimals(kernel: Any,
                                                                                     web_client: Any) -> None:
    uid = create_user(kernel, "sara", perms=("finance.*",))
    first = create_record(kernel, uid, "finance.product", name="کالای یک", code="A-1", price=10)
    c = web_client(kernel, "sara")
    r = c.post("/finance/product/new", data={"csrf": csrf(c, "/finance/product/new"), "name": "کالای دو", "code": "A-1",
                                             "kind": "goods", "price": "۱۰"})
    assert r.status_code == 400 and "کالای دیگری همین کد را دارد" in r.text
    r = c.post("/finance/product/new", data={"csrf": csrf(c, "/finance/product/new"), "name": "کالای دو", "code": "A-2",
                                             "kind": "goods", "price": "۱۰", "marketer_commission": "۲٫۵",
                                             "agency_commission": "۱۰۰"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:1500]
    for bad in ("۱۰۱", "۲٫۵۵۵"):
        r = c.post("/finance/product/new", data={"csrf": csrf(c, "/finance/product/new"), "name": "کالای سه",
                                                 "kind": "goods", "price": "۱", "marketer_commission": bad})
        assert r.status_code == 400
    with kernel.sessions() as s:
        made = s.scalars(select(Product).where(Product.code == "A-2")).one()
        assert (made.marketer_commission, made.agency_commission) == (Decimal("2.50"), Decimal("100.00"))
        assert s.scalar(select(Product.id).where(Product.name == "کالای سه")) is None
    # The code of a product in the recycle bin is free again.
    c.post(f"/finance/product/{first}/delete", data={"csrf": csrf(c, f"/finance/product/{first}")})
    with kernel.sessions() as s:
        assert s.get(Product, first).deleted_at is not None
    create_record(kernel, uid, "finance.product", name="کالای چهار", code="A-1", price=10)
