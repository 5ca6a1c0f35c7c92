"""Pushed messages reach the right user's open tabs once (kernel.push), across web workers.

Real uvicorn servers on one database stand for the web workers of an instance; each has its
own hub. The streams are read with httpx as a browser's EventSource reads them.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from kernel import push_to_user, utcnow
from kernel.push import PushMessage
from kernel.testing import create_user, do_login, serving

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


class Tab:
    """One browser tab's stream: every event it received, with when."""

    def __init__(self, url: str, username: str, after: int | None = None, last_event_id: int | None = None) -> None:
        self.client = httpx.Client(base_url=url, timeout=httpx.Timeout(30, read=60))
        assert do_login(self.client, username).status_code == 303
        self.events: list[dict[str, Any]] = []
        self.opened = threading.Event()
        self._stop = False
        headers = {"last-event-id": str(last_event_id)} if last_event_id else {}
        path = "/push/stream" + (f"?after={after}" if after else "")
        self.thread = threading.Thread(target=self._read, args=(path, headers), daemon=True)
        self.thread.start()
        assert self.opened.wait(10), "the stream did not open"

    def _read(self, path: str, headers: dict[str, str]) -> None:
        try:
            self._follow(path, headers)
        except httpx.TransportError:
            if not self._stop:  # closed by the test, not by the server
                raise

    def _follow(self, path: str, headers: dict[str, str]) -> None:
        with self.client.stream("GET", path, headers=headers) as resp:
            assert resp.headers["content-type"].startswith("text/event-stream")
            self.opened.set()
            event: dict[str, Any] = {}
            for line in resp.iter_lines():
                if self._stop:
                    return
                if line.startswith("id: "):
                    event["id"] = int(line[4:])
                elif line.startswith("data: "):
                    event.update(json.loads(line[6:]))
                elif line == "" and "id" in event:
                    event["at"] = time.monotonic()
                    self.events.append(event)
                    event = {}

    def kinds(self) -> list[tuple[str, Any]]:
        return [(e["kind"], e["data"]) for e in self.events]

    def close(self) -> None:
        self._stop = True
        self.client.close()


@contextmanager
def tabs() -> Iterator[list[Tab]]:
    opened: list[Tab] = []
    try:
        yield opened
    finally:
        for tab in opened:
            tab.close()


def wait_for(check: Any, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.02)
    assert check()


def push(kernel: Any, user_id: int, kind: str, data: dict[str, Any]) -> None:
    with kernel.session() as session:
        push_to_user(session, user_id, kind, data)



@pytest.mark.parametrize("engine", ENGINES)
def test_a_message_reaches_every_tab_of_its_user_once_across_two_workers(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(engine=engine)
    ali, sara = create_user(kernel, "ali"), create_user(kernel, "sara")
    with ExitStack() as stack, tabs() as opened:
        one, two = stack.enter_context(serving(kernel)), stack.enter_context(serving(kernel))
        ali_on_one, ali_on_two, sara_on_two = Tab(one, "ali"), Tab(two, "ali"), Tab(two, "sara")
        opened += [ali_on_one, ali_on_two, sara_on_two]
        time.sleep(0.3)  # both hubs have read the newest id
        push(kernel, ali, "telephony.call", {"call_id": 7, "number": "۰۹۱۲"})
        push(kernel, sara, "devices.scan", {"code": "6260000000001"})
        wait_for(lambda: len(ali_on_one.events) == 1 and len(ali_on_two.events) == 1 and len(sara_on_two.events) == 1)
        time.sleep(0.5)  # more polls of both hubs: nothing is handed out again
        assert ali_on_one.kinds() == [("telephony.call", {"call_id": 7, "number": "۰۹۱۲"})]
        assert ali_on_two.kinds() == ali_on_one.kinds()
        assert sara_on_two.kinds() == [("devices.scan", {"code": "6260000000001"})]
    assert ali != sara


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rolled_back_transaction_pushes_nothing(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(engine=engine)
    ali = create_user(kernel, "ali")
    with serving(kernel) as url, tabs() as opened:
        tab = Tab(url, "ali")
        opened.append(tab)
        time.sleep(0.3)
        with pytest.raises(RuntimeError), kernel.session() as session:
            push_to_user(session, ali, "telephony.call", {"call_id": 1})
            raise RuntimeError("the call could not be saved")
        push(kernel, ali, "telephony.call", {"call_id": 2})
        wait_for(lambda: len(tab.events) == 1)
        time.sleep(0.3)
        assert tab.kinds() == [("telephony.call", {"call_id": 2})]


@pytest.mark.postgres
def test_a_message_committed_after_a_newer_one_is_not_lost(make_kernel: Any) -> None:
    """PostgreSQL hands out ids at insert and shows rows at commit: row n+1 can be read first."""
    kernel = make_kernel(engine="postgresql")
    ali = create_user(kernel, "ali")
    with serving(kernel) as url, tabs() as opened:
        tab = Tab(url, "ali")
        opened.append(tab)
        time.sleep(0.3)
        slow = kernel.sessions()
        slow.begin()
        push_to_user(slow, ali, "telephony.call", {"call_id": "slow"})
        slow.flush()  # its id is taken now
        push(kernel, ali, "telephony.call", {"call_id": "quick"})
        wait_for(lambda: len(tab.events) == 1)
        time.sleep(1.0)  # the hub has moved past "quick" many times
        slow.commit()
        slow.close()
        wait_for(lambda: len(tab.events) == 2)
        assert [e["data"]["call_id"] for e in tab.events] == ["quick", "slow"]
        assert tab.events[0]["id"] > tab.events[1]["id"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_tab_that_moves_to_another_page_gets_what_it_missed_and_nothing_old(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(engine=engine)
    ali = create_user(kernel, "ali")
    push(kernel, ali, "telephony.call", {"call_id": "an hour ago"})
    with kernel.session() as session:
        session.execute(text("UPDATE kernel_push SET created_at = :t"), {"t": utcnow().replace(year=2020)})
    push(kernel, ali, "telephony.call", {"call_id": "seen"})
    with kernel.sessions() as session:
        seen = session.query(PushMessage.id).order_by(PushMessage.id.desc()).limit(1).scalar()
    push(kernel, ali, "telephony.call", {"call_id": "while the next page loaded"})
    with serving(kernel) as url, tabs() as opened:
        by_query, by_header = Tab(url, "ali", after=1), Tab(url, "ali", last_event_id=seen)
        opened += [by_query, by_header]
        wait_for(lambda: len(by_query.events) == 2 and len(by_header.events) == 1)
        # "after=1" asks from the first message on, but one pushed long ago is not replayed.
        assert [e["data"]["call_id"] for e in by_query.events] == ["seen", "while the next page loaded"]
        assert [e["data"]["call_id"] for e in by_header.events] == ["while the next page loaded"]


def test_only_a_signed_in_user_has_a_stream_and_pages_load_the_script(make_kernel: Any) -> None:
    kernel = make_kernel()
    create_user(kernel, "ali")
    with serving(kernel) as url, httpx.Client(base_url=url) as client:
        resp = client.get("/push/stream", headers={"accept": "text/event-stream, application/json"})
        assert resp.status_code == 401
        assert "push.js" not in client.get("/login").text
        do_login(client, "ali")
        page = client.get("/").text
        assert '/static/kernel/push.js' in page and 'data-push="on"' in page


def test_data_must_be_small_json(make_kernel: Any) -> None:
    kernel = make_kernel()
    ali = create_user(kernel, "ali")
    with kernel.session() as session:
        with pytest.raises(ValueError, match="at most"):
            push_to_user(session, ali, "telephony.call", {"page": "x" * 9000})
        with pytest.raises(ValueError, match="kind"):
            push_to_user(session, ali, "", {})


def test_old_messages_are_purged_after_a_day(make_kernel: Any) -> None:
    from kernel.kernel_hooks import purge_finished

    kernel = make_kernel()
    ali = create_user(kernel, "ali")
    push(kernel, ali, "telephony.call", {"call_id": 1})
    push(kernel, ali, "telephony.call", {"call_id": 2})
    with kernel.session() as session:
        session.execute(text("UPDATE kernel_push SET created_at = :t WHERE id = (SELECT MIN(id) FROM kernel_push)"),
                        {"t": utcnow().replace(year=2020)})
    with kernel.session() as session:
        purge_finished(session, utcnow())
    with kernel.sessions() as session:
        left = [json.loads(d)["call_id"] for (d,) in session.query(PushMessage.data)]
    assert left == [2]
