"""Test helpers of the online-shop link: the ``fake_shop`` fixture (a started
:class:`~modules.carpet.shop.fake_shop.FakeShop`; re-export it in your ``conftest.py``) and
``link_shop``, the link row pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from modules.carpet.shop.fake_shop import FakeShop, ShopState


@pytest.fixture
def fake_shop() -> Iterator[FakeShop]:
    shop = FakeShop(ShopState()).start()
    try:
        yield shop
    finally:
        shop.stop()


def link_shop(kernel: Any, shop: FakeShop, **values: Any) -> int:
    """The shop link pointing at the fake shop with its keys (enabled, Toman prices)."""
    from modules.carpet.shop.models import ShopLink

    with kernel.session() as s:
        row = ShopLink(**{"kind": "woocommerce", "base_url": shop.base_url, "consumer_key": shop.state.key,
                          "consumer_secret": shop.state.secret, "currency": "IRT", "enabled": True,
                          "every_minutes": 15, **values})
        s.add(row)
        s.flush()
        return int(row.id)
