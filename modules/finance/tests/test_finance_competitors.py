"""FIN-02: competitors' prices beside ours, per product, on a page that needs its permission and
shows only competitors the user may see (a user limited to Isfahan does not see Tehran's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel.models import Role
from kernel.testing import create_record, create_user, csrf
from modules.base.models import PartnerRole, Province, RoleKind, RoleProvince


def test_the_comparison_page_shows_our_price_beside_each_competitor(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    with k.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh])
        if s.scalar(select(RoleKind.id).where(RoleKind.code == "competitor")) is None:
            s.add(RoleKind(code="competitor", name="Competitor"))
        s.flush()
        places = (isf.id, teh.id)
    admin = create_user(k, "admin", admin=True)
    perms = ("finance.product.view", "finance.competitor_price.*", "base.partner.view")
    create_user(k, "isf", perms=perms)
    create_user(k, "clerk", perms=("finance.product.view",))
    with k.session() as s:
        role = s.scalars(select(Role).where(Role.name == "role-isf")).one()
        s.add(RoleProvince(role_id=role.id, province_id=places[0]))
    sepahan = create_record(k, admin, "base.partner", kind="company", name="فرش سپاهان", province_id=places[0])
    alborz = create_record(k, admin, "base.partner", kind="company", name="فرش البرزنشان", province_id=places[1])
    with k.session() as s:
        s.add_all([PartnerRole(partner_id=sepahan, role="competitor"), PartnerRole(partner_id=alborz, role="competitor")])
    carpet = create_record(k, admin, "finance.product", name="فرش ۷۰۰ شانه", code="F700", price=40_000_000)
    rug = create_record(k, admin, "finance.product", name="گلیم دستباف", code="G1", price=8_000_000)
    create_record(k, admin, "finance.competitor_price", product_id=carpet, competitor_id=sepahan,
                  competitor_product="سپاهان ۷۰۰ قدیم", price=39_000_000, observed_on=dt.date(2026, 5, 1))
    create_record(k, admin, "finance.competitor_price", product_id=carpet, competitor_id=sepahan,
                  competitor_product="سپاهان ۷۰۰ افشان", price=38_500_000, observed_on=dt.date(2026, 6, 1))
    create_record(k, admin, "finance.competitor_price", product_id=carpet, competitor_id=alborz,
                  competitor_product="البرز ۷۰۰", price=42_000_000, observed_on=dt.date(2026, 6, 2))
    create_record(k, admin, "finance.competitor_price", product_id=rug, competitor_id=alborz,
                  competitor_product="گلیم البرز", price=8_000_000, observed_on=dt.date(2026, 6, 2))

    page = web_client(k, "admin").get("/finance/competitors/compare").text
    assert "فرش ۷۰۰ شانه" in page and "۴۰٬۰۰۰٬۰۰۰" in page
    # Each competitor's latest price only, with how it compares to ours.
    assert "سپاهان ۷۰۰ افشان" in page and "سپاهان ۷۰۰ قدیم" not in page and "۳۸٬۵۰۰٬۰۰۰" in page
    assert "۱٬۵۰۰٬۰۰۰ ریال ارزان‌تر" in page and "۲٬۰۰۰٬۰۰۰ ریال گران‌تر" in page and "هم‌قیمت" in page
    mine = web_client(k, "isf").get("/finance/competitors/compare").text
    assert "فرش سپاهان" in mine and "البرز" not in mine and "گلیم دستباف" not in mine
    assert web_client(k, "clerk").get("/finance/competitors/compare").status_code == 403
    # The competitor field offers competitors only.
    c = web_client(k, "admin")
    other = create_record(k, admin, "base.partner", kind="person", first_name="مشتری", last_name="عادی")
    r = c.post("/finance/competitor_price/new", data={
        "csrf": csrf(c, "/finance/competitor_price/new"), "product_id": str(carpet), "competitor_id": str(other),
        "competitor_product": "x", "price": "۱", "observed_on": "۱۴۰۵/۰۳/۱۰"})
    assert r.status_code == 400
