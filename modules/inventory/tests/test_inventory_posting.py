"""Posting and voiding stock documents (INV-01, INV-02): levels, the stock card with its balances,
finance's average cost, serial numbers (FAQ 66), and every refusal leaving everything as it was."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel import Conflict, PermissionDenied
from kernel.testing import actor_of, create_user
from modules.finance.services import average_cost
from modules.inventory.tests import inventory_helpers as h


@pytest.fixture(params=h.ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return h.inventory_kernel(make_kernel, request.param)


def _cost(kernel: Any, product_id: int) -> tuple[Decimal, int, bool]:
    with kernel.sessions() as s:
        return average_cost.of(s, product_id)


def _state(kernel: Any, doc_id: int) -> tuple[str, str | None]:
    from modules.inventory.models import StockDocument

    with kernel.sessions() as s:
        doc = s.get(StockDocument, doc_id)
        return doc.state, doc.number


def test_receive_issue_transfer_and_void_keep_levels_card_and_cost_true(kernel: Any) -> None:
    w = h.world(kernel)
    carpet, central, shop = w["carpet"], w["central"], w["shop"]
    receipt = h.draft(kernel, "receipt", central, [(carpet, "10", 1_000, None)])
    assert h.post(kernel, w, receipt) == "RCV-1405-00001"
    assert h.on_hand(kernel, carpet, central) == 10
    assert _cost(kernel, carpet) == (Decimal(10), 1000, True)  # the receipt fed finance's average

    # More than is in stock: refused in Persian, naming product and warehouse; nothing moved.
    too_many = h.draft(kernel, "issue", central, [(carpet, "15", 0, None)])
    with pytest.raises(Conflict) as exc:
        h.post(kernel, w, too_many)
    assert h.refusal(kernel, exc.value) == "موجودی فرش ۷۰۰ شانه در انبار مرکزی کافی نیست: 15 خواسته شده، 10 موجود است"
    assert _state(kernel, too_many) == ("draft", None)
    assert h.on_hand(kernel, carpet, central) == 10 and _cost(kernel, carpet)[0] == 10

    issue = h.draft(kernel, "issue", central, [(carpet, "4", 0, None)])
    assert h.post(kernel, w, issue) == "ISS-1405-00001"  # the refused one gave its number back
    second = h.draft(kernel, "receipt", central, [(carpet, "10", 1_300, None)])
    h.post(kernel, w, second)
    # (6 × 1,000 + 13,000) / 16 = 1,187.5 → 1,188: the issue took 4 out at 1,000.
    assert _cost(kernel, carpet) == (Decimal(16), 1188, True)
    assert h.card(kernel, carpet, central) == [(Decimal(10), Decimal(10), 1000), (Decimal(-4), Decimal(6), 1000),
                                             (Decimal(10), Decimal(16), 1300)]

    same = h.draft(kernel, "transfer", central, [(carpet, "2", 0, None)], to=central)
    with pytest.raises(Conflict) as exc:
        h.post(kernel, w, same)
    assert h.refusal(kernel, exc.value) == "انتقال باید به انباری جز انبار مبدأ باشد"
    move = h.draft(kernel, "transfer", central, [(carpet, "۲", 0, None)], to=shop)
    assert h.post(kernel, w, move) == "TRF-1405-00001"
    assert (h.on_hand(kernel, carpet, central), h.on_hand(kernel, carpet, shop)) == (14, 2)
    assert h.card(kernel, carpet, shop) == [(Decimal(2), Decimal(2), 1188)]
    assert _cost(kernel, carpet) == (Decimal(16), 1188, True)  # a transfer moves no cost

    with pytest.raises(Conflict) as exc:
        h.post(kernel, w, issue)
    assert h.refusal(kernel, exc.value) == "این سند انبار پیش‌تر ثبت شده است"
    empty = h.draft(kernel, "receipt", central, [])
    with pytest.raises(Conflict) as exc:
        h.post(kernel, w, empty)
    assert h.refusal(kernel, exc.value) == "سند انبارِ بی‌سطر ثبت نمی‌شود"

    # Voiding the issue: its move cancelled, the later balances without it, the cost replayed.
    h.void(kernel, w, issue)
    assert _state(kernel, issue) == ("void", "ISS-1405-00001")
    assert h.on_hand(kernel, carpet, central) == 18
    assert h.card(kernel, carpet, central) == [(Decimal(10), Decimal(10), 1000), (Decimal(10), Decimal(20), 1300),
                                             (Decimal(-2), Decimal(18), 1188)]
    assert _cost(kernel, carpet) == (Decimal(20), 1150, True)  # (10 × 1,000 + 13,000) / 20

    # A receipt whose goods left cannot be voided; allow_negative lets an issue go below zero.
    out = h.draft(kernel, "issue", shop, [(carpet, "3", 0, None)])
    h.post(kernel, w, out, allow_negative=True)
    assert h.on_hand(kernel, carpet, shop) == -1
    with pytest.raises(Conflict):
        h.void(kernel, w, move)
    assert _state(kernel, move) == ("posted", "TRF-1405-00001")


def test_serial_numbers_are_used_once_and_follow_their_units(kernel: Any) -> None:
    from modules.inventory.models import Serial

    w = h.world(kernel)
    phone, central, shop = w["phone"], w["central"], w["shop"]
    h.post(kernel, w, h.draft(kernel, "receipt", central, [(phone, "2", 50_000_000, "IMEI-۱۰۱\nIMEI-102")]))
    twice = h.draft(kernel, "receipt", central, [(phone, "1", 50_000_000, "IMEI-101")])
    with pytest.raises(Conflict) as exc:
        h.post(kernel, w, twice)
    assert h.refusal(kernel, exc.value) == ("شماره سریال IMEI-101 از گوشی همراه پیش‌تر وارد انبار شده است: "
                                          "هر شماره سریال یک بار به کار می‌رود")
    short = h.draft(kernel, "receipt", central, [(phone, "2", 50_000_000, "IMEI-103")])
    with pytest.raises(Conflict) as exc:
        h.post(kernel, w, short)
    assert h.refusal(kernel, exc.value) == ("گوشی همراه شماره سریال دارد: ۲ شماره سریال بدهید، برای هر عدد یکی "
                                          "(۱ داده شده)")
    assert h.on_hand(kernel, phone, central) == 2

    elsewhere = h.draft(kernel, "issue", shop, [(phone, "1", 0, "IMEI-101")])
    with pytest.raises(Conflict) as exc:
        h.post(kernel, w, elsewhere, allow_negative=True)
    assert h.refusal(kernel, exc.value) == "شماره سریال IMEI-101 از گوشی همراه در انبار فروشگاه نیست"
    assert h.on_hand(kernel, phone, shop) == 0

    move = h.draft(kernel, "transfer", central, [(phone, "1", 0, "IMEI-102")], to=shop)
    h.post(kernel, w, move)
    sold = h.draft(kernel, "issue", central, [(phone, "1", 0, "IMEI-101")])
    h.post(kernel, w, sold)

    def where() -> dict[str, int | None]:
        with kernel.sessions() as s:
            return {r.serial: r.warehouse_id for r in s.scalars(select(Serial).order_by(Serial.serial))}

    assert where() == {"IMEI-101": None, "IMEI-102": shop}
    h.void(kernel, w, sold)
    h.void(kernel, w, move)
    assert where() == {"IMEI-101": central, "IMEI-102": central}

    # Someone without the posting permission cannot post.
    clerk = create_user(kernel, "clerk", perms=("inventory.document.view",))
    from modules.inventory.services import posting

    with pytest.raises(PermissionDenied), kernel.session(actor_of(kernel, clerk)) as s:
        posting.post(kernel, s, actor_of(kernel, clerk), short)
