"""Inventory's tables (importing this registers them)."""

from modules.inventory.models.document import KINDS, STATES, StockDocument, StockDocumentLine
from modules.inventory.models.stock import InventoryItem, Reservation, Serial, StockCardMove, StockLevel
from modules.inventory.models.warehouse import Warehouse

__all__ = ["KINDS", "STATES", "InventoryItem", "Reservation", "Serial", "StockCardMove", "StockDocument",
           "StockDocumentLine", "StockLevel", "Warehouse"]
