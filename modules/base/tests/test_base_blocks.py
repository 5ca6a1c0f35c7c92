"""Dashboard blocks of the base module (KER-13): recent communications, my partners, new leads,
each inside the user's record scope and linking to the full list."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from kernel.testing import create_record, create_user
from kernel.web.app import build_app
from modules.base.models import PartnerRole

PERMS = ("base.partner.*", "base.communication.*")


def block(html: str, key: str) -> str:
    found = re.search(rf'<section class="block panel" data-block="{re.escape(key)}">.*?</section>', html, re.S)
    assert found, f"no block {key}"
    return found.group(0)


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier4")  # four users: more seats than tier 1 has


@pytest.fixture
def users(kernel: Any) -> dict[str, int]:
    return {"admin": create_user(kernel, "admin", admin=True),
            "sara": create_user(kernel, "sara", perms=PERMS, scope="own"),
            "reza": create_user(kernel, "reza", perms=PERMS, scope="own"),
            "guest": create_user(kernel, "guest", perms=("base.partner.view",))}


def page_of(kernel: Any, login_as: Any, username: str) -> str:
    with TestClient(build_app(kernel)) as c:
        return str(login_as(c, username).get("/").text)


def test_recent_communications_are_the_latest_ten_in_scope(kernel: Any, users: dict[str, int], login_as: Any) -> None:
    sara, reza = users["sara"], users["reza"]
    mine = create_record(kernel, sara, "base.partner", kind="company", name="مشتری سارا")
    theirs = create_record(kernel, reza, "base.partner", kind="company", name="مشتری رضا")
    start = dt.datetime(2025, 1, 1, 6, 0)
    for i in range(12):
        create_record(kernel, sara, "base.communication", partner_id=mine, kind="call", subject=f"سارا {i:02d}",
             started_at=start + dt.timedelta(days=i))
    create_record(kernel, reza, "base.communication", partner_id=theirs, kind="call", subject="رضا تنها",
         started_at=start + dt.timedelta(days=30))
    body = block(page_of(kernel, login_as, "sara"), "base.recent_communications")
    subjects = re.findall(r">(سارا \d\d)</a>", body)
    assert subjects == [f"سارا {i:02d}" for i in range(11, 1, -1)]  # newest first, ten of them
    assert "رضا تنها" not in body and "مشتری سارا" in body
    assert 'href="/base/communication/?sort=-started_at"' in body
    admin = block(page_of(kernel, login_as, "admin"), "base.recent_communications")
    assert "رضا تنها" in admin and "سارا 11" in admin and "سارا 02" not in admin


def test_my_partners_and_new_leads(kernel: Any, users: dict[str, int], login_as: Any) -> None:
    sara, reza = users["sara"], users["reza"]
    ids = [create_record(kernel, sara, "base.partner", kind="person", first_name="شخص", last_name=f"{i:02d}")
           for i in range(11)]
    rezas = create_record(kernel, reza, "base.partner", kind="company", name="سرنخ رضا")
    with kernel.session() as s:
        for pid in (ids[0], ids[5], rezas):
            s.add(PartnerRole(partner_id=pid, role="lead"))
        s.add(PartnerRole(partner_id=ids[6], role="customer"))
    html = page_of(kernel, login_as, "sara")
    partners = block(html, "base.my_partners")
    assert re.findall(r">شخص (\d\d)</a>", partners) == [f"{i:02d}" for i in range(10, 0, -1)]
    assert f'href="/base/partner/{ids[10]}/profile"' in partners and "سرنخ رضا" not in partners
    leads = block(html, "base.new_leads")
    assert re.findall(r">(شخص \d\d|سرنخ رضا)</a>", leads) == ["شخص 05", "شخص 00"]  # reza's lead is out of scope
    assert 'href="/base/partner/?f_role=lead&amp;sort=-created_at"' in leads
    admin = page_of(kernel, login_as, "admin")
    assert "سرنخ رضا" in block(admin, "base.new_leads")
    assert "هنوز طرف حسابی ثبت نشده است" in block(admin, "base.my_partners")  # admin owns none


def test_blocks_follow_permissions_and_welcome_stays(kernel: Any, users: dict[str, int], login_as: Any) -> None:
    html = page_of(kernel, login_as, "guest")
    assert 'data-block="base.welcome"' in html and 'data-block="base.new_leads"' in html
    assert 'data-block="base.recent_communications"' not in html  # cannot view communications
    assert "هنوز سرنخی ثبت نشده است" in block(html, "base.new_leads")


def test_blocks_on_postgresql(make_kernel: Any, login_as: Any) -> None:
    pg = make_kernel(engine="postgresql")
    sara = create_user(pg, "sara", perms=PERMS, scope="own")
    pid = create_record(pg, sara, "base.partner", kind="company", name="پارس")
    create_record(pg, sara, "base.communication", partner_id=pid, kind="call", subject="تماس اول",
                  started_at=dt.datetime(2025, 1, 1, 6, 0))
    with pg.session() as s:
        s.add(PartnerRole(partner_id=pid, role="lead"))
    html = page_of(pg, login_as, "sara")
    assert "تماس اول" in block(html, "base.recent_communications")
    assert "پارس" in block(html, "base.my_partners") and "پارس" in block(html, "base.new_leads")
