"""The online-shop link against the fake WooCommerce shop (a real HTTP server), on both engines:
the whole sync as an administrator drives it from /carpet/shop (settings refused then saved,
"Sync now", products matched by SKU, stock pushed only when it changed, orders imported once as
draft proformas, an unknown SKU kept for attention and imported once its product exists), the
job's own run, and the failures (a refused key, a timeout, a 5xx mid-sync, repeated pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.db import utcnow
from kernel.testing import create_record, create_user, csrf
from modules.carpet.shop import sync
from modules.carpet.shop.models import ShopLink, ShopOrder
from modules.carpet.shop.testing import link_shop
from modules.inventory.tests.editor_helpers import carpet
from modules.inventory.tests.policy_helpers import receive

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="carpet", engine=request.param)


def _proformas(kernel: Any) -> list[Any]:
    from modules.finance.models import Proforma

    with kernel.sessions() as s:
        return list(s.scalars(select(Proforma).order_by(Proforma.id)))


def _lines(kernel: Any, proforma_id: int) -> list[tuple[str, Decimal, int, int]]:
    from modules.finance.models import Product, ProformaLine

    with kernel.sessions() as s:
        return [tuple(r) for r in s.execute(
            select(Product.code, ProformaLine.quantity, ProformaLine.unit_price, ProformaLine.discount_amount)
            .join(Product, Product.id == ProformaLine.product_id)
            .where(ProformaLine.proforma_id == proforma_id).order_by(ProformaLine.position))]


def _orders(kernel: Any) -> dict[int, tuple[str, str | None]]:
    with kernel.sessions() as s:
        return {r.shop_order_id: (r.state, r.problem) for r in s.scalars(select(ShopOrder))}


def test_the_whole_sync_from_the_page_then_by_the_job(kernel: Any, fake_shop: Any, web_client: Any) -> None:
    _, variants = carpet(kernel)  # KSH-6M-CR … KSH-12M-RD
    receive(kernel, variants["KSH-6M-CR"], "3")
    receive(kernel, variants["KSH-12M-RD"], "2")
    known = create_record(kernel, None, "base.partner", kind="person", first_name="مریم", last_name="کاظمی",
                          mobile="+989121234567")
    shop = fake_shop.state
    shop.page_size = 2  # every list comes in pages: the adapter must follow X-WP-TotalPages
    shop.add_variable("فرش کاشان", [("KSH-6M-CR", "۶ متری کرم", 4_500_000, 0),
                                    ("KSH-12M-RD", "۱۲ متری لاکی", 9_000_000, 2),
                                    ("KSH-9M-CR", "۹ متری کرم", 6_500_000, 4),
                                    ("KSH-15M", "۱۵ متری", 12_000_000, 1)])
    shop.add_product("RUG-KIDS", "فرشینه کودک", 800_000, 7)
    day = utcnow() - dt.timedelta(days=2)
    o_known = shop.add_order([("KSH-6M-CR", 2, 4_500_000)], first_name="مریم", last_name="کاظمی",
                             phone="۰۹۱۲ ۱۲۳ ۴۵۶۷", created=day, shipping=300_000, coupon=500_000)
    o_new = shop.add_order([("KSH-12M-RD", 1, 9_000_000), ("KSH-9M-CR", 1, 6_500_000)], first_name="علی",
                           last_name="رضایی", phone="09351112233", email="Ali@Example.ir",
                           created=day + dt.timedelta(hours=1))
    o_unknown = shop.add_order([("KSH-15M", 1, 12_000_000)], first_name="سارا", phone="09190001122",
                               created=day + dt.timedelta(hours=2))
    o_cancelled = shop.add_order([("KSH-6M-CR", 1, 4_500_000)], phone="09190001122", status="cancelled",
                                 created=day + dt.timedelta(hours=3))

    create_user(kernel, "shopadmin", perms=("carpet.shop.manage",))
    create_user(kernel, "clerk", perms=("finance.proforma.view",))
    assert web_client(kernel, "clerk").get("/carpet/shop").status_code == 403
    client = web_client(kernel, "shopadmin")
    token = csrf(client, "/carpet/shop")
    form = {"csrf": token, "kind": "woocommerce", "currency": "IRT", "every_minutes": "۱۵", "enabled": "1",
            "consumer_key": shop.key, "consumer_secret": shop.secret}
    # A plain-http address of a remote server would send the keys in clear: refused, nothing saved.
    bad = client.post("/carpet/shop", data={**form, "base_url": "http://shop.example.ir"})
    assert bad.status_code == 422 and "HTTPS" in bad.text and "فقط" in bad.text
    bad = client.post("/carpet/shop", data={**form, "base_url": fake_shop.base_url, "every_minutes": "۲"})
    assert bad.status_code == 422 and "۵" in bad.text
    with kernel.sessions() as s:
        assert sync.link_of(s) is None
    assert client.post("/carpet/shop", data={**form, "base_url": fake_shop.base_url + "/"},
                       follow_redirects=False).status_code == 303
    page = client.get("/carpet/shop").text
    assert shop.secret not in page and "••••" in page  # the secret is never shown back

    synced = client.post("/carpet/shop/sync", data={"csrf": token})
    assert synced.status_code == 200 and "همگام‌سازی انجام شد" in synced.text

    # Orders: two drafts for the right partners, prices in Rials (the shop's Toman × 10).
    pfs = _proformas(kernel)
    assert [p.state for p in pfs] == ["draft", "draft"]
    first, second = pfs
    assert first.partner_id == known and first.shipping == 3_000_000
    assert _lines(kernel, first.id) == [("KSH-6M-CR", Decimal(2), 45_000_000, 5_000_000)]
    assert _lines(kernel, second.id) == [("KSH-12M-RD", Decimal(1), 90_000_000, 0), ("KSH-9M-CR", Decimal(1), 65_000_000, 0)]
    from modules.base.models import Partner
    from modules.base.services.roles import roles_of

    with kernel.sessions() as s:
        ali = s.get(Partner, second.partner_id)
        assert (ali.name, ali.mobile, ali.email) == ("علی رضایی", "+989351112233", "ali@example.ir")
        assert roles_of(s, ali.id) == ["customer"]
    assert _orders(kernel) == {o_known: ("imported", None), o_new: ("imported", None),
                               o_unknown: ("attention", "A line's SKU matches no product code")}
    assert o_cancelled not in _orders(kernel)
    # Stock: the shop now shows our available numbers, and only where they differed.
    assert sorted(shop.stock_updates) == [("KSH-6M-CR", 3), ("KSH-9M-CR", 0)]
    page = client.get("/carpet/shop").text
    assert "KSH-۱۵M" in page and "RUG-KIDS" in page and "فرشینه کودک" in page  # SKUs with no product
    assert "هیچ کالایی با این کد نیست" in page  # the order needing attention says why, in Persian
    assert "۲ سفارش وارد شد" in page

    # The job: nothing new in the shop → nothing imported twice, no stock call repeated.
    calls = len(shop.stock_updates)
    from kernel import jobs

    jobs.run_due(kernel, now=utcnow() + dt.timedelta(minutes=16))
    assert len(_proformas(kernel)) == 2 and len(shop.stock_updates) == calls
    with kernel.sessions() as s:
        link = sync.link_of(s)
        assert link is not None and link.last_ok and link.last_imported == 0

    # The missing product is added with the shop's SKU as its code: the next sync imports the
    # order kept for attention, from what was stored (the shop is not asked for it again).
    xxl = create_record(kernel, None, "finance.product", name="فرش کاشان ۱۵ متری", code="KSH-15M", kind="goods",
                        unit="تخته", price=120_000_000)
    outcome = sync.run(kernel)
    assert outcome.ok and outcome.imported == 1
    third = _proformas(kernel)[-1]
    assert _lines(kernel, third.id) == [("KSH-15M", Decimal(1), 120_000_000, 0)]
    assert _orders(kernel)[o_unknown] == ("imported", None)
    assert xxl and shop.stock_updates[calls:] == [("KSH-15M", 0)]  # ours 0, the shop's 1: sent now


def test_failures_change_nothing_and_repeated_pages_import_once(kernel: Any, fake_shop: Any) -> None:
    carpet(kernel)
    shop = fake_shop.state
    shop.add_variable("فرش کاشان", [("KSH-6M-CR", "۶ متری کرم", 4_500_000, 9)])
    day = utcnow() - dt.timedelta(days=1)
    ids = [shop.add_order([("KSH-6M-CR", 1, 4_500_000)], first_name="مشتری", last_name=str(n),
                          phone=f"0912000000{n}", created=day + dt.timedelta(minutes=n)) for n in range(5)]
    link_shop(kernel, fake_shop, consumer_secret="cs_wrong")
    with kernel.session() as s:
        kernel.set_setting(s, sync.TIMEOUT_SETTING, 1)

    def link() -> ShopLink:
        with kernel.sessions() as s:
            row = sync.link_of(s)
            assert row is not None
            return row

    def nothing_imported() -> None:
        with kernel.sessions() as s:
            assert s.scalar(select(func.count()).select_from(ShopOrder)) == 0
        assert _proformas(kernel) == [] and shop.stock_updates == []

    # A refused key: said on the link, nothing imported, no stock sent.
    outcome = sync.run(kernel)
    assert not outcome.ok and outcome.detail == "401"
    assert link().last_error == "The shop refused the keys (check the consumer key and secret)"
    nothing_imported()
    with kernel.session() as s:
        row = sync.link_of(s)
        assert row is not None
        row.consumer_secret = shop.secret
        row.keys_in_query = True  # from here on the keys go as consumer_key/consumer_secret parameters

    # A call that times out.
    shop.page_size = 2
    shop.fail("/products/", "timeout")  # the variations call, after the product list was read
    outcome = sync.run(kernel)
    assert (outcome.ok, outcome.error) == (False, "The shop did not answer in time")
    nothing_imported()
    # The shop's own error on the orders' second page, after the first was read.
    shop.fail("/orders", 200)  # the first page passes
    shop.fail("/orders", 503)
    outcome = sync.run(kernel)
    assert (outcome.ok, outcome.detail) == (False, "503")
    assert link().last_error == "The shop had an error of its own; try again later"
    nothing_imported()

    # Pages that repeat the previous page's last order (an order arrived while we paged): each
    # order once. The stock call fails after the import was committed: the orders stay (whole),
    # the next run sends the stock and, re-reading the overlap window, imports nothing again.
    shop.overlap_pages = True
    shop.fail("/variations/batch", 502)
    outcome = sync.run(kernel)
    assert (outcome.ok, outcome.imported, outcome.detail) == (False, 5, "502") and shop.stock_updates == []
    assert sorted(_orders(kernel)) == sorted(ids) and len(_proformas(kernel)) == 5
    again = sync.run(kernel)
    assert (again.ok, again.imported) == (True, 0) and len(_proformas(kernel)) == 5
    assert shop.stock_updates == [("KSH-6M-CR", 0)]
    assert link().last_ok is True


def test_the_shop_tables_migrate_down_and_up_and_agree_with_the_models(kernel: Any) -> None:
    from sqlalchemy import inspect

    from kernel import migrations
    from modules.finance.tests.migration_helpers import migrate

    partner = create_record(kernel, None, "base.partner", kind="person", first_name="رضا", last_name="نادری")
    assert migrations.diff(kernel) == []
    migrate(kernel, "carpet@base", down=True)
    assert not {"carpet_shop_link", "carpet_shop_order"} & set(inspect(kernel.engine).get_table_names())
    migrate(kernel, "heads")
    assert {"carpet_shop_link", "carpet_shop_order"} <= set(inspect(kernel.engine).get_table_names())
    assert migrations.diff(kernel) == [] and not migrations.pending(kernel)
    from modules.base.models import Partner

    with kernel.sessions() as s:
        assert s.get(Partner, partner) is not None  # the rows beneath are kept


def test_the_demo_shows_a_synced_shop_once(make_kernel: Any, web_client: Any) -> None:
    from kernel.demo import load_demo

    kernel = make_kernel(edition="carpet")
    create_user(kernel, "admin", admin=True)
    assert "a shop link (off) with 2 orders imported as draft proformas, 1 needing attention, " \
           "2 SKUs with no product" in load_demo(kernel)
    assert "shop link already there" in load_demo(kernel)
    page = web_client(kernel, "admin").get("/carpet/shop").text
    assert "نرگس احمدی" in page and "حمید کریمی" in page and "لیلا صادقی" in page
    assert "تابلوفرش گل و مرغ" in page and "KSH۷۰۰-۱۵-CR" in page
    assert [p.title for p in _proformas(kernel) if "فروشگاه اینترنتی" in (p.title or "")] == [
        "سفارش فروشگاه اینترنتی 1041", "سفارش فروشگاه اینترنتی 1042"]
