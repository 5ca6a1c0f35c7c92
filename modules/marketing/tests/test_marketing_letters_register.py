"""MKT-05: the letter register — a number typed by hand (FAQ 17) or taken from the series, unique
in its Jalali year; a letter's PDF on the company's letterhead with the Jalali date, the number
and the addressee by base's rules in Persian digits; the letter on the partner's timeline; merge
fields, and an unknown one refused on the field in Persian."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.testing import create_user, csrf, pdf_text
from modules.base.models import Communication
from modules.marketing.models import Letter, LetterTemplate
from modules.marketing.tests.letters_helpers import ENGINES, flat, jdate, letterhead, poppler, world


@pytest.fixture(params=ENGINES)
def kernel(request: Any, make_kernel: Any) -> Any:
    return make_kernel(edition="tier1", modules=("marketing",), engine=request.param)


def _post_letter(client: Any, **values: str) -> Any:
    return client.post("/marketing/letter/new", data={"csrf": csrf(client, "/marketing/letter/new"), **values},
                       follow_redirects=False)


def _letters(kernel: Any) -> list[tuple[str, int]]:
    with kernel.sessions() as s:
        return [(n, y) for n, y in s.execute(select(Letter.number, Letter.year).order_by(Letter.id))]


def test_a_typed_number_is_unique_in_its_jalali_year(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    sara = web_client(kernel, "sara")
    typed = {"date": "۱۴۰۵/۰۱/۱۰", "partner_id": str(w["naqsh"]), "subject": "دعوت به نمایشگاه", "body": "متن"}
    missing = _post_letter(sara, **typed)
    assert missing.status_code == 400 and "شمارهٔ نامه را وارد کنید" in missing.text
    assert _post_letter(sara, number="۱۲۳/الف", **typed).status_code == 303
    again = _post_letter(sara, number="123/الف", **{**typed, "date": "۱۴۰۵/۱۲/۲۹"})
    assert again.status_code == 400
    assert "در سال ۱۴۰۵ به نامهٔ دیگری داده شده است" in again.text and "۱۲۳/الف" in again.text
    # The next Jalali year may use it again.
    assert _post_letter(sara, number="123/الف", **{**typed, "date": "۱۴۰۶/۰۱/۰۱"}).status_code == 303
    assert _letters(kernel) == [("123/الف", 1405), ("123/الف", 1406)]


def test_automatic_numbers_come_from_the_series_per_year(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    create_user(kernel, "boss", perms=("marketing.letter_numbering.edit",))
    boss = web_client(kernel, "boss")
    page = boss.get("/marketing/letters/numbering")
    assert page.status_code == 200 and "خودکار، از سری شماره‌ها" in page.text
    token = csrf(boss, "/marketing/letters/numbering")
    assert boss.post("/marketing/letters/numbering", data={"csrf": token, "mode": "x"}).status_code == 400
    assert boss.post("/marketing/letters/numbering", data={"csrf": token, "mode": "automatic"},
                     follow_redirects=False).status_code == 303
    sara = web_client(kernel, "sara")
    assert sara.get("/marketing/letters/numbering").status_code == 403
    typed = {"partner_id": str(w["kashi"]), "subject": "پیگیری", "body": "متن"}
    refused = _post_letter(sara, number="77", date="۱۴۰۵/۰۲/۰۱", **typed)
    assert refused.status_code == 400 and "شماره خودکار داده می‌شود" in refused.text
    for day in ("۱۴۰۵/۰۲/۰۱", "۱۴۰۵/۱۲/۲۹", "۱۴۰۶/۰۱/۰۱"):
        assert _post_letter(sara, date=day, **typed).status_code == 303
    assert _letters(kernel) == [("1405-00001", 1405), ("1405-00002", 1405), ("1406-00001", 1406)]
    listed = sara.get("/marketing/letter/")
    assert "۱۴۰۵-۰۰۰۰۲" in listed.text and "دفتر نامه‌ها" in listed.text


def test_the_letter_prints_on_the_letterhead_and_goes_on_the_timeline(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    letterhead(kernel)
    sara = web_client(kernel, "sara")
    made = _post_letter(sara, number="۴۵۶", date="۱۴۰۵/۰۱/۰۵", partner_id=str(w["kashi"]),
                        contact_id=str(w["rezaei"]), subject="تبریک سال نو",
                        body="{addressee}\n{position}\nبا سلام، نامهٔ شمارهٔ {شماره} به تاریخ {تاریخ} برای {company}.")
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    detail = sara.get(url)
    assert "/letter.pdf" in detail.text and "چاپ نامه" in detail.text
    pdf = sara.get(url + "/letter.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    (page,) = (flat(p) for p in pdf_text(pdf.content))
    assert "بازرگانی پیوند" in page  # the letterhead: the name, and the logo drawn
    assert len(poppler("pdfimages", pdf.content).splitlines()) > 2
    assert "۱۴۰۵/۰۱/۰۵" in page and "۴۵۶" in page  # the date and number, Persian digits
    assert page.count("جناب آقای علی رضایی") == 2  # the addressee block and the {addressee} field
    assert "مدیرعامل محترم" in page and "کاشیسازی مهر" in page
    assert "۴۵۶ به تاریخ ۵ فروردین ۱۴۰۵ برای کاشیسازی مهر." in page
    assert "{" not in page and "456" not in page
    with kernel.sessions() as s:
        letter = s.scalars(select(Letter)).one()
        comm = s.scalars(select(Communication).where(Communication.link_resource == "marketing.letter")).one()
    assert (comm.kind, comm.direction, comm.partner_id, comm.contact_id, comm.link_id, comm.subject) == (
        "letter", "out", w["kashi"], w["rezaei"], letter.id, "تبریک سال نو")
    assert comm.owner_id == w["uid"] and letter.date == jdate(1405, 1, 5)
    # The company's timeline shows it to whoever may read communications.
    profile = sara.get(f"/base/partner/{w['kashi']}/profile")
    assert profile.status_code == 200 and "تبریک سال نو" in profile.text


def test_a_company_without_a_named_person_is_addressed_to_its_liaison(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    sara = web_client(kernel, "sara")
    made = _post_letter(sara, number="1", date="۱۴۰۵/۰۱/۰۵", partner_id=str(w["kashi"]), subject="s", body="متن")
    (page,) = (flat(p) for p in pdf_text(sara.get(made.headers["location"] + "/letter.pdf").content))
    assert "جناب آقای نوید صالحی" in page and "مدیر فروش محترم" in page and "کاشیسازی مهر" in page
    # A person named who does not work at the company is refused on the field.
    wrong = _post_letter(sara, number="2", date="۱۴۰۵/۰۱/۰۵", partner_id=str(w["kashi"]),
                         contact_id=str(w["ahmadi"]), subject="s", body="متن")
    assert wrong.status_code == 400 and _letters(kernel) == [("1", 1405)]


def test_an_unknown_merge_field_is_refused_on_the_field(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    sara = web_client(kernel, "sara")
    token = csrf(sara, "/marketing/letter_template/new")
    bad = sara.post("/marketing/letter_template/new", data={"csrf": token, "name": "x", "subject": "سلام",
                                                            "body": "{گیرنده} عزیز، {نام_خانوادگی}"})
    assert bad.status_code == 400
    assert "فیلد ادغام {نام_خانوادگی} شناخته نیست" in bad.text and "{گیرنده}" in bad.text
    letter = _post_letter(sara, number="9", date="۱۴۰۵/۰۱/۰۵", partner_id=str(w["naqsh"]), subject="{foo}", body="")
    assert letter.status_code == 400 and "فیلد ادغام {foo} شناخته نیست" in letter.text
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(LetterTemplate)) == 1  # the world's only
        assert s.scalar(select(func.count()).select_from(Letter)) == 0


def test_printing_needs_the_permission_and_the_scope(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    create_user(kernel, "reza", perms=("marketing.letter.view", "marketing.letter.create"))
    create_user(kernel, "mina", perms=("marketing.letter.*",), scope="own")
    sara = web_client(kernel, "sara")
    url = _post_letter(sara, number="5", date="۱۴۰۵/۰۱/۰۵", partner_id=str(w["naqsh"]), subject="s",
                       body="متن").headers["location"]
    assert web_client(kernel, "reza").get(url + "/letter.pdf").status_code == 403
    assert web_client(kernel, "mina").get(url + "/letter.pdf").status_code == 404
    assert "چاپ نامه" not in web_client(kernel, "reza").get(url).text
