"""A tier-3 database in use (partners, an invoice with its departure date) that becomes tier 4 gains
marketing: every row is kept, marketing's tables and send categories arrive, models and migrations
agree, and the old data is usable at once — an SMS one day before the old invoice's end date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import inspect, select

from kernel import migrations
from kernel.db import utcnow
from kernel.jobs import run_due
from kernel.kernel import Kernel
from kernel.testing import actor_of, create_record, create_user
from kernel.timezone import local_today, to_utc
from modules.finance.services import issuing
from modules.marketing.tests.sms_helpers import drain

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_tier3_database_that_becomes_tier4_keeps_every_row_and_sends(make_kernel: Any, engine: str, tmp_path: Any,
                                                                      fake_panel: Any) -> None:
    from modules.base.models import Partner
    from modules.finance.models import Invoice
    from modules.marketing.models import Category, DateRule, Message
    from modules.marketing.testing import add_panel

    k = make_kernel(edition="tier3", engine=engine, home=tmp_path / "h")
    tz = k.config.timezone
    today = local_today(tz)
    boss = actor_of(k, create_user(k, "boss", admin=True))
    ali = create_record(k, None, "base.partner", kind="person", first_name="علی", last_name="رضایی",
                        mobile="+989121000001", gender="male")
    ticket = create_record(k, None, "finance.product", name="بلیت کیش", price=30_000_000, tax_exempt=True)
    with k.session(boss) as s:
        number = issuing.invoice_directly(k, s, boss, {"partner_id": ali, "date": today,
                                                       "end_date": today + dt.timedelta(days=1)},
                                          [{"product_id": ticket, "quantity": "1"}]).number
    assert "marketing_message" not in inspect(k.engine).get_table_names()
    bigger = Kernel(k.config.__class__(**{**k.config.__dict__, "edition": "tier4"}))
    migrations.upgrade(bigger)
    assert {"marketing_message", "marketing_send", "marketing_letter"} <= set(inspect(bigger.engine).get_table_names())
    assert migrations.diff(bigger) == []
    with bigger.sessions() as s:
        assert s.scalars(select(Partner.mobile)).all() == ["+989121000001"]
        assert s.scalars(select(Invoice.number)).all() == [number]
        reminder = s.scalars(select(Category.id).where(Category.name == "یادآوری پرداخت")).one()
    # The old invoice's departure date drives a new rule at once.
    add_panel(bigger, fake_panel)
    with bigger.session(boss) as s:
        s.add(DateRule(name="یادآوری پرواز", source="finance.invoice_end", days_before=1, category_id=reminder,
                       body="{name}، پرواز شما فردا است.", active=True, owner_id=boss.user_id))
    run_due(bigger, now=max(utcnow(), to_utc(dt.datetime.combine(today, dt.time(10, 0)), tz)))  # the rule's send
    drain(bigger)  # its batch to the panel
    with bigger.sessions() as s:
        sent = s.execute(select(Message.address, Message.body, Message.state)).one()
    assert sent == ("+989121000001", "جناب آقای علی رضایی، پرواز شما فردا است.", "sent")
    assert dict(fake_panel.state.sends_per_mobile) == {"09121000001": 1}
    bigger.engine.dispose()
