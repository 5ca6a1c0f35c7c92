"""Fixtures of the carpet module's tests."""

from modules.carpet.shop.testing import fake_shop

__all__ = ["fake_shop"]
