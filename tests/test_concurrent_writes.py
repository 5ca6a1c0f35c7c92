"""Concurrent writers lose nothing (issue 9, item 1).

A real server (uvicorn, its thread pool) takes writes from 8 and 32 clients at once: partners
created through the API with tokens and through the form with cookies, and parallel logins.
Every request must succeed and every row be there. On SQLite a transaction that read before
writing used to meet "database is locked" at once while another writer held the lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from kernel import security
from kernel.testing import PASSWORD, create_user, serving

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _token(kernel: Any, username: str) -> str:
    from kernel.models import User

    with kernel.session() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return security.create_token(s, user, "load")


def _partners(kernel: Any) -> int:
    from modules.base.models import Partner

    with kernel.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Partner).where(Partner.deleted_at.is_(None))) or 0)


def _run(workers: int, job: Callable[[int], list[int]]) -> list[int]:
    with ThreadPoolExecutor(workers) as pool:
        return [code for codes in pool.map(job, range(workers)) for code in codes]


def _api_writer(url: str, token: str, per_client: int) -> Callable[[int], list[int]]:
    def job(n: int) -> list[int]:
        with httpx.Client(base_url=url, headers={"authorization": f"Bearer {token}"}, timeout=60) as c:
            return [c.post("/api/base/partner", json={"kind": "company", "name": f"شرکت {n}-{i}"}).status_code
                    for i in range(per_client)]
    return job


def _login(c: httpx.Client, username: str) -> int:
    page = c.get("/login")
    csrf = _CSRF.search(page.text)
    assert csrf, "no CSRF token on the login page"
    resp = c.post("/login", data={"csrf": csrf.group(1), "username": username, "password": PASSWORD})
    return resp.status_code


def _form_writer(url: str, per_client: int) -> Callable[[int], list[int]]:
    def job(n: int) -> list[int]:
        with httpx.Client(base_url=url, timeout=60) as c:
            codes = [_login(c, "clerk")]
            for i in range(per_client):
                csrf = _CSRF.search(c.get("/base/partner/new").text)
                assert csrf
                codes.append(c.post("/base/partner/new", data={"csrf": csrf.group(1), "kind": "person",
                                                               "first_name": f"مریم {n}", "last_name": f"رضایی {i}"}).status_code)
            return codes
    return job


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("clients", [8, 32])
def test_concurrent_api_and_form_writers_all_succeed(make_kernel, engine, clients):
    kernel = make_kernel(engine=engine)
    create_user(kernel, "admin", admin=True)
    # Tier 1 has two seats: every form client is its own session of the same clerk.
    create_user(kernel, "clerk", perms=("base.partner.*",))
    token = _token(kernel, "admin")
    per_client = 64 // clients + 2
    with serving(kernel) as url:
        api_codes = _run(clients, _api_writer(url, token, per_client))
        form_codes = _run(clients, _form_writer(url, per_client))
    assert api_codes == [201] * (clients * per_client)
    # One login (303 to the dashboard) and then one saved form (303 to the record) per request.
    assert form_codes == [303] * (clients * (per_client + 1))
    assert _partners(kernel) == 2 * clients * per_client


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_fifty_parallel_logins_all_succeed(make_kernel, engine, real_password_hashing):
    # Every login pays argon2's full cost, as in production: what held a connection while
    # hashing showed only with fifty of them at once.
    kernel = make_kernel(engine=engine)
    create_user(kernel, "admin", admin=True)
    create_user(kernel, "clerk")

    def job(n: int) -> list[int]:
        with httpx.Client(base_url=url, timeout=60) as c:
            return [_login(c, ("admin", "clerk")[n % 2])]

    with serving(kernel) as url:
        codes = _run(50, job)
    assert codes == [303] * 50


def test_a_write_transaction_inside_another_joins_it_instead_of_waiting(kernel):
    """A service that opens its own transaction while its caller's is open (a helper creating
    a user inside a set-up) must not wait for the caller's write lock until the busy timeout."""
    import time

    from kernel.models import Team

    started = time.monotonic()
    with kernel.session() as outer:
        outer.add(Team(name="فروش"))
        outer.flush()
        with kernel.session() as inner:
            inner.add(Team(name="پشتیبانی"))
    assert time.monotonic() - started < 2
    with kernel.sessions() as s:
        assert set(s.scalars(select(Team.name))) == {"پشتیبانی", "فروش"}
    # The inner work belongs to the outer transaction: both or neither.
    with pytest.raises(RuntimeError):
        with kernel.session() as outer:
            outer.add(Team(name="انبار"))
            with kernel.session() as inner:
                inner.add(Team(name="مالی"))
            raise RuntimeError("the caller fails after the inner block")
    with kernel.sessions() as s:
        assert set(s.scalars(select(Team.name))) == {"پشتیبانی", "فروش"}
