"""MKT-05 postal labels (FAQ 1, 22): chosen personnel of chosen companies, or a filtered list, as
PDF sheets on the common A4 layouts — city and province first, then the address, then the name
with its title and the company, the postal code kept left to right in Persian digits."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.testing import create_user, csrf, pdf_text
from modules.marketing.letters.labels import LAYOUTS
from modules.marketing.tests.letters_helpers import ENGINES, company, employ, flat, person, poppler, world


@pytest.fixture(params=ENGINES)
def kernel(request: Any, make_kernel: Any) -> Any:
    return make_kernel(edition="tier1", modules=("marketing",), engine=request.param)


def _print(client: Any, keys: list[str], layout: str = "3x7", **selection: str) -> Any:
    data = {"csrf": csrf(client, "/marketing/labels"), "layout": layout, "r": keys, **selection}
    return client.post("/marketing/labels", data=data)


def test_a_label_reads_city_and_province_first_then_the_address_then_the_name(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    sara = web_client(kernel, "sara")
    page = sara.get("/marketing/labels", params={"whom": "personnel", "position": "مدیرعامل", "f_kind": "company"})
    assert page.status_code == 200 and "چاپ برچسب پستی" in page.text
    # The managing directors of the two companies that have one, each ticked; the count and sheets shown.
    keys = [f"c:{w['naqsh']}:{w['ahmadi']}", f"c:{w['kashi']}:{w['rezaei']}"]
    assert all(f'value="{k}"' in page.text for k in keys) and f"c:{w['abi']}:" not in page.text
    assert "<strong data-count>۲</strong>" in page.text and "<strong data-sheets>۱</strong>" in page.text
    both = [flat(p) for p in pdf_text(_print(sara, keys, whom="personnel", position="مدیرعامل", f_kind="company").content)]
    assert len(both) == 1 and "مریم احمدی" in both[0] and "علی رضایی" in both[0] and "۷۱۳۴۵۶۷۸۹۱" in both[0]
    # One label alone: its lines from the top down.
    pdf = _print(sara, keys[1:], whom="personnel", position="مدیرعامل", f_kind="company")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    (text,) = pdf_text(pdf.content)
    lines = [flat(line) for line in text.splitlines() if line.strip()]
    at = [next(i for i, line in enumerate(lines) if wanted in line) for wanted in (
        "کاشان، اصفهان", "بلوار قطب راوندی", "جناب آقای علی رضایی", "مدیرعامل محترم — کاشیسازی مهر", "کد پستی")]
    assert at == sorted(at) and len(set(at)) == 5, lines
    assert "۸۷۱۵۹۱۳۳۴۴" in lines[at[4]] and "8715913344" not in text


def test_only_the_ticked_personnel_get_labels(kernel: Any, web_client: Any) -> None:
    """FAQ 1: search the company, tick the personnel wanted, print."""
    w = world(kernel)
    sara = web_client(kernel, "sara")
    # The company's page offers its personnel's labels in its actions menu.
    record = sara.get(f"/base/partner/{w['kashi']}")
    assert "برچسب پستی پرسنل" in record.text and f"/marketing/labels?whom=personnel&amp;ids={w['kashi']}" in record.text
    query = {"whom": "personnel", "ids": str(w["kashi"])}
    page = sara.get("/marketing/labels", params=query)
    assert "جناب آقای نوید صالحی" in page.text and "جناب آقای علی رضایی" in page.text
    pdf = _print(sara, [f"c:{w['kashi']}:{w['navid']}"], **query)
    (text,) = (flat(p) for p in pdf_text(pdf.content))
    assert "جناب آقای نوید صالحی" in text and "رضایی" not in text
    # A key outside the selection (another company's person) is ignored; none left is refused.
    refused = _print(sara, [f"c:{w['naqsh']}:{w['ahmadi']}"], **query)
    assert refused.status_code == 400 and "دست‌کم یک گیرنده انتخاب کنید" in refused.text


@pytest.mark.parametrize(("layout", "pages"), [("3x7", 2), ("2x7", 2), ("3x8", 1)])
def test_the_sheets_hold_as_many_labels_as_their_layout(kernel: Any, web_client: Any, layout: str, pages: int) -> None:
    w = world(kernel)
    big = company(kernel, "صنایع بزرگ", "اصفهان", "شهرک صنعتی محمودآباد", "8135000000")
    for i in range(21):  # 21 + the 2 of the world's companies = 23 personnel
        employ(kernel, person(kernel, f"کارمند{i:02d}", "نمونه"), big, "کارشناس")
    sara = web_client(kernel, "sara")
    query = {"whom": "personnel", "ids": f"{big},{w['kashi']}"}
    page = sara.get("/marketing/labels", params={**query, "layout": layout})
    keys = [k.split('"')[0] for k in page.text.split('name="r" value="')[1:]]
    assert len(keys) == 23
    expected = next(x for x in LAYOUTS if x.key == layout).sheets(23)
    assert expected == pages and f"<strong data-sheets>{'۱۲'[pages - 1]}</strong>" in page.text
    pdf = _print(sara, keys, layout=layout, **query)
    texts = pdf_text(pdf.content)
    assert len(texts) == pages and "595.276 x 841.89 pts (A4)" in poppler("pdfinfo", pdf.content)
    per_sheet = next(x for x in LAYOUTS if x.key == layout).per_sheet
    assert sum(t.count("کد پستی") for t in texts) == 23 and texts[0].count("کد پستی") == min(23, per_sheet)


def test_labels_need_their_permission_and_a_known_layout(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    create_user(kernel, "reza", perms=("base.partner.view", "marketing.letter.*"))
    assert web_client(kernel, "reza").get("/marketing/labels").status_code == 403
    sara = web_client(kernel, "sara")
    bad = _print(sara, [f"p:{w['rezaei']}"], layout="9x9")
    assert bad.status_code == 400 and "یکی از گزینه‌های فهرست را انتخاب کنید" in bad.text
