"""What pages keep between requests (kernel.memo): read once, and fresh in every process.

Each test runs two kernels on one database, as two server processes would: one serves the
pages, the other writes; the page of the first must show the write on its next request.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import event, select

from kernel import login_sessions, memo
from kernel.models import Role, User, UserPref
from kernel.reminders.services import raise_alarm
from kernel.testing import create_user
from modules.base.models import Province

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
LIST = "/base/partner/"


@pytest.fixture(params=ENGINES)
def two_processes(request: Any, make_kernel: Any) -> tuple[Any, Any]:
    serving = make_kernel(engine=request.param)
    return serving, make_kernel(same_database_as=serving)


def _clerk(kernel: Any, web_client: Any) -> Any:
    create_user(kernel, "sara", perms=("base.partner.*", "base.province.view"))
    client = web_client(kernel, "sara")
    for _ in range(2):  # the second request is served from what the first kept
        assert client.get(LIST).status_code == 200
    return client


def _user_id(session: Any, name: str) -> int:
    return int(session.scalar(select(User.id).where(User.username == name)))


def test_a_logout_in_another_process_ends_the_session_here(two_processes: Any, web_client: Any) -> None:
    serving, other = two_processes
    client = _clerk(serving, web_client)
    with other.session() as s:
        login_sessions.end_all(s, _user_id(s, "sara"))
    resp = client.get(LIST, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")


def test_a_permission_taken_away_in_another_process_is_refused_here(two_processes: Any, web_client: Any) -> None:
    serving, other = two_processes
    client = _clerk(serving, web_client)
    with other.session() as s:
        role = s.scalars(select(Role).where(Role.name == "role-sara")).one()
        role.permissions = [p for p in role.permissions if p.permission != "base.partner.view"]
    assert client.get(LIST).status_code == 403


def test_a_province_added_in_another_process_is_offered_in_the_filter(two_processes: Any, web_client: Any) -> None:
    serving, other = two_processes
    client = _clerk(serving, web_client)
    assert "استان آزمایشی" not in client.get(LIST).text
    with other.session() as s:
        s.add(Province(name="استان آزمایشی"))
    assert re.search(r'<option value="\d+" >استان آزمایشی</option>', client.get(LIST).text)


def test_provinces_bulk_created_in_another_process_are_offered(two_processes: Any, web_client: Any) -> None:
    """The bulk writer's fast path (one INSERT … SELECT on PostgreSQL, a text() statement) tells
    the memo which table it wrote."""
    from kernel import records
    from kernel.actor import SYSTEM

    serving, other = two_processes
    client = _clerk(serving, web_client)
    with other.session() as s:
        records.create_record_ids(other, s, SYSTEM, other.resources["base.province"],
                                  [{"name": "استان نخست"}, {"name": "استان دوم"}])
    page = client.get(LIST).text
    assert ">استان نخست</option>" in page and ">استان دوم</option>" in page


def test_a_roles_places_changed_in_another_process_change_its_drop_downs(two_processes: Any,
                                                                          web_client: Any) -> None:
    """What a province-limited role may choose is kept per actor: the role's places are watched."""
    from modules.base.scope_admin import set_role_scope

    serving, other = two_processes
    with serving.session() as s:
        s.add_all([Province(name="استان الف"), Province(name="استان ب")])
    with serving.sessions() as s:
        ids = dict(s.execute(select(Province.name, Province.id)).all())
    create_user(serving, "sara", perms=("base.partner.*", "base.province.view"))
    with serving.session() as s:
        set_role_scope(s, s.scalars(select(Role.id).where(Role.name == "role-sara")).one(), provinces=[ids["استان الف"]])
    client = web_client(serving, "sara")
    for _ in range(2):
        page = client.get(LIST).text
    assert ">استان الف</option>" in page and ">استان ب</option>" not in page
    with other.session() as s:
        set_role_scope(s, s.scalars(select(Role.id).where(Role.name == "role-sara")).one(), provinces=[ids["استان ب"]])
    page = client.get(LIST).text
    assert ">استان ب</option>" in page and ">استان الف</option>" not in page


def test_an_alarm_raised_in_another_process_is_in_the_tray(two_processes: Any, web_client: Any) -> None:
    serving, other = two_processes
    client = _clerk(serving, web_client)
    with other.session() as s:
        raise_alarm(s, user_id=_user_id(s, "sara"), title="پیگیری قرارداد آقای کاظمی")
    page = client.get(LIST).text
    assert "پیگیری قرارداد آقای کاظمی" in page.split("data-alarm-tray", 1)[1]


def test_columns_chosen_in_another_process_are_the_list_columns(two_processes: Any, web_client: Any) -> None:
    serving, other = two_processes
    client = _clerk(serving, web_client)
    with other.session() as s:
        s.add(UserPref(user_id=_user_id(s, "sara"), key="columns:base.partner", value='["name", "national_id"]'))
    head = client.get(LIST).text.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert head.count("<th>") == 3 and "کد ملی" in head  # the check-all box, then the two chosen


def test_a_page_reads_the_login_and_reference_tables_once_not_per_request(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel()
    client = _clerk(kernel, web_client)
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(kernel.engine, "before_cursor_execute", record)
    try:
        assert client.get(LIST).status_code == 200
    finally:
        event.remove(kernel.engine, "before_cursor_execute", record)
    # The table each statement reads first (a record filter's subquery of roles is part of the
    # partner query, not a read of its own).
    read = {m.group(1) for st in seen if (m := re.match(r"\s*SELECT\b.*?\bFROM\s+(\w+)", st, re.S))}
    assert "kernel_cache_signal" in read  # the one read that keeps the rest fresh
    assert "base_partner" in read
    assert not read & {"kernel_user", "kernel_role", "kernel_user_role", "kernel_login_session", "kernel_user_pref",
                       "base_province", "base_group", "base_role_kind", "kernel_alarm", "kernel_setting"}, read


def test_a_request_that_wrote_a_watched_table_reads_it_again(kernel: Any) -> None:
    """After its own write a request never gets a value kept from before it."""
    with kernel.sessions() as s:
        here = kernel.memo.begin_request(s)
    token = memo.enter(here)
    try:
        calls: list[int] = []
        assert memo.cached("k", lambda: calls.append(1) or 1) == 1
        assert memo.cached("k", lambda: calls.append(2) or 2) == 1  # kept
        with kernel.session() as s:
            s.add(Province(name="قم"))
        assert memo.cached("k", lambda: calls.append(3) or 3) == 3  # computed again after the write
        assert calls == [1, 3]
    finally:
        memo.leave(token)
    # Outside a request nothing is kept.
    assert memo.cached("k", lambda: 4) == 4


def test_a_database_not_yet_upgraded_to_the_signal_serves_pages(make_kernel: Any, web_client: Any) -> None:
    """A server started before `peyvand migrate` keeps nothing, and answers its pages."""
    kernel = make_kernel()
    create_user(kernel, "sara", perms=("base.partner.*", "base.province.view"))
    with kernel.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE kernel_cache_signal")
    fresh = make_kernel(same_database_as=kernel, migrate=False)  # a process started after the drop
    client = web_client(fresh, "sara")
    for _ in range(2):
        assert client.get(LIST).status_code == 200
    with fresh.session() as s:
        s.add(Province(name="استان تازه"))  # a write to a watched table commits without the signal
    assert ">استان تازه</option>" in client.get(LIST).text
