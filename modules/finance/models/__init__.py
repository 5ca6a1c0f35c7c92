"""The finance module's tables: the catalogue (products and their variants) first; documents,
prices and payments are added beside it, one concept per file."""

from modules.finance.models.product import Product

__all__ = ["Product"]
