"""Reference inputs: a drop-down of the rows a user may see for a small table, a live search for
a large one — decided by the table's size, so a user who sees few rows of a huge table does not
wait for them to be counted."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from kernel.testing import create_user
from kernel.web.app import build_app
from modules.base.models import Partner

PERMS = ("base.partner.*", "base.communication.*")


def partners_of_whom_sara_owns_two(make_kernel: Any, count: int) -> Any:
    kernel = make_kernel()
    sara = create_user(kernel, "sara", perms=PERMS, scope="own")
    with kernel.session() as s:
        s.add_all([Partner(kind="company", name=f"شرکت {i}", owner_id=sara if i < 2 else None) for i in range(count)])
    return kernel


def test_small_table_is_a_drop_down_of_the_visible_rows(make_kernel: Any, login_as: Any) -> None:
    kernel = partners_of_whom_sara_owns_two(make_kernel, 5)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        html = c.get("/base/communication/new").text
        # The partner is a drop-down (the contact person is a search: its list follows the partner).
        assert '<select id="f-partner_id"' in html
        assert "شرکت 0" in html and "شرکت 1" in html and "شرکت 3" not in html


def test_large_table_is_a_live_search_even_for_a_user_who_sees_few_rows(make_kernel: Any, login_as: Any) -> None:
    kernel = partners_of_whom_sara_owns_two(make_kernel, 205)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        html = c.get("/base/communication/new").text
        assert 'data-ref-search="/api/base/partner"' in html
        found = c.get("/api/base/partner", params={"q": "شرکت"}).json()
        assert {p["name"] for p in found["items"]} == {"شرکت 0", "شرکت 1"}
