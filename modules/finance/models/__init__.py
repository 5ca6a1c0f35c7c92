"""The finance module's tables: the catalogue (products and their variants) first; documents,
prices and payments are added beside it, one concept per file."""

# -- catalogue, prices, competitors and sales policies (FIN-01 … FIN-03) ----------------------
from modules.finance.models.catalogue import Attribute, AttributeValue, ProductGroup, ProductOption
from modules.finance.models.competitor import CompetitorPrice
from modules.finance.models.document import Invoice, InvoiceLine, Proforma, ProformaLine  # documents
from modules.finance.models.price_list import PriceList, PriceListItem, PriceTier
from modules.finance.models.product import Product
from modules.finance.models.receipt import Receipt  # documents
from modules.finance.models.sales_policy import PolicyStep, SalesPolicy
from modules.finance.models.tax import TaxRate  # documents

__all__ = ["Product",
           "Attribute", "AttributeValue", "CompetitorPrice", "PolicyStep", "PriceList", "PriceListItem",
           "PriceTier", "ProductGroup", "ProductOption", "SalesPolicy"]
# -- documents (proformas, invoices, tax rates, receipts) ------------------------------------------
__all__ += ["Invoice", "InvoiceLine", "Proforma", "ProformaLine", "Receipt", "TaxRate"]
# -- editor: follow-ups of proformas (FIN-05) -------------------------------------------------------
from modules.finance.models.follow_up import CancelReason, FollowUp  # noqa: E402

__all__ += ["CancelReason", "FollowUp"]
# -- cheques: banks, our accounts and POS terminals, cheques and their history (FIN-09, FIN-10) -------
from modules.finance.models.banking import Bank, BankAccount, PosTerminal  # noqa: E402
from modules.finance.models.cheque import Cheque, ChequeEvent  # noqa: E402

__all__ += ["Bank", "BankAccount", "Cheque", "ChequeEvent", "PosTerminal"]
# -- payment plans: instalments, payments and their allocations (FIN-08) ------------------------------
from modules.finance.models.plan import Allocation, Instalment, Payment  # noqa: E402

__all__ += ["Allocation", "Instalment", "Payment"]
# -- commissions (FIN-13) ----------------------------------------------------------------------------
from modules.finance.models.commission import Agent, Commission, CommissionPayment  # noqa: E402

__all__ += ["Agent", "Commission", "CommissionPayment"]
# -- reports: each customer's documents counted and totalled, kept on every change (FIN-12) --------
from modules.finance.models.customer_total import CustomerTotal  # noqa: E402

__all__ += ["CustomerTotal"]

# -- purchases: purchase invoices, payments to suppliers, our cheques, average cost (FIN-18, FIN-14)
from modules.finance.models.own_cheque import OwnCheque  # noqa: E402
from modules.finance.models.purchase import Purchase, PurchaseLine, PurchasePayment  # noqa: E402
from modules.finance.models.stock import ProductCost, StockMove  # noqa: E402

__all__ += ["OwnCheque", "ProductCost", "Purchase", "PurchaseLine", "PurchasePayment", "StockMove"]

# -- fiscal year (FIN-16): the closed years, their opening balances and carried items ---------------
from modules.finance.models.fiscal import FiscalCarry, FiscalOpening, FiscalYear  # noqa: E402

__all__ += ["FiscalCarry", "FiscalOpening", "FiscalYear"]
# -- score: each customer's balance and payment-behaviour counts, kept on every change (FIN-12) ----
from modules.finance.models.standing import CustomerStanding  # noqa: E402

__all__ += ["CustomerStanding"]

# Their mapper events keep the customers' totals and standings on every flush of a document
# (imported here, after the documents, so that no path that loads the models can write a document
# without them).
import modules.finance.customer_totals  # noqa: E402
import modules.finance.standing  # noqa: E402, F401
