"""INV-01: drafting a goods receipt by codes as typed or scanned — a barcode scanned three times
is one line of three, Persian digits work, a receipt is valued at finance's average cost — and
every bad input refused in Persian with nothing changed: a barcode of no product, a variant's
parent, a serial twice or received before, a quantity of zero, a transfer to its own warehouse;
only drafts change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel import Conflict, InputError, PermissionDenied
from kernel.persian.numbers import format_code
from kernel.testing import actor_of, create_record, create_user
from modules.finance.tests.purchase_helpers import buy, purchase_world
from modules.inventory.models import InventoryItem, StockDocument, StockDocumentLine
from modules.inventory.services import drafts, posting
from modules.inventory.tests.editor_helpers import (
    ENGINES,
    carpet,
    ean13,
    inventory_kernel,
    product,
    storekeeper,
)


def _lines(kernel: Any, doc_id: int) -> list[tuple[int, Decimal, int, str | None]]:
    with kernel.sessions() as s:
        return [(ln.product_id, Decimal(ln.quantity), ln.unit_cost, ln.serials) for ln in s.scalars(
            select(StockDocumentLine).where(StockDocumentLine.document_id == doc_id)
            .order_by(StockDocumentLine.position))]


def _refused(kernel: Any, actor: Any, call: Any, *args: Any, **kw: Any) -> str:
    """The Persian message of a refused change (the session rolls back, as a route's does)."""
    with pytest.raises(InputError) as caught, kernel.session(actor) as s:
        call(kernel, s, actor, *args, **kw)
    return kernel.t("fa", caught.value.msgid, **caught.value.params)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_receipt_drafted_by_scanning_and_its_bad_inputs(make_kernel: Any, engine: str) -> None:
    kernel = inventory_kernel(make_kernel, engine)
    world = purchase_world(kernel)
    buy(kernel, world, [(world["carpet"], "4", 1_500_000)])  # finance's average: 1,500,000 Rials
    tea = product(kernel, "چای ممتاز", "TEA-1", ean13("626123456789"))
    serial_tv = product(kernel, "تلویزیون", "TV-55", ean13("626000000099"))
    parent, variants = carpet(kernel)
    with kernel.sessions() as s:
        from modules.finance.models import Product

        s.get(Product, world["carpet"]).barcode = ean13("626000000012")  # 6260000000125
        s.commit()
    actor = storekeeper(kernel)
    with kernel.session(actor) as s:
        doc = drafts.new_document(kernel, s, actor, "receipt", notes=" بار صبح ")
        doc_id = doc.id
        assert (doc.state, doc.number, doc.notes) == ("draft", None, "بار صبح")
        # The wedge types ASCII, a Persian layout may give Persian or Arabic digits, with spaces.
        for typed in ("6261234567897", "۶۲۶۱۲۳۴۵۶۷۸۹۷", " ٦٢٦١٢٣٤٥٦٧٨٩٧ "):
            drafts.add_line(kernel, s, actor, doc_id, code=typed)
        drafts.add_line(kernel, s, actor, doc_id, code="۶۲۶۰۰۰۰۰۰۰۱۲۵")  # the carpet finance bought
        drafts.add_line(kernel, s, actor, doc_id, code="KSH-9M-RD", quantity=Decimal("2"))  # by its code
    assert _lines(kernel, doc_id) == [(tea, Decimal(3), 0, None), (world["carpet"], Decimal(1), 1_500_000, None),
                                      (variants["KSH-9M-RD"], Decimal(2), 0, None)]

    before = _lines(kernel, doc_id)
    assert _refused(kernel, actor, drafts.add_line, doc_id, code="۹۹۹۱۲۳") == f"هیچ کالایی کد یا بارکد {format_code('999123')} را ندارد"
    assert "تنوع" in _refused(kernel, actor, drafts.add_line, doc_id, product_id=parent)
    assert _refused(kernel, actor, drafts.add_line, doc_id, code="TEA-1", quantity=Decimal(0)) == \
        "تعداد باید بیشتر از صفر باشد"
    assert _refused(kernel, actor, drafts.add_line, doc_id, product_id=serial_tv,
                    serials=["SN-1", "۱۲۳", "SN-1"]) == "شماره سریال SN-1 دو بار آمده است"
    with kernel.session(actor) as s:
        drafts.add_line(kernel, s, actor, doc_id, product_id=serial_tv, serials=["SN-1", "SN-2"])
    assert _refused(kernel, actor, drafts.add_line, doc_id, product_id=serial_tv, serials=["SN-2"]) == \
        "شماره سریال SN-2 دو بار آمده است"
    assert _lines(kernel, doc_id) == [*before, (serial_tv, Decimal(2), 0, "SN-1\nSN-2")]

    with kernel.session(actor) as s:
        tv_line = drafts.lines_of(s, doc_id)[-1]
        drafts.set_line(kernel, s, actor, doc_id, tv_line.id, serials=["SN-1", "SN-2", "SN-3"], unit_cost=9_000_000)
        drafts.remove_line(kernel, s, actor, doc_id, drafts.lines_of(s, doc_id)[1].id)
    assert _lines(kernel, doc_id)[1:] == [(variants["KSH-9M-RD"], Decimal(2), 0, None),
                                          (serial_tv, Decimal(3), 9_000_000, "SN-1\nSN-2\nSN-3")]

    # Someone without the permission cannot draft; a posted document no longer changes, and its
    # serials are not received again.
    clerk = actor_of(kernel, create_user(kernel, "clerk", perms=("inventory.document.view",)))
    with pytest.raises(PermissionDenied), kernel.session(clerk) as s:
        drafts.new_document(kernel, s, clerk, "receipt")
    with kernel.session(actor) as s:
        s.add(InventoryItem(product_id=serial_tv, tracks_serials=True))
        posting.post(kernel, s, actor, doc_id)
    with pytest.raises(Conflict), kernel.session(actor) as s:
        drafts.add_line(kernel, s, actor, doc_id, code="TEA-1")
    with kernel.session(actor) as s:
        again = drafts.new_document(kernel, s, actor, "receipt").id
    assert _refused(kernel, actor, drafts.add_line, again, product_id=serial_tv, serials=["SN-3"]) == \
        "شماره سریال SN-3 از تلویزیون پیش‌تر وارد انبار شده است: هر شماره سریال یک بار به کار می‌رود"

    # No code at hand: part of the name, typed with an Arabic ya, finds the one product; a name
    # that several variants share asks for more; a name of nothing says so.
    with kernel.session(actor) as s:
        drafts.add_line(kernel, s, actor, again, code="چاي ممت")
    assert _lines(kernel, again) == [(tea, Decimal(1), 0, None)]
    assert _refused(kernel, actor, drafts.add_line, again, code="فرش کاشان").startswith("چند کالا با «فرش کاشان» جورند")
    assert _refused(kernel, actor, drafts.add_line, again, code="قالیچه ابریشم") == \
        "هیچ کالایی کد، بارکد یا نام «قالیچه ابریشم» را ندارد"

    # An issue's lines carry no cost (posting values them); a transfer goes to another warehouse.
    shop = create_record(kernel, None, "inventory.warehouse", name="انبار فروشگاه", code="W2")
    with kernel.session(actor) as s:
        central = s.get(StockDocument, doc_id).warehouse_id
        issue = drafts.new_document(kernel, s, actor, "issue", notes="")
        assert drafts.add_line(kernel, s, actor, issue.id, code="TEA-1", unit_cost=5_000).unit_cost == 0
        transfer = drafts.new_document(kernel, s, actor, "transfer", to_warehouse_id=shop)
        assert (transfer.warehouse_id, transfer.to_warehouse_id) == (central, shop)
    assert _refused(kernel, actor, drafts.new_document, "transfer", to_warehouse_id=central) == \
        "انتقال باید به انبار دیگری باشد"
