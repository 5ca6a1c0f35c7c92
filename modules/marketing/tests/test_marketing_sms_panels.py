"""Panel administration (issue 13): administrators list and edit the SMS panels; the key and
password are never shown back; "check: credit" asks the panel and shows its credit, or its
error, in Persian."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel.testing import create_user
from modules.marketing.fake_panel import FakePanel
from modules.marketing.testing import add_panel

ADMIN = ("marketing.panel.view", "marketing.panel.edit", "marketing.panel.create")


def test_check_credit_shows_the_panels_credit_in_persian_digits(make_kernel: Any, fake_panel: FakePanel,
                                                                web_client: Any) -> None:
    kernel = make_kernel(modules=("marketing",))
    panel_id = add_panel(kernel, fake_panel, api_key=fake_panel.state.api_key)
    fake_panel.state.credit = 2_500_000
    create_user(kernel, "admin1", perms=ADMIN)
    client = web_client(kernel, "admin1")
    page = client.get(f"/marketing/panel/{panel_id}/credit")
    assert page.status_code == 200
    assert "اعتبار باقی‌مانده" in page.text and "۲٬۵۰۰٬۰۰۰" in page.text
    assert fake_panel.state.calls["account/info.json"] == 1


def test_check_credit_shows_the_panels_refusal_in_persian(make_kernel: Any, fake_panel: FakePanel,
                                                           web_client: Any) -> None:
    kernel = make_kernel(modules=("marketing",))
    panel_id = add_panel(kernel, fake_panel, api_key="a-revoked-key")
    create_user(kernel, "admin2", perms=ADMIN)
    page = web_client(kernel, "admin2").get(f"/marketing/panel/{panel_id}/credit")
    assert page.status_code == 200 and "پنل کلید API را نپذیرفت" in page.text and "403" in page.text


def test_the_key_is_never_shown_back_and_panels_are_for_administrators(make_kernel: Any, fake_panel: FakePanel,
                                                                        web_client: Any, api_client: Any) -> None:
    kernel = make_kernel(modules=("marketing",))
    panel_id = add_panel(kernel, fake_panel, api_key="sk-live-very-secret-0042", password="p4ss-secret")
    create_user(kernel, "admin3", perms=ADMIN)
    client = web_client(kernel, "admin3")
    for path in (f"/marketing/panel/{panel_id}", f"/marketing/panel/{panel_id}/edit", "/marketing/panel/"):
        page = client.get(path)
        assert page.status_code == 200 and "very-secret" not in page.text and "p4ss" not in page.text
    api = api_client(kernel, "admin3").get(f"/api/marketing/panel/{panel_id}")
    assert api.status_code == 200 and "very-secret" not in api.text and "p4ss" not in api.text
    assert "webhook_token" not in api.text or api.json().get("webhook_token") is None
    create_user(kernel, "clerk", perms=("marketing.category.view",))
    clerk = web_client(kernel, "clerk")
    assert clerk.get("/marketing/panel/").status_code == 403
    assert clerk.get(f"/marketing/panel/{panel_id}/credit").status_code == 403


def test_the_keys_page_masks_the_key_sets_a_new_one_and_shows_the_webhook_url(
        make_kernel: Any, fake_panel: FakePanel, web_client: Any) -> None:
    from kernel.testing import csrf
    from modules.marketing.models import Panel

    kernel = make_kernel(modules=("marketing",))
    panel_id = add_panel(kernel, fake_panel, api_key="old-secret-key-7788")
    create_user(kernel, "admin4", perms=ADMIN)
    client = web_client(kernel, "admin4")
    page = client.get(f"/marketing/panel/{panel_id}/keys")
    with kernel.sessions() as s:
        row = s.get(Panel, panel_id)
        assert row is not None
        token = row.webhook_token
    assert "old-secret" not in page.text and "••••7788" in page.text
    assert f"/marketing/panel/{token}/hook" in page.text
    saved = client.post(f"/marketing/panel/{panel_id}/keys",
                        data={"csrf": csrf(client, f"/marketing/panel/{panel_id}/keys"), "api_key": "new-key-1234"},
                        follow_redirects=False)
    assert saved.status_code == 303
    kept = client.post(f"/marketing/panel/{panel_id}/keys",
                       data={"csrf": csrf(client, f"/marketing/panel/{panel_id}/keys"), "api_key": ""},
                       follow_redirects=False)
    assert kept.status_code == 303
    with kernel.sessions() as s:
        saved_row = s.get(Panel, panel_id)
        assert saved_row is not None and saved_row.api_key == "new-key-1234"


def test_the_demo_panel_sends_through_the_apps_own_fake_panel_only_in_a_demo_database(
        make_kernel: Any, web_client: Any) -> None:
    from kernel.testing import serving
    from modules.marketing import demo
    from modules.marketing.models import Panel
    from modules.marketing.testing import queue_sms
    from modules.marketing.tests.sms_helpers import drain, states

    kernel = make_kernel(modules=("marketing",))
    anonymous = web_client(kernel)
    assert anonymous.post("/marketing/fake-panel/v1/demo-key/account/info.json").status_code == 404
    with kernel.session() as s:
        assert demo.load(kernel, s).startswith("1 SMS panel")
    answer = anonymous.post("/marketing/fake-panel/v1/demo-key/account/info.json")
    assert answer.status_code == 200 and answer.json()["entries"]["remaincredit"] > 0
    with serving(kernel) as base:
        with kernel.session() as s:
            panel = s.scalars(select(Panel)).one()
            assert panel.base_url.endswith("/marketing/fake-panel")
            panel.base_url = f"{base}/marketing/fake-panel"  # the test server's port, not make run's
        queue_sms(kernel, ["+989121234567", "+989121234568"])
        drain(kernel)
    assert states(kernel) == {"sent": 2}
