"""The context menu of records (KER-17a) and the keyboard map (KER-17c): modules' actions on
the rows and record pages that they apply to, hidden without their permission; shortcuts listed."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from kernel import RecordAction, Shortcut, hookimpl
from kernel.i18n import Catalog
from kernel.kernel import KERNEL_DIR
from kernel.plugins import ModuleError
from kernel.record_actions import entries, for_resource
from kernel.testing import create_record, create_user
from kernel.web.app import build_app

ALL = ("base.partner.*", "base.communication.*", "tasks.task.*")


@pytest.fixture
def tier2(make_kernel: Any) -> Any:
    kernel = make_kernel(edition="tier2")
    create_user(kernel, "sara", perms=ALL)
    create_user(kernel, "viewer", perms=("base.partner.view", "base.communication.view", "tasks.task.view"))
    return kernel


def client_for(kernel: Any, username: str, login_as: Any) -> TestClient:
    return login_as(TestClient(build_app(kernel), base_url="http://testserver"), username)


def menu_links(page: str) -> list[tuple[str, str]]:
    """(href, text) of every menu entry on the page."""
    found = re.findall(r'<a role="menuitem" href="([^"]+)">([^<]+)', page)
    return [(html.unescape(h), t.strip()) for h, t in found]


def test_a_partner_row_offers_a_new_communication_and_task_for_it(tier2: Any, login_as: Any) -> None:
    pid = create_record(tier2, None, "base.partner", kind="company", name="شرکت البرز")
    sara = client_for(tier2, "sara", login_as)
    links = menu_links(sara.get("/base/partner/").text)
    assert (f"/base/communication/new?partner_id={pid}", "ارتباط جدید") in links
    assert (f"/tasks/task/new?partner_id={pid}", "وظیفهٔ جدید") in links
    assert (f"/base/partner/{pid}#history", "تاریخچه") in links
    assert (f"/base/partner/{pid}#attachments", "پیوست‌ها") in links
    assert (f"/base/partner/{pid}/profile", "پروندهٔ جامع ۳۶۰ درجه") in links
    # The record page has the same menu, and the sections its entries jump to.
    page = sara.get(f"/base/partner/{pid}").text
    assert (f"/base/communication/new?partner_id={pid}", "ارتباط جدید") in menu_links(page)
    assert 'id="history"' in page and 'id="attachments"' in page
    # The link opens the form with the partner chosen.
    form = sara.get(f"/base/communication/new?partner_id={pid}").text
    assert f'<option value="{pid}" selected>شرکت البرز</option>' in form


def test_actions_need_their_permission(tier2: Any, login_as: Any) -> None:
    create_record(tier2, None, "base.partner", kind="company", name="شرکت البرز")
    viewer = client_for(tier2, "viewer", login_as)
    hrefs = [h for h, _ in menu_links(viewer.get("/base/partner/").text)]
    assert not any("/new?" in h for h in hrefs)
    assert any(h.endswith("#history") for h in hrefs)


def test_a_linked_record_offers_actions_for_its_partner_and_none_without_one(tier2: Any) -> None:
    pid = create_record(tier2, None, "base.partner", kind="company", name="شرکت البرز")
    with_partner = create_record(tier2, None, "tasks.task", title="پیگیری", partner_id=pid)
    without = create_record(tier2, None, "tasks.task", title="کار داخلی")
    from kernel.actor import SYSTEM

    res = tier2.resources["tasks.task"]
    actions = for_resource(tier2, SYSTEM, res)
    with tier2.sessions() as s:
        linked = {e.url for e in entries(actions, res, s.get(res.model, with_partner))}
        alone = {e.url for e in entries(actions, res, s.get(res.model, without))}
    assert f"/base/communication/new?partner_id={pid}" in linked
    assert f"/tasks/task/new?partner_id={pid}" in linked
    assert not any("partner_id" in u for u in alone)
    assert f"/tasks/task/{without}#history" in alone


def test_the_keyboard_map_lists_every_declared_shortcut(tier2: Any, login_as: Any) -> None:
    sara = client_for(tier2, "sara", login_as)
    page = sara.get("/").text
    keymap = page[page.index('<dialog class="keymap"'):page.index("</dialog>")]
    keys = re.findall(r"<kbd>([^<]+)</kbd>", keymap)
    assert {"F9", "?", "/", "F2", "Shift+F10"} <= set(keys)
    assert "ارتباط جدید (برای طرف حساب روی صفحه)" in keymap
    # Without the permission behind F9, it is not offered.
    create_user(tier2, "other", perms=("base.partner.view",))
    other = client_for(tier2, "other", login_as)
    assert "<kbd>F9</kbd>" not in other.get("/").text


def test_record_actions_and_shortcuts_are_named_after_their_module(make_kernel: Any) -> None:
    import sys
    import types

    bad = types.ModuleType("bad_actions_hooks")

    @hookimpl
    def register_record_actions() -> list[RecordAction]:
        return [RecordAction("finance.new_invoice", "New invoice", "/x?partner_id={id}")]

    bad.register_record_actions = register_record_actions  # type: ignore[attr-defined]
    sys.modules["bad_actions_hooks"] = bad
    kernel = make_kernel()
    kernel.pm.register(bad, name="notes")
    with pytest.raises(ModuleError, match="must start with 'notes.'"):
        kernel.collect("register_record_actions", RecordAction, named=lambda a: a.key)


def test_every_action_and_shortcut_label_is_in_persian(tier2: Any) -> None:
    catalog = Catalog()
    catalog.load_dir(KERNEL_DIR / "i18n")
    for name in tier2.module_names:
        path = KERNEL_DIR.parent / "modules" / name / "i18n"
        if path.is_dir():
            catalog.load_dir(path)
    labels = [a.label for a in tier2.record_actions] + [s.label for s in tier2.shortcuts]
    assert all(isinstance(s, Shortcut) for s in tier2.shortcuts)
    assert [m for m in labels if not catalog.has("fa", m)] == []
