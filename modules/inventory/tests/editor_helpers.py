"""Shared helpers of the editor and scanning tests: a kernel with inventory, a storekeeper, products
with barcodes, and a carpet in 3 sizes × 2 colours made by finance's variant generator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from kernel.testing import actor_of, create_record, create_user

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
STOREKEEPER = ("inventory.document.*", "inventory.document.create", "inventory.document.edit",
               "inventory.document.view", "inventory.document.post", "inventory.warehouse.view", "inventory.stock.view",
               "finance.product.view", "base.partner.view")


def inventory_kernel(make_kernel: Callable[..., Any], engine: str = "sqlite") -> Any:
    return make_kernel(engine=engine, edition="tier3", modules=("inventory",))


def storekeeper(kernel: Any, name: str = "anbardar") -> Any:
    return actor_of(kernel, create_user(kernel, name, perms=STOREKEEPER))


def product(kernel: Any, name: str, code: str, barcode: str | None = None, **values: Any) -> int:
    return create_record(kernel, None, "finance.product", name=name, code=code, barcode=barcode,
                         kind=values.pop("kind", "goods"), unit=values.pop("unit", "عدد"), **values)


def carpet(kernel: Any) -> tuple[int, dict[str, int]]:
    """«فرش کاشان» in 3 sizes × 2 colours: the parent's id and its six variants by code
    (KSH-6M-CR … KSH-12M-RD), each given the barcode 62600000000<n><check>."""
    from modules.finance.models import Product
    from modules.finance.services import catalogue

    size = create_record(kernel, None, "finance.attribute", name="اندازه", kind="size", sequence=1)
    colour = create_record(kernel, None, "finance.attribute", name="رنگ", kind="colour", sequence=2)
    values = [create_record(kernel, None, "finance.attribute_value", attribute_id=size, name=n, code=c)
              for n, c in (("۶ متری", "6M"), ("۹ متری", "9M"), ("۱۲ متری", "12M"))]
    values += [create_record(kernel, None, "finance.attribute_value", attribute_id=colour, name=n, code=c)
               for n, c in (("کرم", "CR"), ("لاکی", "RD"))]
    parent = product(kernel, "فرش کاشان", "KSH", unit="تخته", price=45_000_000)
    actor = actor_of(kernel, create_user(kernel, "catalogue", perms=("finance.*",)))
    with kernel.session(actor) as s:
        catalogue.generate_variants(kernel, s, actor, parent, values)
        variants = list(s.scalars(select(Product).where(Product.parent_id == parent).order_by(Product.id)))
        for n, v in enumerate(variants, start=1):
            v.barcode = ean13(f"62600000000{n}")
        return parent, {str(v.code): int(v.id) for v in variants}


def ean13(first12: str) -> str:
    """The 12 digits and their EAN-13 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)
