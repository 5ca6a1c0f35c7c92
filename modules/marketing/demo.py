"""Demo data of the marketing module (``peyvand init --demo``): one SMS panel pointing at the fake
panel the app itself serves in a demo database (:mod:`modules.marketing.routes_fake_panel`), so
``make run`` sends, receives delivery reports and shows credit without a real panel account."""

from __future__ import annotations

import os
import secrets
from typing import Any

from sqlalchemy import select

from modules.marketing.models import Panel

DEMO_MARK = "marketing.fake_panel"  # the setting that switches the app's fake panel on
DEMO_KEY = "demo-key"


def demo_base_url(kernel: Any) -> str:
    root = kernel.config.public_url or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
    return f"{root}/marketing/fake-panel"


def load(kernel: Any, session: Any) -> str:
    if kernel.setting(session, DEMO_MARK, False):
        return "already loaded"
    if session.scalar(select(Panel.id).where(Panel.name == "پنل آزمایشی")) is None:
        session.add(Panel(name="پنل آزمایشی", kind="kavenegar", base_url=demo_base_url(kernel), api_key=DEMO_KEY,
                          sender="10004346", is_default=True, per_second=500, batch_size=100,
                          webhook_token=secrets.token_urlsafe(24)))
    kernel.set_setting(session, DEMO_MARK, True)
    return "1 SMS panel (the built-in fake Kavenegar panel) added"
