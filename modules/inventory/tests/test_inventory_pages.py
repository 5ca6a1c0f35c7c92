"""Inventory's pages over HTTP, as a warehouse keeper uses them: a document's lines and its post
and void actions (refusals in Persian, nothing changed), a product's stock with its variant
matrix and settings, and the reports — stock card with linked numbers, valuation, reorder."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kernel import Conflict
from kernel.actor import SYSTEM
from kernel.testing import create_record, csrf
from modules.finance.services.catalogue import generate_variants
from modules.inventory.tests import inventory_helpers as h


@pytest.mark.parametrize("engine", h.ENGINES)
def test_a_keeper_posts_voids_and_reads_stock_in_persian(make_kernel: Any, web_client: Any, engine: str) -> None:
    k = h.inventory_kernel(make_kernel, engine)
    w = h.world(k)
    carpet, central, shop = w["carpet"], w["central"], w["shop"]
    c = web_client(k, "nasrin")
    token = csrf(c, "/inventory/document/")

    receipt = h.draft(k, "receipt", central, [(carpet, "10", 1_000, None)])
    page = c.get(f"/inventory/document/{receipt}")
    assert page.status_code == 200 and "فرش ۷۰۰ شانه" in page.text and f"/inventory/document/{receipt}/post" in page.text
    done = c.post(f"/inventory/document/{receipt}/post", data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 303
    assert "\u2066RCV-۱۴۰۵-۰۰۰۰۱\u2069" in c.get(f"/inventory/document/{receipt}").text

    too_many = h.draft(k, "issue", central, [(carpet, "۱۵", 0, None)])
    refused = c.post(f"/inventory/document/{too_many}/post", data={"csrf": token})
    assert refused.status_code == 422
    assert "موجودی فرش ۷۰۰ شانه در انبار مرکزی کافی نیست" in refused.text
    again = c.post(f"/inventory/document/{receipt}/post", data={"csrf": token})
    assert again.status_code == 422 and "این سند انبار پیش‌تر ثبت شده است" in again.text
    no_reason = c.post(f"/inventory/document/{receipt}/void", data={"csrf": token, "reason": " "})
    assert no_reason.status_code == 422 and "علت را بنویسید" in no_reason.text
    assert h.on_hand(k, carpet, central) == 10

    move = h.draft(k, "transfer", central, [(carpet, "3", 0, None)], to=shop)
    assert c.post(f"/inventory/document/{move}/post", data={"csrf": token}, follow_redirects=False).status_code == 303

    # The product's page: stock per warehouse in Persian digits; its settings saved from there.
    product = c.get(f"/finance/product/{carpet}").text
    assert "انبار مرکزی" in product and "انبار فروشگاه" in product and "۷" in product and "۳" in product
    saved = c.post(f"/inventory/product/{carpet}/settings", data={"csrf": token, "reorder_below": "۱۵"},
                   follow_redirects=False)
    assert saved.status_code == 303
    bad = c.post(f"/inventory/product/{carpet}/settings", data={"csrf": token, "reorder_below": "چند"})
    assert bad.status_code == 422 and "مقدار را بنویسید" in bad.text
    on = c.post(f"/inventory/product/{carpet}/settings", data={"csrf": token, "tracks_serials": "1"})
    assert on.status_code == 422 and "شماره سریال را فقط وقتی" in on.text

    reorder = c.get("/reports/inventory.reorder").text
    assert "فرش ۷۰۰ شانه" in reorder and "۱۵" in reorder
    card = c.get("/reports/inventory.stock_card", params={"product": str(carpet), "warehouse": str(central)}).text
    assert f'href="/inventory/document/{receipt}"' in card and "\u2066TRF-۱۴۰۵-۰۰۰۰۱\u2069" in card
    assert "۱۴۰۵/۰۲/۱۰" in card  # Jalali
    valuation = c.get("/reports/inventory.valuation").text
    assert "۱۰٬۰۰۰" in valuation  # 7 × 1,000 + 3 × 1,000 in all
    xlsx = c.get("/reports/inventory.valuation.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    done = c.post(f"/inventory/document/{move}/void", data={"csrf": token, "reason": "اشتباه"},
                  follow_redirects=False)
    assert done.status_code == 303 and h.on_hand(k, carpet, shop) == 0

    # One default warehouse: marking another takes the mark; one holding stock is not deleted.
    from kernel.records import delete_record
    from modules.inventory.models import Warehouse

    c.post(f"/inventory/warehouse/{shop}/edit", data={"csrf": token, "name": "انبار فروشگاه", "code": "W2",
                                                    "is_default": "1", "active": "1"})
    with k.sessions() as s:
        assert [x.id for x in s.scalars(select(Warehouse).where(Warehouse.is_default.is_(True)))] == [shop]
    with pytest.raises(Conflict), k.session(w["actor"]) as s:
        delete_record(k, s, w["actor"], k.resources["inventory.warehouse"], central)
    # A posted document's page offers no Edit or Delete, says why, and both addresses refuse it.
    said = "سند انبارِ ثبت‌شده یا باطل تغییر نمی‌کند"
    shown = c.get(f"/inventory/document/{receipt}").text
    assert said in shown and f'href="/inventory/document/{receipt}/edit"' not in shown
    assert f'action="/inventory/document/{receipt}/delete"' not in shown
    gone = c.post(f"/inventory/document/{receipt}/delete", data={"csrf": token})
    assert said in gone.text and h.on_hand(k, carpet, central) == 10
    assert c.get(f"/inventory/document/{receipt}/edit").status_code == 409
    edited = c.post(f"/inventory/document/{receipt}/edit", data={"csrf": token, "kind": "receipt",
                                                                 "date": "۱۴۰۵/۰۲/۱۱", "warehouse_id": str(central)})
    assert edited.status_code == 400 and said in edited.text


def test_variants_show_as_a_matrix_of_their_stock(make_kernel: Any, web_client: Any) -> None:
    k = h.inventory_kernel(make_kernel)
    w = h.world(k)
    size = create_record(k, None, "finance.attribute", name="اندازه", kind="size", sequence=1)
    colour = create_record(k, None, "finance.attribute", name="رنگ", kind="colour", sequence=2)
    values = [create_record(k, None, "finance.attribute_value", attribute_id=size, name=n, sequence=i)
              for i, n in enumerate(("۶ متری", "۹ متری"))]
    values += [create_record(k, None, "finance.attribute_value", attribute_id=colour, name=n, sequence=i)
               for i, n in enumerate(("کرم", "لاکی"))]
    rug = create_record(k, None, "finance.product", name="فرش کاشان", kind="goods", price=1)
    with k.session() as s:
        made = generate_variants(k, s, SYSTEM, rug, values).created
    h.post(k, w, h.draft(k, "receipt", w["central"], [(made[-1], "4", 10, None)]))
    page = web_client(k, "nasrin").get(f"/inventory/product/{rug}").text
    assert "اندازه" in page and "رنگ" in page and "لاکی" in page and "۹ متری" in page
    assert f'href="/finance/product/{made[-1]}">۴<' in page
