"""A receptionist's journey through a person's circle (BASE-01, BASE-11, BASE-16, BASE-17), in
Persian: a photo on the profile, a spouse seen from both sides, a call planned for tomorrow and
done with its outcome, which lands in the communications log."""

from __future__ import annotations

import datetime as dt
import os
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser_smoke import login

from kernel.persian.jalali import format_jalali
from kernel.testing import create_record

pytestmark = pytest.mark.browser


def portrait_png(size: int = 48) -> bytes:
    """A small real PNG (a teal square with a lighter circle), so the browser draws it."""
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            inside = (x - size / 2) ** 2 + (y - size / 2.6) ** 2 < (size / 4.5) ** 2
            row += bytes((180, 220, 230) if inside else (20, 110, 130))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))


def shot(page: Any, tmp_path: Path, name: str) -> Path:
    target = Path(os.environ.get("PEYVAND_SHOTS", tmp_path)) / name
    page.screenshot(path=str(target), full_page=True)
    return target


def test_photo_spouse_and_a_planned_call_done(page: Any, live_server: Any, tmp_path: Path) -> None:
    kernel = live_server.kernel
    ali = create_record(kernel, None, "base.partner", kind="person", first_name="علی", last_name="رضایی")
    maryam = create_record(kernel, None, "base.partner", kind="person", first_name="مریم", last_name="کریمی")
    login(page, live_server)

    # The photo: an image uploaded from the profile, shown in its heading.
    page.goto(f"/base/partner/{ali}/profile")
    photo = tmp_path / "ali.png"
    photo.write_bytes(portrait_png())
    page.set_input_files("#photo-file", str(photo))
    page.click("details.photo-form button.primary")
    expect(page.locator("p.base-notice")).to_have_text("ذخیره شد")
    img = page.locator("h1 img.partner-photo")
    expect(img).to_be_visible()
    assert img.evaluate("e => e.naturalWidth") == 48  # the browser really loaded the image

    # A spouse, seen from both sides.
    relations = page.locator("#panel-base-relations")
    relations.locator("#rel-kind").select_option("spouse")
    relations.locator("#rel-other").select_option(str(maryam))
    relations.locator("button.primary").click()
    expect(page.locator("#panel-base-relations ul.relations")).to_contain_text("همسر: مریم کریمی")
    page.click("#panel-base-relations ul.relations a")
    expect(page.locator("h1")).to_contain_text("مریم کریمی")
    expect(page.locator("#panel-base-relations ul.relations")).to_contain_text("همسر: علی رضایی")

    # A call planned for tomorrow at 10:30 (typed in Jalali), then done with its outcome.
    page.goto(f"/base/partner/{ali}/profile")
    tomorrow = format_jalali(dt.date.today() + dt.timedelta(days=1), "fa")
    planned = page.locator("#panel-base-planned")
    planned.locator("#plan-kind").select_option("call")
    planned.locator("#plan-subject").fill("هماهنگی جلسهٔ معرفی محصول")
    planned.locator("#plan-at").fill(f"{tomorrow} ۱۰:۳۰")
    planned.locator("form.planned-form button.primary").click()
    row = page.locator("#panel-base-planned tr[data-plan]")
    expect(row).to_contain_text("هماهنگی جلسهٔ معرفی محصول")
    expect(row).to_contain_text(f"{tomorrow} ۱۰:۳۰")
    first = shot(page, tmp_path, "circle-profile.png")
    assert first.stat().st_size > 10_000
    row.locator("details.plan-done summary").click()
    row.locator("textarea[name=outcome]").fill("جلسه برای شنبه قطعی شد")
    row.locator("form button.primary").click()
    expect(page.locator("p.base-notice")).to_have_text("در ارتباطات ثبت شد")
    expect(page.locator("#panel-base-planned tr[data-plan]")).to_have_count(0)
    expect(page.locator("#panel-base-planned tr.plan-done")).to_contain_text("ارتباط ثبت‌شده")
    expect(page.locator("section.profile-communications")).to_contain_text("هماهنگی جلسهٔ معرفی محصول")

    # The communications log has it, with its outcome.
    page.goto("/base/communication/")
    log_row = page.locator("table.grid tbody tr", has_text="هماهنگی جلسهٔ معرفی محصول")
    expect(log_row).to_have_count(1)
    expect(log_row).to_contain_text("علی رضایی")
    log_row.locator("a").first.click()
    expect(page.locator("dl.record")).to_contain_text("جلسه برای شنبه قطعی شد")
    shot(page, tmp_path, "circle-communication.png")
