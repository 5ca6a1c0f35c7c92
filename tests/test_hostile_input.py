"""Nothing a client can send answers 500 (issue 9, item 7): each input that did is answered
4xx with a message, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from kernel.testing import create_user, csrf
from kernel.web.app import build_app

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
HUGE = "99999999999999999999"


@pytest.fixture(params=ENGINES)
def admin(request, make_kernel, login_as):
    kernel = make_kernel(engine=request.param)
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel), raise_server_exceptions=False) as c:
        login_as(c, "admin")
        c.headers["x-csrf-token"] = csrf(c)
        yield c


def test_ids_and_numbers_beyond_64_bits(admin):
    assert admin.get(f"/api/base/partner/{HUGE}").status_code == 404
    assert admin.get(f"/base/partner/{HUGE}").status_code == 404
    listed = admin.get("/api/base/partner", params={"f_province_id": HUGE})
    assert listed.status_code == 422 and "بیش از حد بزرگ" in listed.text or "too large" in listed.text
    page = admin.get("/base/partner/", params={"f_province_id": HUGE})
    assert page.status_code < 500
    made = admin.post("/api/base/partner", json={"kind": "company", "name": "شرکت", "province_id": 2**70})
    assert made.status_code == 422 and "province_id" in made.json()["errors"]


def test_nul_bytes_in_searches(admin):
    for path in ("/api/base/partner", "/base/partner/", "/search"):
        resp = admin.get(path, params={"q": "شرکت\x00آریا"})
        assert resp.status_code == 200, (path, resp.status_code)


def test_hand_made_page_cursors(admin):
    # [[1, 2], 3]: a list where the name should be; a number too long for an id; plain garbage.
    for cursor in ("W1sxLCAyXSwgM10", "WyJhIiwgOTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ", "%%%", "bnVsbA"):
        api = admin.get("/api/base/partner", params={"after": cursor})
        page = admin.get("/base/partner/", params={"after": cursor})
        assert api.status_code == 400 and "page link" in api.text, cursor
        assert page.status_code < 500, cursor


def test_dates_out_of_range_in_the_api(admin):
    jalali_by_mistake = admin.post("/api/base/partner", json={"kind": "person", "first_name": "سارا",
                                                              "last_name": "احمدی", "birthday": "1403-12-30"})
    assert jalali_by_mistake.status_code == 422
    assert "Gregorian" in jalali_by_mistake.json()["errors"]["birthday"]
    ancient = admin.post("/api/base/communication", json={"kind": "call", "subject": "x",
                                                          "started_at": "0001-01-01T00:00:00+05:00"})
    assert ancient.status_code == 422
