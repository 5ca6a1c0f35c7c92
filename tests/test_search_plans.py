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
        # The ids came first, through the search key alone; the page then sorts those.
        assert any("search_key LIKE" in st and "deleted_at" not in st for st in statements)
        assert any("= ANY" in st and "coalesce" in st.lower() for st in statements)
