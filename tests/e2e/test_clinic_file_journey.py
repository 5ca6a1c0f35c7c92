"""MED-01 and the privacy rule of issue 16, in Chromium, in Persian: a doctor opens a patient's
profile, adds a lab result to the medical file from the file's panel and attaches its PDF; the
file lists it with its file. A receptionist opening the same patient sees the file number and
insurance but no document and no diagnosis, and the document's page and download answer 404 to
them — at 1280 and 390 px wide."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.testing import create_record, create_user

pytestmark = pytest.mark.browser
COMMON = ("base.partner.view", "base.relation.view", "medical.patient.*", "medical.disease.view",
          "medical.document.*", "medical.patient_disease.*")


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(modules=("medical",))
    create_user(kernel, "doctor", perms=(*COMMON, "medical.records"))
    create_user(kernel, "reception", perms=COMMON)
    kernel.patient = create_record(kernel, None, "base.partner", kind="person", first_name="مریم", last_name="کریمی",
                                   mobile="+989121234501")
    create_record(kernel, None, "medical.patient", partner_id=kernel.patient, file_number="P-1404-00007",
                  insurer="تأمین اجتماعی", insurance_number="1234567890", blood_group="A+")
    diabetes = create_record(kernel, None, "medical.disease", name="دیابت")
    create_record(kernel, None, "medical.patient_disease", partner_id=kernel.patient, disease_id=diabetes,
                  since=dt.date(2023, 3, 21))
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="doctor")


def test_a_lab_result_reaches_the_doctor_and_not_the_receptionist(browser: Any, live_server: LiveServer,
                                                                  tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    pid = live_server.kernel.patient
    lab = tmp_path / "آزمایش-قند.pdf"
    lab.write_bytes(b"%PDF-1.4\n% lab result of the journey\n")
    with open_page(browser, live_server.url) as page:
        page.set_default_timeout(15000)
        sign_in(page, "doctor")
        page.goto(f"/base/partner/{pid}/profile")
        panel = page.locator("[data-panel='medical.file']")
        expect(panel.locator(".file-number")).to_contain_text("P-۱۴۰۴-۰۰۰۰۷")
        expect(panel.locator(".diagnoses")).to_contain_text("دیابت")
        panel.get_by_role("link", name="افزودن مدرک پزشکی").click()
        page.select_option("select[name=kind]", "lab")
        page.fill("input[name=title]", "آزمایش قند خون و HbA1c")
        page.fill("textarea[name=description]", "قند ناشتا ۱۴۲")
        page.get_by_role("button", name="ذخیره", exact=True).click()
        expect(page).to_have_url(re.compile(r"/medical/document/\d+$"))
        doc = int(page.url.rsplit("/", 1)[1])
        page.set_input_files("#attach-file", str(lab))
        page.locator("form[action='/attachments'] button", has_text="پیوست").click()
        expect(page.locator("main")).to_contain_text("آزمایش-قند.pdf")
        download = page.locator("a", has_text="آزمایش-قند.pdf").first.get_attribute("href")
        assert download and re.fullmatch(r"/attachments/\d+", download)
        assert page.request.get(download).body() == lab.read_bytes()
        page.goto(f"/base/partner/{pid}/profile")
        expect(panel.locator(".medical-documents")).to_contain_text("آزمایش قند خون و HbA1c")
        expect(panel.locator("a.document-file")).to_have_attribute("href", download)
        page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays at the top of the full-page shot
        page.screenshot(path=str(shots / "clinic-file-doctor.png"), full_page=True)
        page.set_viewport_size(PHONE)
        panel.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(shots / "clinic-file-doctor-phone.png"), full_page=True)

    with open_page(browser, live_server.url, viewport=PHONE, has_touch=True, is_mobile=True,
                   device_scale_factor=1) as page:
        page.set_default_timeout(15000)
        sign_in(page, "reception")
        page.goto(f"/base/partner/{pid}/profile")
        panel = page.locator("[data-panel='medical.file']")
        expect(panel.locator(".file-number")).to_contain_text("P-۱۴۰۴-۰۰۰۰۷")
        expect(panel).to_contain_text("تأمین اجتماعی")
        expect(panel.locator(".medical-private")).to_be_visible()
        main = page.locator("main")
        for secret in ("دیابت", "آزمایش قند خون", "آزمایش-قند.pdf"):
            expect(main).not_to_contain_text(secret)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "clinic-file-reception-phone.png"), full_page=True)
        assert page.request.get(download).status == 404
        assert page.request.get(f"/medical/document/{doc}").status == 404
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"/base/partner/{pid}/profile")
        expect(page.locator("main")).not_to_contain_text("دیابت")
        page.screenshot(path=str(shots / "clinic-file-reception.png"), full_page=True)
