"""Iran's 31 provinces with their telephone area codes (idempotent)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel.records import refresh_search_key
from modules.base.models import Province

PROVINCES = [
    ("آذربایجان شرقی", "East Azerbaijan", "41"), ("آذربایجان غربی", "West Azerbaijan", "44"),
    ("اردبیل", "Ardabil", "45"), ("اصفهان", "Isfahan", "31"), ("البرز", "Alborz", "26"), ("ایلام", "Ilam", "84"),
    ("بوشهر", "Bushehr", "77"), ("تهران", "Tehran", "21"), ("چهارمحال و بختیاری", "Chaharmahal and Bakhtiari", "38"),
    ("خراسان جنوبی", "South Khorasan", "56"), ("خراسان رضوی", "Razavi Khorasan", "51"),
    ("خراسان شمالی", "North Khorasan", "58"), ("خوزستان", "Khuzestan", "61"), ("زنجان", "Zanjan", "24"),
    ("سمنان", "Semnan", "23"), ("سیستان و بلوچستان", "Sistan and Baluchestan", "54"), ("فارس", "Fars", "71"),
    ("قزوین", "Qazvin", "28"), ("قم", "Qom", "25"), ("کردستان", "Kurdistan", "87"), ("کرمان", "Kerman", "34"),
    ("کرمانشاه", "Kermanshah", "83"), ("کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad", "74"),
    ("گلستان", "Golestan", "17"), ("گیلان", "Gilan", "13"), ("لرستان", "Lorestan", "66"),
    ("مازندران", "Mazandaran", "11"), ("مرکزی", "Markazi", "86"), ("هرمزگان", "Hormozgan", "76"),
    ("همدان", "Hamadan", "81"), ("یزد", "Yazd", "35"),
]


def load(kernel: Any, session: Any) -> str:
    res = kernel.resources["base.province"]
    have = set(session.scalars(select(Province.name)))
    added = 0
    for name, name_en, code in PROVINCES:
        if name not in have:
            p = Province(name=name, name_en=name_en, area_code=code)
            refresh_search_key(res, p)
            session.add(p)
            added += 1
    return f"{added} provinces added ({len(PROVINCES)} in all)"
