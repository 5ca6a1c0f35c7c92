"""Demo data of the tasks module: a colleague, a day's worth of tasks about the demo partners,
tasks referred both ways and two recurring reminders, so the work queue is not empty."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import select

from kernel import create_reminder, security
from kernel.models import Role, RolePermission, User
from kernel.persian.jalali import jalali_to_date, to_jalali
from kernel.timezone import local_today, to_utc
from modules.base.models import Partner
from modules.tasks.models import Task
from modules.tasks.services import referral_alarm

DEMO_MARK = "tasks.demo"
COLLEAGUE = "sara"
SALES_PERMS = ("tasks.task.", "kernel.reminder.", "kernel.daily_report.", "base.partner.", "base.communication.",
               "base.contact.", "base.address.", "base.employment.", "base.daily.report",
               "base.communications_summary.report")
TASKS = (  # (title, days from today, hour, progress, priority, referred to the colleague)
    ("پیگیری پیش‌فاکتور هتل", -2, 11, 30, "high", False),
    ("تماس برای تمدید قرارداد پشتیبانی", -1, 16, 0, "urgent", False),
    ("ارسال کاتالوگ محصولات جدید", 0, 10, 0, "normal", False),
    ("هماهنگی جلسه‌ی معرفی با مدیر خرید", 0, 14, 50, "high", False),
    ("بررسی شکایت مشتری درباره‌ی تأخیر ارسال", 0, 17, 20, "urgent", False),
    ("بازدید از فروشگاه شعبه‌ی اصفهان", 1, 10, 0, "normal", False),
    ("تهیه‌ی گزارش فروش فصل", 3, 12, 0, "normal", False),
    ("تماس تبریک سالگرد همکاری", 5, 9, 0, "low", False),
    ("پیگیری چک برگشتی", -3, 12, 100, "high", False),
    ("ارسال نمونه‌ی کالا برای مشتری جدید", 1, 11, 0, "normal", True),
    ("تماس با مشتریان غیرفعال سه ماه اخیر", 2, 15, 60, "normal", True),
    ("به‌روزرسانی شماره‌های تماس پرونده‌ها", -1, 13, 100, "low", True),
)


def _at(days: int, hour: int, tz: str) -> dt.datetime:
    return to_utc(dt.datetime.combine(local_today(tz) + dt.timedelta(days=days), dt.time(hour)), tz)


def _colleague(kernel: Any, session: Any) -> tuple[User, str]:
    user = session.scalars(select(User).where(User.username == COLLEAGUE)).first()
    if user is not None:
        return user, ""
    password = secrets.token_urlsafe(9)
    user = security.create_user(kernel, session, COLLEAGUE, password, full_name="سارا احمدی")
    perms = [RolePermission(permission=p) for p in sorted(kernel.permissions) if p.startswith(SALES_PERMS)]
    role = session.scalars(select(Role).where(Role.name == "کارشناس فروش")).first() or Role(
        name="کارشناس فروش", record_scope="all", permissions=perms)
    user.roles = [role]
    return user, password


def load(kernel: Any, session: Any) -> str:
    if kernel.setting(session, DEMO_MARK, ""):
        return "already loaded"
    admin_id = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    if admin_id is None:
        return "no administrator yet: nothing added"
    colleague, password = _colleague(kernel, session)
    tz = kernel.config.timezone
    partners = list(session.scalars(select(Partner.id).where(Partner.deleted_at.is_(None)).order_by(Partner.id).limit(40)))
    for i, (title, days, hour, progress, priority, referred) in enumerate(TASKS):
        task = Task(title=title, due_at=_at(days, hour, tz), progress=progress, priority=priority,
                    partner_id=partners[i % len(partners)] if partners else None, owner_id=admin_id,
                    created_by_id=admin_id, assignee_id=colleague.id if referred else admin_id)
        if referred:
            task.referred_by_id, task.referred_at = admin_id, _at(-1, 9, tz)
        session.add(task)
    # The colleague refers one task to the administrator: it is in his queue with an alarm.
    to_admin = Task(title="تأیید تخفیف ویژه‌ی مشتری عمده", due_at=_at(0, 12, tz), progress=0, priority="high",
                    owner_id=colleague.id, created_by_id=colleague.id, assignee_id=admin_id,
                    referred_by_id=colleague.id, referred_at=_at(0, 8, tz), internal=True)
    session.add(to_admin)
    session.flush()
    referral_alarm(session, to_admin)
    next_month = to_jalali(local_today(tz))
    year, month = (next_month.year + 1, 1) if next_month.month == 12 else (next_month.year, next_month.month + 1)
    first_of_month = to_utc(dt.datetime.combine(jalali_to_date(year, month, 1), dt.time(9)), tz)
    create_reminder(session, user_id=admin_id, owner_id=admin_id, at=first_of_month, repeat="monthly",
                    title="گزارش ماهانه‌ی فروش به مدیریت")
    create_reminder(session, user_id=admin_id, owner_id=admin_id, at=_at(1, 8, tz), repeat="daily",
                    title="مرور کارتابل و وظایف امروز")
    kernel.set_setting(session, DEMO_MARK, "1")
    login = f"; colleague login: '{COLLEAGUE}' / '{password}'" if password else ""
    return f"{len(TASKS) + 1} tasks and 2 reminders added{login}"
