"""Fields of a resource: how a column is shown, typed in a form, filtered and sent as JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, Numeric, SmallInteger, String, Text
from sqlalchemy.sql.schema import Column

from kernel.errors import InputError
from kernel.icons import CellIcon
from kernel.iso_dates import parse_iso
from kernel.persian.jalali import format_jalali, parse_jalali_date, parse_jalali_datetime
from kernel.persian.money import format_money, parse_money
from kernel.persian.nationalid import check_national_id
from kernel.persian.numbers import (
    INT64_MAX,
    format_code,
    format_number,
    format_percent,
    parse_decimal,
    parse_int,
    parse_percent,
)
from kernel.persian.phones import canonical_phone, format_phone
from kernel.persian.textnorm import (
    clean_input,
    isolate_grouped_number,
    ltr_isolate,
    to_ascii_digits,
    to_persian_digits,
)
from kernel.scaled import Percent, plain
from kernel.timezone import DEFAULT_TZ, to_local, to_utc

KINDS = (
    "text", "textarea", "int", "decimal", "money", "date", "datetime", "bool", "choice", "ref",
    "phone", "national_id", "email", "year", "code", "percent",
)
# A year field (a car's model year, a fiscal year): Jalali (1403) or Gregorian (2024) years.
YEAR_MIN, YEAR_MAX = 1200, 2200


@dataclass(frozen=True)
class Field:
    """One field of a resource. Most of it is read from the model column; declare only what
    the column cannot say (``kind="money"``, ``choices``, a label)."""

    name: str = ""
    label: str = ""
    kind: str = ""
    required: bool | None = None
    choices: tuple[tuple[str, str], ...] = ()
    ref: str = ""  # resource name a foreign key points at
    help: str = ""
    max_length: int | None = None
    readonly: bool = False
    # A module's own rule for this field: called with the parsed value (never None); raise
    # kernel.InputError("...") and the message is shown under the field and returned under its
    # name in the API's 422. Runs in every path: forms, API, imports, services.
    validate: Callable[[Any], None] | None = None
    # Which records a reference may point at, as filters of the target resource: {"kind":
    # "person"} keeps persons; a value "=partner_id" is this record's own partner_id (the people
    # employed by the chosen partner). The drop-down or search offers only those, and a save
    # (form, API, import) pointing elsewhere is refused. Given as a dict, kept as pairs so the
    # field stays hashable.
    ref_filter: Mapping[str, str] | tuple[tuple[str, str], ...] = ()
    # Kept by the API and carried through forms unseen (a communication's link to the task it
    # was logged from): not shown in forms, on the record page or in its history.
    internal: bool = False
    # An icon beside the value in list cells: called with the stored value (nothing else, so a
    # page of rows costs no query), it answers a kernel.CellIcon or None. The converted
    # proforma's green arrow: ``icon=lambda v: CellIcon("arrow-left", "Converted into {text}",
    # "green") if v else None``.
    icon: Callable[[Any], CellIcon | None] | None = None
    # A date field a new record's form starts at today (the day a cheque is received): what is
    # true nine times in ten is typed by nobody. Only the form; the API and imports still say it.
    starts_today: bool = False
    # Choices known only once every enabled module is loaded, such as the date sources of
    # ``register_date_sources``: called with the kernel at the end of its start-up, its
    # ``(value, English label)`` pairs become ``choices`` (a drop-down; any other value refused).
    choices_from: Callable[[Any], Sequence[tuple[str, str]]] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.ref_filter, Mapping):
            object.__setattr__(self, "ref_filter", tuple(self.ref_filter.items()))

    def ref_filters(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The target's filters for this reference, given the record's other values; a filter on
        a field left empty is dropped (nothing chosen yet limits nothing)."""
        out: dict[str, str] = {}
        for key, wanted in self._ref_pairs():
            value = values.get(wanted[1:]) if wanted.startswith("=") else wanted
            if value is not None and str(value) != "":
                out[key] = str(value)
        return out

    @property
    def ref_depends(self) -> dict[str, str]:
        """Filters taken from other fields of the record: {target filter: field name}."""
        return {key: wanted[1:] for key, wanted in self._ref_pairs() if wanted.startswith("=")}

    def _ref_pairs(self) -> tuple[tuple[str, str], ...]:
        rf = self.ref_filter
        return tuple(rf.items()) if isinstance(rf, Mapping) else rf

    def bind(self, name: str, column: Column[Any] | None) -> Field:
        """Fill what the declaration left out from the model column."""
        kind = self.kind or _kind_of(column)
        if self.choices and not self.kind:
            kind = "choice"
        required = self.required
        if required is None:
            required = bool(column is not None and not column.nullable and column.default is None
                            and column.server_default is None and kind != "bool")
        max_length = self.max_length
        if max_length is None and column is not None and isinstance(column.type, String):
            max_length = column.type.length
        label = self.label or name.removesuffix("_id").replace("_", " ").capitalize()
        return replace(self, name=name, kind=kind, required=required, label=label, max_length=max_length)

    # -- parsing (form text → value) --------------------------------------------------------
    def parse(self, raw: str | None, *, default_area: str = "21", money_unit: str = "rial",
              tz: str = DEFAULT_TZ) -> Any:
        """Parse what a user typed; ``InputError`` with a clear message when it is wrong."""
        text = clean_input(raw or "")
        if self.kind == "bool":
            return text.lower() in ("1", "on", "true", "yes", "بله")
        if not text:
            if self.required:
                raise InputError("This field is required")
            return None
        if self.max_length and len(text) > self.max_length:
            raise InputError("At most {n} characters", n=self.max_length)
        match self.kind:
            case "int" | "ref":
                return parse_int(text)
            case "year":
                return _parse_year(text)
            case "decimal":
                return parse_decimal(text)
            case "percent":
                return parse_percent(text)
            case "money":
                return parse_money(text, money_unit)  # type: ignore[arg-type]
            case "date":
                return parse_jalali_date(text)
            case "datetime":
                return to_utc(parse_jalali_datetime(text), tz)
            case "phone":
                return canonical_phone(text, default_area)
            case "national_id":
                return check_national_id(text)
            case "code":
                # Stored as ASCII whatever keyboard typed it: searches, the API and other systems
                # compare codes, and the screen shows them in the reader's digits anyway.
                return to_ascii_digits(text)
            case "email":
                if "@" not in text or " " in text or text.startswith("@") or text.endswith("@"):
                    raise InputError("Not a valid e-mail address")
                return text
            case "choice":
                if text not in {c for c, _ in self.choices}:
                    raise InputError("Choose one of the listed values")
                return text
        return text

    def from_json(self, value: Any, *, default_area: str = "21") -> Any:
        """Parse an API value: JSON types where they exist, ISO dates, otherwise as typed."""
        if value is None or value == "":
            if self.required and self.kind != "bool":
                raise InputError("This field is required")
            return None
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise InputError("Must be true or false")
            return value
        if self.kind in ("int", "money", "ref") and isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > INT64_MAX:
                raise InputError("The number is too large")
            return value
        if self.kind == "year" and isinstance(value, int) and not isinstance(value, bool):
            return _parse_year(str(value))
        if self.kind in ("date", "datetime"):
            return parse_iso(self.kind, value)
        if isinstance(value, dict | list):
            raise InputError("Not a valid value")
        return self.parse(str(value), default_area=default_area)

    # -- showing (value → text) -------------------------------------------------------------
    def display(self, value: Any, lang: str = "fa", money_unit: str = "rial", t: Any = None,
                tz: str = DEFAULT_TZ) -> str:
        if value is None or value == "":
            return ""
        match self.kind:
            case "money":
                return format_money(int(value), money_unit, lang)  # type: ignore[arg-type]
            case "date":
                return format_jalali(value, lang=lang, style="short")
            case "datetime":
                return format_jalali(to_local(value, tz), lang=lang, style="datetime")
            case "int" | "decimal":
                return format_number(value, lang)
            case "percent":
                return format_percent(Decimal(value), lang)
            case "year":
                # ۱۴۰۳, never ۱,۴۰۳: a year is a name, not a quantity.
                return format_number(int(value), lang, grouping=False)
            case "bool":
                text = "Yes" if value else "No"
                return t(lang, text) if t else text
            case "phone":
                # Isolated here, once, so lists, record pages, PDFs and modules all show it in order.
                return ltr_isolate(format_phone(value, lang))
            case "code":
                # A document number, cheque number, Sayad ID or IBAN: read left to right, so its
                # parts ("INV", "1405", "00012") keep their order on a right-to-left line.
                return format_code(str(value), lang)
            case "choice":
                label = dict(self.choices).get(value, str(value))
                return t(lang, label) if t else label
        text = str(value)
        # Persian screens show Persian digits; e-mail addresses stay as typed (they are Latin).
        text = to_persian_digits(text) if lang == "fa" and self.kind != "email" else text
        return isolate_grouped_number(text)  # a card number typed into a text field, say

    def form_value(self, value: Any, lang: str = "fa", tz: str = DEFAULT_TZ, money_unit: str = "rial") -> str:
        """What an edit form shows in the input, ready to be parsed again."""
        if value is None:
            return ""
        match self.kind:
            case "date":
                return format_jalali(value, lang=lang, style="short")
            case "datetime":
                return format_jalali(to_local(value, tz), lang=lang, style="datetime")
            case "money" if money_unit == "toman":
                # Typed back in the unit it is read in: 12505 Rials is 1250.5 Tomans.
                return str(Decimal(int(value)) / 10).removesuffix(".0")
            case "money" | "int" | "ref" | "decimal" | "year":
                return str(value)
            case "percent":
                return plain(Decimal(value))  # "9.5", typed back without its sign
            case "phone":
                return format_phone(value, "en")
        return str(value)

    def to_json(self, value: Any) -> Any:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    def json_schema(self) -> dict[str, Any]:
        kinds: dict[str, dict[str, Any]] = {
            "int": {"type": "integer"}, "ref": {"type": "integer"},
            "year": {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}, "money": {"type": "integer", "description": "Rials"},
            "decimal": {"type": "string", "format": "decimal"}, "bool": {"type": "boolean"},
            "percent": {"type": "string", "format": "decimal",
                        "description": "a percentage from 0 to 100, at most two decimals: \"9.5\""},
            "date": {"type": "string", "format": "date"}, "datetime": {"type": "string", "format": "date-time"},
        }
        schema: dict[str, Any] = dict(kinds.get(self.kind, {"type": "string"}))
        if self.choices:
            schema["enum"] = [c for c, _ in self.choices]
        if self.max_length:
            schema["maxLength"] = self.max_length
        schema["title"] = self.label
        return schema


def _parse_year(text: str) -> int:
    try:
        year = parse_int(text)
    except InputError:
        raise InputError("A year is four digits, e.g. 1403") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InputError("A year is four digits, e.g. 1403")
    return year


def _kind_of(column: Column[Any] | None) -> str:
    if column is None:
        return "text"
    if column.foreign_keys:
        return "ref"
    ctype = column.type
    if isinstance(ctype, Percent):
        return "percent"
    for sql_type, kind in (
        (Boolean, "bool"), (DateTime, "datetime"), (Date, "date"), (Numeric, "decimal"),
        (BigInteger, "int"), (SmallInteger, "int"), (Integer, "int"), (Text, "textarea"), (String, "text"),
    ):
        if isinstance(ctype, sql_type):
            return kind
    return "text"
