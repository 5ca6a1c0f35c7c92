"""Demo data of the base module (``peyvand init --demo``), idempotent: a second run adds nothing.

Reference data first (countries, Iran's 31 provinces with their area codes, their main cities
from ``data/cities.json`` — the capital first —, Tehran's 22 districts, partner roles and a
group tree), then the partner file of a believable Tehran distributor of food and hygiene
products: companies across the provinces with their personnel (one liaison each), persons,
extra contact numbers, addresses and three months of communications owned by the admin user.

Everything goes through the ORM, so ``before_save`` (names, a communication's province and the
contact's position then), search keys and history run as they do for a user's edits. The
generators (national IDs with their check digit, phones with the right area code, names) are
shared with ``bench/gen_partners.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kernel.db import utcnow
from kernel.models import User
from kernel.persian.jalali import days_in_month, jalali_to_date
from kernel.persian.nationalid import national_id_check_digit
from kernel.persian.textnorm import to_persian_digits
from kernel.records import refresh_search_key
from kernel.timezone import to_utc
from modules.base.choices import DEFAULT_ROLES
from modules.base.demo_people import load_circle
from modules.base.models import (
    Address,
    City,
    Communication,
    Contact,
    Country,
    Employment,
    Partner,
    PartnerGroup,
    PartnerRole,
    Province,
    Region,
    RoleKind,
)
from modules.base.models.partner import refresh_group_paths

DATA = Path(__file__).resolve().parent / "data"
DEMO_MARK = "base.demo_partners"  # setting written once the partner file is in
SEED = 1405

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

# Population in thousands (census 1395, rounded): how partners spread over the provinces.
POPULATION = {
    "تهران": 13267, "خراسان رضوی": 6434, "اصفهان": 5120, "فارس": 4851, "خوزستان": 4710,
    "آذربایجان شرقی": 3909, "مازندران": 3283, "آذربایجان غربی": 3265, "کرمان": 3164, "سیستان و بلوچستان": 2775,
    "البرز": 2712, "گیلان": 2531, "کرمانشاه": 1952, "گلستان": 1868, "لرستان": 1760, "همدان": 1738,
    "کردستان": 1603, "هرمزگان": 1776, "مرکزی": 1429, "اردبیل": 1270, "قزوین": 1273, "قم": 1292, "یزد": 1138,
    "زنجان": 1057, "بوشهر": 1163, "چهارمحال و بختیاری": 947, "خراسان شمالی": 863, "کهگیلویه و بویراحمد": 713,
    "سمنان": 702, "خراسان جنوبی": 768, "ایلام": 580,
}

ROLE_NAMES = {"lead": "سرنخ", "opportunity": "فرصت فروش", "customer": "مشتری", "supplier": "تأمین‌کننده",
              "competitor": "رقیب", "partner": "شریک تجاری", "agent": "نماینده فروش"}

GROUP_TREE: list[tuple[str, list[Any]]] = [
    ("صنعتی", [("نساجی", [("فرش ماشینی", []), ("پارچه و پوشاک", [])]),
               ("مواد غذایی", [("لبنیات", []), ("روغن و حبوبات", []), ("شیرینی و بیسکویت", [])]),
               ("بسته‌بندی", [])]),
    ("بازرگانی", [("پخش مواد غذایی", []), ("فروشگاه زنجیره‌ای", []), ("عمده‌فروشی", []),
                  ("واردات و صادرات", []), ("فروش اینترنتی", [])]),
    ("خدماتی", [("هتل و رستوران", []), ("حمل و نقل", []), ("درمانی", []), ("تهیه غذا و پذیرایی", [])]),
    ("دولتی و عمومی", []),
    ("کشاورزی", []),
    ("مشتریان حقیقی", [("اعضای باشگاه مشتریان", []), ("بازاریابان آزاد", [])]),
]

# -- names ------------------------------------------------------------------------------------
MALE = ("علی", "محمد", "حسین", "رضا", "مهدی", "امیر", "حمید", "سعید", "مجید", "مصطفی", "جواد", "احمد", "مرتضی",
        "محسن", "بهرام", "فرهاد", "کامران", "داوود", "یوسف", "ابراهیم", "اکبر", "ناصر", "منصور", "سیامک", "بابک",
        "پیمان", "آرش", "کیوان", "هادی", "وحید", "مسعود", "حامد", "میلاد", "امیرحسین", "محمدرضا", "علیرضا", "حسن",
        "عباس", "کاظم", "جعفر", "فرزاد", "شهرام", "بهزاد", "سینا", "پویا", "نیما", "یاسر", "روح‌الله", "عبدالله",
        "اسماعیل", "مهران", "رامین", "غلامرضا", "قاسم", "سجاد", "ایمان", "محمدحسین", "امید", "کوروش", "داریوش")
FEMALE = ("فاطمه", "زهرا", "مریم", "زینب", "معصومه", "سمیه", "الهام", "نرگس", "لیلا", "مینا", "شیرین", "پریسا",
          "نازنین", "سارا", "نگار", "مهسا", "ساناز", "فرشته", "طاهره", "اعظم", "منیژه", "سیمین", "آزاده", "هانیه",
          "ملیحه", "رویا", "سپیده", "ژیلا", "پروین", "ترانه", "بهاره", "نسرین", "مهناز", "ریحانه", "یگانه", "الناز",
          "صدیقه", "شهلا", "فریبا", "مرضیه", "آتنا", "کیمیا", "نیلوفر", "محبوبه", "راضیه", "عاطفه", "شقایق", "مهتاب")
LAST = ("محمدی", "حسینی", "احمدی", "رضایی", "کریمی", "موسوی", "جعفری", "صادقی", "رحیمی", "کاظمی", "هاشمی", "قاسمی",
        "نوری", "عباسی", "ابراهیمی", "طاهری", "حیدری", "مرادی", "یوسفی", "سلیمانی", "اکبری", "شریفی", "نجفی", "زمانی",
        "فرهادی", "رستمی", "نظری", "بهرامی", "سلطانی", "مختاری", "کرمانی", "شیرازی", "تبریزی", "خراسانی", "یزدانی",
        "اسدی", "امینی", "باقری", "جلالی", "خسروی", "دهقان", "رحمانی", "زارع", "سبحانی", "شجاعی", "صفری", "عسگری",
        "غلامی", "فتحی", "قربانی", "کامرانی", "گودرزی", "لطفی", "مظفری", "نادری", "وکیلی", "هدایتی", "میرزایی",
        "پورمحمدی", "آقایی", "افشار", "بیات", "پاکزاد", "توکلی", "ثابتی", "حقیقی", "خلیلی", "دانشور", "رفیعی",
        "زندی", "سپهری", "شاکری", "صالحی", "ضیایی", "طالبی", "عزیزی", "فراهانی", "قنبری", "کیانی", "ملکی",
        "نیک‌نام", "وحیدی", "همتی", "آذری", "برزگر", "پارسا", "تقوی", "جهانگیری", "چگینی", "حاتمی", "خادمی",
        "درویشی", "ربانی", "زرین‌قلم", "شاه‌محمدی", "علوی", "فاضلی", "قدیری", "کاشانی", "منصوری", "نصیری",
        "ولی‌زاده", "یاوری", "اصغری", "بابایی", "پوربابا", "ترابی", "جوادی", "حسن‌زاده", "خانی", "رجبی", "سلامی",
        "شفیعی", "طباطبایی", "عرب", "فرجی", "قلی‌زاده", "کهنسال", "محمودی", "نوروزی", "هاشم‌زاده", "یعقوبی")

MOBILE_PREFIXES = ("912", "912", "912", "913", "914", "915", "917", "919", "919", "935", "936", "937", "938",
                   "939", "901", "902", "903", "905", "930", "933", "921", "922", "990", "991")
# The first digits of national IDs issued in some provinces' capitals (leading zeros matter).
NATIONAL_ID_PREFIXES = {
    "تهران": ("001", "002", "003", "004", "005", "006", "007", "008"), "اصفهان": ("127", "128", "129", "130"),
    "فارس": ("228", "229", "230"), "خراسان رضوی": ("092", "093", "094"), "آذربایجان شرقی": ("136", "137", "138"),
    "خوزستان": ("175", "176"), "البرز": ("031", "032"), "گیلان": ("263", "264"), "مازندران": ("209", "210"),
    "کرمان": ("298", "299"), "یزد": ("444", "445"), "قم": ("037", "038"),
}


def _digits(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice("0123456789") for _ in range(n))


def _tidy(value: str) -> bool:
    # "1234" is what people type to try a search box: keep it from matching demo data by chance.
    return "1234" not in value


def national_id(rnd: random.Random, province: str | None = None) -> str:
    """A valid 10-digit Iranian national ID (check digit computed), prefixed like the province's."""
    while True:
        prefixes = NATIONAL_ID_PREFIXES.get(province or "")
        head = rnd.choice(prefixes) if prefixes else f"{rnd.randrange(100, 700):03d}"
        first_nine = head + _digits(rnd, 6)
        value = first_nine + str(national_id_check_digit(first_nine))
        if len(set(value)) > 1 and _tidy(value):
            return value


def mobile(rnd: random.Random) -> str:
    """A canonical Iranian mobile number (+989…)."""
    while True:
        value = "+98" + rnd.choice(MOBILE_PREFIXES) + f"{rnd.randrange(10**7):07d}"
        if _tidy(value):
            return value


def landline(rnd: random.Random, area: str) -> str:
    """A canonical landline (+98 + area code + 8 digits); Tehran's start 2–8, elsewhere mostly 3."""
    while True:
        first = rnd.choice("2345678") if area == "21" else rnd.choice("33333336")
        value = f"+98{area}{first}{rnd.randrange(10**7):07d}"
        if _tidy(value):
            return value


def economic_code(rnd: random.Random) -> str:
    """A 12-digit economic code of a legal person (they start with 4)."""
    while True:
        value = "4" + f"{rnd.randrange(10**11):011d}"
        if _tidy(value):
            return value


def card_number(rnd: random.Random) -> str:
    """A 10-digit club card number."""
    while True:
        value = "7001" + f"{rnd.randrange(10**6):06d}"
        if _tidy(value):
            return value


def postal_code(rnd: random.Random) -> str:
    # Iranian postal codes use neither 0 nor 2 in their first five digits.
    while True:
        value = "".join(rnd.choice("13456789") for _ in range(5)) + _digits(rnd, 5)
        if _tidy(value):
            return value


def jalali_birthday(rnd: random.Random, first_year: int = 1335, last_year: int = 1382) -> dt.date:
    year, month = rnd.randint(first_year, last_year), rnd.randint(1, 12)
    return jalali_to_date(year, month, rnd.randint(1, days_in_month(year, month)))


def _district(n: int) -> str:
    return "منطقه " + to_persian_digits(str(n))


@lru_cache(maxsize=1)
def cities() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((DATA / "cities.json").read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def countries() -> list[dict[str, str]]:
    data: list[dict[str, str]] = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))
    return data


# -- reference data ---------------------------------------------------------------------------
def load_provinces(kernel: Any, session: Any) -> str:
    res = kernel.resources["base.province"]
    have = set(session.scalars(select(Province.name)))
    added = 0
    for name, name_en, code in PROVINCES:
        if name not in have:
            p = Province(name=name, name_en=name_en, area_code=code)
            refresh_search_key(res, p)
            session.add(p)
            added += 1
    session.flush()
    return f"{added} provinces added ({len(PROVINCES)} in all)"


def load_reference(kernel: Any, session: Any) -> dict[str, int]:
    """Countries, cities, Tehran's districts, roles and groups that are missing; counts added."""
    added = {"countries": 0, "cities": 0, "regions": 0, "roles": 0, "groups": 0}
    have_codes = set(session.scalars(select(Country.code)))
    have_names = set(session.scalars(select(Country.name)))
    for c in countries():
        if c["code"] not in have_codes and c["name"] not in have_names:
            session.add(Country(name=c["name"], name_en=c["name_en"], code=c["code"]))
            added["countries"] += 1

    provinces = {p.name: p.id for p in session.scalars(select(Province))}
    have_cities = {(r[0], r[1]) for r in session.execute(select(City.province_id, City.name))}
    for entry in cities():
        pid = provinces.get(entry["province"])
        for name in entry["cities"] if pid else ():
            if (pid, name) not in have_cities:
                session.add(City(name=name, province_id=pid))
                added["cities"] += 1
    session.flush()

    tehran = session.scalars(select(City).where(City.name == "تهران")).first()
    if tehran is not None:
        have_regions = set(session.scalars(select(Region.name).where(Region.city_id == tehran.id)))
        for n in range(1, 23):
            name = _district(n)
            if name not in have_regions:
                session.add(Region(name=name, city_id=tehran.id))
                added["regions"] += 1

    have_roles = set(session.scalars(select(RoleKind.code)))
    for seq, (code, _label) in enumerate(DEFAULT_ROLES, start=1):
        if code not in have_roles:
            session.add(RoleKind(code=code, name=ROLE_NAMES[code], sequence=seq * 10))
            added["roles"] += 1

    def groups(nodes: list[tuple[str, list[Any]]], parent: PartnerGroup | None) -> None:
        for name, children in nodes:
            pid = parent.id if parent is not None else None
            group = session.scalars(select(PartnerGroup).where(
                PartnerGroup.name == name, PartnerGroup.deleted_at.is_(None),
                PartnerGroup.parent_id.is_(None) if pid is None else PartnerGroup.parent_id == pid)).first()
            if group is None:
                group = PartnerGroup(name=name, parent_id=pid)
                session.add(group)
                session.flush()
                refresh_group_paths(session, group)
                added["groups"] += 1
            groups(children, group)

    groups(GROUP_TREE, None)
    session.flush()
    return added


def group_ids(session: Any) -> dict[str, int]:
    """Group id by its leaf name (names in the demo tree are unique)."""
    return {g.name: g.id for g in session.scalars(select(PartnerGroup).where(PartnerGroup.deleted_at.is_(None)))}


# -- the partner file -------------------------------------------------------------------------
# name, province, city, group, roles, company type, industry, grade, website, Tehran district
COMPANIES: list[tuple[str, str, str, str, tuple[str, ...], str, str, str, str, int | None]] = [
    ("فروشگاه‌های زنجیره‌ای نیک‌روز", "تهران", "تهران", "فروشگاه زنجیره‌ای", ("customer",), "private", "commercial", "A", "nikrooz-market.ir", 6),
    ("هایپرمارکت سپهر غرب", "تهران", "شهریار", "فروشگاه زنجیره‌ای", ("customer",), "private", "commercial", "B", "", None),
    ("بازرگانی آرمان‌پخش سپاهان", "اصفهان", "اصفهان", "پخش مواد غذایی", ("agent", "customer"), "private", "commercial", "A", "armanpakhsh.ir", None),
    ("پخش البرزگستر", "البرز", "کرج", "پخش مواد غذایی", ("competitor",), "private", "commercial", "", "alborzgostar.com", None),
    ("صنایع لبنی دشت سبز همدان", "همدان", "همدان", "لبنیات", ("supplier",), "private", "industrial", "A", "dashtesabz-dairy.ir", None),
    ("کشت و صنعت روغن زرین گلستان", "گلستان", "گرگان", "روغن و حبوبات", ("supplier",), "private", "industrial", "B", "zarringolestan.ir", None),
    ("فرش ماشینی کاشان‌بافت", "اصفهان", "کاشان", "فرش ماشینی", ("lead",), "private", "industrial", "C", "kashanbaft.com", None),
    ("هتل بزرگ پارسه شیراز", "فارس", "شیراز", "هتل و رستوران", ("customer",), "private", "services", "A", "parsehotel.ir", None),
    ("رستوران‌های زنجیره‌ای طعم ماندگار", "تهران", "تهران", "هتل و رستوران", ("customer", "opportunity"), "private", "services", "B", "", 3),
    ("بیمارستان خصوصی مهرگان مشهد", "خراسان رضوی", "مشهد", "درمانی", ("opportunity",), "private", "services", "B", "mehrganhospital.ir", None),
    ("تعاونی مصرف کارکنان فولاد کارون", "خوزستان", "اهواز", "فروشگاه زنجیره‌ای", ("customer",), "cooperative", "commercial", "B", "", None),
    ("حمل و نقل جاده‌ای تیزروبار", "تهران", "تهران", "حمل و نقل", ("supplier",), "private", "services", "B", "tizroobar.ir", 18),
    ("پخش سراسری ستاره شمال", "مازندران", "ساری", "پخش مواد غذایی", ("agent",), "private", "commercial", "A", "", None),
    ("فروشگاه تعاونی شهروند تبریز", "آذربایجان شرقی", "تبریز", "فروشگاه زنجیره‌ای", ("customer",), "semi_public", "commercial", "A", "", None),
    ("بازرگانی خلیج‌فارس نوین", "هرمزگان", "بندرعباس", "واردات و صادرات", ("supplier", "partner"), "private", "commercial", "B", "pgnovin.com", None),
    ("کارخانه بیسکویت و شیرینی گلپر", "قزوین", "قزوین", "شیرینی و بیسکویت", ("supplier",), "private", "industrial", "A", "golpar-food.ir", None),
    ("عمده‌فروشی برادران صادقی", "قم", "قم", "عمده‌فروشی", ("customer",), "private", "commercial", "B", "", None),
    ("سوپرمارکت‌های زنجیره‌ای یاس کرمان", "کرمان", "کرمان", "فروشگاه زنجیره‌ای", ("customer",), "private", "commercial", "C", "", None),
    ("شرکت پخش رازی غرب", "کرمانشاه", "کرمانشاه", "پخش مواد غذایی", ("agent",), "private", "commercial", "B", "", None),
    ("پخش گیلان‌تجارت", "گیلان", "رشت", "پخش مواد غذایی", ("competitor",), "private", "commercial", "", "", None),
    ("صنایع بسته‌بندی پارس‌پلاست", "مرکزی", "اراک", "بسته‌بندی", ("supplier",), "private", "industrial", "B", "parsplast.ir", None),
    ("نساجی بافت نوین یزد", "یزد", "یزد", "پارچه و پوشاک", ("lead",), "private", "industrial", "C", "", None),
    ("هتل ساحل مرجان کیش", "هرمزگان", "کیش", "هتل و رستوران", ("lead",), "private", "services", "C", "marjanhotel.ir", None),
    ("فروشگاه بزرگ رفاه‌گستر زنجان", "زنجان", "زنجان", "فروشگاه زنجیره‌ای", ("customer",), "private", "commercial", "C", "", None),
    ("کشت و صنعت زرین‌دشت سیستان", "سیستان و بلوچستان", "زابل", "کشاورزی", ("supplier",), "cooperative", "agricultural", "C", "", None),
    ("پخش مویرگی آوای سنندج", "کردستان", "سنندج", "پخش مواد غذایی", ("agent", "customer"), "private", "commercial", "B", "", None),
    ("اداره کل آموزش و پرورش استان سمنان", "سمنان", "سمنان", "دولتی و عمومی", ("opportunity",), "governmental", "services", "B", "", None),
    ("خدمات پذیرایی نوید اردبیل", "اردبیل", "اردبیل", "تهیه غذا و پذیرایی", ("customer",), "private", "services", "B", "", None),
    ("تعاونی روستایی دشت بروجرد", "لرستان", "بروجرد", "کشاورزی", ("lead",), "cooperative", "agricultural", "", "", None),
    ("مجتمع تجاری ارگ بوشهر", "بوشهر", "بوشهر", "فروشگاه زنجیره‌ای", ("opportunity",), "private", "commercial", "C", "", None),
    ("فروشگاه اینترنتی سبدکالا", "تهران", "تهران", "فروش اینترنتی", ("customer", "opportunity"), "private", "commercial", "A", "sabadkala.ir", 2),
]

# position, department; the first of a company is its manager, the second its liaison.
POSITIONS = [("مدیرعامل", "مدیریت"), ("مدیر بازرگانی", "بازرگانی"), ("مدیر خرید", "تدارکات"),
             ("کارشناس خرید", "تدارکات"), ("مدیر مالی", "مالی"), ("حسابدار", "مالی"), ("مدیر فروش", "فروش"),
             ("سرپرست انبار", "انبار"), ("مسئول دفتر", "مدیریت")]
STREETS = ("خیابان امام خمینی", "بلوار کشاورز", "خیابان آزادی", "بلوار جمهوری", "خیابان فردوسی", "بلوار ولیعصر",
           "خیابان شهید بهشتی", "بلوار مدرس", "خیابان طالقانی", "کوی صنعتی", "شهرک صنعتی", "خیابان حافظ",
           "بلوار معلم", "خیابان انقلاب", "بلوار پاسداران", "خیابان سعدی")
SOURCES = ("نمایشگاه بین‌المللی تهران", "معرفی مشتری", "بازاریاب", "وب‌سایت", "اینستاگرام", "تماس تلفنی",
           "آگهی روزنامه", "بازدید حضوری")
JOBS = ("مهندس عمران", "پزشک عمومی", "معلم", "کارمند بانک", "فروشنده", "آشپز", "وکیل", "داروساز", "راننده",
        "حسابدار", "کارآفرین", "مدیر رستوران", "خانه‌دار", "بازنشسته", "دانشجو", "طراح گرافیک")
INTERESTS = ("محصولات ارگانیک", "لبنیات محلی", "شیرینی خانگی", "خرید عمده برای مراسم", "محصولات بهداشتی",
             "تخفیف‌های فصلی", "خرید اینترنتی")
PSYCHOLOGY = ("اهل چانه‌زنی است؛ قیمت نهایی را کتبی بدهید.", "وقت‌شناس؛ از تأخیر در ارسال ناراضی می‌شود.",
              "ترجیح می‌دهد پیامک بگیرد تا تماس.", "با تخفیف نقدی زود راضی می‌شود.",
              "بدقول در پرداخت؛ چک را پیش از تحویل بگیرید.", "وفادار و خوش‌حساب.", "صبح‌ها تماس نگیرید.")

# Communication templates by the partner's main role: (kind, direction, subject, results).
TOPICS: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {
    "customer": [
        ("call", "in", "سفارش هفتگی اقلام لبنی", ("سفارش ثبت شد؛ ارسال پنجشنبه صبح.", "سفارش کم‌تر از هفته پیش بود؛ دلیلش را بپرسید.")),
        ("call", "out", "پیگیری چک برگشتی", ("قرار شد تا آخر هفته نقدی تسویه کنند.", "مدیر مالی در جلسه بود؛ فردا دوباره تماس بگیرید.")),
        ("email", "out", "ارسال لیست قیمت جدید", ("لیست قیمت با ۵٪ افزایش فرستاده شد.",)),
        ("call", "in", "شکایت از تأخیر در تحویل بار", ("عذرخواهی شد؛ بار با ماشین دوم ارسال شد.", "راننده در ترافیک مانده بود؛ بار عصر رسید.")),
        ("call", "out", "هماهنگی زمان تحویل", ("تحویل شنبه ساعت ۸ صبح در انبار مشتری.",)),
        ("meeting", "out", "جلسه بررسی عملکرد فروش فصل", ("فروش فصل ۱۲٪ بیشتر از فصل قبل بود؛ هدف فصل بعد تعیین شد.",)),
        ("visit", "out", "بازدید از فروشگاه و بررسی قفسه‌ها", ("جای محصولات ما کنار صندوق شد.", "دو قلم تاریخ‌گذشته جمع شد.")),
        ("call", "in", "درخواست تخفیف حجمی", ("۳٪ تخفیف برای سفارش بالای ۱۰۰ کارتن پذیرفته شد.", "به مدیر فروش ارجاع شد.")),
        ("letter", "out", "تمدید قرارداد فروش سالانه", ("پیش‌نویس قرارداد برای امضا فرستاده شد.",)),
        ("call", "out", "معرفی محصولات جدید", ("نمونه‌ها با بار بعدی فرستاده می‌شود.",)),
        ("call", "in", "مرجوعی کالای آسیب‌دیده", ("دو کارتن مرجوع و در فاکتور بعدی کسر شد.",)),
        ("sms", "out", "یادآوری سررسید فاکتور", ("پیامک یادآوری فرستاده شد.",)),
    ],
    "supplier": [
        ("call", "out", "استعلام قیمت خرید", ("قیمت تا پایان ماه ثابت می‌ماند.", "پیش‌فاکتور را ایمیل می‌کنند.")),
        ("letter", "in", "اعلام افزایش قیمت کارخانه", ("افزایش ۸٪ از اول ماه آینده؛ سفارش پیش از آن ثبت شود.",)),
        ("call", "out", "هماهنگی بارگیری از کارخانه", ("کامیون فردا ساعت ۶ صبح در کارخانه است.",)),
        ("call", "out", "پیگیری کسری بار", ("سه کارتن کسری با بار بعدی می‌رسد.",)),
        ("meeting", "out", "مذاکره درباره شرایط پرداخت", ("چک ۶۰ روزه پذیرفته شد.", "نقد و ۲٪ تخفیف توافق شد.")),
        ("visit", "out", "بازدید از خط تولید", ("خط جدید بسته‌بندی راه‌اندازی شده؛ ظرفیت دوبرابر شد.",)),
        ("fax", "in", "ارسال پیش‌فاکتور خرید", ("پیش‌فاکتور دریافت و برای مدیر مالی فرستاده شد.",)),
    ],
    "lead": [
        ("call", "out", "معرفی شرکت و ارسال کاتالوگ", ("کاتالوگ ایمیل شد؛ هفته بعد پیگیری شود.", "علاقه‌ای نشان ندادند.")),
        ("meeting", "out", "جلسه معرفی خدمات پخش", ("خواستند نمونه قرارداد برایشان بفرستیم.",)),
        ("email", "out", "ارسال پیش‌فاکتور", ("پیش‌فاکتور با اعتبار یک‌هفته‌ای فرستاده شد.",)),
        ("call", "out", "پیگیری پیش‌فاکتور ارسالی", ("در حال مقایسه با پیشنهاد رقیب‌اند.", "قرار شد تا پایان ماه خبر بدهند.")),
        ("call", "in", "درخواست نمونه کالا", ("نمونه‌ها با پیک فرستاده شد.",)),
    ],
    "agent": [
        ("call", "in", "گزارش فروش ماهانه نماینده", ("فروش ماه ۱۵٪ بالاتر از سهمیه بود.", "فروش کم‌تر از سهمیه؛ دلیلش کمبود موجودی بود.")),
        ("meeting", "out", "جلسه تعیین سهمیه فصل", ("سهمیه فصل تعیین و صورت‌جلسه امضا شد.",)),
        ("call", "out", "هماهنگی ارسال بار به انبار نماینده", ("دو کامیون تا آخر هفته بارگیری می‌شود.",)),
        ("visit", "out", "بازدید از انبار نمایندگی", ("انبار مرتب بود؛ دمای سردخانه کنترل شد.",)),
    ],
    "competitor": [
        ("call", "in", "پیشنهاد همکاری در پخش مشترک", ("به مدیرعامل گزارش شد؛ فعلاً پاسخی نمی‌دهیم.",)),
        ("meeting", "out", "دیدار در نمایشگاه صنایع غذایی", ("قیمت‌هایشان ۵٪ پایین‌تر از ماست.",)),
    ],
    "person": [
        ("call", "in", "پرسش درباره سفارش اینترنتی", ("سفارش فردا تحویل می‌شود.", "آدرس اصلاح شد.")),
        ("sms", "out", "تبریک تولد و کد تخفیف", ("پیامک تبریک با کد تخفیف ۱۰٪ فرستاده شد.",)),
        ("call", "out", "تمدید کارت باشگاه مشتریان", ("کارت تمدید شد.", "تماس بی‌پاسخ ماند.")),
        ("call", "in", "شکایت از کیفیت محصول", ("محصول تعویض شد و عذرخواهی کردیم.",)),
        ("meeting", "out", "جلسه همکاری بازاریابی", ("قرار شد در منطقه خودش بازاریابی کند.",)),
        ("email", "out", "ارسال کاتالوگ محصولات", ("کاتالوگ فرستاده شد.",)),
    ],
}
TOPIC_OF_ROLE = {"customer": "customer", "opportunity": "lead", "lead": "lead", "supplier": "supplier",
                 "partner": "supplier", "agent": "agent", "competitor": "competitor"}
COMM_MINUTES = {"call": (2, 25), "meeting": (30, 120), "visit": (45, 180), "email": (0, 0), "sms": (0, 0),
                "letter": (0, 0), "fax": (0, 0)}


def _person(rnd: random.Random, province: str, area: str, *, full: bool) -> Partner:
    female = rnd.random() < 0.35
    first = rnd.choice(FEMALE if female else MALE)
    p = Partner(kind="person", first_name=first, last_name=rnd.choice(LAST),
                gender="female" if female else "male", mobile=mobile(rnd))
    p.title = rnd.choice(("mrs", "ms", "dr", "eng") if female else ("mr", "mr", "dr", "eng", "hajj"))
    if full or rnd.random() < 0.6:
        p.national_id = national_id(rnd, province)
        p.birthday = jalali_birthday(rnd)
    if full:
        p.marital_status = rnd.choice(("married", "married", "single"))
        if p.marital_status == "married" and rnd.random() < 0.6:
            p.marriage_date = jalali_birthday(rnd, 1375, 1403)
        p.religion = "sunni" if province in ("کردستان", "سیستان و بلوچستان") and rnd.random() < 0.7 else "shia"
        p.job = rnd.choice(JOBS)
        p.source = rnd.choice(SOURCES)
        p.interests = rnd.choice(INTERESTS)
        if rnd.random() < 0.5:
            p.psychology = rnd.choice(PSYCHOLOGY)
        if rnd.random() < 0.4:
            p.phone = landline(rnd, area)
    return p


def load_partners(kernel: Any, session: Any, owner_id: int | None, rnd: random.Random) -> tuple[int, int]:
    """The distributor's partner file; returns (partners, communications) added."""
    provinces = {p.name: p for p in session.scalars(select(Province))}
    city_ids = {(c.province_id, c.name): c.id for c in session.scalars(select(City))}
    tehran_city = city_ids.get((provinces["تهران"].id, "تهران"))
    regions = {r.name: r.id for r in session.scalars(select(Region).where(Region.city_id == tehran_city))}
    iran = session.scalars(select(Country).where(Country.code == "IR")).first()
    groups = group_ids(session)
    partners: list[Partner] = []
    roles: dict[int, tuple[str, ...]] = {}
    staff: dict[int, list[Partner]] = {}
    now = utcnow()

    def place(p: Partner, province: str, city: str | None = None) -> None:
        prov = provinces[province]
        p.province_id = prov.id
        p.country_id = iran.id if iran else None
        p.city_id = city_ids.get((prov.id, city or next(c["cities"][0] for c in cities() if c["province"] == province)))
        p.owner_id = owner_id

    companies: list[tuple[Partner, tuple[str, ...], str]] = []
    for name, province, city, group, kinds, ctype, industry, grade, web, district in COMPANIES:
        area = provinces[province].area_code or "21"
        c = Partner(kind="company", name=name, company_type=ctype, industry=industry, grade=grade or None,
                    economic_code=economic_code(rnd), registration_no=str(rnd.randrange(10_000, 600_000)),
                    phone=landline(rnd, area), group_id=groups.get(group), source=rnd.choice(SOURCES),
                    website=f"www.{web}" if web else None, email=f"info@{web}" if web else None)
        if rnd.random() < 0.6:
            c.fax = landline(rnd, area)
        if "supplier" in kinds:
            c.supplier_importance = rnd.choice(("strategic", "important", "normal"))
            c.supplier_score = rnd.randrange(55, 98)
        place(c, province, city)
        if district is not None:
            c.region_id = regions.get(_district(district))
        session.add(c)
        companies.append((c, kinds, area))
    session.flush()

    employments: list[Employment] = []
    promoted: list[tuple[Partner, Partner, Employment, Employment, dt.datetime]] = []
    for c, kinds, area in companies:
        roles[c.id] = kinds
        province = next(n for n, p in provinces.items() if p.id == c.province_id)
        count = rnd.randint(2, 4)
        picks = [POSITIONS[0], rnd.choice(POSITIONS[1:3])] + rnd.sample(POSITIONS[3:], count - 2)
        people = []
        for i, (position, department) in enumerate(picks):
            person = _person(rnd, province, area, full=False)
            place(person, province)
            person.city_id = c.city_id
            person.group_id = c.group_id
            session.add(person)
            session.flush()
            job = Employment(person_id=person.id, company_id=c.id, position=position, department=department,
                             is_liaison=i == 1, started_on=jalali_birthday(rnd, 1392, 1403), owner_id=owner_id)
            if i == 1 and rnd.random() < 0.3:
                # Promoted 40–70 days ago: the earlier job is ended, communications before keep it.
                when = now - dt.timedelta(days=rnd.randint(40, 70))
                old = Employment(person_id=person.id, company_id=c.id, position="کارشناس خرید",
                                 department=department, is_liaison=False, owner_id=owner_id,
                                 started_on=jalali_birthday(rnd, 1390, 1398), ended_on=when.date())
                job.started_on = when.date()
                session.add(old)
                promoted.append((c, person, old, job, when))
            session.add(job)
            employments.append(job)
            people.append(person)
            roles[person.id] = ()
        staff[c.id] = people
        if rnd.random() < 0.4:  # a second line or the sales office's direct number
            session.add(Contact(partner_id=c.id, kind="phone", value=landline(rnd, area), label="خط دوم", owner_id=owner_id))
        session.add(Address(partner_id=c.id, purpose="head_office" if c.company_type != "governmental" else "main",
                            province_id=c.province_id, city_id=c.city_id, region_id=c.region_id,
                            street=f"{rnd.choice(STREETS)}، کوچه {rnd.randint(2, 40)}، پلاک {rnd.randint(1, 120)}",
                            postal_code=postal_code(rnd), is_default=True, owner_id=owner_id))
        if c.industry == "industrial":
            session.add(Address(partner_id=c.id, purpose="factory", province_id=c.province_id, city_id=c.city_id,
                                street=f"شهرک صنعتی، خیابان {rnd.randint(1, 12)}، قطعه {rnd.randint(5, 300)}",
                                postal_code=postal_code(rnd), owner_id=owner_id))
        partners.append(c)

    # Individual customers, leads and freelance sales agents, spread like the population.
    names, weights = list(POPULATION), list(POPULATION.values())
    individual: list[tuple[Partner, tuple[str, ...]]] = []
    for i in range(40):
        province = "تهران" if i < 14 else rnd.choices(names, weights)[0]
        area = provinces[province].area_code or "21"
        p = _person(rnd, province, area, full=True)
        cities_here = next(c["cities"] for c in cities() if c["province"] == province)
        place(p, province, cities_here[0] if rnd.random() < 0.7 else rnd.choice(cities_here))
        if p.city_id == tehran_city:
            p.region_id = regions.get(_district(rnd.randint(1, 22)))
        drawn: tuple[str, ...] = rnd.choice((("customer",), ("customer",), ("customer",), ("lead",),
                                             ("opportunity",), ("customer", "agent"), ("agent",)))
        if "customer" in drawn:
            p.card_number = card_number(rnd)
            p.sms_group = "مشتریان باشگاه"
            p.group_id = groups.get("اعضای باشگاه مشتریان")
        else:
            p.group_id = groups.get("بازاریابان آزاد") if "agent" in drawn else None
            p.sms_group = "نمایندگان" if "agent" in drawn else None
        p.grade = rnd.choice(("A", "B", "B", "C", "D"))
        if rnd.random() < 0.5:
            p.email = f"{rnd.choice(('info', 'mail', 'contact', 'me'))}{rnd.randrange(10, 99)}@example.ir"
        session.add(p)
        individual.append((p, drawn))
    session.flush()
    for p, drawn in individual:
        roles[p.id] = drawn
        if rnd.random() < 0.3:  # a second mobile
            session.add(Contact(partner_id=p.id, kind="mobile", value=mobile(rnd), label="همراه دوم", owner_id=owner_id))
    partners.extend(p for p, _k in individual)
    for pid, kinds in roles.items():
        for code in kinds:
            session.add(PartnerRole(partner_id=pid, role=code))
    session.flush()
    load_circle(session, [p for p, _k in individual], owner_id, kernel.config.timezone)

    # ~200 communications over the last three months, in Tehran office hours.
    weighted: list[tuple[Partner, str]] = []
    for c, kinds, _area in companies:
        topic = TOPIC_OF_ROLE[kinds[0]]
        weighted += [(c, topic)] * {"customer": 5, "agent": 4, "supplier": 4, "lead": 2, "competitor": 1}[topic]
    for p, _k in individual:
        weighted += [(p, "person")] * 2
    comm_count = 0
    before = {person.id: (old, when) for _c, person, old, _job, when in promoted}
    for _ in range(200):
        partner, topic = rnd.choice(weighted)
        kind, direction, subject, results = rnd.choice(TOPICS[topic])
        days_ago = rnd.randint(0, 90)
        local_day = (now + dt.timedelta(hours=3, minutes=30) - dt.timedelta(days=days_ago)).date()
        if local_day.weekday() == 4:  # Friday: the office is closed
            local_day -= dt.timedelta(days=1)
        local = dt.datetime.combine(local_day, dt.time(rnd.randint(8, 16), rnd.choice((0, 10, 15, 20, 30, 40, 45, 50))))
        started = min(to_utc(local), now - dt.timedelta(minutes=5))
        low, high = COMM_MINUTES[kind]
        comm = Communication(kind=kind, direction=direction, subject=subject, result=rnd.choice(results),
                             started_at=started, partner_id=partner.id, owner_id=owner_id,
                             ended_at=started + dt.timedelta(minutes=rnd.randint(low, high)) if high else None)
        if partner.kind == "company" and rnd.random() < 0.65:
            contact = rnd.choice(staff[partner.id])
            comm.contact_id = contact.id
            if contact.id in before and started < before[contact.id][1]:
                old = before[contact.id][0]
                comm.employment_id = old.id
                comm.contact_position = " — ".join(x for x in (old.position, old.department, partner.name) if x)
        if rnd.random() < 0.25:
            comm.follow_up_on = local_day + dt.timedelta(days=rnd.randint(2, 21))
        if rnd.random() < 0.15:
            comm.follow_up_no = f"F-{rnd.randrange(100, 999)}"
        session.add(comm)
        comm_count += 1
    session.flush()
    return len(partners) + sum(len(v) for v in staff.values()), comm_count


def admin_id(session: Any) -> int | None:
    return session.scalars(select(User.id).where(User.is_admin.is_(True), User.is_active.is_(True))
                           .order_by(User.id)).first()


def load(kernel: Any, session: Any) -> str:
    out = load_provinces(kernel, session)
    added = load_reference(kernel, session)
    if not kernel.setting(session, "company.name", ""):
        kernel.set_setting(session, "company.name", "شرکت پخش سپیدار تهران")
    partners = comms = 0
    first_company = COMPANIES[0][0]
    loaded = kernel.setting(session, DEMO_MARK, "") or session.scalars(
        select(Partner.id).where(Partner.kind == "company", Partner.name == first_company)).first()
    if not loaded:
        partners, comms = load_partners(kernel, session, admin_id(session), random.Random(SEED))
        kernel.set_setting(session, DEMO_MARK, "1")
    return (f"{out}; {added['countries']} countries, {added['cities']} cities, {added['regions']} regions, "
            f"{added['roles']} partner roles, {added['groups']} groups, {partners} partners and "
            f"{comms} communications added")
