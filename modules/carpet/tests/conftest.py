"""The carpet module's fixtures: marketing's fake SMS panel and the fake online shop (real HTTP servers)."""

from modules.carpet.shop.testing import fake_shop
from modules.marketing.testing import fake_panel

__all__ = ["fake_panel", "fake_shop"]
