"""MKT-05 group letters (FAQ 24: New-Year letters to every managing director): one template to
the personnel of the chosen companies holding a position, or to each partner of a filtered list
(a company by its liaison), within the user's record scope — each letter registered with its own
number and on its partner's timeline, all printed as one PDF, one letter a page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.testing import create_record, create_user, csrf, pdf_text
from modules.base.models import Communication
from modules.marketing.models import Letter
from modules.marketing.tests.letters_helpers import (
    ENGINES,
    PERMS,
    company,
    employ,
    flat,
    jdate,
    letterhead,
    person,
    set_numbering,
    world,
)

DIRECTORS = {"whom": "personnel", "position": "مدیرعامل", "f_kind": "company"}


@pytest.fixture(params=ENGINES)
def kernel(request: Any, make_kernel: Any) -> Any:
    return make_kernel(edition="tier1", modules=("marketing",), engine=request.param)


def _keys(page_text: str) -> list[str]:
    return [k.split('"')[0] for k in page_text.split('name="r" value="')[1:]]


def _write(client: Any, keys: list[str], template: int, **fields: str) -> Any:
    data = {"csrf": csrf(client, "/marketing/letters/group"), "template_id": str(template), "date": "۱۴۰۵/۰۱/۰۱",
            "r": keys, **fields}
    return client.post("/marketing/letters/group", data=data, follow_redirects=False)


def test_new_year_letters_to_every_managing_director_as_one_pdf(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    letterhead(kernel)
    set_numbering(kernel, "automatic")
    sara = web_client(kernel, "sara")
    page = sara.get("/marketing/letters/group", params=DIRECTORS)
    assert page.status_code == 200 and "نامهٔ گروهی تازه" in page.text
    keys = _keys(page.text)
    assert keys == [f"c:{w['naqsh']}:{w['ahmadi']}", f"c:{w['kashi']}:{w['rezaei']}"]  # not آبی‌رنگ's sales manager
    made = _write(sara, keys, w["template"], **DIRECTORS)
    assert made.status_code == 303, made.text
    done = sara.get(made.headers["location"])
    assert "۱۴۰۵-۰۰۰۰۱" in done.text and "۱۴۰۵-۰۰۰۰۲" in done.text
    pdf = sara.get(made.headers["location"] + "/letters.pdf")
    pages = [flat(p) for p in pdf_text(pdf.content)]
    assert len(pages) == 2
    first, second = pages
    assert "سرکار خانم مریم احمدی" in first and "مدیرعامل محترم" in first and "فرش نقش جهان" in first
    assert "شیراز، فارس" in first and "۱۴۰۵-۰۰۰۰۱" in first and "۱۴۰۵/۰۱/۰۱" in first
    assert "جناب آقای علی رضایی" in second and "کاشیسازی مهر" in second and "۱۴۰۵-۰۰۰۰۲" in second
    assert "نوروز ۱۴۰۵" in second and "بازرگانی پیوند" in second and "احمدی" not in second
    with kernel.sessions() as s:
        letters = s.execute(select(Letter.number, Letter.partner_id, Letter.contact_id).order_by(Letter.id)).all()
        logged = s.execute(select(Communication.partner_id, Communication.contact_id)
                           .where(Communication.kind == "letter").order_by(Communication.id)).all()
    assert letters == [("1405-00001", w["naqsh"], w["ahmadi"]), ("1405-00002", w["kashi"], w["rezaei"])]
    assert logged == [(w["naqsh"], w["ahmadi"]), (w["kashi"], w["rezaei"])]


def test_typed_numbers_count_up_from_the_first_and_a_used_one_stops_them_all(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    sara = web_client(kernel, "sara")
    keys = _keys(sara.get("/marketing/letters/group", params=DIRECTORS).text)
    no_first = _write(sara, keys, w["template"], **DIRECTORS)
    assert no_first.status_code == 400 and "شمارهٔ نخستین نامه را وارد کنید" in no_first.text
    create_record(kernel, w["uid"], "marketing.letter", number="501", date=jdate(1405, 1, 1), partner_id=w["abi"],
                  subject="قبلی", body="")
    clash = _write(sara, keys, w["template"], first_number="۵۰۰", **DIRECTORS)  # 500, then 501: taken
    assert clash.status_code == 400 and "در سال ۱۴۰۵ به نامهٔ دیگری داده شده است" in clash.text
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Letter)) == 1  # none of the group was kept
    assert _write(sara, keys, w["template"], first_number="۶۰۰", **DIRECTORS).status_code == 303
    with kernel.sessions() as s:
        assert list(s.scalars(select(Letter.number).order_by(Letter.id))) == ["501", "600", "601"]


def test_each_partner_of_a_filtered_list_in_the_users_scope(kernel: Any, web_client: Any) -> None:
    """Companies by their liaison or "the management of"; a user limited to their own partners
    writes only to those."""
    w = world(kernel)
    mina = create_user(kernel, "mina", perms=PERMS, scope="own")
    own = company(kernel, "سیمان فارس", "شیراز", "جادهٔ کازرون", "7100000000", owner=mina)
    employ(kernel, person(kernel, "رضا", "سبحانی", owner=mina), own, "مدیرعامل", liaison=True)
    sara = web_client(kernel, "sara")
    # The partner list, filtered, offers a group letter and labels for what it shows.
    listed = sara.get("/base/partner/", params={"f_kind": "company", "q": "فرش"})
    assert 'href="/marketing/letters/group?f_kind=company&amp;q=' in listed.text
    assert 'href="/marketing/labels?f_kind=company&amp;q=' in listed.text
    page = sara.get("/marketing/letters/group", params={"whom": "partners", "f_kind": "company"})
    assert _keys(page.text) == [f"p:{w['abi']}", f"p:{own}", f"p:{w['naqsh']}", f"p:{w['kashi']}"]
    assert "مدیریت محترم آبی‌رنگ" in page.text and "جناب آقای نوید صالحی" in page.text
    minas = web_client(kernel, "mina")
    keys = _keys(minas.get("/marketing/letters/group", params={"whom": "partners", "f_kind": "company"}).text)
    assert keys == [f"p:{own}"]
    # Posting another company's key gives no letter: it is not in mina's list.
    minas_template = create_record(kernel, mina, "marketing.letter_template", name="دعوت", subject="دعوت", body="متن")
    assert f'<option value="{w["template"]}"' not in minas.get("/marketing/letters/group").text  # sara's is hers
    refused = _write(minas, [f"p:{w['kashi']}"], minas_template, first_number="1", whom="partners",
                     f_kind="company")
    assert refused.status_code == 400 and "دست‌کم یک گیرنده انتخاب کنید" in refused.text
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Letter)) == 0


def test_a_group_letter_needs_a_template_and_a_date(kernel: Any, web_client: Any) -> None:
    w = world(kernel)
    create_user(kernel, "reza", perms=("marketing.letter.view", "marketing.letter.create", "base.partner.view"))
    reza = web_client(kernel, "reza")
    assert reza.post("/marketing/letters/group", data={"csrf": csrf(reza, "/marketing/letters/group"),
                                                       "template_id": str(w["template"])}).status_code == 403
    sara = web_client(kernel, "sara")
    keys = _keys(sara.get("/marketing/letters/group", params=DIRECTORS).text)
    bad = _write(sara, keys, w["template"], first_number="1", **{**DIRECTORS, "date": "۱۴۰۵/۱۳/۰۱"})
    assert bad.status_code == 400 and 'class="error field-error"' in bad.text
    none = sara.post("/marketing/letters/group", data={"csrf": csrf(sara, "/marketing/letters/group"),
                                                       "date": "۱۴۰۵/۰۱/۰۱", "r": keys, **DIRECTORS})
    assert none.status_code == 400 and "یک الگوی نامه انتخاب کنید" in none.text
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Letter)) == 0
