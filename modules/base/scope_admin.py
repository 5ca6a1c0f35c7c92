"""Setting a role's geographic scope (KER-06): the provinces, cities and regions it reaches.

Callable without HTTP (the page and the tests use it); the whole choice is replaced at once."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kernel.errors import InputError
from kernel.models import Role
from modules.base.models import City, Province, Region, RoleCity, RoleProvince, RoleRegion


def _ids(values: Iterable[object]) -> set[int]:
    out: set[int] = set()
    for v in values:
        text = str(v).strip()
        if not text.isdigit():
            raise InputError("A chosen place no longer exists; reload the page and choose again")
        out.add(int(text))
    return out


def _check(session: Session, model: type, ids: set[int]) -> None:
    if not ids:
        return
    col = model.id  # type: ignore[attr-defined]
    live = model.deleted_at.is_(None)  # type: ignore[attr-defined]
    found = session.scalar(select(func.count()).select_from(model).where(col.in_(ids), live)) or 0
    if found != len(ids):
        raise InputError("A chosen place no longer exists; reload the page and choose again")


def set_role_scope(session: Session, role_id: int, provinces: Iterable[object] = (),
                   cities: Iterable[object] = (), regions: Iterable[object] = ()) -> None:
    """Replace the role's places; nothing at all means the role reaches everywhere.

    Raises InputError (and changes nothing) for an unknown role or place."""
    if session.get(Role, role_id) is None:
        raise InputError("Not found")
    p_ids, c_ids, r_ids = _ids(provinces), _ids(cities), _ids(regions)
    _check(session, Province, p_ids)
    _check(session, City, c_ids)
    _check(session, Region, r_ids)
    for model in (RoleProvince, RoleCity, RoleRegion):
        session.execute(delete(model).where(model.role_id == role_id))
    session.add_all([RoleProvince(role_id=role_id, province_id=i) for i in sorted(p_ids)])
    session.add_all([RoleCity(role_id=role_id, city_id=i) for i in sorted(c_ids)])
    session.add_all([RoleRegion(role_id=role_id, region_id=i) for i in sorted(r_ids)])
