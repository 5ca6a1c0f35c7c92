"""API details (issue 10, item 2): dates are ISO Gregorian in 1900–2200, every date and
date-time field alike, and a Jalali date sent by mistake is refused with the Gregorian one to
send; the API's refusals follow ``Accept-Language`` (``fa`` → Persian, anything else English)."""

from __future__ import annotations

import pytest

from kernel.i18n import accept_language
from kernel.testing import create_user

PERMS = ("base.partner.*", "base.communication.*")


@pytest.fixture
def api(make_kernel, api_client):
    k = make_kernel()
    create_user(k, "sara", perms=PERMS)
    return api_client(k, "sara")


def _person(**extra):
    return {"kind": "person", "first_name": "زهرا", "last_name": "کریمی", **extra}


def test_a_jalali_date_is_refused_with_the_gregorian_to_send(api):
    resp = api.post("/api/base/partner", json=_person(birthday="1403/12/30"))  # was taken as Jalali
    assert resp.status_code == 422
    assert resp.json()["errors"]["birthday"] == (
        "Send a Gregorian date as YYYY-MM-DD (1403/12/30 looks like a Jalali date: send 2025-03-20)")
    no_such_day = api.post("/api/base/partner", json=_person(birthday="1403-12-31"))
    assert "1403-12-31 looks like a Jalali date" in no_such_day.json()["errors"]["birthday"]
    ok = api.post("/api/base/partner", json=_person(birthday="2025-03-20"))
    assert ok.status_code == 201 and ok.json()["birthday"] == "2025-03-20"


def test_every_datetime_field_takes_iso_gregorian_only(api):
    pid = api.post("/api/base/partner", json=_person()).json()["id"]
    sent = {"partner_id": pid, "kind": "call", "subject": "پیگیری"}
    # A Gregorian date-time without the "T" was read as a Jalali date and refused as one.
    ok = api.post("/api/base/communication", json={**sent, "started_at": "2025-03-21 10:00"})
    assert ok.status_code == 201, ok.text
    assert ok.json()["started_at"] == "2025-03-21T10:00:00"
    jalali = api.post("/api/base/communication", json={**sent, "started_at": "1403-12-30 10:00"})
    assert jalali.json()["errors"]["started_at"].endswith("send 2025-03-20 10:00)")
    far = api.post("/api/base/communication", json={**sent, "started_at": "2400-01-01T00:00:00"})
    assert far.json()["errors"]["started_at"].startswith("Send a Gregorian date and time as YYYY-MM-DDTHH:MM:SS")
    slashes = api.post("/api/base/communication", json={**sent, "follow_up_on": "2025/03/21"})
    assert slashes.json()["errors"]["follow_up_on"] == (
        "Send a Gregorian date as YYYY-MM-DD (ISO 8601), years 1900 to 2200")


def test_refusals_follow_accept_language(api):
    fa = {"accept-language": "fa-IR,fa;q=0.9,en;q=0.8"}
    missing = api.get("/api/base/partner/999999", headers=fa)
    assert (missing.status_code, missing.json()) == (404, {"error": "پیدا نشد"})
    assert api.get("/api/base/partner/999999").json() == {"error": "Not found"}
    bad = api.post("/api/base/partner", json=_person(birthday="1403/12/30", colour="آبی"), headers=fa)
    assert bad.status_code == 422
    assert bad.json()["errors"] == {
        "birthday": "تاریخ را میلادی و به شکل YYYY-MM-DD بفرستید (1403/12/30 تاریخ شمسی به نظر می‌رسد: 2025-03-20 را بفرستید)",
        "colour": "فیلد ناشناخته"}
    english = api.post("/api/base/partner", json={"kind": "person", "colour": 1},
                       headers={"accept-language": "en-US,fa;q=0.5"})
    assert english.json()["errors"]["colour"] == "Unknown field"
    body = api.post("/api/base/partner", content=b"[1]", headers={**fa, "content-type": "application/json"})
    assert body.status_code == 400 and body.json()["error"] == "بدنهٔ درخواست باید یک شیء JSON باشد"


def test_a_refusal_by_permission_follows_accept_language(make_kernel, api_client):
    k = make_kernel()
    create_user(k, "viewer", perms=("base.partner.view",))
    api = api_client(k, "viewer")
    denied = api.post("/api/base/partner", json=_person(), headers={"accept-language": "fa"})
    assert denied.status_code == 403 and denied.json()["error"] == "اجازهٔ انجام این کار را ندارید"
    assert api.post("/api/base/partner", json=_person()).json()["error"] == "You do not have permission to do this"


@pytest.mark.parametrize(("header", "lang"), [
    ("fa", "fa"), ("fa-IR", "fa"), ("FA-ir,en;q=0.5", "fa"), ("en;q=0.4, fa;q=0.9", "fa"), ("", "en"),
    ("en-US,fa;q=0.8", "en"), ("de", "en"), ("farsi", "en"), ("fa;q=abc, en;q=0.1", "en"),
])
def test_accept_language(header, lang):
    assert accept_language(header) == lang
