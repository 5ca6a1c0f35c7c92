"""Merge fields of letters: ``{addressee}``, ``{date}`` … in a template's or a letter's subject and
body, each also spelled in Persian (``{گیرنده}``, ``{تاریخ}``), since Persian users type them.

An unknown field is refused on the field when the template or the letter is saved (never a
letter printed with a stray ``{نام_خانوادگی}`` in it); a brace that opens no field is text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kernel import InputError


@dataclass(frozen=True)
class MergeField:
    key: str
    persian: str
    label: str  # an English msgid, listed under the form


FIELDS = (
    MergeField("addressee", "گیرنده", "The addressee, with their title (جناب آقای / سرکار خانم)"),
    MergeField("position", "سمت", "The addressee's position (مدیرعامل محترم)"),
    MergeField("name", "نام", "The addressee's name alone"),
    MergeField("company", "شرکت", "The company's name"),
    MergeField("address", "نشانی", "The address: city and province first"),
    MergeField("postal_code", "کد_پستی", "The postal code"),
    MergeField("date", "تاریخ", "The letter's Jalali date"),
    MergeField("number", "شماره", "The letter's number"),
)
_BY_NAME = {**{f.key: f.key for f in FIELDS}, **{f.persian: f.key for f in FIELDS}}
# A field is a word in braces: letters, digits, "_" and the zero-width non-joiner, no spaces.
_FIELD = re.compile(r"\{([\w\u200c]+)\}")


def unknown_fields(text: str) -> list[str]:
    """The names in braces that are no merge field, in order of appearance, each once."""
    return list(dict.fromkeys(m for m in _FIELD.findall(text or "") if m not in _BY_NAME))


def check_merge_fields(text: str) -> None:
    """``Field(validate=...)`` of a subject or body: refuse an unknown merge field in Persian."""
    unknown = unknown_fields(text)
    if unknown:
        known = "، ".join("{" + f.persian + "}" for f in FIELDS)
        raise InputError("Unknown merge field {field}; the fields are: {known}",
                         field="{" + unknown[0] + "}", known=known)


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every merge field replaced by its value (an empty one by nothing)."""
    return _FIELD.sub(lambda m: values.get(_BY_NAME[m.group(1)], "") if m.group(1) in _BY_NAME else m.group(0),
                      text or "")
