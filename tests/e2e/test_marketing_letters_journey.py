"""FAQ 24 and FAQ 1/22 in Chromium, in Persian: a clerk picks every managing director of the
listed companies, writes the New-Year letter to them as a group (each letter numbered in the
register) and prints it as one PDF, then prints the postal labels for the same people; the PDFs'
text is read back — Jalali date, Persian digits, names with their titles, city and province
first. The pages are checked at 390 px wide too. No mocks: the real app under uvicorn,
WeasyPrint, poppler's pdftotext."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from sqlalchemy import select
from test_phone_pages import PHONE, shots_dir

from kernel.testing import pdf_text
from modules.marketing.tests.letters_helpers import flat, letterhead, world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(edition="tier1", modules=("marketing",))
    kernel.w = world(kernel)
    letterhead(kernel)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def _managing_directors(page: Any, path: str) -> None:
    """The selection form: the personnel of companies whose position says «مدیرعامل»."""
    page.goto(path)
    page.check("input[name=whom][value=personnel]")
    page.fill("input[name=position]", "مدیرعامل")
    page.select_option("select[name=f_kind]", "company")
    page.locator("form.marketing-letters-filters button[type=submit]").click()
    expect(page.locator("input[name=r]")).to_have_count(2)
    expect(page.locator("[data-count]")).to_have_text("۲")


def _pdf_of_form(page: Any) -> bytes:
    """The PDF the form posts for, fetched in the page's session with the form's own fields."""
    data = page.evaluate("""async () => {
        const form = document.querySelector("form[data-letters-pick]");
        const r = await fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form))});
        const bytes = new Uint8Array(await r.arrayBuffer());
        let s = ""; for (const b of bytes) { s += String.fromCharCode(b); }
        return [r.headers.get("content-type"), btoa(s)];
    }""")
    assert data[0] == "application/pdf", data[0]
    return base64.b64decode(data[1])


def test_new_year_letters_and_labels_for_every_managing_director(browser: Any, live_server: LiveServer,
                                                                 tmp_path: Path) -> None:
    k, url = live_server.kernel, live_server.url
    shots = shots_dir(tmp_path)
    with open_page(browser, url) as page:
        sign_in(page, "sara")
        page.goto("/")
        expect(page.locator("a[href='/marketing/letters/group']").first).to_be_attached()  # in the menu
        _managing_directors(page, "/marketing/letters/group")
        page.select_option("select[name=template_id]", str(k.w["template"]))
        page.fill("input[name=date]", "۱۴۰۵/۰۱/۰۱")
        page.fill("input[name=first_number]", "۱۰۰")
        page.screenshot(path=str(shots / "marketing-letters-group.png"), full_page=True)
        page.locator("form[data-letters-pick] button[type=submit]").click()
        expect(page.locator("main h1")).to_contain_text("نامهٔ گروهی")
        expect(page.locator("main table")).to_contain_text("۱۰۰")
        expect(page.locator("main table")).to_contain_text("۱۰۱")
        page.screenshot(path=str(shots / "marketing-letters-group-done.png"), full_page=True)
        link = page.locator("a[href$='/letters.pdf']")
        with page.context.expect_page(timeout=20_000) as opened:  # WeasyPrint takes a moment
            link.click()
        viewer = opened.value
        got = page.context.request.get(viewer.url)
        assert got.headers["content-type"] == "application/pdf"
        viewer.close()
        pages = [flat(p) for p in pdf_text(got.body())]
        assert len(pages) == 2  # one letter a page
        for text, name, firm, number in ((pages[0], "سرکار خانم مریم احمدی", "فرش نقش جهان", "۱۰۰"),
                                         (pages[1], "جناب آقای علی رضایی", "کاشیسازی مهر", "۱۰۱")):
            for wanted in (name, "مدیرعامل محترم", firm, number, "۱۴۰۵/۰۱/۰۱", "بازرگانی پیوند", "نوروز ۱۴۰۵"):
                assert wanted in text, (wanted, text)
            assert "1405" not in text and "{" not in text
        from modules.marketing.models import Letter

        with k.sessions() as s:
            assert list(s.scalars(select(Letter.number).order_by(Letter.id))) == ["100", "101"]

        # The postal labels for the same people, on 24-label sheets.
        _managing_directors(page, "/marketing/labels")
        page.check("input[name=layout][value='3x8']")
        expect(page.locator("[data-sheets]")).to_have_text("۱")
        page.locator("input[name=r]").first.uncheck()  # ticks decide: one label
        expect(page.locator("[data-count]")).to_have_text("۱")
        page.locator("input[name=r]").first.check()
        page.screenshot(path=str(shots / "marketing-labels.png"), full_page=True)
        labels = _pdf_of_form(page)
        (sheet,) = [flat(p) for p in pdf_text(labels)]
        for wanted in ("شیراز، فارس", "کاشان، اصفهان", "سرکار خانم مریم احمدی", "جناب آقای علی رضایی",
                       "خیابان زند", "۸۷۱۵۹۱۳۳۴۴", "۷۱۳۴۵۶۷۸۹۱"):
            assert wanted in sheet, (wanted, sheet)

    with open_page(browser, url, viewport=PHONE, has_touch=True, is_mobile=True) as phone:
        sign_in(phone, "sara")
        for path, name in (("/marketing/letters/group?whom=personnel&position=مدیرعامل&f_kind=company", "group"),
                           ("/marketing/labels?whom=personnel&position=مدیرعامل&f_kind=company", "labels"),
                           ("/marketing/letter/", "register")):
            phone.goto(path)
            phone.screenshot(path=str(shots / f"marketing-letters-{name}-phone.png"), full_page=True)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width} px wide on a phone"


def test_a_big_group_letter_is_prepared_while_the_page_waits(browser: Any, live_server: LiveServer,
                                                               tmp_path: Path, monkeypatch: Any) -> None:
    """More letters than a request renders: "Prepare the PDF", the worker renders it, and the
    page, left open, shows the link by itself. (The limit is lowered to one letter here.)"""
    from kernel.jobs import run_due
    from modules.marketing.letters import prepared

    monkeypatch.setattr(prepared, "INLINE_MAX", 1)
    k, url = live_server.kernel, live_server.url
    shots = shots_dir(tmp_path)
    with open_page(browser, url) as page:
        sign_in(page, "sara")
        _managing_directors(page, "/marketing/letters/group")
        page.select_option("select[name=template_id]", str(k.w["template"]))
        page.fill("input[name=date]", "۱۴۰۵/۰۱/۰۱")
        page.fill("input[name=first_number]", "۱۰۰")
        page.locator("form[data-letters-pick] button[type=submit]").click()
        expect(page.locator("#letters-pdf")).to_contain_text("در پس‌زمینه آماده می‌شود")
        expect(page.locator("a[href$='/letters.pdf']")).to_have_count(0)
        page.get_by_role("button", name="آماده کردن PDF", exact=True).click()
        expect(page.locator("[data-print-waiting]")).to_contain_text("PDF در حال آماده شدن است")
        page.screenshot(path=str(shots / "marketing-letters-preparing.png"), full_page=True)
        run_due(k)  # the worker
        ready = page.locator("a[data-print-ready]")
        expect(ready).to_be_visible(timeout=15_000)
        got = page.context.request.get(url + str(ready.get_attribute("href")))
        assert got.headers["content-type"] == "application/pdf"
        pages = [flat(p) for p in pdf_text(got.body())]
        assert len(pages) == 2 and "سرکار خانم مریم احمدی" in pages[0] and "جناب آقای علی رضایی" in pages[1]
        page.screenshot(path=str(shots / "marketing-letters-prepared.png"), full_page=True)
        batch_url = page.url
    with open_page(browser, url, viewport=PHONE, has_touch=True, is_mobile=True) as phone:
        sign_in(phone, "sara")
        phone.goto(batch_url)
        expect(phone.locator("a[data-print-ready]")).to_be_visible()
        phone.screenshot(path=str(shots / "marketing-letters-prepared-phone.png"), full_page=True)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the batch's page is {width} px wide on a phone"
