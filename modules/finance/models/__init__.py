"""The finance module's tables: the catalogue (products and their variants) first; documents,
prices and payments are added beside it, one concept per file."""

from modules.finance.models.document import Invoice, InvoiceLine, Proforma, ProformaLine  # documents
from modules.finance.models.product import Product
from modules.finance.models.receipt import Receipt  # documents
from modules.finance.models.tax import TaxRate  # documents

__all__ = ["Product"]
# -- documents (proformas, invoices, tax rates, receipts) ------------------------------------------
__all__ += ["Invoice", "InvoiceLine", "Proforma", "ProformaLine", "Receipt", "TaxRate"]
