"""The marketing module joins a database with its tables and the usual send categories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel.testing import create_user
from modules.marketing.models import Category


def test_marketing_brings_the_usual_send_categories_listed_in_persian(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(edition="tier2", modules=("marketing",))
    with kernel.sessions() as s:
        seeded = {c.name: c.advertising for c in s.scalars(select(Category))}
    assert seeded["تبلیغات"] is True and seeded["یادآوری پرداخت"] is False and len(seeded) == 6
    create_user(kernel, "sara", perms=("marketing.category.view",))
    page = web_client(kernel, "sara").get("/marketing/category/")
    assert page.status_code == 200 and "دسته‌های ارسال" in page.text and "یادآوری پرداخت" in page.text
