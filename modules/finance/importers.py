"""Products and services from an Excel or CSV file (INT-04), through base's importer: the same
upload, column mapping, preview, batch job and errors by line as partners. A product whose
code exists is skipped, updated or created anyway as the user chooses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from modules.base.importer.generic import resource_target
from modules.base.importer.targets import ImportTarget

if TYPE_CHECKING:
    from kernel.kernel import Kernel

PRODUCT_IMPORT = "finance.product.import"

# Headers people write beside the fields' own labels.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("نام کالا", "نام محصول", "شرح کالا", "عنوان کالا", "کالا", "محصول", "product", "product name", "item"),
    "code": ("کد کالا", "کد محصول", "کد", "شناسه کالا", "sku", "product code", "item code"),
    "barcode": ("بارکد", "ایران کد", "barcode", "ean"),
    "price": ("قیمت", "قیمت فروش", "فی", "قیمت واحد", "مبلغ", "price", "unit price", "sale price"),
    "unit": ("واحد", "واحد شمارش", "unit", "uom"),
    "kind": ("نوع", "کالا یا خدمت", "type", "kind"),
    "group_id": ("گروه", "گروه کالا", "دسته", "دسته بندی", "group", "category"),
    "tax_exempt": ("معاف از مالیات", "معاف", "tax exempt"),
    "marketer_commission": ("پورسانت بازاریاب", "درصد پورسانت بازاریاب", "marketer commission"),
    "agency_commission": ("پورسانت نمایندگی", "درصد پورسانت نمایندگی", "agency commission"),
    "description": ("توضیحات", "شرح", "description", "notes"),
    "active": ("فعال", "active"),
}

PRODUCTS = resource_target(
    resource="finance.product", permission=PRODUCT_IMPORT, path="/import/product/", name="import_product",
    title="Import products", field_heading="Product field", key_field="code", synonyms=SYNONYMS,
    duplicates_legend="When a product with the same code exists",
    mode_labels=("Skip the line", "Update the existing product with the filled cells",
                 "Create a new product anyway"),
    list_url="/finance/product/", list_label="Products",
)


def import_targets(kernel: Kernel) -> list[ImportTarget]:
    return [PRODUCTS]
