"""A search on PostgreSQL fetches the few matching ids through the trigram index, then sorts
them (issue 10): the plan no longer depends on where the matches sort. Pages, counts and
scopes must stay exactly what they were."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from kernel.testing import api_token
from kernel.web.app import build_app


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_searched_list_pages_through_every_match_once_in_order(make_kernel: Any, make_user: Any, engine: str) -> None:
    from starlette.testclient import TestClient

    from kernel.testing import create_user
    from modules.base.models import Partner

    k = make_kernel(engine=engine)
    create_user(k, "admin", admin=True)
    with k.session() as s:
        # Matches that sort late (ی…) among many that do not, and a deleted one.
        s.add_all([Partner(kind="company", name=f"الف {i:03d}") for i in range(60)])
        s.add_all([Partner(kind="person", first_name=f"یاس {i:02d}", last_name="کیوانی", name="") for i in range(23)])
        s.add(Partner(kind="person", first_name="یاس حذف‌شده", last_name="کیوانی", name="",
                      deleted_at=__import__("datetime").datetime(2026, 1, 1)))
    token = api_token(k, "admin")
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(k.engine, "before_cursor_execute", seen)
    names: list[str] = []
    with TestClient(build_app(k)) as c:
        url: str | None = "/api/base/partner?q=کیوان&limit=7&sort=name"
        while url:
            page = c.get(url, headers={"Authorization": f"Bearer {token}"}).json()
            assert page["count"] == 23
            names += [i["name"] for i in page["items"]]
            url = f"/api/base/partner?q=کیوان&limit=7&sort=name&after={page['next']}" if page["next"] else None
    assert names == sorted(names) and len(names) == len(set(names)) == 23
    if engine == "postgresql":
        # 23 matches (not past COUNT_CAP): the ids are sorted by an order no index offers, in
        # the statement that searches; the rows are then read by those ids.
        assert any("search_key LIKE" in st and "coalesce" in st.lower() and "ORDER BY" in st for st in statements)
        assert any("= ANY" in st and "search_key LIKE" not in st for st in statements)


def _pages(k: Any, fragment: str, limit: int, backwards: bool = False) -> list[str]:
    """Every page of a partner list searched for ``fragment`` by name, following the cursors."""
    from kernel import records
    from kernel.actor import SYSTEM

    res = k.resources["base.partner"]
    names: list[str] = []
    q = records.ListQuery(search=fragment, sort="name", limit=limit, last=backwards)
    while True:
        with k.session() as s:
            page = records.list_records(k, s, SYSTEM, res, q)
            got = [p.name for p in page.items]
        names = got + names if backwards else names + got
        cursor = page.prev_cursor if backwards else page.next_cursor
        if not cursor:
            return names
        q = records.ListQuery(search=fragment, sort="name", limit=limit, **{"before" if backwards else "after": cursor})


@pytest.mark.postgres
def test_many_matches_are_walked_a_bounded_stretch_then_sorted(make_kernel: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past COUNT_CAP matches the name order is walked over WALK_ROWS rows: a page met there
    comes from the walk; one not met there (the matches sort late) from sorting the matches.
    Both give every match once, in order, forwards and backwards (kept small by lowering both
    bounds)."""
    from kernel import records, search_index
    from modules.base.models import Partner

    monkeypatch.setattr(records, "COUNT_CAP", 5)
    monkeypatch.setattr(search_index, "WALK_ROWS", 20)
    k = make_kernel(engine="postgresql")
    with k.session() as s:
        # «بهار» in every other name from the start of the order: a walk meets a page soon.
        s.add_all([Partner(kind="company", name=f"الف {i:03d}" + (" بهار" if i % 2 else "")) for i in range(60)])
        # «کیوان» only after those 60: a walk of 20 rows from the start meets none.
        s.add_all([Partner(kind="person", first_name=f"یاس {i:02d}", last_name="کیوانی", name="") for i in range(23)])
    statements: list[str] = []
    event.listen(k.engine, "before_cursor_execute", lambda c, cur, st, *a: statements.append(st))

    spread = _pages(k, "بهار", 4)
    assert spread == [f"الف {i:03d} بهار" for i in range(1, 60, 2)]
    assert _pages(k, "بهار", 4, backwards=True) == spread
    def walked() -> int:  # the search condition outside the bounded walk's subquery
        return sum(".sk LIKE" in st for st in statements)

    def sorted_matches() -> int:
        return sum("search_key LIKE" in st and "coalesce" in st.lower() and "ORDER BY" in st for st in statements)

    # 8 pages each way, each walked. Sorted instead: the last page each way (fewer than a page
    # left to meet) and the first page backwards (the 23 «کیوان» rows close the order).
    assert walked() == 16 and sorted_matches() == 3

    statements.clear()
    late = _pages(k, "کیوان", 4)
    assert late == sorted(late) and len(set(late)) == 23 and all("کیوانی" in n for n in late)
    assert _pages(k, "کیوان", 4, backwards=True) == late
    # 6 pages each way, each walked first. The first page forwards was not met within the 20
    # rows walked (60 names before the matches): sorted. The others start among the matches
    # and were met, but for the last page each way (fewer than a page left: sorted).
    assert walked() == 12 and sorted_matches() == 3
