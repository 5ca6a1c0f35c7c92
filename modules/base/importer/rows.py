"""One line of a file made into partner values, through the kernel's own field parsing (so
every Persian input rule of the forms applies), with geography, roles and extra numbers
matched by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import InputError, Resource
from kernel.persian.phones import canonical_phone, is_mobile
from kernel.persian.textnorm import clean_input, to_ascii_digits
from kernel.records import parse_values
from modules.base.importer.mapping import (
    EXTRA_NUMBERS,
    EXTRAS,
    FULL_NAME,
    LIST_SPLIT,
    PARTNER,
    ROLES,
    VALUE_SYNONYMS,
    Mapping,
    value_key,
)
from modules.base.models import City, Country, PartnerGroup, Province, Region, RoleKind

if TYPE_CHECKING:
    from kernel.kernel import Kernel


@dataclass
class ParsedRow:
    """One line made into partner values; ``errors`` are (column index or None, error)."""

    line: int
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    contacts: list[tuple[str, str]] = field(default_factory=list)  # (kind, canonical number)
    errors: list[tuple[int | None, InputError]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def keys(self) -> list[tuple[str, str]]:
        """What a duplicate is recognised by, strongest first."""
        out = []
        if self.values.get("national_id"):
            out.append(("nid", str(self.values["national_id"])))
        if self.values.get("economic_code"):
            out.append(("eco", to_ascii_digits(str(self.values["economic_code"]))))
        if self.values.get("mobile"):
            out.append(("mob", str(self.values["mobile"])))
        return out


class RowParser:
    """Parses lines with one set of look-ups (choices, geography, groups, roles) loaded once."""

    def __init__(self, kernel: Kernel, session: Session, mapping: Mapping) -> None:
        self.kernel = kernel
        self.res: Resource = kernel.resources[PARTNER]
        self.mapping = mapping
        self.area = kernel.config.default_area_code
        self.choices = {name: self._choice_table(name) for name in self.res.form
                        if self.res.field(name).kind == "choice"}
        self._load_refs(session)

    # -- look-ups ---------------------------------------------------------------------------
    def _choice_table(self, name: str) -> dict[str, str]:
        table: dict[str, str] = {}
        for code, label in self.res.field(name).choices:
            for text in (code, label, self.kernel.t("fa", label)):
                table.setdefault(value_key(text), code)
        for code, words in VALUE_SYNONYMS.get(name, {}).items():
            for word in words:
                table.setdefault(value_key(word), code)
        return table

    def _load_refs(self, session: Session) -> None:
        def live(model: Any) -> Any:
            return select(model).where(model.deleted_at.is_(None)).order_by(model.id)

        self.countries: dict[str, int] = {}
        for c in session.scalars(live(Country)):
            for text in (c.name, c.name_en, c.code or ""):
                if text:
                    self.countries.setdefault(value_key(text), c.id)
        self.provinces: dict[str, int] = {}
        # Held so they stay in the session's (weak) identity map: a contact's before_save
        # reads its partner's province, which then costs no query.
        self.province_rows = list(session.scalars(live(Province)))
        for p in self.province_rows:
            for text in (p.name, p.name_en, _without_prefix(p.name)):
                if text:
                    self.provinces.setdefault(value_key(text), p.id)
        self.cities: dict[tuple[int, str], int] = {}
        self.city_province: dict[int, int] = {}
        by_name: dict[str, set[int]] = {}
        for c in session.scalars(live(City)):
            self.cities.setdefault((c.province_id, value_key(c.name)), c.id)
            self.city_province[c.id] = c.province_id
            by_name.setdefault(value_key(c.name), set()).add(c.id)
        # A city name found in one province only tells the province too.
        self.unique_cities = {k: next(iter(v)) for k, v in by_name.items() if len(v) == 1}
        self.regions: dict[tuple[int, str], int] = {}
        for r in session.scalars(live(Region)):
            self.regions.setdefault((r.city_id, value_key(r.name)), r.id)
        self.groups: dict[str, int] = {}
        for g in session.scalars(live(PartnerGroup)):
            self.groups.setdefault(value_key(g.name), g.id)
        self.roles: dict[str, str] = {}
        for rk in session.scalars(live(RoleKind)):
            self.roles.setdefault(value_key(rk.code), rk.code)
            self.roles.setdefault(value_key(rk.name), rk.code)
            self.roles.setdefault(value_key(self.kernel.t("fa", rk.name)), rk.code)

    # -- one line ---------------------------------------------------------------------------
    def parse(self, line: int, cells: list[str]) -> ParsedRow:
        row = ParsedRow(line, cells)
        data: dict[str, str] = {}
        column: dict[str, int] = {}
        full: tuple[int, str] | None = None
        extras: list[tuple[int, str, str]] = []
        for i, target in enumerate(self.mapping.columns):
            # Stripped only: the field's own parsing cleans what it keeps (ی/ک, marks, spaces).
            text = cells[i].strip() if target and i < len(cells) else ""
            if not text:
                continue
            if target == FULL_NAME:
                full = (i, clean_input(text))
            elif target in EXTRAS:
                extras.append((i, target, text))
            elif target == ROLES:
                self._roles(row, i, text)
            else:
                data[target], column[target] = text, i
        self._kind(data)
        self._names(data, column, full)
        for name, table in self.choices.items():
            if name in data:
                data[name] = table.get(value_key(data[name]), data[name])
        self._refs(row, data, column)
        values, errors = parse_values(self.kernel, self.res, data, partial=True)
        for name, exc in errors.items():
            row.errors.append((column.get(name), exc))
        row.values = values
        if self.mapping.role and self.mapping.role not in row.roles:
            row.roles.append(self.mapping.role)
        self._extras(row, extras)
        if not errors:
            self._check_name(row, column, full)
        return row

    def _kind(self, data: dict[str, str]) -> None:
        if "kind" in data:
            return
        if self.mapping.kind in ("person", "company"):
            data["kind"] = self.mapping.kind
            return
        person = any(n in data for n in ("first_name", "last_name", "national_id", "birthday", "gender"))
        company = any(n in data for n in ("name", "economic_code", "registration_no", "company_type"))
        data["kind"] = "company" if company and not person else "person"

    def _names(self, data: dict[str, str], column: dict[str, int], full: tuple[int, str] | None) -> None:
        kind = self.choices["kind"].get(value_key(data["kind"]), data["kind"])
        if full is None:
            return
        i, text = full
        if kind == "company":
            if "name" not in data:
                data["name"], column["name"] = text, i
            return
        if "first_name" in data or "last_name" in data:
            return
        words = text.split(" ")
        title = self.choices["title"].get(value_key(words[0])) if len(words) > 1 else None
        if title and "title" not in data:  # "دکتر علی کریمی", "آقای رضایی"
            data["title"], column["title"] = title, i
            words = words[1:]
        if len(words) == 1:
            data["last_name"], column["last_name"] = words[0], i
        else:
            data["first_name"], column["first_name"] = " ".join(words[:-1]), i
            data["last_name"], column["last_name"] = words[-1], i

    def _refs(self, row: ParsedRow, data: dict[str, str], column: dict[str, int]) -> None:
        def fail(name: str) -> None:
            row.errors.append((column.get(name), InputError("Not in the list: {value}", value=data.pop(name))))

        def found(name: str, value: int | None) -> None:
            if value is None:
                fail(name)
            else:
                data[name] = str(value)

        if "country_id" in data:
            found("country_id", self.countries.get(value_key(data["country_id"])))
        province = None
        if "province_id" in data:
            key = value_key(data["province_id"])
            province = self.provinces.get(key) or self.provinces.get(value_key(_without_prefix(data["province_id"])))
            found("province_id", province)
        city = None
        if "city_id" in data:
            key = value_key(data["city_id"])
            if province is not None:
                city = self.cities.get((province, key))
            elif "province_id" not in column:
                city = self.unique_cities.get(key)
                if city is not None:
                    data["province_id"] = str(self.city_province[city])
            if "province_id" in column and province is None:
                data.pop("city_id")  # the province's error says enough
            else:
                found("city_id", city)
        if "region_id" in data:
            region = self.regions.get((city, value_key(data["region_id"]))) if city is not None else None
            found("region_id", region)
        if "group_id" in data:
            found("group_id", self.groups.get(value_key(data["group_id"])))

    def _roles(self, row: ParsedRow, i: int, text: str) -> None:
        for part in LIST_SPLIT.split(text):
            part = part.strip()
            if not part:
                continue
            code = self.roles.get(value_key(part))
            if code is None:
                row.errors.append((i, InputError("Not in the list: {value}", value=part)))
            elif code not in row.roles:
                row.roles.append(code)

    def _extras(self, row: ParsedRow, extras: list[tuple[int, str, str]]) -> None:
        own = {row.values.get("mobile"), row.values.get("phone"), row.values.get("fax")}
        for i, target, text in extras:
            parts = LIST_SPLIT.split(text) if target == EXTRA_NUMBERS else [text]
            for part in (p.strip() for p in parts):
                if not part:
                    continue
                try:
                    number = canonical_phone(part, self.area)
                except InputError as exc:
                    row.errors.append((i, exc))
                    continue
                kind = "mobile" if is_mobile(number) else "phone"
                if number not in own and (kind, number) not in row.contacts:
                    row.contacts.append((kind, number))

    def _check_name(self, row: ParsedRow, column: dict[str, int], full: tuple[int, str] | None) -> None:
        """The model refuses a nameless partner at save time; saying so here keeps the batch whole."""
        v = row.values
        where = full[0] if full else None
        if v.get("kind") == "company" and not v.get("name"):
            row.errors.append((column.get("name", where), InputError("Enter a name")))
        elif v.get("kind") == "person" and not (v.get("first_name") or v.get("last_name")):
            row.errors.append((column.get("first_name", column.get("last_name", where)),
                               InputError("Enter a first or last name")))


def _without_prefix(name: str) -> str:
    """"استان اصفهان" is "اصفهان"."""
    for prefix in ("استان ", "شهر ", "province of "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name
