"""The board and its actions over HTTP, as the browser and its script use them."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.testing import create_record, csrf
from modules.sales.tests.sales_helpers import (
    ENGINES,
    deal,
    opportunity,
    partner,
    people,
    reason,
    sales_kernel,
    stages,
)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_board_page_in_persian_and_a_move_by_script(make_kernel: Any, web_client: Any, engine: str) -> None:
    k = sales_kernel(make_kernel, engine)
    u = people(k)
    st = stages(k)
    hotel = partner(k, u["sara"], "هتل پارسیان")
    first = deal(k, u["sara"], "فرش لابی", hotel, 850_000_000)
    deal(k, u["reza"], "فرش مسجد", partner(k, u["reza"], "هیئت امنا"), 1_000)
    c = web_client(k, "sara")
    page = c.get("/sales/board")
    assert page.status_code == 200
    html = page.text
    assert "تابلوی فروش" in html and "نیازسنجی" in html and "مذاکره" in html
    assert "فرش لابی" in html and "هتل پارسیان" in html and "۸۵۰٬۰۰۰٬۰۰۰" in html
    assert "فرش مسجد" not in html  # Reza's deal is not in Sara's scope
    token = csrf(c, "/sales/board")
    answer = c.post(f"/sales/opportunity/{first}/move", data={"stage_id": st["سفارش فروش"].id},
                    headers={"X-CSRF-Token": token, "Accept": "application/json"})
    assert answer.status_code == 200 and answer.json()["ok"] is True
    assert answer.json()["columns"][str(st["سفارش فروش"].id)] == {"count": "۱", "total": "۸۵۰٬۰۰۰٬۰۰۰ ریال"}
    refused = c.post(f"/sales/opportunity/{first}/move", data={"stage_id": st["مذاکره"].id},
                     headers={"X-CSRF-Token": token, "Accept": "application/json"})
    assert refused.status_code == 422
    assert refused.json()["error"] == "این مرحله نخست تأیید سفارش فروش از سوی مدیر را می‌خواهد"
    assert opportunity(k, first).stage_id == st["سفارش فروش"].id


def test_the_move_page_without_a_script_and_a_lost_deal(make_kernel: Any, web_client: Any) -> None:
    k = sales_kernel(make_kernel)
    u = people(k)
    st = stages(k)
    opp = deal(k, u["sara"], "فرش لابی", partner(k, u["sara"]))
    c = web_client(k, "sara")
    form = c.get(f"/sales/opportunity/{opp}/move")
    assert form.status_code == 200 and "انتخاب رقیب" in form.text
    no_reason = c.post(f"/sales/opportunity/{opp}/move", data={"stage_id": st["بازنده"].id,
                                                               "csrf": csrf(c, f"/sales/opportunity/{opp}/move")})
    assert no_reason.status_code == 422 and "علت از دست رفتن معامله را برگزینید" in no_reason.text
    done = c.post(f"/sales/opportunity/{opp}/move", follow_redirects=False,
                  data={"stage_id": st["بازنده"].id, "lost_reason_id": reason(k), "note": "قیمت",
                        "csrf": csrf(c, f"/sales/opportunity/{opp}/move")})
    assert done.status_code == 303 and opportunity(k, opp).outcome == "lost"


def test_qualifying_from_the_leads_page_with_an_amount_in_toman(make_kernel: Any, web_client: Any) -> None:
    from kernel.models import User

    k = sales_kernel(make_kernel)
    u = people(k)
    with k.session() as s:
        s.get(User, u["sara"]).money_unit = "toman"
    lead = create_record(k, u["sara"], "sales.lead", title="استعلام از وب‌سایت", contact_name="مریم کاظمی",
                         mobile="+989351112233", source="web")
    c = web_client(k, "sara")
    assert "تبدیل به فرصت فروش" in c.get(f"/sales/lead/{lead}/qualify").text
    bad = c.post(f"/sales/lead/{lead}/qualify", data={"title": "فرش", "expected_value": "نه",
                                                      "csrf": csrf(c, f"/sales/lead/{lead}/qualify")})
    assert bad.status_code == 422
    made = c.post(f"/sales/lead/{lead}/qualify", follow_redirects=False,
                  data={"title": "فرش پذیرایی", "expected_value": "۱۲٬۰۰۰٬۰۰۰",
                        "csrf": csrf(c, f"/sales/lead/{lead}/qualify")})
    assert made.status_code == 303
    opp_id = int(made.headers["location"].rsplit("/", 1)[1])
    assert (opportunity(k, opp_id).title, opportunity(k, opp_id).expected_value) == ("فرش پذیرایی", 120_000_000)
    assert "فرش پذیرایی" in c.get(f"/sales/opportunity/{opp_id}").text


def test_the_partners_profile_lists_their_open_deals_in_scope(make_kernel: Any, web_client: Any) -> None:
    from modules.sales.services.moves import move

    k = sales_kernel(make_kernel)
    u = people(k)
    st = stages(k)
    hotel = partner(k, u["sara"], "هتل پارسیان")
    deal(k, u["sara"], "فرش لابی", hotel, 850_000_000)
    lost = deal(k, u["sara"], "فرش رستوران", hotel, 10)
    from modules.sales.tests.sales_helpers import as_user

    actor = as_user(k, u["sara"])
    with k.session(actor) as s:
        move(k, s, actor, lost, st["بازنده"].id, lost_reason_id=reason(k))
    page = web_client(k, "sara").get(f"/base/partner/{hotel}/profile").text
    assert "معاملات باز" in page and "فرش لابی" in page and "نیازسنجی" in page and "۸۵۰٬۰۰۰٬۰۰۰ ریال" in page
    assert "فرش رستوران" not in page and "(۱ بسته)" in page


def test_a_deal_due_to_close_is_in_its_owners_work_queue(make_kernel: Any, web_client: Any) -> None:
    from kernel.timezone import local_today

    k = sales_kernel(make_kernel)
    u = people(k)
    hotel = partner(k, u["sara"])
    create_record(k, u["sara"], "sales.opportunity", title="قرارداد هتل امروز بسته شود", partner_id=hotel,
                        expected_close=local_today())
    create_record(k, u["sara"], "sales.opportunity", title="سال بعد", partner_id=hotel,
                  expected_close=local_today().replace(year=local_today().year + 1))
    queue = web_client(k, "sara").get("/tasks/kartable").text
    assert "قرارداد هتل امروز بسته شود" in queue and "سال بعد" not in queue
    assert "قرارداد هتل امروز بسته شود" not in web_client(k, "reza").get("/tasks/kartable").text



def test_a_new_opportunity_from_its_form_and_its_record_page(make_kernel: Any, web_client: Any) -> None:
    k = sales_kernel(make_kernel)
    u = people(k)
    hotel = partner(k, u["sara"], "هتل پارسیان")
    c = web_client(k, "sara")
    form = c.get(f"/sales/opportunity/new?partner_id={hotel}")
    assert form.status_code == 200 and 'name="stage_id"' not in form.text  # the stage moves on the board only
    made = c.post("/sales/opportunity/new", follow_redirects=False,
                  data={"title": "فرش رستوران", "partner_id": str(hotel), "expected_value": "۵۰۰٬۰۰۰٬۰۰۰",
                        "csrf": csrf(c, "/sales/opportunity/new")})
    assert made.status_code == 303
    page = c.get(made.headers["location"]).text
    assert "مرحله: نیازسنجی" in page and "جابه‌جایی روی تابلو" in page and "۵۰۰٬۰۰۰٬۰۰۰" in page
    lead = create_record(k, u["sara"], "sales.lead", title="استعلام", contact_name="کریمی")
    assert "تبدیل به فرصت فروش" in c.get(f"/sales/lead/{lead}").text
