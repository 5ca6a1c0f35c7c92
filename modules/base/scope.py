"""Geographic record scope (KER-06, BASE-07): roles limited to provinces, cities and regions.

A role with rows in ``base_role_province``, ``base_role_city`` or ``base_role_region`` sees the
partners whose province, city or region (district) is one of them — a union, so "Isfahan
province plus the city of Kashan" reads as it sounds — and every record hanging off those
partners. The widest role wins: one role without any geographic row among a user's roles lifts
the limit. All of it is SQL, so lists, counts, search, exports, PDFs, reports, pickers and the
API agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select

from kernel.actor import Actor
from kernel.models import Role
from modules.base.models import (
    City,
    Communication,
    Partner,
    Province,
    Region,
    RoleCity,
    RoleProvince,
    RoleRegion,
)


def allowed_provinces(actor: Actor) -> Any:
    return select(RoleProvince.province_id).where(RoleProvince.role_id.in_(actor.role_ids))


def allowed_cities(actor: Actor) -> Any:
    return select(RoleCity.city_id).where(RoleCity.role_id.in_(actor.role_ids))


def allowed_regions(actor: Actor) -> Any:
    return select(RoleRegion.region_id).where(RoleRegion.role_id.in_(actor.role_ids))


def unrestricted(actor: Actor) -> Any:
    """True when one of the actor's roles has no geographic row at all."""
    return exists().where(Role.id.in_(actor.role_ids),
                          ~exists().where(RoleProvince.role_id == Role.id),
                          ~exists().where(RoleCity.role_id == Role.id),
                          ~exists().where(RoleRegion.role_id == Role.id))


def partner_condition(actor: Actor) -> Any:
    """The partners the actor's roles reach."""
    return or_(unrestricted(actor), Partner.province_id.in_(allowed_provinces(actor)),
               Partner.city_id.in_(allowed_cities(actor)), Partner.region_id.in_(allowed_regions(actor)))


def communication_condition(actor: Actor) -> Any:
    # The communication's own province column (copied from its partner, indexed with the date)
    # keeps a province-only scope an index walk; cities and regions go through the partner, by
    # its key (a list of every partner in those places would be read whole for each query).
    by_place = exists().where(Partner.id == Communication.partner_id,
                              or_(Partner.city_id.in_(allowed_cities(actor)),
                                  Partner.region_id.in_(allowed_regions(actor))))
    return or_(unrestricted(actor), Communication.province_id.in_(allowed_provinces(actor)), by_place)


def place_condition(actor: Actor, model: type) -> Any:
    """The provinces, cities and regions a limited role may choose in a form: its own places and
    those above and below them (a role limited to Kashan picks Isfahan province, Kashan city and
    Kashan's regions). The seeds' "a region I added is missing from the drop-down: tick it for
    the role" is this rule."""
    provinces, cities, regions = allowed_provinces(actor), allowed_cities(actor), allowed_regions(actor)
    cities_of_regions = select(Region.city_id).where(Region.id.in_(regions))
    if model is Province:
        return or_(unrestricted(actor), Province.id.in_(provinces),
                   Province.id.in_(select(City.province_id).where(or_(City.id.in_(cities),
                                                                      City.id.in_(cities_of_regions)))))
    if model is City:
        return or_(unrestricted(actor), City.province_id.in_(provinces), City.id.in_(cities),
                   City.id.in_(cities_of_regions))
    return or_(unrestricted(actor), Region.id.in_(regions), Region.city_id.in_(cities),
               Region.city_id.in_(select(City.id).where(City.province_id.in_(provinces))))


def record_filter(actor: Actor, model: type, action: str) -> Any:
    if actor.is_admin or not actor.role_ids:
        return None
    if model is Province or model is City or model is Region:
        return place_condition(actor, model)
    if model is Partner:
        return partner_condition(actor)
    if model is Communication:
        return communication_condition(actor)
    # Contacts, addresses, positions, relations…: __scope_follows__ on their models.
    return None
