"""A big group letter's PDF prepared by a worker (MKT-05): more letters than a request renders
(``prepared.INLINE_MAX``, lowered here to one so two letters are "many") give a "Prepare the PDF"
button instead of the direct link; the worker renders the batch as the user who asked, keeps it
in the files store, and only that user opens it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.jobs import run_due
from kernel.testing import create_user, csrf, pdf_text
from modules.marketing.letters import prepared
from modules.marketing.models import LetterPrint
from modules.marketing.tests.letters_helpers import ENGINES, PERMS, flat, letterhead, set_numbering, world

DIRECTORS = {"whom": "personnel", "position": "مدیرعامل", "f_kind": "company"}


@pytest.fixture(params=ENGINES)
def kernel(request: Any, make_kernel: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(prepared, "INLINE_MAX", 1)
    return make_kernel(edition="tier1", modules=("marketing",), engine=request.param)


def _group(kernel: Any, client: Any, template: int) -> str:
    page = client.get("/marketing/letters/group", params=DIRECTORS)
    keys = [k.split('"')[0] for k in page.text.split('name="r" value="')[1:]]
    made = client.post("/marketing/letters/group", follow_redirects=False, data={
        "csrf": csrf(client, "/marketing/letters/group"), "template_id": str(template), "date": "۱۴۰۵/۰۱/۰۱",
        "r": keys, **DIRECTORS})
    assert made.status_code == 303, made.text
    return str(made.headers["location"])


def test_a_big_batch_is_prepared_in_the_background_for_its_user(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    letterhead(kernel)
    set_numbering(kernel, "automatic")
    create_user(kernel, "reza", perms=PERMS)
    sara = web_client(kernel, "sara")
    url = _group(kernel, sara, w["template"])
    page = sara.get(url)
    assert "۲ نامه برای چاپ یک‌باره زیاد است" in page.text and "letters.pdf" not in page.text
    assert sara.get(url + "/letters.pdf", follow_redirects=False).headers["location"] == url  # not rendered here
    asked = sara.post(url + "/prepare", data={"csrf": csrf(sara, url)}, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"] == url
    waiting = sara.get(url)
    assert "PDF در حال آماده شدن است" in waiting.text and "آماده کردن PDF</button>" not in waiting.text
    found = re.search(r'data-print-state="/marketing/letters/print/(\d+)/state"', waiting.text)
    assert found is not None
    print_id = int(found.group(1))
    assert sara.get(f"/marketing/letters/print/{print_id}/state").json() == {"state": "queued"}
    assert sara.get(f"/marketing/letters/print/{print_id}").status_code == 404  # not ready yet
    run_due(kernel)  # the worker
    assert sara.get(f"/marketing/letters/print/{print_id}/state").json() == {"state": "ready"}
    ready = sara.get(url)
    assert f'href="/marketing/letters/print/{print_id}"' in ready.text and "آماده کردن دوبارهٔ PDF" in ready.text
    pdf = sara.get(f"/marketing/letters/print/{print_id}")
    assert pdf.headers["content-type"] == "application/pdf"
    pages = [flat(p) for p in pdf_text(pdf.content)]
    assert len(pages) == 2
    assert "سرکار خانم مریم احمدی" in pages[0] and "۱۴۰۵-۰۰۰۰۱" in pages[0] and "بازرگانی پیوند" in pages[0]
    assert "جناب آقای علی رضایی" in pages[1] and "۱۴۰۵-۰۰۰۰۲" in pages[1]
    # Another clerk, even one who may print the batch, does not open sara's prepared file.
    reza = web_client(kernel, "reza")
    assert reza.get(f"/marketing/letters/print/{print_id}").status_code == 404
    assert reza.get(f"/marketing/letters/print/{print_id}/state").status_code == 404


def test_a_user_who_may_print_none_of_the_batch_cannot_ask_for_it(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    set_numbering(kernel, "automatic")
    create_user(kernel, "mina", perms=PERMS, scope="own")  # the batch's partners are not hers
    url = _group(kernel, web_client(kernel, "sara"), w["template"])
    mina = web_client(kernel, "mina")
    refused = mina.post(url + "/prepare", data={"csrf": csrf(mina, "/marketing/letters/group")})
    assert refused.status_code == 404
    run_due(kernel)
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(LetterPrint)) == 0
