"""Leads, opportunities and the board's rules (SAL-01, SAL-02, SAL-03's approval), through the
services every page and the API use, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kernel import InputError
from kernel.models import History
from kernel.testing import create_record
from modules.sales.tests.sales_helpers import (
    ENGINES,
    as_user,
    deal,
    opportunity,
    partner,
    people,
    reason,
    sales_kernel,
    stages,
)


def run(kernel: Any, user_id: int, fn: Any, *args: Any, **kw: Any) -> Any:
    actor = as_user(kernel, user_id)
    with kernel.session(actor) as session:
        return fn(kernel, session, actor, *args, **kw)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_new_opportunity_takes_its_customer_types_pipeline_and_the_first_open_stage(make_kernel: Any,
                                                                                     engine: str) -> None:
    k = sales_kernel(make_kernel, engine)
    u = people(k)
    st = stages(k)
    company = partner(k, u["sara"])
    first = deal(k, u["sara"], "۲۰ تخته فرش برای هتل", company, 850_000_000)
    second = deal(k, u["sara"], "فرش لابی", company)
    a, b = opportunity(k, first), opportunity(k, second)
    assert (a.stage_id, a.probability, a.outcome) == (st["نیازسنجی"].id, 10, "open")
    assert b.position > a.position  # the end of the column
    # A pipeline kept for people: a person's deal goes there, a company's stays in the default one.
    people_pipe = create_record(k, None, "sales.pipeline", name="فروش خرد", customer_kind="person", sequence=5)
    create_record(k, None, "sales.stage", pipeline_id=people_pipe, name="تماس اول", sequence=10, probability=20)
    person = partner(k, u["sara"], "علی رضایی", kind="person")
    retail = opportunity(k, deal(k, u["sara"], "فرش اتاق خواب", person))
    assert (retail.pipeline_id, retail.probability) == (people_pipe, 20)
    assert opportunity(k, deal(k, u["sara"], "فرش سالن", company)).pipeline_id == a.pipeline_id


@pytest.mark.parametrize("engine", ENGINES)
def test_qualifying_a_lead_makes_the_partner_and_the_opportunity_once(make_kernel: Any, engine: str) -> None:
    from modules.base.models import Partner
    from modules.sales.models import Lead
    from modules.sales.services.qualify import qualify

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    lead = create_record(k, u["sara"], "sales.lead", title="استعلام قیمت از وب‌سایت", source="web",
                         company_name="هتل پارسیان", contact_name="آقای کریمی", mobile="+989121234567",
                         need_level="high", needs="۲۰۰ متر فرش ۱۲۰۰ شانه")
    opp = run(k, u["sara"], qualify, lead, expected_value=900_000_000)
    with k.sessions() as s:
        row = s.get(Lead, lead)
        made = s.get(Partner, opp.partner_id)
        assert (row.status, row.opportunity_id, row.partner_id) == ("qualified", opp.id, made.id)
        assert (made.kind, made.name, made.mobile) == ("company", "هتل پارسیان", "+989121234567")
    assert (opp.lead_id, opp.needs, opp.expected_value) == (lead, "۲۰۰ متر فرش ۱۲۰۰ شانه", 900_000_000)
    with pytest.raises(InputError, match="already an opportunity"):
        run(k, u["sara"], qualify, lead)
    dropped = create_record(k, u["sara"], "sales.lead", title="تبلیغ", contact_name="ناشناس", status="disqualified")
    with pytest.raises(InputError, match="disqualified"):
        run(k, u["sara"], qualify, dropped)
    with k.sessions() as s:
        assert s.scalar(select(Lead.opportunity_id).where(Lead.id == dropped)) is None


def test_a_lead_needs_a_partner_or_a_name(make_kernel: Any) -> None:
    from kernel.records import FormErrors

    k = sales_kernel(make_kernel)
    u = people(k)
    with pytest.raises(FormErrors) as refused:
        create_record(k, u["sara"], "sales.lead", title="بی‌نام")
    assert "contact_name" in refused.value.errors


@pytest.mark.parametrize("engine", ENGINES)
def test_negotiation_waits_for_the_managers_approval_and_lost_needs_a_reason(make_kernel: Any, engine: str) -> None:
    from modules.sales.services import orders
    from modules.sales.services.moves import move
    from modules.sales.tests.order_helpers import products

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    st = stages(k)
    opp = deal(k, u["sara"], "۲۰ تخته فرش برای هتل", partner(k, u["sara"]), 850_000_000)
    run(k, u["sara"], move, opp, st["سفارش فروش"].id)
    with pytest.raises(InputError, match="approval"):
        run(k, u["sara"], move, opp, st["مذاکره"].id)
    assert opportunity(k, opp).stage_id == st["سفارش فروش"].id  # nothing changed
    so = create_record(k, u["sara"], "sales.order", opportunity_id=opp)  # the approval is the order's
    run(k, u["sara"], orders.add_line, so, products(k)["carpet"], "20")
    run(k, u["sara"], orders.submit, so)
    run(k, u["maryam"], orders.approve, so)
    moved = run(k, u["sara"], move, opp, st["مذاکره"].id)
    assert (moved.stage_id, moved.probability, moved.approved_by_id) == (st["مذاکره"].id, 60, u["maryam"])
    with pytest.raises(InputError, match="why the deal was lost"):
        run(k, u["sara"], move, opp, st["بازنده"].id)
    lost = run(k, u["sara"], move, opp, st["بازنده"].id, lost_reason_id=reason(k), note="رقیب ارزان‌تر داد")
    assert (lost.outcome, lost.probability, lost.close_note) == ("lost", 0, "رقیب ارزان‌تر داد")
    assert lost.closed_at is not None and lost.lost_reason_id == reason(k)
    reopened = run(k, u["sara"], move, opp, st["قرارداد"].id)
    assert (reopened.outcome, reopened.closed_at, reopened.lost_reason_id) == ("open", None, None)
    won = run(k, u["sara"], move, opp, st["برنده"].id)
    assert (won.outcome, won.probability) == ("won", 100)
    with k.sessions() as s:  # every move is in the opportunity's history
        changes = s.scalars(select(History).where(History.table_name == "sales_opportunity",
                                                  History.record_id == opp)).all()
    assert len(changes) >= 7  # its creation and six moves


@pytest.mark.parametrize("engine", ENGINES)
def test_a_salesperson_moves_only_their_own_deals_and_a_stage_of_another_pipeline_is_refused(
        make_kernel: Any, engine: str) -> None:
    from kernel import NotFound
    from modules.sales.services.moves import move

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    st = stages(k)
    rezas = deal(k, u["reza"], "فرش مسجد", partner(k, u["reza"], "هیئت امنا"))
    with pytest.raises(NotFound):
        run(k, u["sara"], move, rezas, st["قرارداد"].id)
    other = create_record(k, None, "sales.pipeline", name="پروژه‌ها", sequence=50)
    foreign = create_record(k, None, "sales.stage", pipeline_id=other, name="طراحی", sequence=10)
    with pytest.raises(InputError, match="stage of this opportunity's pipeline"):
        run(k, u["reza"], move, rezas, foreign)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_board_shows_each_users_scope_in_order_with_column_totals(make_kernel: Any, engine: str) -> None:
    from modules.sales.services.board import board
    from modules.sales.services.moves import move

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    st = stages(k)
    hotel = partner(k, u["sara"])
    a = deal(k, u["sara"], "الف", hotel, 100)
    b = deal(k, u["sara"], "ب", hotel, 200)
    c = deal(k, u["sara"], "ج", hotel, 300)
    deal(k, u["reza"], "رضا", partner(k, u["reza"], "مسجد"), 1_000)
    run(k, u["sara"], move, c, st["نیازسنجی"].id, before_id=b)  # dropped between الف and ب
    pipeline = opportunity(k, a).pipeline_id

    def columns(user: str) -> dict[str, tuple[list[str], int, int]]:
        actor = as_user(k, u[user])
        with k.sessions() as s:
            found = board(k, s, actor, pipeline)
        return {col.stage.name: ([card.title for card in col.cards], col.count, col.total) for col in found.columns}

    saras = columns("sara")
    assert saras["نیازسنجی"] == (["الف", "ج", "ب"], 3, 600)
    assert list(saras) == ["نیازسنجی", "سفارش فروش", "مذاکره", "قرارداد"]  # won and lost are off the board
    assert columns("maryam")["نیازسنجی"][1:] == (4, 1_600)  # the manager sees the team's


def test_my_deal_with_a_colleagues_customer_stays_on_my_board(make_kernel: Any) -> None:
    from modules.sales.models import Opportunity
    from modules.sales.services.board import board

    k = sales_kernel(make_kernel)
    u = people(k)
    rezas_customer = partner(k, u["reza"], "مشتری رضا")
    mine = deal(k, u["maryam"], "فرش برای مشتری رضا", rezas_customer, 500)
    with k.session() as s:  # the manager hands the deal to Sara; the customer stays Reza's
        s.get(Opportunity, mine).owner_id = u["sara"]
    actor = as_user(k, u["sara"])
    with k.sessions() as s:
        found = board(k, s, actor, opportunity(k, mine).pipeline_id)
    [card] = found.columns[0].cards
    assert card.id == mine
    assert found.titles[("base.partner", rezas_customer)] != "مشتری رضا"  # the customer is not named


@pytest.mark.parametrize("engine", ENGINES)
def test_a_role_limited_to_a_province_sees_the_deals_and_leads_of_its_customers_there(make_kernel: Any,
                                                                                     engine: str) -> None:
    from kernel.models import Role
    from kernel.testing import create_user
    from modules.base.models import Province, RoleProvince
    from modules.sales.models import Lead, Opportunity

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    with k.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh])
        s.flush()
        places = {"isf": isf.id, "teh": teh.id}
    isfahan = create_user(k, "isfahan", perms=("sales.opportunity.view", "sales.lead.*", "base.partner.view"))
    with k.session() as s:
        role = s.scalars(select(Role).where(Role.name == "role-isfahan")).one()
        s.add(RoleProvince(role_id=role.id, province_id=places["isf"]))
    there = create_record(k, u["maryam"], "base.partner", kind="company", name="فرش کاشان", province_id=places["isf"])
    elsewhere = create_record(k, u["maryam"], "base.partner", kind="company", name="هتل تهران", province_id=places["teh"])
    deal(k, u["maryam"], "معامله اصفهان", there)
    deal(k, u["maryam"], "معامله تهران", elsewhere)
    create_record(k, u["maryam"], "sales.lead", title="سرنخ اصفهان", partner_id=there)
    create_record(k, u["maryam"], "sales.lead", title="سرنخ تهران", partner_id=elsewhere)
    create_record(k, u["maryam"], "sales.lead", title="استعلام بی‌جا", contact_name="ناشناس")
    create_record(k, isfahan, "sales.lead", title="استعلام خودم", contact_name="ناشناس")
    actor = as_user(k, isfahan)
    with k.sessions() as s:
        deals = s.scalars(k.scoped_select(actor, Opportunity).with_only_columns(Opportunity.title)).all()
        leads = s.scalars(k.scoped_select(actor, Lead).with_only_columns(Lead.title).order_by(Lead.id)).all()
    assert deals == ["معامله اصفهان"]
    assert leads == ["سرنخ اصفهان", "استعلام خودم"]
