"""The sales order over HTTP, in Persian: written from its deal's page, a line typed in Persian
digits, bad input answered 422 with the reason and nothing changed, the manager's queue and
decision, the move form refused then passing, the steps strip and the buttons of each state."""

from __future__ import annotations

from typing import Any

from kernel.testing import create_record, csrf
from modules.sales.tests.order_helpers import order_row, products
from modules.sales.tests.sales_helpers import deal, opportunity, partner, people, sales_kernel, stages


def post(client: Any, url: str, page: str, **data: Any) -> Any:
    return client.post(url, data={**data, "csrf": csrf(client, page)}, follow_redirects=False)


def test_an_order_on_its_page_from_the_deal_to_the_managers_decision(make_kernel: Any, web_client: Any) -> None:
    k = sales_kernel(make_kernel)
    u = people(k)
    goods = products(k)
    st = stages(k)
    opp = deal(k, u["sara"], "فرش لابی هتل", partner(k, u["sara"], "هتل پارسیان"), 250_000_000)
    sara = web_client(k, "sara")
    assert "سفارش فروش تازه" in sara.get(f"/sales/opportunity/{opp}").text
    so = create_record(k, u["sara"], "sales.order", opportunity_id=opp)
    page = f"/sales/order/{so}"
    bad = post(sara, f"{page}/lines", page, product_id=goods["carpet"], quantity="دو")
    assert bad.status_code == 422 and "data-order-error" in bad.text and order_row(k, so).total == 0
    added = post(sara, f"{page}/lines", page, product_id=str(goods["carpet"]), quantity="۲", discount_percent="۵")
    assert added.status_code == 303 and order_row(k, so).total == 23_750_000
    html = sara.get(page).text
    assert "۲۳٬۷۵۰٬۰۰۰ ریال" in html and "ارسال برای تأیید" in html and "data-decide" not in html
    assert post(sara, f"{page}/submit", page).status_code == 303
    assert post(sara, f"{page}/decide", page, decision="approve").status_code == 403  # not a manager
    moved = post(sara, f"/sales/opportunity/{opp}/move", f"/sales/opportunity/{opp}/move",
                 stage_id=st["مذاکره"].id)
    assert moved.status_code == 422 and "تأیید سفارش فروش" in moved.text
    assert opportunity(k, opp).stage_id != st["مذاکره"].id

    maryam = web_client(k, "maryam")
    queue = maryam.get("/sales/order/?f_state=submitted").text
    assert f'href="/sales/order/{so}"' in queue
    empty = post(maryam, f"{page}/decide", page, decision="return", note=" ")
    assert empty.status_code == 422 and "بنویسید پیش از تأیید چه باید تغییر کند" in empty.text
    assert order_row(k, so).state == "submitted"
    assert "data-decide" in maryam.get(page).text
    assert post(maryam, f"{page}/decide", page, decision="approve").status_code == 303
    html = maryam.get(page).text
    assert 'data-state="approved"' in html and "Maryam" in html and "data-decide" not in html
    assert "صدور پیش‌فاکتور" not in html  # finance's permission, which the sales manager lacks
    moved = post(sara, f"/sales/opportunity/{opp}/move", f"/sales/opportunity/{opp}/move",
                 stage_id=st["مذاکره"].id)
    assert moved.status_code == 303 and opportunity(k, opp).stage_id == st["مذاکره"].id
    twice = post(maryam, f"{page}/decide", page, decision="approve")
    assert twice.status_code == 422 and "فقط سفارش فروشی که برای تأیید فرستاده شده" in twice.text
    deal_page = sara.get(f"/sales/opportunity/{opp}").text
    assert f'href="/sales/order/{so}"' in deal_page and 'data-order-state="approved"' in deal_page
