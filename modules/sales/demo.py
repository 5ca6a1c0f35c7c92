"""Demo data of the sales module: leads from several sources and deals on every stage of the
seeded pipeline (one approved and in negotiation, one won, one lost with its reason), so the
board, the reports and the forgotten list have something to show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel.models import User
from kernel.timezone import local_today
from modules.base.models import Partner
from modules.sales.models import Lead, LostReason, Opportunity, Stage

DEMO_MARK = "sales.demo"
LEADS = (  # title, source, need level, status, contact, company, mobile
    ("استعلام قیمت فرش ۱۲۰۰ شانه برای هتل", "web", "high", "new", "آقای کریمی", "هتل پارسیان", "+989121112233"),
    ("درخواست نمایندگی در شیراز", "phone", "medium", "contacted", "خانم رحیمی", "", "+989171112233"),
    ("بازدیدکنندهٔ غرفهٔ نمایشگاه", "exhibition", "medium", "new", "آقای صالحی", "", "+989351112233"),
    ("معرفی از طرف مشتری قدیمی", "referral", "high", "contacted", "", "شرکت ساختمانی آرمان", None),
    ("پیامک پاسخ به کمپین نوروز", "sms", "low", "disqualified", "ناشناس", "", "+989901112233"),
)
DEALS = (  # title, stage, value in Rials, days to close, approved, lost
    ("۲۰ تخته فرش لابی هتل", "نیازسنجی", 850_000_000, 30, False, False),
    ("تجهیز دفتر مرکزی", "نیازسنجی", 120_000_000, 45, False, False),
    ("فرش نمازخانهٔ کارخانه", "سفارش فروش", 310_000_000, 20, False, False),
    ("سفارش عمدهٔ فروشگاه زنجیره‌ای", "سفارش فروش", 2_400_000_000, 15, False, False),
    ("فرش تالار پذیرایی", "مذاکره", 640_000_000, 10, True, False),
    ("قرارداد سالانهٔ تأمین", "قرارداد", 1_750_000_000, 5, True, False),
    ("فرش سالن همایش", "برنده", 480_000_000, -5, True, False),
    ("فرش ادارهٔ مرکزی بانک", "بازنده", 900_000_000, -10, False, True),
)


def load(kernel: Any, session: Any) -> str:
    if kernel.setting(session, DEMO_MARK, ""):
        return "already loaded"
    admin = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    partners = list(session.scalars(select(Partner.id).where(Partner.deleted_at.is_(None), Partner.kind == "company")
                                    .order_by(Partner.id).limit(len(DEALS))))
    if admin is None or not partners:
        return "no administrator or companies yet: nothing added"
    stages = {s.name: s for s in session.scalars(select(Stage))}
    reason = session.scalars(select(LostReason.id).order_by(LostReason.sequence)).first()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    today = local_today(kernel.config.timezone)
    for title, source, need, status, contact, company, mobile in LEADS:
        session.add(Lead(title=title, source=source, need_level=need, status=status, contact_name=contact or None,
                         company_name=company or None, mobile=mobile, owner_id=admin, created_by_id=admin,
                         last_activity_at=now - dt.timedelta(days=20 if status == "contacted" else 1)))
    for i, (title, stage_name, value, days, approved, lost) in enumerate(DEALS):
        stage = stages[stage_name]
        session.add(Opportunity(
            title=title, partner_id=partners[i % len(partners)], pipeline_id=stage.pipeline_id, stage_id=stage.id,
            position=1024.0 * (i + 1), expected_value=value, expected_close=today + dt.timedelta(days=days),
            probability=stage.probability, outcome=stage.outcome, owner_id=admin, created_by_id=admin,
            closed_at=now if stage.outcome != "open" else None, lost_reason_id=reason if lost else None,
            approved_at=now if approved else None, approved_by_id=admin if approved else None,
            last_activity_at=now - dt.timedelta(days=2 * i)))
    session.flush()
    from modules.sales import demo_orders

    orders = demo_orders.add(kernel, session, admin, today, now)
    kernel.set_setting(session, DEMO_MARK, "1")
    return f"{len(LEADS)} leads, {len(DEALS)} opportunities and {orders} sales orders added"
