"""The carpet module's tables, one area per file."""

from modules.carpet.models.design import CarpetDesign, Dealer
from modules.carpet.models.warranty import WarrantyBatch, WarrantyCard
from modules.carpet.shop.models import ShopLink, ShopOrder

__all__ = ["CarpetDesign", "Dealer", "ShopLink", "ShopOrder", "WarrantyBatch", "WarrantyCard"]
