"""``/inventory/settings``: an inventory manager chooses what invoices do to stock (``refuse`` by
default), the warehouse they take from and whether proformas reserve; bad input is a Persian
message and changes nothing; a clerk without the permission is refused."""

from __future__ import annotations

from typing import Any

from kernel.testing import csrf
from modules.inventory import policy
from modules.inventory.models import Warehouse
from modules.inventory.tests.policy_helpers import inventory_kernel, shop, warehouse


def test_the_policy_page_saves_refuses_bad_input_and_is_the_managers(make_kernel: Any, web_client: Any) -> None:
    k = inventory_kernel(make_kernel)
    shop(k)
    with k.session() as s:
        floor = Warehouse(name="انبار فروشگاه", code="SHOP")
        s.add(floor)
        s.flush()
        shop_floor = floor.id
    c = web_client(k, "maryam")
    page = c.get("/inventory/settings")
    assert page.status_code == 200 and "تنظیمات انبار" in page.text
    assert 'value="refuse" checked' in page.text and "انبار فروشگاه" in page.text
    token = csrf(c, "/inventory/settings")
    bad = c.post("/inventory/settings", data={"csrf": token, "invoices": "sometimes", "warehouse_id": "۱"})
    assert bad.status_code == 422 and "یکی از گزینه‌های فهرست را انتخاب کنید" in bad.text
    gone = c.post("/inventory/settings", data={"csrf": token, "invoices": "reduce", "warehouse_id": "999"})
    assert gone.status_code == 422
    with k.sessions() as s:
        assert policy.invoice_policy(k, s) == "refuse" and policy.invoice_warehouse_id(k, s) == warehouse(k)
    # The shop floor's id typed in Persian digits (as a form filled by hand would send it).
    typed = str(shop_floor).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    saved = c.post("/inventory/settings", data={"csrf": token, "invoices": "none", "warehouse_id": typed,
                                                "proforma_reserves": "1"}, follow_redirects=False)
    assert saved.status_code == 303
    with k.sessions() as s:
        assert policy.invoice_policy(k, s) == "none" and policy.invoice_warehouse_id(k, s) == shop_floor
        assert policy.proforma_reserves(k, s) is True
    assert 'value="none" checked' in c.get("/inventory/settings").text
    assert web_client(k, "sara").get("/inventory/settings").status_code == 403
