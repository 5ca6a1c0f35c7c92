"""The carpet module's tables, one area per file."""

from modules.carpet.shop.models import ShopLink, ShopOrder

__all__ = ["ShopLink", "ShopOrder"]
