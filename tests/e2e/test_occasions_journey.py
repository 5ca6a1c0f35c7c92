"""The administrator confirms a year's occasions in Persian: a wrong Hijri date is refused, the
day is moved, a closure is declared, and Gregorian dates are shown beside Jalali ones (KER-19)."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from test_browser_smoke import login

from kernel.occasions import Occasion, is_holiday

pytestmark = pytest.mark.browser


def test_the_administrator_confirms_the_lunar_dates_of_1405(page: Any, live_server: Any, tmp_path: Path,
                                                           monkeypatch: Any) -> None:
    login(page, live_server)
    page.goto("/admin/occasions?year=1405")
    ashura = page.locator("tr[data-key=ashura]")
    expect(ashura).to_contain_text("۴ تیر ۱۴۰۵")
    expect(ashura).to_contain_text("۱۰ محرم ۱۴۴۸ ق")
    expect(ashura).to_contain_text("محاسبه‌شده")
    shot = tmp_path / "occasions.png"
    page.screenshot(path=str(shot), full_page=False)

    # The moon was seen a day later: the administrator types the Hijri date, first wrongly.
    ashura.get_by_role("link", name="ویرایش").click()
    expect(page).to_have_url(re.compile(r"/admin/occasions/\d+$"))
    page.fill("input[name=hijri]", "۱۴۴۸/۰۱/۳۰")
    page.get_by_role("button", name="ذخیره").click()
    expect(page.get_by_role("alert")).to_contain_text("ماه ۱ سال ۱۴۴۸ قمری ۲۹ روز است")
    page.screenshot(path=str(tmp_path / "occasion-error.png"))
    page.fill("input[name=hijri]", "")
    page.fill("input[name=date]", "۱۴۰۵/۰۴/۰۵")
    page.get_by_role("button", name="ذخیره").click()
    expect(page).to_have_url(re.compile(r"/admin/occasions\?year=1405$"))
    expect(ashura).to_contain_text("۵ تیر ۱۴۰۵")
    expect(ashura).to_contain_text("ویرایش‌شده توسط مدیر")

    # A closure for air pollution, declared as a holiday.
    form = page.locator("#add-occasion")
    form.locator("input[name=name]").fill("تعطیلی به دلیل آلودگی هوا")
    form.locator("input[name=date]").fill("۱۴۰۵/۰۹/۲۰")
    form.locator("input[name=holiday]").check()
    form.get_by_role("button", name="افزودن مناسبت").click()
    expect(page.locator("table.occasions")).to_contain_text("تعطیلی به دلیل آلودگی هوا")

    # The preference: Gregorian beside Jalali.
    page.goto("/preferences")
    page.get_by_label("نمایش تاریخ میلادی در کنار تاریخ شمسی").check()
    page.get_by_role("button", name="ذخیره").click()
    page.goto("/admin/occasions?year=1405")
    expect(page.locator("tr[data-key=ashura]")).to_contain_text("۵ تیر ۱۴۰۵ \u2066(2026-06-26)\u2069")
    page.screenshot(path=str(tmp_path / "occasions-gregorian.png"))
    page.locator("#month-start").screenshot(path=str(tmp_path / "month-start.png"))

    # The dashboard in the week of the closure (the server runs in this process).
    from kernel.occasions import hooks

    monkeypatch.setattr(hooks, "now", lambda: dt.datetime(2026, 12, 7, 6, 0))
    page.goto("/")
    block = page.locator("[data-block='kernel.occasions_week']")
    expect(block).to_contain_text("مناسبت‌های این هفته")
    expect(block.locator("li.holiday")).to_contain_text("تعطیلی به دلیل آلودگی هوا")
    expect(block).to_contain_text("۲۰ آذر ۱۴۰۵ \u2066(2026-12-11)\u2069")
    page.screenshot(path=str(tmp_path / "dashboard.png"))

    with live_server.kernel.sessions() as s:
        row = s.scalars(select(Occasion).where(Occasion.year == 1405, Occasion.key == "ashura")).one()
        assert row.date == dt.date(2026, 6, 26)
        assert is_holiday(s, dt.date(2026, 12, 11))
    print(f"screenshots in {tmp_path}")
