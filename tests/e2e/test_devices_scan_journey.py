"""DEV-02 in Chromium, in Persian, at 1280 px and 390 px: a keyboard-wedge card reader swiped on
the dashboard opens the card holder's profile (also on a PC whose keyboard layout is Persian); a
scanned EAN-13 on an open proforma adds the product's line; a scan into the focused search field
fills it with the card number and submits nothing, unless the field says data-scan-submit; a
person typing the same characters slowly is not a scanner. The rules of scan.js are checked on
the same examples as the Python ones. A serial card reader tied to the user, read by the real
device service from a pty simulator, reaches the user's page through the push channel: with no
field focused the card holder opens, with the search field focused the number lands in it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from sqlalchemy import select
from test_phone_pages import PHONE, shots_dir
from wedge import wedge

from devices.simulators.card_reader import CardReaderSim
from kernel.testing import actor_of, create_record, create_user
from modules.finance.models import ProformaLine
from modules.finance.services import drafts
from modules.finance.tests.finance_helpers import PROFORMA, jdate
from modules.telephony.tests.scan_cases import CASES, PAN, TRACK1, TRACK2
from modules.telephony.tests.telephony_helpers import TELEPHONY, add_device

pytestmark = pytest.mark.browser

EAN = "6260123456786"
SIZES = (("desktop", {}), ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True}))


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(edition="tier3", **TELEPHONY)
    kernel.sara = uid = create_user(kernel, "sara", perms=("base.partner.view", "finance.proforma.*", "finance.product.view",
                                                     "telephony.device.*"))
    kernel.holder = create_record(kernel, None, "base.partner", kind="person", name="زهرا رضایی", card_number=PAN)
    customer = create_record(kernel, None, "base.partner", kind="company", name="فرش کاشان")
    kernel.carpet = create_record(kernel, None, "finance.product", name="فرش ۷۰۰ شانه", kind="goods",
                                  price=12_500_000, barcode=EAN)
    actor = actor_of(kernel, uid)
    kernel.proformas = []
    for _ in SIZES:
        with kernel.session(actor) as s:
            kernel.proformas.append(int(drafts.create_document(
                kernel, s, actor, PROFORMA, {"partner_id": customer, "date": jdate(1405, 9, 16)}).id))
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def nothing_focused(page: Any) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")


def fits(page: Any, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width} px wide"


def scans_posted(page: Any) -> list[str]:
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.post_data or "") if r.url.endswith("/scan") else None)
    return posted


def test_scan_js_tells_codes_apart_as_the_python_side_does(browser: Any, live_server: LiveServer) -> None:
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto("/")  # loaded: its deferred scripts have run
        got = page.evaluate("cases => cases.map(c => { const r = PeyvandScan.classify(c);"
                            " return r && [r.code, r.format, r.name]; })", [text for text, _ in CASES])
    assert got == [list(expected) if expected else None for _, expected in CASES]


def test_a_swipe_on_the_dashboard_opens_the_card_holder(browser: Any, live_server: LiveServer,
                                                        tmp_path: Path) -> None:
    k = live_server.kernel
    shots = shots_dir(tmp_path)
    profile = f"/base/partner/{k.holder}/profile"
    for name, options in SIZES:
        with open_page(browser, live_server.url, **options) as page:
            sign_in(page, "sara")
            page.goto("/")
            nothing_focused(page)
            wedge(page, TRACK1 + TRACK2)
            expect(page).to_have_url(live_server.url + profile)
            expect(page.locator("main")).to_contain_text("زهرا رضایی")
            fits(page, shots, f"scan-swipe-profile-{name}")
            # The same card on a PC whose keyboard layout is Persian: the reader presses the same
            # keys, the browser reports ٪ ‌ ۶ ۰ … × ً ٍ ك ؤ … ک … ؟; with the keys' codes, and without
            # them (then the Persian layout's own table maps them back).
            for with_codes in (True, False):
                page.goto("/")
                nothing_focused(page)
                wedge(page, TRACK1 + TRACK2, layout="fa", with_codes=with_codes)
                expect(page).to_have_url(live_server.url + profile)
            # A card nobody holds: a Persian toast, the page stays.
            page.goto("/")
            nothing_focused(page)
            wedge(page, ";6037990000000000=2905?")
            toast = page.locator(".scan-toast")
            expect(toast).to_have_text("کارتی با این شماره پیدا نشد")
            expect(page).to_have_url(live_server.url + "/")
            box = toast.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
            fits(page, shots, f"scan-not-found-toast-{name}")


def test_an_ean13_adds_its_product_to_the_open_proforma(browser: Any, live_server: LiveServer,
                                                        tmp_path: Path) -> None:
    k = live_server.kernel
    shots = shots_dir(tmp_path)
    for (name, options), proforma in zip(SIZES, k.proformas, strict=True):
        with open_page(browser, live_server.url, **options) as page:
            sign_in(page, "sara")
            page.goto(f"/finance/proforma/{proforma}/lines")
            nothing_focused(page)
            wedge(page, EAN)
            expect(page.locator(".scan-toast")).to_have_text("به پیش‌فاکتور افزوده شد: فرش ۷۰۰ شانه")
            row = page.locator("form.ed-row[data-line]")
            expect(row.locator("input[name=product_label]")).to_have_value("فرش ۷۰۰ شانه")
            expect(row.locator("input[name=quantity]")).to_have_value("۱")
            fits(page, shots, f"scan-proforma-line-{name}")
            nothing_focused(page)
            wedge(page, EAN)  # the second one is one more on the same line
            expect(row.locator("input[name=quantity]")).to_have_value("۲")
            expect(row).to_have_count(1)
            with k.sessions() as s:
                lines = [(ln.product_id, int(ln.quantity)) for ln in
                         s.scalars(select(ProformaLine).where(ProformaLine.proforma_id == proforma))]
            assert lines == [(k.carpet, 2)]


def test_a_scan_into_the_focused_search_field_fills_it_and_submits_only_when_asked(
        browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    for name, options in SIZES:
        with open_page(browser, live_server.url, **options) as page:
            sign_in(page, "sara")
            page.goto("/")
            posted = scans_posted(page)
            search = page.locator("input[data-live-search]")
            search.click()
            wedge(page, TRACK1 + TRACK2)
            expect(search).to_have_value(PAN)  # the card number, not the tracks' text
            page.wait_for_timeout(300)
            assert page.url == live_server.url + "/" and posted == []  # nothing submitted, nothing posted
            fits(page, shots, f"scan-search-field-{name}")
            # Marked data-scan-submit, the burst's Enter does what the form does: the search.
            search.fill("")
            search.evaluate("el => el.setAttribute('data-scan-submit', '')")
            wedge(page, TRACK2, layout="fa")
            expect(page).to_have_url(live_server.url + f"/search?q={PAN}")
            expect(page.locator("main")).to_contain_text("زهرا رضایی")


def test_a_person_typing_the_same_keys_slowly_is_not_a_scanner(browser: Any, live_server: LiveServer) -> None:
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto("/")
        posted = scans_posted(page)
        nothing_focused(page)
        wedge(page, EAN, gap_ms=90)  # a fast typist
        wedge(page, "5" * 12, gap_ms=30, held=True)  # a key held down repeats as fast as a scanner
        page.wait_for_timeout(400)
        assert page.url == live_server.url + "/" and posted == []
        # In the search field, the person's Enter submits the search as always.
        search = page.locator("input[data-live-search]")
        search.click()
        wedge(page, PAN, gap_ms=90)
        expect(page).to_have_url(live_server.url + f"/search?q={PAN}")
        assert posted == []


def test_a_serial_card_reader_reaches_the_users_page_through_the_push_channel(
        browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    from modules.telephony.runner import build_service

    k = live_server.kernel
    with CardReaderSim(str(tmp_path / "reader")) as reader:
        add_device(k, reader.path, driver="card_reader", name="کارت‌خوان صندوق", user_id=k.sara)
        service = build_service(k, backoff_min=0.05, backoff_max=0.2).start()
        try:
            with open_page(browser, live_server.url) as page:
                sign_in(page, "sara")
                page.goto("/")
                page.wait_for_function("window.peyvandPush && window.peyvandPush.readyState === 1")
                search = page.locator("input[data-live-search]")
                search.click()
                reader.swipe(PAN, "REZAEI/ZAHRA")
                expect(search).to_have_value(PAN)
                expect(page).to_have_url(live_server.url + "/")
                nothing_focused(page)
                reader.swipe(PAN, "REZAEI/ZAHRA")
                expect(page).to_have_url(live_server.url + f"/base/partner/{k.holder}/profile")
        finally:
            service.stop()


def test_a_pages_own_script_takes_a_scan_first_and_a_bad_swipe_is_said(browser: Any, live_server: LiveServer) -> None:
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto("/")
        posted = scans_posted(page)
        page.evaluate("""() => { window.taken = [];
            document.addEventListener('peyvand:scan', e => { taken.push([e.detail.code, e.detail.format]);
                                                             e.preventDefault(); }); }""")
        nothing_focused(page)
        wedge(page, TRACK2)
        page.wait_for_function("window.taken.length === 1")
        assert page.evaluate("window.taken") == [[PAN, "track2"]]
        page.wait_for_timeout(300)
        assert posted == [] and page.url == live_server.url + "/"  # the page's script had it
        # A swipe too fast to read: said in Persian, and the field keeps what it had.
        search = page.locator("input[data-live-search]")
        search.fill("زهرا")
        wedge(page, "%E?;E?")
        expect(page.locator(".scan-toast")).to_have_text("کارت خوانده نشد؛ دوباره بکشید")
        expect(search).to_have_value("زهرا")


def test_the_device_form_asks_for_the_workstation_user_of_a_reader_only(browser: Any, live_server: LiveServer,
                                                                       tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    for name, options in SIZES:
        with open_page(browser, live_server.url, **options) as page:
            sign_in(page, "sara")
            page.goto("/telephony/device/new")
            user = page.locator("[name=user_id]")
            page.select_option("select[name=driver]", "panasonic_smdr")
            expect(user).to_be_hidden()
            page.select_option("select[name=driver]", "card_reader")
            expect(user).to_be_visible()
            expect(page.locator("form.record-form")).to_contain_text("کاربر این میز کار")
            fits(page, shots, f"scan-device-form-{name}")
