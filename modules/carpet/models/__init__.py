from modules.carpet.models.design import CarpetDesign, Dealer
from modules.carpet.models.warranty import WarrantyBatch, WarrantyCard

__all__ = ["CarpetDesign", "Dealer", "WarrantyBatch", "WarrantyCard"]
