"""Teams at several levels on the board and the SAL-05 reports, on both engines, numbers checked.

Max Rahkar's shape: the manager's team «فروش» over two regional teams «شمال» and «جنوب». Boss
(scope team, فروش) sees every deal below; North (scope team, شمال) sees Sara's; Reza (scope team,
جنوب) sees only his own team's — not the parent's, not the sibling's.

Deals (this month): Sara — A 3,000,000 to «سفارش فروش» then won, B 1,000,000 to «سفارش فروش»
then lost, C 9,000,000 open; Reza — D 5,000,000 to «سفارش فروش», E 2,000,000 qualified from a
web lead and won; Boss — F open. Leads: Reza's two from the web (one qualified: E), one by phone.
Invoices: Sara sells 4 carpets at 2,000 (bought 10 at 1,000: cost 4,000), Reza a rug never bought
(cost unknown).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kernel import utcnow
from kernel.actor import SYSTEM
from kernel.models import Team
from kernel.persian.jalali import format_jalali
from kernel.testing import actor_of, create_record, create_user, pdf_words
from kernel.timezone import local_today
from modules.sales.tests.sales_helpers import ENGINES, MANAGER, SELLER, partner, reason, stages

REPORTS = tuple(f"sales.{r}.report" for r in ("agents", "conversion_stage", "conversion_source", "profit", "customers"))
FINANCE = ("finance.invoice.*", "finance.product.view", "finance.price.override")


def _world(k: Any) -> dict[str, Any]:
    from modules.base.models import PartnerRole
    from modules.finance.services import purchases
    from modules.finance.services.issuing import invoice_directly
    from modules.sales.services.moves import move
    from modules.sales.services.qualify import qualify

    u = {"boss": create_user(k, "boss", perms=(*MANAGER, *REPORTS, *FINANCE), scope="team", team="فروش"),
         "north": create_user(k, "north", perms=(*MANAGER, *REPORTS, *FINANCE), scope="team", team="شمال"),
         "sara": create_user(k, "sara", perms=(*SELLER, *REPORTS, *FINANCE), scope="own", team="شمال"),
         "reza": create_user(k, "reza", perms=(*SELLER, *REPORTS, *FINANCE), scope="team", team="جنوب")}
    with k.session() as s:
        teams = {t.name: t for t in s.scalars(select(Team))}
        teams["شمال"].parent_id = teams["جنوب"].parent_id = teams["فروش"].id
    st = stages(k)
    hotel, mosque, office = partner(k, u["sara"], "هتل آسمان"), partner(k, u["reza"], "مسجد جامع"), partner(k, u["boss"], "دفتر مرکزی")

    def deal(who: str, title: str, customer: int, value: int) -> int:
        return create_record(k, u[who], "sales.opportunity", title=title, partner_id=customer, expected_value=value)

    d = {"A": deal("sara", "الف", hotel, 3_000_000), "B": deal("sara", "ب", hotel, 1_000_000),
         "C": deal("sara", "ج", hotel, 9_000_000), "D": deal("reza", "د", mosque, 5_000_000),
         "F": deal("boss", "و", office, 4_000_000)}
    web = create_record(k, u["reza"], "sales.lead", title="فرش تالار", source="web", partner_id=mosque)
    create_record(k, u["reza"], "sales.lead", title="فرش لابی", source="web", partner_id=mosque)
    create_record(k, u["reza"], "sales.lead", title="فرش اداری", source="phone", partner_id=mosque)
    for who, steps in (("sara", (("A", "سفارش فروش"), ("A", "برنده"), ("B", "سفارش فروش"), ("B", "بازنده"))),
                       ("reza", (("D", "سفارش فروش"),))):
        actor = actor_of(k, u[who])
        with k.session(actor) as s:
            for name, stage in steps:
                move(k, s, actor, d[name], st[stage].id, lost_reason_id=reason(k) if stage == "بازنده" else None)
    reza = actor_of(k, u["reza"])
    with k.session(reza) as s:
        d["E"] = int(qualify(k, s, reza, web, expected_value=2_000_000).id)
    with k.session(reza) as s:
        move(k, s, reza, d["E"], st["برنده"].id)
    create_record(k, u["sara"], "base.communication", partner_id=hotel, kind="call", subject="پیگیری", started_at=utcnow())
    create_record(k, u["sara"], "tasks.task", title="ارسال نمونه", progress=100)
    # Finance: 10 carpets bought at 1,000; Sara sells 4 at 2,000, Reza a rug never bought at 5,000.
    supplier = create_record(k, None, "base.partner", kind="company", name="نخ‌ریسی یزد")
    carpet = create_record(k, None, "finance.product", name="فرش ۷۰۰ شانه", kind="goods", price=2_000)
    rug = create_record(k, None, "finance.product", name="گلیم", kind="goods", price=5_000)
    today = local_today(k.config.timezone)
    with k.session() as s:
        s.add(PartnerRole(partner_id=supplier, role="supplier"))
    with k.session(SYSTEM) as s:
        bought = purchases.create_purchase(k, s, SYSTEM, {"partner_id": supplier, "date": today, "supplier_number": "F-1"},
                                           [{"product_id": carpet, "quantity": "10", "unit_cost": 1_000}])
        purchases.post(k, s, SYSTEM, bought.id)
    for who, customer, product, qty, price in (("sara", hotel, carpet, "4", 2_000), ("reza", mosque, rug, "1", 5_000)):
        actor = actor_of(k, u[who])
        with k.session(actor) as s:
            invoice_directly(k, s, actor, {"partner_id": customer, "date": today},
                             [{"product_id": product, "quantity": qty, "unit_price": price}])
    return {"u": u, "d": d, "today": today}


def _run(k: Any, user_id: int, query: Any, **params: str) -> list[list[Any]]:
    with k.sessions() as s:
        return [list(r) for r in query(s, actor_of(k, user_id), params, k, "fa")[1]]


@pytest.mark.parametrize("engine", ENGINES)
def test_teams_below_on_the_board_and_the_sales_reports(make_kernel: Any, web_client: Any, engine: str) -> None:
    from modules.sales import report_agents, report_conversion, report_customers, report_profit

    k = make_kernel(engine=engine, edition="tier4", packages=("modules.sales",))
    w = _world(k)
    u = w["u"]

    # The board of each level: the manager sees the teams below, a region its agents, an agent's
    # team (scope team) neither the parent's deals nor the sibling region's.
    def board(who: str) -> set[str]:
        page = web_client(k, who).get("/sales/board").text
        return {t for t in ("الف", "ب", "ج", "د", "و") if f">{t}<" in page}

    # A card's next task, read within the reader's scope of tasks: not a task of nobody's.
    create_record(k, u["sara"], "tasks.task", title="تماس دوباره", link_resource="sales.opportunity", link_id=w["d"]["C"])
    create_record(k, None, "tasks.task", title="کار بی‌صاحب", link_resource="sales.opportunity", link_id=w["d"]["C"])
    north = web_client(k, "north").get("/sales/board").text
    assert "تماس دوباره" in north and "کار بی‌صاحب" not in north
    assert board("boss") == {"ج", "د", "و"}
    assert board("north") == {"ج"}
    assert board("reza") == {"د"}

    # Conversion by stage (open stages in order, then won): reached, went on, rate.
    rows = _run(k, u["boss"], report_conversion.by_stage)
    assert rows == [["نیازسنجی", 6, 4, "۶۷٪"], ["سفارش فروش", 4, 2, "۵۰٪"], ["مذاکره", 2, 2, "۱۰۰٪"],
                    ["قرارداد", 2, 2, "۱۰۰٪"], ["برنده", 2, "", "۳۳٪"]]
    assert _run(k, u["north"], report_conversion.by_stage)[:2] == [["نیازسنجی", 3, 2, "۶۷٪"], ["سفارش فروش", 2, 1, "۵۰٪"]]

    # Conversion by lead source.
    assert _run(k, u["boss"], report_conversion.by_source) == [
        ["وب‌گاه", 2, 1, "۵۰٪", 1, "۱۰۰٪", "۲٬۰۰۰٬۰۰۰ ریال"], ["تماس تلفنی", 1, 0, "۰٪", 0, "—", "۰ ریال"]]

    # The agents' evaluation, per salesperson and per team; an agent's own team only.
    by_agent = {r[0]: r[1:] for r in _run(k, u["boss"], report_agents.agents)}
    assert by_agent["Sara"] == ["شمال", 1, 1, 0, 0, 3, 1, 1, "۵۰٪", "۳٬۰۰۰٬۰۰۰ ریال", "۸٬۰۰۰ ریال"]
    assert by_agent["Reza"] == ["جنوب", 0, 0, 3, 1, 2, 1, 0, "۱۰۰٪", "۲٬۰۰۰٬۰۰۰ ریال", "۵٬۰۰۰ ریال"]
    assert by_agent["Boss"][5] == 1 and set(by_agent) == {"Sara", "Reza", "Boss"}
    by_team = {r[0]: r[1:] for r in _run(k, u["boss"], report_agents.agents, by="team")}
    assert by_team["شمال"][4:7] == [3, 1, 1] and by_team["جنوب"][2:4] == [3, 1] and by_team["فروش"][4] == 1
    assert [r[0] for r in _run(k, u["reza"], report_agents.agents)] == ["Reza"]

    # Profit: revenue less the cost finance kept on each line; a line without cost says so.
    assert _run(k, u["boss"], report_profit.profit) == [
        ["Sara", 8_000, 4_000, 4_000, Decimal("50.0"), ""], ["Reza", 5_000, 0, "—", "—", "هزینه نامعلوم"],
        ["جمع", 13_000, 4_000, 4_000, "", ""]]
    assert _run(k, u["boss"], report_profit.profit, by="team")[0] == ["شمال", 8_000, 4_000, 4_000, Decimal("50.0"), ""]

    # Customer behaviour: most deals first; cycles of deals closed the day they opened are 0 days.
    last = format_jalali(w["today"], lang="fa")
    assert _run(k, u["boss"], report_customers.customers) == [
        ["هتل آسمان", 3, 1, 1, "۰", "۳٬۰۰۰٬۰۰۰ ریال", last], ["مسجد جامع", 2, 1, 0, "۰", "۲٬۰۰۰٬۰۰۰ ریال", last],
        ["دفتر مرکزی", 1, 0, 0, "—", "—", "—"]]

    # Through the pages: Persian on screen, numbers in the sheet, the PDF; a bad period refused.
    boss = web_client(k, "boss")
    page = boss.get("/reports/sales.conversion_stage")
    assert page.status_code == 200 and "۶۷٪" in page.text and "نرخ تبدیل در هر مرحله" in page.text
    sheet = load_workbook(io.BytesIO(boss.get("/reports/sales.profit.xlsx").content)).active
    assert 13_000 in [c.value for row in sheet.iter_rows() for c in row]
    pdf = boss.get("/reports/sales.customers.pdf")
    assert pdf.status_code == 200 and "آسمان" in " ".join(pdf_words(pdf.content))
    refused = boss.get("/reports/sales.conversion_source", params={"from": "۱۴۰۵/۰۹/۲۰", "to": "۱۴۰۵/۰۹/۰۱"})
    assert "پایان پیش از شروع است" in refused.text
