"""DEV-02: ``POST /scan`` — a code no field took, answered by the modules through ``resolve_scan``.

A club card opens its holder's profile, within the user's record scope (a card of a partner the
user may not see is "not found", in Persian); a product's barcode on an open proforma adds one of
it through the editor's service (+1 on its line the second time), elsewhere opens the product;
CSRF, login and bad input are refused with nothing changed. Both engines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel.testing import actor_of, create_record, create_user, csrf
from modules.finance.models import ProformaLine
from modules.finance.services import drafts, issuing
from modules.finance.tests.finance_helpers import PROFORMA, jdate

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
CARD = "6037991234567890"
EAN = "6260123456786"
NOT_FOUND = "کارتی با این شماره پیدا نشد"


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def scan(client: Any, code: str, fmt: str = "track1", page: str = "/", token: str | None = None) -> Any:
    token = token if token is not None else csrf(client)
    return client.post("/scan", json={"code": code, "format": fmt, "page": page}, headers={"X-CSRF-Token": token})


def _lines(kernel: Any, proforma: int) -> list[tuple[int, Decimal]]:
    with kernel.sessions() as s:
        return [(ln.product_id, ln.quantity) for ln in
                s.scalars(select(ProformaLine).where(ProformaLine.proforma_id == proforma).order_by(ProformaLine.id))]


def _carpet_and_proforma(kernel: Any, *more_perms: str) -> tuple[Any, int, int]:
    """Sara (who edits proformas), a carpet whose barcode is EAN, and her draft proforma."""
    uid = create_user(kernel, "sara", perms=("finance.proforma.*", "finance.product.view", "base.partner.view",
                                             *more_perms))
    customer = create_record(kernel, None, "base.partner", kind="company", name="فرش کاشان")
    carpet = create_record(kernel, None, "finance.product", name="فرش ۷۰۰ شانه", kind="goods", price=12_500_000,
                           barcode=EAN)
    actor = actor_of(kernel, uid)
    with kernel.session(actor) as s:
        proforma = int(drafts.create_document(kernel, s, actor, PROFORMA,
                                              {"partner_id": customer, "date": jdate(1405, 9, 10)}).id)
    return actor, carpet, proforma


def test_a_club_card_opens_its_holder_within_the_record_scope(kernel: Any, web_client: Any) -> None:
    create_user(kernel, "sara", perms=("base.partner.view",))
    create_user(kernel, "reza", perms=("base.partner.view",), scope="own")
    create_user(kernel, "nima", perms=())
    holder = create_record(kernel, None, "base.partner", kind="person", name="زهرا رضایی", card_number=CARD)
    sara, reza, nima = web_client(kernel, "sara"), web_client(kernel, "reza"), web_client(kernel, "nima")

    assert scan(sara, CARD).json() == {"open": f"/base/partner/{holder}/profile"}
    # Persian digits (a wedge on a Persian keyboard layout the browser did not map) are the same card.
    assert scan(sara, "۶۰۳۷۹۹۱۲۳۴۵۶۷۸۹۰", "track2").json() == {"open": f"/base/partner/{holder}/profile"}
    # Reza sees only his own partners; Nima may not see partners at all: both told "not found".
    assert scan(reza, CARD).json() == {"message": NOT_FOUND}
    assert scan(nima, CARD).json() == {"message": NOT_FOUND}
    assert scan(sara, "6037990000000000").json() == {"message": NOT_FOUND}


def test_scan_refuses_missing_csrf_login_and_bad_input(kernel: Any, web_client: Any) -> None:
    create_user(kernel, "sara", perms=("base.partner.view",))
    create_record(kernel, None, "base.partner", kind="person", name="زهرا رضایی", card_number=CARD)
    sara = web_client(kernel, "sara")
    assert scan(sara, CARD, token="forged").status_code == 403
    anonymous = web_client(kernel)
    resp = anonymous.post("/scan", json={"code": CARD}, headers={"accept": "application/json"})
    assert resp.status_code == 401
    token = csrf(sara)
    for body in ({"code": ""}, {"code": CARD, "format": "qr"}, {"code": "x" * 201},
                 {"code": CARD, "page": "https://evil.example/"}, {"code": "\x00\x01"}):
        resp = sara.post("/scan", json=body, headers={"X-CSRF-Token": token})
        assert resp.status_code == 400, body
        assert resp.json() == {"message": "کد خوانده‌شده خوانا نبود؛ دوباره بخوانید"}
    resp = sara.post("/scan", content=b"{not json", headers={"X-CSRF-Token": token,
                                                             "content-type": "application/json"})
    assert resp.status_code == 400


def test_a_barcode_adds_one_to_the_open_proforma_and_opens_the_product_elsewhere(kernel: Any,
                                                                                 web_client: Any) -> None:
    actor, carpet, proforma = _carpet_and_proforma(kernel, "finance.proforma.convert", "finance.invoice.create")
    create_user(kernel, "mina", perms=("finance.proforma.view", "finance.product.view", "base.partner.view"))
    sara = web_client(kernel, "sara")
    page = f"/finance/proforma/{proforma}/lines"
    first = scan(sara, EAN, "ean13", page).json()
    assert first == {"reload": True, "message": "به پیش‌فاکتور افزوده شد: فرش ۷۰۰ شانه"}
    assert _lines(kernel, proforma) == [(carpet, Decimal(1))]
    scan(sara, EAN, "ean13", f"/finance/proforma/{proforma}")  # its record page: the same proforma
    assert _lines(kernel, proforma) == [(carpet, Decimal(2))]  # one line, one more of it
    # Elsewhere the product opens, and nothing is added.
    assert scan(sara, EAN, "ean13", "/").json() == {"open": f"/finance/product/{carpet}"}
    # Mina may view proformas but not edit them: the product opens, the proforma is untouched.
    assert scan(web_client(kernel, "mina"), EAN, "ean13", page).json() == {"open": f"/finance/product/{carpet}"}
    assert _lines(kernel, proforma) == [(carpet, Decimal(2))]
    # A converted proforma cannot change: said in Persian, nothing written.
    with kernel.session(actor) as s:
        issuing.convert(kernel, s, actor, proforma)
    refused = scan(sara, EAN, "ean13", page)
    assert refused.status_code == 409
    assert "پیش‌فاکتور" in refused.json()["message"]
    assert _lines(kernel, proforma) == [(carpet, Decimal(2))]


def test_the_highest_priority_wins_when_a_card_and_a_barcode_share_a_number(kernel: Any, web_client: Any) -> None:
    """Finance's line on the proforma being edited (100) beats base's card holder (10), which
    beats finance's product page (5)."""
    _, carpet, proforma = _carpet_and_proforma(kernel)
    holder = create_record(kernel, None, "base.partner", kind="person", name="زهرا رضایی", card_number=EAN)
    sara = web_client(kernel, "sara")
    assert scan(sara, EAN, "ean13", "/").json() == {"open": f"/base/partner/{holder}/profile"}
    assert scan(sara, EAN, "ean13", f"/finance/proforma/{proforma}/lines").json()["reload"] is True
    assert _lines(kernel, proforma) == [(carpet, Decimal(1))]


def test_the_wedge_script_is_on_signed_in_pages_only(kernel: Any, web_client: Any) -> None:
    create_user(kernel, "sara", perms=("base.partner.view",))
    assert "/static/kernel/scan.js" not in web_client(kernel).get("/login").text
    page = web_client(kernel, "sara").get("/").text
    assert "/static/kernel/scan.js" in page and 'data-unreadable="کارت خوانده نشد؛ دوباره بکشید"' in page
