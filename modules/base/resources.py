"""What the base module's tables look like in lists, forms, filters, exports and the API."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from typing import Any

from sqlalchemy import exists, func, select

from kernel import Field, Filter, InputError, Resource, Section, cached
from kernel.persian.jalali import jalali_month_range, month_name
from kernel.persian.textnorm import to_ascii_digits
from kernel.timezone import to_utc
from modules.base import choices as c
from modules.base import resources_people as people
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


def _role_choices(session: Any, **_: Any) -> list[tuple[str, str]]:
    # Role kinds are shared reference data: kept between requests until one is written (kernel.memo).
    return list(cached(("base.role_choices",), lambda: tuple((r.code, r.name) for r in session.scalars(
        select(RoleKind).where(RoleKind.deleted_at.is_(None)).order_by(RoleKind.sequence, RoleKind.id)))))


RARE_ROLE = 150_000
_role_sizes: dict[tuple[str, str], tuple[float, int]] = {}


def _role_size(session: Any, role: str) -> int:
    """How many partners hold a role, up to RARE_ROLE (bounded index read), remembered 10 minutes."""
    bind = session.get_bind()
    key = (str(bind.url), role)
    now = time.monotonic()
    if key not in _role_sizes or now - _role_sizes[key][0] > 600:
        limited = select(PartnerRole.partner_id).where(PartnerRole.role == role).limit(RARE_ROLE + 1).subquery()
        _role_sizes[key] = (now, session.scalar(select(func.count()).select_from(limited)) or 0)
    return _role_sizes[key][1]


def _has_role(value: str, session: Any = None, purpose: str = "page") -> Any:
    """Walking the list in name order and checking each row's role finds a page fast; a count
    of a rare role is faster driven from the role's own index (at 1M partners: suppliers
    27 → 15 ms, competitors 90 → 9 ms), and slower for a common one (customers 3 → 85 ms)."""
    if purpose == "count" and session is not None and _role_size(session, value) <= RARE_ROLE:
        return Partner.id.in_(select(PartnerRole.partner_id).where(PartnerRole.role == value))
    return exists().where(PartnerRole.partner_id == Partner.id, PartnerRole.role == value)


def _group_choices(session: Any, **_: Any) -> list[tuple[str, str]]:
    return list(cached(("base.group_choices",), lambda: _groups(session)))


def _groups(session: Any) -> tuple[tuple[str, str], ...]:
    rows = session.scalars(select(PartnerGroup).where(PartnerGroup.deleted_at.is_(None)).order_by(PartnerGroup.path))
    return tuple((str(g.id), "— " * max(0, g.path.count("/") - 2) + g.name) for g in rows)


def _in_group_tree(value: str) -> Any:
    if not to_ascii_digits(value).isdigit():
        raise InputError("Choose one of the listed values")
    gid = int(to_ascii_digits(value))
    below = select(PartnerGroup.id).where(PartnerGroup.path.like(f"%/{gid}/%"))
    return Partner.group_id.in_(below)


def jalali_month_filter(column: Any, moments: bool = False) -> Any:
    """A Jalali month ("۱۴۰۵/۰۹"); for date-times its bounds are Tehran midnights in UTC."""

    def condition(value: str) -> Any:
        text = to_ascii_digits(value).replace("-", "/").strip()
        try:
            year, month = (int(p) for p in text.split("/")[:2])
            first, after = jalali_month_range(year, month)
        except (ValueError, TypeError, InputError) as exc:
            raise InputError("Type a Jalali month like ۱۴۰۵/۰۹") from exc
        if moments:
            low, high = (to_utc(dt.datetime.combine(d, dt.time())) for d in (first, after))
            return (column >= low) & (column < high)
        return (column >= first) & (column < after)

    return condition


def _employed_by(value: str) -> Any:
    """People with a position (a personnel row) at a partner: whom a communication spoke to."""
    text = to_ascii_digits(value).strip()
    if not text.isdigit():
        raise InputError("Choose one of the listed values")
    staff = select(Employment.person_id).where(Employment.company_id == int(text), Employment.deleted_at.is_(None))
    return Partner.id.in_(staff)


def _months(**_: Any) -> list[tuple[str, str]]:
    return [(str(m), month_name(m, "en")) for m in range(1, 13)]


def _month_of_year(column: Any) -> Any:
    """Birthdays (or anniversaries) in a Jalali month of any year: month × 100 + day."""

    def condition(value: str) -> Any:
        text = to_ascii_digits(value).strip()
        if not text.isdigit() or not 1 <= int(text) <= 12:
            raise InputError("Choose one of the listed values")
        month = int(text)
        return column.between(month * 100 + 1, month * 100 + 31)

    return condition


PARTNER = Resource(
    name="base.partner", model=Partner, label="Partner", label_plural="Partners",
    columns=("name", "kind", "mobile", "phone", "province_id", "city_id"),
    sections=(
        Section("", ("kind",)),
        Section("Person", ("title", "first_name", "last_name", "gender", "birthday", "marriage_date",
                           "marital_status", "religion", "job", "national_id"), when=("kind", ("person",))),
        Section("Company", ("name", "company_type", "industry", "economic_code", "registration_no", "website"),
                when=("kind", ("company",))),
        Section("Contact", ("mobile", "phone", "fax", "email")),
        Section("Place", ("country_id", "province_id", "city_id", "region_id")),
        Section("Customer relations", ("source", "grade", "group_id", "card_number", "sms_group", "interests",
                                       "psychology", "notes")),
        Section("Supplier", ("supplier_importance", "supplier_score")),
    ),
    search=("name", "national_id", "economic_code", "mobile", "phone", "card_number", "registration_no",
            "email", "contact_numbers"),
    filters=("kind", "province_id", "city_id", "region_id", "grade", "company_type", "supplier_importance",
             "owner_id"),
    custom_filters=(
        Filter("role", "Role", _has_role, choices=_role_choices),
        Filter("group", "Group (with its subgroups)", _in_group_tree, choices=_group_choices),
        Filter("employed_by", "Personnel of (partner number)", _employed_by),
        Filter("birthday_month", "Birthday in month", _month_of_year(Partner.birthday_md), choices=_months),
        Filter("marriage_month", "Wedding anniversary in month", _month_of_year(Partner.marriage_md),
               choices=_months),
    ),
    fields={
        "kind": Field(choices=c.KINDS, required=True),
        "name": Field(label="Name", required=False),
        # "نام" alone is the company's name: a person's given name is told apart from it.
        "first_name": Field(label="Given name"),
        "title": Field(label="Title", choices=c.TITLES),
        "gender": Field(choices=c.GENDERS),
        "job": Field(label="Occupation"),
        "marital_status": Field(label="Marital status", choices=c.MARITAL),
        "religion": Field(choices=c.RELIGIONS),
        "national_id": Field(label="National ID", kind="national_id"),
        "company_type": Field(label="Company type", choices=c.COMPANY_TYPES),
        "industry": Field(choices=c.INDUSTRIES),
        "economic_code": Field(label="Economic code"),
        "registration_no": Field(label="Registration number"),
        "mobile": Field(kind="phone"), "phone": Field(kind="phone"), "fax": Field(kind="phone"),
        "email": Field(kind="email", label="E-mail"),
        "source": Field(label="How they found us"),
        "grade": Field(choices=c.GRADES),
        "card_number": Field(label="Club card number"),
        "sms_group": Field(label="SMS group"),
        "psychology": Field(label="Customer psychology and experience"),
        "supplier_importance": Field(label="Strategic importance (supplier)", choices=c.IMPORTANCE),
        "supplier_score": Field(label="Performance score (0–100)"),
        "group_id": Field(label="Group"),
    },
    title_field="name", default_sort="name", sort_key="name", icon="users",
)

COMMUNICATION = Resource(
    name="base.communication", model=Communication, label="Communication", label_plural="Communications",
    columns=("started_at", "kind", "subject", "partner_id", "contact_id", "province_id"),
    form=("partner_id", "contact_id", "kind", "direction", "subject", "result", "started_at", "ended_at",
          "follow_up_no", "follow_up_on", "link_resource", "link_id"),
    search=("subject", "result", "follow_up_no"),
    filters=("kind", "direction", "province_id", "partner_id", "started_at", "follow_up_on"),
    custom_filters=(Filter("month", "Jalali month", jalali_month_filter(Communication.started_at, moments=True),
                           kind="month"),),
    fields={
        "kind": Field(choices=c.COMM_KINDS),
        "direction": Field(choices=c.DIRECTIONS),
        "partner_id": Field(label="Partner"),
        # Whom we spoke to: a person on the chosen partner's personnel (base.employment).
        "contact_id": Field(label="Contact person", ref_filter={"kind": "person", "employed_by": "=partner_id"}),
        "started_at": Field(label="Start"),
        "ended_at": Field(label="End"),
        "follow_up_no": Field(label="Follow-up number"),
        "follow_up_on": Field(label="Next follow-up"),
        "contact_position": Field(label="Position then"),
        # Set by "log a call" on a task; the task shows the call, people never type these.
        "link_resource": Field(label="Linked record type", internal=True),
        "link_id": Field(label="Linked record number", internal=True),
    },
    title_field="subject", default_sort="-started_at", icon="list",
)

CONTACT = Resource(
    name="base.contact", model=Contact, label="Contact number", label_plural="Contact numbers",
    columns=("partner_id", "kind", "value", "label"), form=("partner_id", "kind", "value", "label"),
    # No search here: the numbers are in their partner's search key, and a scan of every
    # contact row on each top-bar search cost 100 ms at a million partners.
    filters=("kind", "partner_id"),
    fields={"kind": Field(choices=c.CONTACT_KINDS), "partner_id": Field(label="Partner"),
            "value": Field(label="Number or address")},
    title_field="value",
)

ADDRESS = Resource(
    name="base.address", model=Address, label="Address", label_plural="Addresses",
    columns=("partner_id", "purpose", "city_id", "street"),
    form=("partner_id", "purpose", "province_id", "city_id", "region_id", "street", "postal_code", "is_default"),
    filters=("purpose", "partner_id"),
    fields={"purpose": Field(choices=c.ADDRESS_PURPOSES), "partner_id": Field(label="Partner"),
            "street": Field(label="Address"), "postal_code": Field(label="Postal code"),
            "is_default": Field(label="Default address")},
    title_field="street",
)

EMPLOYMENT = Resource(
    name="base.employment", model=Employment, label="Position", label_plural="Personnel and positions",
    columns=("person_id", "company_id", "position", "department", "is_liaison", "ended_on"),
    form=("person_id", "company_id", "position", "department", "is_liaison", "started_on", "ended_on"),
    filters=("company_id", "person_id", "is_liaison"),
    fields={"person_id": Field(label="Person", ref_filter={"kind": "person"}),
            "company_id": Field(label="Company", ref_filter={"kind": "company"}),
            "is_liaison": Field(label="Liaison (letters are addressed to them)"),
            "started_on": Field(label="From"), "ended_on": Field(label="Until")},
    title_field="position",
)

GEOGRAPHY = (
    Resource(name="base.country", model=Country, label="Country", label_plural="Countries",
             columns=("name", "name_en", "code"), form=("name", "name_en", "code"), search=("name", "name_en"),
             default_sort="name", sort_key="name", shared=True, global_search=False),
    Resource(name="base.province", model=Province, label="Province", label_plural="Provinces",
             columns=("name", "name_en", "area_code"), form=("name", "name_en", "area_code"),
             search=("name", "name_en"), default_sort="name", sort_key="name", shared=True, global_search=False),
    Resource(name="base.city", model=City, label="City", label_plural="Cities",
             columns=("name", "province_id"), form=("name", "province_id"), search=("name",),
             filters=("province_id",), default_sort="name", sort_key="name", shared=True, global_search=False),
    Resource(name="base.region", model=Region, label="Region", label_plural="Regions",
             columns=("name", "city_id"), form=("name", "city_id"), search=("name",), filters=("city_id",),
             default_sort="name", sort_key="name", shared=True, global_search=False),
)

REFERENCE = (
    Resource(name="base.group", model=PartnerGroup, label="Partner group", label_plural="Partner groups",
             columns=("name", "parent_id"), form=("name", "parent_id"), search=("name",),
             fields={"parent_id": Field(label="Parent group")}, default_sort="path", sort_key="name", shared=True, global_search=False),
    Resource(name="base.role_kind", model=RoleKind, label="Partner role", label_plural="Partner roles",
             columns=("name", "code", "sequence"), form=("name", "code", "sequence"), search=("name", "code"),
             default_sort="sequence", shared=True, global_search=False),
)

ALL = (PARTNER, COMMUNICATION, CONTACT, ADDRESS, EMPLOYMENT, *GEOGRAPHY, *REFERENCE, *people.ALL)


def resources() -> list[Resource]:
    """Fresh copies for each Kernel: binding fills per-kernel state into a Resource."""
    return [dataclasses.replace(r) for r in ALL]
