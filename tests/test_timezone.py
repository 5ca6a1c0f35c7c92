"""People see and type Iran's wall clock; storage stays UTC."""

import datetime as dt

from kernel.fields import Field


def test_datetime_is_typed_and_shown_in_tehran_time_and_stored_in_utc():
    f = Field(kind="datetime").bind("at", None)
    stored = f.parse("۱۴۰۵/۰۹/۰۱ ۱۰:۳۰")
    assert stored == dt.datetime(2026, 11, 22, 7, 0)  # Tehran is UTC+3:30 all year since 1402
    assert f.display(stored, "fa") == "۱۴۰۵/۰۹/۰۱ ۱۰:۳۰"
    assert f.form_value(stored, "en") == "1405/09/01 10:30"
    assert f.display(stored, "en", tz="UTC") == "1405/09/01 07:00"


def test_history_times_in_pages_are_local(make_kernel, login_as):
    from starlette.testclient import TestClient

    from kernel.db import utcnow
    from kernel.persian.jalali import format_jalali
    from kernel.testing import create_user
    from kernel.timezone import to_local
    from kernel.web.app import build_app

    k = make_kernel()
    create_user(k, "admin", admin=True)
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        page = c.get("/admin/logins").text
    local = format_jalali(to_local(utcnow()), "fa", "datetime")
    assert local[:-1] in page  # minutes may tick over; the hour is the point
