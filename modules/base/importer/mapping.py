"""Which partner field each column of a file fills: the targets, the guesses from Persian or
English headers, and the choices made on the mapping page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kernel import InputError
from kernel.persian.textnorm import search_key
from modules.base.models.imports import MODES

if TYPE_CHECKING:
    from kernel.kernel import Kernel

PARTNER = "base.partner"
# Columns that are not a partner field of their own.
FULL_NAME, ROLES = "full_name", "roles"
EXTRA_MOBILE, EXTRA_PHONE, EXTRA_NUMBERS = "extra_mobile", "extra_phone", "extra_numbers"
EXTRAS = (EXTRA_MOBILE, EXTRA_PHONE, EXTRA_NUMBERS)
# Targets that several columns may fill (mobile 2, mobile 3 …).
REPEATABLE = (*EXTRAS, ROLES)
KIND_MODES = ("auto", "person", "company")
EXTRA_LABELS = {
    FULL_NAME: "Full name or company name",
    "name": "Company name",
    ROLES: "Roles",
    EXTRA_MOBILE: "Another mobile",
    EXTRA_PHONE: "Another phone",
    EXTRA_NUMBERS: "Other contact numbers",
}
REFS = ("country_id", "province_id", "city_id", "region_id", "group_id")

# Headers people write, beside the fields' own labels in both languages.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("نام کوچک", "first name", "firstname", "given name", "forename"),
    "last_name": ("نام خانوادگی", "فامیل", "فامیلی", "نام فامیل", "last name", "lastname", "surname",
                  "family name", "family"),
    FULL_NAME: ("نام و نام خانوادگی", "نام کامل", "نام شخص", "نام مشتری", "مشتری", "نام طرف حساب", "طرف حساب",
                "full name", "fullname", "customer", "customer name", "contact name"),
    "name": ("شرکت", "نام شرکت", "سازمان", "نام سازمان", "نام شرکت یا سازمان", "company", "company name",
             "organisation", "organization", "business name"),
    "mobile": ("موبایل", "تلفن همراه", "همراه", "شماره همراه", "شماره موبایل", "تلفن همراه اول", "mobile",
               "mobile phone", "mobile number", "cell", "cellphone", "cell phone"),
    "phone": ("تلفن", "تلفن ثابت", "شماره تلفن", "تلفن محل کار", "شماره تماس", "تلفن تماس", "phone",
              "telephone", "tel", "phone number", "landline"),
    "fax": ("فکس", "نمابر", "دورنگار", "fax"),
    "email": ("ایمیل", "پست الکترونیک", "پست الکترونیکی", "رایانامه", "email", "e-mail", "mail"),
    "national_id": ("کد ملی", "کدملی", "شماره ملی", "شناسه ملی", "national id", "national code", "melli code",
                    "nationalid"),
    "economic_code": ("کد اقتصادی", "شماره اقتصادی", "economic code", "economic number", "tax id"),
    "registration_no": ("شماره ثبت", "registration number", "registration no", "reg no"),
    "province_id": ("استان", "province", "state"),
    "city_id": ("شهر", "شهرستان", "city", "town"),
    "region_id": ("منطقه", "محله", "region", "district"),
    "country_id": ("کشور", "country"),
    "title": ("عنوان", "پیشوند", "لقب", "title", "prefix", "salutation"),
    "gender": ("جنسیت", "جنس", "gender", "sex"),
    "birthday": ("تاریخ تولد", "تولد", "birthday", "birth date", "date of birth", "birthdate"),
    "marriage_date": ("تاریخ ازدواج", "سالگرد ازدواج", "marriage date", "wedding date", "anniversary"),
    "marital_status": ("وضعیت تاهل", "تاهل", "marital status"),
    "job": ("شغل", "حرفه", "job", "occupation", "profession"),
    "website": ("وب سایت", "وبسایت", "سایت", "وبگاه", "website", "web site", "web", "url"),
    "notes": ("توضیحات", "یادداشت", "ملاحظات", "notes", "note", "description", "comments", "comment"),
    "kind": ("نوع", "نوع شخص", "حقیقی/حقوقی", "حقیقی یا حقوقی", "نوع طرف حساب", "kind", "type", "person or company"),
    ROLES: ("نقش", "نقش ها", "role", "roles"),
    "group_id": ("گروه", "دسته", "دسته بندی", "group", "category"),
    "source": ("نحوه آشنایی", "منبع", "معرف", "source", "lead source", "referral"),
    "grade": ("رتبه", "درجه", "grade", "rank"),
    "card_number": ("شماره کارت", "کارت باشگاه", "شماره کارت باشگاه", "card", "card number", "club card"),
    "sms_group": ("گروه پیامکی", "گروه پیامک", "sms group"),
    "interests": ("علایق", "علاقه مندی ها", "interests"),
    "religion": ("دین", "مذهب", "religion"),
    "company_type": ("نوع شرکت", "company type"),
    "industry": ("زمینه فعالیت", "صنعت", "industry"),
    EXTRA_NUMBERS: ("سایر شماره ها", "شماره های دیگر", "other numbers", "other phones"),
}
# "نام" / "Name": a first name beside a last-name column, otherwise the whole name.
_AMBIGUOUS_NAME = {"نام", "name"}
# Values of person/company, gender and titles people write instead of the listed ones.
VALUE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {"person": ("حقیقی", "شخص حقیقی", "فرد", "individual", "natural", "p"),
             "company": ("حقوقی", "شخص حقوقی", "سازمان", "شرکت", "organisation", "organization", "legal", "c")},
    "gender": {"male": ("آقا", "مذکر", "m", "man"), "female": ("خانم", "مونث", "زن", "f", "woman")},
    "title": {"mr": ("آقا", "جناب", "جناب آقای"), "mrs": ("سرکار خانم",), "eng": ("مهندس", "مهندس.", "eng"),
              "dr": ("دکتر", "dr"), "prof": ("پروفسور", "استاد")},
    "marital_status": {"married": ("متاهل",), "single": ("مجرد",)},
}
_ORDINALS = {"دوم": "2", "سوم": "3", "چهارم": "4", "second": "2", "third": "3", "fourth": "4"}
_PUNCT = re.compile(r"[\s._\-:()/\\*#،,؛;'\"«»]+")
LIST_SPLIT = re.compile(r"[,،;؛|\n]|\s(?:و|and)\s")


def header_key(text: str) -> str:
    """What headers are compared by: ی/ک, digits, ZWNJ and spaces folded, punctuation dropped."""
    return _PUNCT.sub("", search_key(text))


@lru_cache(maxsize=65536)
def value_key(text: str) -> str:
    # Cached: the same province, city, role and choice values repeat on every line.
    return _PUNCT.sub("", search_key(text))


def target_labels(kernel: Kernel) -> list[tuple[str, str]]:
    """(target, label msgid) for the mapping page's lists, in the partner form's order."""
    res = kernel.resources[PARTNER]
    out = [(FULL_NAME, EXTRA_LABELS[FULL_NAME])]
    for name in res.form:
        out.append((name, EXTRA_LABELS.get(name, res.field(name).label)))
    out += [(t, EXTRA_LABELS[t]) for t in (EXTRA_MOBILE, EXTRA_PHONE, EXTRA_NUMBERS, ROLES)]
    return out


def _header_table(kernel: Kernel) -> dict[str, str]:
    table: dict[str, str] = {}
    for target, label in target_labels(kernel):
        if target == "name":
            continue  # its label "Name"/"نام" is the ambiguous one
        for text in (target, label, kernel.t("fa", label), kernel.t("en", label)):
            table.setdefault(header_key(text), target)
    for target, words in SYNONYMS.items():
        for word in words:
            table[header_key(word)] = target
    for key in _AMBIGUOUS_NAME:
        table.pop(key, None)  # "نام" is also the Persian label of "First name"
    return table


def guess(kernel: Kernel, headers: list[str]) -> list[str]:
    """A target for each header ("" = ignore): its label in either language, or a common
    synonym; "موبایل ۲" / "Phone 2" become extra contact numbers."""
    table = _header_table(kernel)
    found: list[str] = []
    for header in headers:
        key = header_key(header)
        target = table.get(key, "")
        if not target and key in _AMBIGUOUS_NAME:
            target = "?name"
        if not target:
            base, number = _split_number(key)
            if number:
                base_target = table.get(base, "")
                if base_target == "mobile":
                    target = EXTRA_MOBILE if number != "1" else "mobile"
                elif base_target in ("phone", "fax"):
                    target = EXTRA_PHONE if number != "1" else base_target
                elif base_target in (EXTRA_NUMBERS, ROLES):
                    target = base_target
        found.append(target)
    has_last = "last_name" in found
    out: list[str] = []
    for target in found:
        if target == "?name":
            target = "first_name" if has_last else FULL_NAME
        if target and target not in REPEATABLE and target in out:
            # A second "mobile" column holds another mobile; another repeated field is left out.
            target = {"mobile": EXTRA_MOBILE, "phone": EXTRA_PHONE, "fax": EXTRA_PHONE}.get(target, "")
        out.append(target)
    return out


def _split_number(key: str) -> tuple[str, str]:
    for word, digit in _ORDINALS.items():
        if key.endswith(word) and len(key) > len(word):
            return key[: -len(word)], digit
    m = re.fullmatch(r"(.*?\D)(\d{1,2})", key)
    return (m.group(1), m.group(2)) if m else (key, "")


@dataclass
class Mapping:
    """What the user chose on the mapping page."""

    columns: list[str]
    kind: str = "auto"  # used when no column says person or company
    role: str = ""  # role code given to every imported partner
    mode: str = "skip"  # for duplicates: skip | update | create

    def to_json(self) -> str:
        return json.dumps({"columns": self.columns, "kind": self.kind, "role": self.role, "mode": self.mode},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, width: int) -> Mapping:
        data = json.loads(text or "{}")
        cols = [str(c) for c in data.get("columns", [])][:width]
        return cls(columns=cols + [""] * (width - len(cols)), kind=str(data.get("kind", "auto")),
                   role=str(data.get("role", "")), mode=str(data.get("mode", "skip")))

    def check(self, kernel: Kernel, lang: str = "fa") -> list[InputError]:
        """Problems that stop the import from starting."""
        known = {t for t, _ in target_labels(kernel)}
        problems: list[InputError] = []
        if self.mode not in MODES or self.kind not in KIND_MODES:
            problems.append(InputError("Choose one of the listed values"))
        if any(c and c not in known for c in self.columns):
            problems.append(InputError("Choose one of the listed values"))
        used = [c for c in self.columns if c and c not in REPEATABLE]
        for target in sorted({c for c in used if used.count(c) > 1}):
            label = dict(target_labels(kernel)).get(target, target)
            problems.append(InputError("Two columns are mapped to {field}", field=kernel.t(lang, label)))
        if not any(c in (FULL_NAME, "name", "first_name", "last_name") for c in self.columns):
            problems.append(InputError("Map at least one column to a name"))
        return problems
