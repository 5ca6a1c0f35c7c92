"""Filling the occasions table for a Jalali year from the shipped definitions.

``computed_rows`` is pure (plain dicts), so the kernel migration can insert the first years
with Alembic's ``bulk_insert`` without depending on the ORM model of a later schema.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.occasions.corrections import corrections
from kernel.occasions.definitions import shipped
from kernel.occasions.models import Occasion
from kernel.persian.hijri import Corrections

SHIPPED_YEARS = range(1404, 1407)  # filled by the migration; later years by the yearly job


def computed_rows(jyear: int, table: Corrections | None = None) -> list[dict[str, Any]]:
    """One dict per occasion date in Jalali year ``jyear``: the columns of ``kernel_occasion``.

    ``table`` is the Hijri correction table (the shipped one when omitted).
    """
    from kernel.occasions.definitions import dates_in_year

    data = shipped()
    rows = []
    for d in data.definitions:
        for n, date in enumerate(dates_in_year(d, jyear, data.corrections if table is None else table), start=1):
            rows.append({
                "year": jyear, "key": d.key, "occurrence": n, "name": d.name, "name_en": d.name_en,
                "date": date, "calendar": d.calendar, "month": d.month, "day": d.day,
                "holiday": d.holiday, "religion": d.religion, "sect": d.sect, "source": "computed",
            })
    return rows


def fill_year(session: Session, jyear: int) -> tuple[int, int]:
    """Add the year's missing occasions and move computed ones whose date changed.

    Returns (added, moved). Rows the administrator edited, added or removed are left as they
    are: a refill (after a new correction table, or new shipped definitions) never undoes them.
    """
    existing = {(o.key, o.occurrence): o for o in session.scalars(select(Occasion).where(Occasion.year == jyear))}
    added = moved = 0
    for row in computed_rows(jyear, corrections(session)):
        current = existing.get((row["key"], row["occurrence"]))
        if current is None:
            session.add(Occasion(**row))
            added += 1
        elif current.source == "computed" and current.deleted_at is None and current.date != row["date"]:
            current.date = row["date"]
            moved += 1
    session.flush()
    return added, moved

