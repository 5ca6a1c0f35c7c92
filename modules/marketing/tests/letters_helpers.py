"""A small world for the letters and labels tests: companies in Isfahan and Fars with their
personnel (a managing director «مدیرعامل» each, a sales manager, a liaison), a person, their
addresses, a clerk who may write and print letters, and a New-Year template."""

from __future__ import annotations

import base64
import datetime as dt
import subprocess
import tempfile
from typing import Any

import pytest
from sqlalchemy import select

from kernel.persian.jalali import jalali_to_date
from kernel.testing import create_record, create_user

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
PERMS = ("marketing.letter.*", "marketing.letter_template.*", "marketing.labels.print", "marketing.category.view",
         "base.partner.view", "base.employment.view", "base.communication.view")
NEW_YEAR = ("{گیرنده}\n{سمت}\n\nبا سلام و احترام،\nفرا رسیدن نوروز ۱۴۰۵ را به {company} تبریک می‌گوییم.\n"
            "نشانی شما: {نشانی}")


def jdate(y: int, m: int, d: int) -> dt.date:
    return jalali_to_date(y, m, d)


PROVINCE_OF = {"کاشان": "اصفهان", "اصفهان": "اصفهان", "شیراز": "فارس"}


def _city(kernel: Any, name: str) -> tuple[int, int]:
    """The city (and its province), made on first use: a new database has no geography."""
    from modules.base.models import City, Province

    with kernel.session() as s:
        province_name = PROVINCE_OF[name]
        province = s.scalars(select(Province).where(Province.name == province_name)).first()
        if province is None:
            province = Province(name=province_name)
            s.add(province)
            s.flush()
        city = s.scalars(select(City).where(City.name == name, City.province_id == province.id)).first()
        if city is None:
            city = City(name=name, province_id=province.id)
            s.add(city)
            s.flush()
        return city.id, province.id


def _owned_by(kernel: Any, partner_id: int, owner: int | None) -> int:
    """The partner given to ``owner`` (a user limited to their own records sees only theirs)."""
    if owner is not None:
        from modules.base.models import Partner

        with kernel.session() as s:
            s.get(Partner, partner_id).owner_id = owner
    return partner_id


def person(kernel: Any, first: str, last: str, title: str = "mr", owner: int | None = None, **values: Any) -> int:
    gender = "female" if title in ("mrs", "ms") else "male"
    return _owned_by(kernel, create_record(kernel, None, "base.partner", kind="person", first_name=first,
                                           last_name=last, title=title, gender=gender, **values), owner)


def company(kernel: Any, name: str, city: str, street: str, postal_code: str, owner: int | None = None,
            **values: Any) -> int:
    city_id, province_id = _city(kernel, city)
    pid = _owned_by(kernel, create_record(kernel, None, "base.partner", kind="company", name=name,
                                          province_id=province_id, city_id=city_id, **values), owner)
    create_record(kernel, None, "base.address", partner_id=pid, purpose="head_office", province_id=province_id,
                  city_id=city_id, street=street, postal_code=postal_code, is_default=True)
    return pid


def employ(kernel: Any, person_id: int, company_id: int, position: str, liaison: bool = False) -> int:
    return create_record(kernel, None, "base.employment", person_id=person_id, company_id=company_id,
                         position=position, is_liaison=liaison, started_on=jdate(1400, 1, 15))


def world(kernel: Any, perms: tuple[str, ...] = PERMS, scope: str = "all") -> dict[str, Any]:
    """Two companies with a managing director each, one with only a sales manager, a person."""
    with kernel.session() as s:  # seats bought on top of tier 1's two: the tests log in several clerks
        kernel.set_setting(s, "kernel.extra_seats", 8)
    uid = create_user(kernel, "sara", perms=perms, scope=scope)
    w: dict[str, Any] = {"uid": uid}
    w["kashi"] = company(kernel, "کاشی‌سازی مهر", "کاشان", "بلوار قطب راوندی، کوچهٔ ۱۲، پلاک ۴", "8715913344")
    w["naqsh"] = company(kernel, "فرش نقش جهان", "شیراز", "خیابان زند، ساختمان ارم، طبقهٔ ۳", "7134567891")
    w["abi"] = company(kernel, "آبی‌رنگ", "اصفهان", "خیابان چهارباغ بالا، پلاک ۲۰", "8174673111")
    w["rezaei"] = person(kernel, "علی", "رضایی", "mr")
    w["ahmadi"] = person(kernel, "مریم", "احمدی", "mrs")
    w["karimi"] = person(kernel, "حسن", "کریمی", "mr")
    w["navid"] = person(kernel, "نوید", "صالحی", "mr")
    employ(kernel, w["rezaei"], w["kashi"], "مدیرعامل")
    employ(kernel, w["navid"], w["kashi"], "مدیر فروش", liaison=True)
    employ(kernel, w["ahmadi"], w["naqsh"], "مدیرعامل", liaison=True)
    employ(kernel, w["karimi"], w["abi"], "مدیر فروش")
    w["template"] = create_record(kernel, uid, "marketing.letter_template", name="تبریک نوروز",
                                  subject="تبریک سال نو", body=NEW_YEAR)
    return w


# A 1×1 PNG: the company's logo as the settings keep it, a data: URL.
LOGO = "data:image/png;base64," + base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005"
    "0001ff89993d1d0000000049454e44ae426082")).decode()


def letterhead(kernel: Any, name: str = "بازرگانی پیوند") -> None:
    with kernel.session() as s:
        kernel.set_setting(s, "company.name", name)
        kernel.set_setting(s, "company.logo_url", LOGO)


def flat(text: str) -> str:
    """A PDF page's text as words: pdftotext's layout spaces folded, no ZWNJ (it drops some), no
    space before Persian punctuation. Words poppler spells in presentation forms (لا, ـٔ) are best
    not asserted."""
    text = " ".join(text.replace("\u200c", "").split())
    for mark in ("،", ".", ":"):
        text = text.replace(" " + mark, mark)
    return text


def poppler(tool: str, pdf: bytes) -> str:
    """What ``pdfinfo`` or ``pdfimages -list`` says of a PDF."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        args = [tool, f.name] if tool == "pdfinfo" else [tool, "-list", f.name]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def set_numbering(kernel: Any, mode: str) -> None:
    with kernel.session() as s:
        kernel.set_setting(s, "marketing.letters.numbering", mode)
