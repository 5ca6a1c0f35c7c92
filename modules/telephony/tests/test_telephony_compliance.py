"""The compliance report (FAQ 19): answered incoming calls of known partners with no
communication logged for that partner within N minutes after the call ended, per user and day;
a call drops out once logged; the N-minute edge; the record scope; the page and its xlsx."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from kernel.testing import actor_of, create_record, create_user, csrf_of
from modules.telephony.tests.telephony_helpers import ENGINES, add_device, add_partner, telephony_kernel
from modules.telephony.tests.test_telephony_calls import incoming

T0 = dt.datetime(2026, 12, 7, 7, 0)  # 1405/09/16 10:30 in Tehran
DAY = "۱۴۰۵/۰۹/۱۶"
REPORT = "/reports/telephony.compliance"


def _world(k: Any) -> dict[str, Any]:
    from modules.telephony.models import Extension
    from modules.telephony.sink import record_event

    w: dict[str, Any] = {"sara": create_user(k, "sara", perms=("telephony.call.*", "base.partner.*",
                                                                "base.communication.*", "telephony.compliance.report")),
                         # Reza sees only the partners he owns (none), and has no grant of the report.
                         "reza": create_user(k, "reza", perms=("telephony.call.view",), scope="own")}
    with k.session() as s:
        s.add_all([Extension(number="201", user_id=w["sara"]), Extension(number="202", user_id=w["reza"])])
    w["zahra"] = add_partner(k, "زهرا رضایی", mobile="+989121234567")
    w["mehdi"] = add_partner(k, "مهدی کریمی", mobile="+989351112233")
    w["nasrin"] = add_partner(k, "نسرین مرادی", mobile="+989191112233")
    device = add_device(k, "/dev/ttyUSB0")
    # Answered, 2 minutes long: Zahra to Sara, Mehdi to Reza, Nasrin to Sara a day later.
    w["a"] = record_event(k, device, incoming("09121234567", T0, "201", duration=120))
    w["b"] = record_event(k, device, incoming("09351112233", T0 + dt.timedelta(minutes=5), "202", duration=120))
    w["c"] = record_event(k, device, incoming("09191112233", T0 + dt.timedelta(days=1), "201", duration=120))
    # Never listed: a missed call, an unknown number.
    record_event(k, device, incoming("09121234567", T0 + dt.timedelta(hours=2), "201", duration=0))
    record_event(k, device, incoming("02144445555", T0 + dt.timedelta(hours=3), "201", duration=60))
    return w


def _comm(k: Any, partner: int, at: dt.datetime) -> int:
    return create_record(k, None, "base.communication", partner_id=partner, kind="call", direction="in",
                         subject="تماس", started_at=at)


def _rows(k: Any, reader: int, **params: str) -> list[list[Any]]:
    from modules.telephony.report_compliance import compliance

    with k.sessions() as s:
        _cols, rows = compliance(session=s, actor=actor_of(k, reader), params={"from": DAY, "to": "۱۴۰۵/۰۹/۱۷",
                                                                            **params}, kernel=k, lang="fa")
    return rows


@pytest.mark.parametrize("engine", ENGINES)
def test_unlogged_answered_calls_per_user_and_day_and_the_minutes_edge(make_kernel, engine):
    k = telephony_kernel(make_kernel, engine)
    w = _world(k)
    rows = _rows(k, w["sara"])
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        (DAY, "Reza", "۱۰:۳۵", "مهدی کریمی", "۲:۰۰"),
        (DAY, "Sara", "۱۰:۳۰", "زهرا رضایی", "۲:۰۰"),
        ("۱۴۰۵/۰۹/۱۷", "Sara", "۱۰:۳۰", "نسرین مرادی", "۲:۰۰")]
    assert str(rows[1][5]) == "ثبت تماس" and rows[1][5].__html__() == f'<a href="/telephony/call/{w["a"]}">ثبت تماس</a>'
    assert [r[3] for r in _rows(k, w["sara"], user=str(w["reza"]))] == ["مهدی کریمی"]
    # Zahra's call ended at 10:32; a note written exactly 30 minutes later counts, a second later
    # does not (with N = 30), but does with N = 31.
    _comm(k, w["mehdi"], T0 + dt.timedelta(minutes=5 + 2 + 30, seconds=1))
    _comm(k, w["zahra"], T0 + dt.timedelta(minutes=2 + 30))
    assert [r[3] for r in _rows(k, w["sara"])] == ["مهدی کریمی", "نسرین مرادی"]
    assert [r[3] for r in _rows(k, w["sara"], minutes="۳۱")] == ["نسرین مرادی"]
    # A note typed at 10:29 for the 10:30 call counts (typed times have no seconds); one of the
    # day before does not.
    _comm(k, w["nasrin"], T0 + dt.timedelta(days=1, seconds=-60))
    _comm(k, w["mehdi"], T0 - dt.timedelta(days=1))
    assert [r[3] for r in _rows(k, w["sara"])] == ["مهدی کریمی"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_call_drops_out_once_logged_and_a_deleted_note_brings_it_back(make_kernel, web_client, engine):
    from modules.base.models import Communication
    from modules.telephony.call_log import log_call
    from modules.telephony.models import Call

    k = telephony_kernel(make_kernel, engine)
    w = _world(k)
    assert "زهرا رضایی" in [r[3] for r in _rows(k, w["sara"])]
    client = web_client(k, "sara")
    token = csrf_of(client.get(f"/telephony/call/{w['a']}").text)
    assert client.post(f"/telephony/call/{w['a']}/log", data={"csrf": token},
                       follow_redirects=False).status_code == 303
    assert "زهرا رضایی" not in [r[3] for r in _rows(k, w["sara"])]
    with k.session() as s:
        s.get(Communication, s.get(Call, w["a"]).communication_id).deleted_at = T0
    assert "زهرا رضایی" in [r[3] for r in _rows(k, w["sara"])]
    with k.session(actor_of(k, w["sara"])) as s:
        log_call(k, s, actor_of(k, w["sara"]), w["a"], "")
    assert "زهرا رضایی" not in [r[3] for r in _rows(k, w["sara"])]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_report_page_its_xlsx_its_scope_and_a_bad_parameter(make_kernel, web_client, engine):
    k = telephony_kernel(make_kernel, engine)
    w = _world(k)
    client = web_client(k, "sara")
    page = client.get(REPORT, params={"from": DAY, "to": DAY})
    assert page.status_code == 200
    assert "تماس‌های پاسخ‌داده و ثبت‌نشده" in page.text and "زهرا رضایی" in page.text
    assert f'<a href="/telephony/call/{w["a"]}">ثبت تماس</a>' in page.text and "نسرین مرادی" not in page.text
    xlsx = client.get(REPORT + ".xlsx", params={"from": DAY, "to": DAY})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [DAY, "Sara", "۱۰:۳۰", "زهرا رضایی", "۲:۰۰", "ثبت تماس"] in values and sheet.sheet_view.rightToLeft
    bad = client.get(REPORT, params={"minutes": "۰"})
    assert bad.status_code == 400 and "دقیقه‌ها را عددی صحیح از ۱ تا ۱۴۴۰ بنویسید" in bad.text
    assert client.get(REPORT, params={"minutes": "x'; drop"}).status_code == 400
    # Without the report's own permission: 403; limited to his own partners, Reza is listed none.
    assert web_client(k, "reza").get(REPORT).status_code == 403
    assert _rows(k, w["reza"]) == []
