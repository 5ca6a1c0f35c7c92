"""Saved snippets (KER-14): personal and shared ones, the share permission, bad input refused
with a Persian message and nothing saved, and the pick/save tools on every long text field."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from kernel.models import History
from kernel.snippets import MAX_BODY, Snippet
from kernel.testing import create_user, csrf
from kernel.web.app import build_app

PERMS = ("base.partner.*", "base.communication.*")


@pytest.fixture
def app_kernel(make_kernel: Any) -> Any:
    kernel = make_kernel(edition="tier2")  # tier 1 has two seats
    create_user(kernel, "sara", perms=PERMS)
    create_user(kernel, "reza", perms=PERMS)
    create_user(kernel, "lead", perms=(*PERMS, "kernel.snippet.share"))
    return kernel


def logged_in(kernel: Any, username: str, login_as: Any) -> TestClient:
    client = TestClient(build_app(kernel), base_url="http://testserver")
    return login_as(client, username)


def post(client: TestClient, data: dict[str, Any]) -> Any:
    return client.post("/snippets", json=data, headers={"x-csrf-token": csrf(client), "accept": "application/json"})


def count(kernel: Any) -> int:
    with kernel.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Snippet)) or 0)


def test_a_personal_snippet_is_its_owners_only(app_kernel: Any, login_as: Any) -> None:
    sara = logged_in(app_kernel, "sara", login_as)
    reply = post(sara, {"title": "", "body": "پیش‌فاکتور را بررسی کردند\nو تا هفتهٔ بعد خبر می‌دهند"})
    assert reply.status_code == 201, reply.text
    item = reply.json()
    assert item["title"] == "پیش‌فاکتور را بررسی کردند"  # the first line when no title is given
    assert item["mine"] and not item["shared"]
    assert [s["id"] for s in sara.get("/snippets").json()["items"]] == [item["id"]]
    assert sara.get("/snippets?q=هفته").json()["items"][0]["id"] == item["id"]
    assert sara.get("/snippets?q=ناموجود").json()["items"] == []
    reza = logged_in(app_kernel, "reza", login_as)
    assert reza.get("/snippets").json()["items"] == []
    # Someone else's private snippet does not exist for reza.
    gone = reza.post(f"/snippets/{item['id']}/delete", headers={"x-csrf-token": csrf(reza)})
    assert gone.status_code == 404
    with app_kernel.sessions() as s:  # snippets are records: their creation is in the history
        assert s.scalar(select(func.count()).select_from(History).where(History.table_name == "kernel_snippet")) == 1


def test_sharing_needs_the_permission(app_kernel: Any, login_as: Any) -> None:
    sara = logged_in(app_kernel, "sara", login_as)
    refused = post(sara, {"title": "قیمت", "body": "قیمت‌ها تا پایان ماه معتبر است", "shared": True})
    assert refused.status_code == 403
    assert refused.json()["error"] == "اجازهٔ اشتراک متن آماده با همه را ندارید"
    assert count(app_kernel) == 0
    assert sara.get("/snippets").json()["can_share"] is False

    lead = logged_in(app_kernel, "lead", login_as)
    shared = post(lead, {"title": "قیمت", "body": "قیمت‌ها تا پایان ماه معتبر است", "shared": True})
    assert shared.status_code == 201
    seen = sara.get("/snippets").json()["items"]
    assert [(s["title"], s["shared"], s["mine"]) for s in seen] == [("قیمت", True, False)]
    # Sara cannot remove the team's shared text; the lead can.
    assert sara.post(f"/snippets/{seen[0]['id']}/delete", headers={"x-csrf-token": csrf(sara)}).status_code == 404
    assert lead.post(f"/snippets/{seen[0]['id']}/delete", headers={"x-csrf-token": csrf(lead)}).status_code == 200
    assert sara.get("/snippets").json()["items"] == []


@pytest.mark.parametrize(("data", "message"), [
    ({"body": "   \n  "}, "متن آماده نمی‌تواند خالی باشد"),
    ({"body": "x" * (MAX_BODY + 1)}, "متن آماده حداکثر ۴۰۰۰ نویسه است"),
    ({"body": "متن", "title": "ع" * 121}, "عنوان متن آماده حداکثر ۱۲۰ نویسه است"),
    ({"body": ["not", "text"]}, None),
])
def test_bad_snippets_are_refused_in_persian_and_nothing_is_saved(app_kernel: Any, login_as: Any,
                                                                  data: dict[str, Any], message: str | None) -> None:
    sara = logged_in(app_kernel, "sara", login_as)
    reply = post(sara, data)
    assert reply.status_code == 400
    if message:
        assert reply.json()["error"] == message
    assert count(app_kernel) == 0


def test_writes_need_the_csrf_token_and_a_login(app_kernel: Any, login_as: Any) -> None:
    sara = logged_in(app_kernel, "sara", login_as)
    assert sara.post("/snippets", json={"body": "متن"}).status_code == 403
    anonymous = TestClient(build_app(app_kernel), base_url="http://testserver")
    assert anonymous.get("/snippets", headers={"accept": "application/json"}).status_code == 401
    assert count(app_kernel) == 0


def test_every_long_text_field_offers_snippets(app_kernel: Any, login_as: Any) -> None:
    sara = logged_in(app_kernel, "sara", login_as)
    html = sara.get("/base/communication/new").text
    assert 'name="result" rows="4" data-snippets=""' in html  # no share permission: personal only
    assert "data-snippet-pick" in html and "data-snippet-save" in html
    assert "برداشتن از متن‌های آماده" in html
    lead = logged_in(app_kernel, "lead", login_as)
    assert 'data-snippets="share"' in lead.get("/base/partner/new").text
