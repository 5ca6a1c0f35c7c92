"""The kernel's pytest plugin (entry point ``pytest11``): fixtures for module authors.

``make_kernel(...)`` builds a Kernel on a fresh database (SQLite file, or a database of its own on
the PostgreSQL server of ``PEYVAND_TEST_PG_URL``) with every migration applied — a copy of the
run's migrated template for that module set (kernel/testing_templates.py); ``kernel`` is one
on SQLite; ``client`` a Starlette TestClient on its app; ``make_user`` creates a user with
given permissions and scope; ``login_as(client, username)`` logs that client in;
``web_client(kernel, username)`` and ``api_client(kernel, username)`` give a logged-in browser
client and a Bearer-token API client on any kernel (a module's own, from ``make_kernel``).
Plain helpers: ``create_user``, ``create_record`` (through the forms' path), ``csrf``,
``pdf_text`` and ``pdf_words`` (what a PDF says, for asserting on reports).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "correct-horse-battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def pg_url() -> str:
    url = os.environ.get("PEYVAND_TEST_PG_URL")
    if not url:
        pytest.fail("PEYVAND_TEST_PG_URL is not set: run the suite through 'make test', which starts PostgreSQL")
    return url


def _pg_schema_url(url: str) -> tuple[str, str]:
    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}", schema


class _HashOnce:
    """argon2 with the production parameters, minus the repeats: the suite's one password
    (``PASSWORD``) is hashed once per process and each (hash, password) pair verified once.

    argon2 costs tens of milliseconds of CPU on purpose, and a test creates and logs in several
    users: it was half the CPU of a typical test. The answers are the real ones (the first of
    each is computed by argon2); only the repeated cost is gone. A test about what that cost
    does under load asks for ``real_password_hashing``."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.hashed: str | None = None
        self.verified: dict[tuple[str, str], bool] = {}

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        if password != PASSWORD or salt is not None:
            return str(self.real.hash(password, salt=salt))
        if self.hashed is None:
            self.hashed = str(self.real.hash(password))
        return self.hashed

    def verify(self, hash: str, password: str) -> bool:
        from argon2.exceptions import VerifyMismatchError

        key = (str(hash), str(password))
        if key not in self.verified:
            try:
                self.verified[key] = bool(self.real.verify(hash, password))
            except VerifyMismatchError:
                self.verified[key] = False
        if not self.verified[key]:
            raise VerifyMismatchError("The password does not match the supplied hash")
        return True

    def check_needs_rehash(self, hash: str) -> bool:
        return bool(self.real.check_needs_rehash(hash))


@pytest.fixture(scope="session", autouse=True)
def _password_hashing_once() -> Iterator[None]:
    from kernel import security

    real = security._hasher
    security._hasher = _HashOnce(real)  # type: ignore[assignment]
    yield
    security._hasher = real


@pytest.fixture
def real_password_hashing() -> Iterator[None]:
    """Every hash and verification through argon2 for this test (see :class:`_HashOnce`)."""
    from kernel import security

    memo = security._hasher
    security._hasher = getattr(memo, "real", memo)
    yield
    security._hasher = memo


@pytest.fixture(scope="session")
def _db_templates(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The run's migrated template databases (kernel/testing_templates.py)."""
    from kernel.testing_templates import Templates, shared_root

    worker = hasattr(request.config, "workerinput")
    return Templates(shared_root(tmp_path_factory.getbasetemp(), worker))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The whole run is over (under pytest-xdist: every worker): drop its PostgreSQL templates."""
    from kernel.testing_templates import drop_templates, shared_root

    factory = getattr(session.config, "_tmp_path_factory", None)
    if hasattr(session.config, "workerinput") or factory is None or factory._basetemp is None:
        return
    root = shared_root(factory.getbasetemp(), worker=False)
    if root.is_dir():
        drop_templates(root)


@pytest.fixture
def make_kernel(tmp_path: Path, _db_templates: Any) -> Iterator[Callable[..., Any]]:
    from kernel import migrations
    from kernel.config import Config
    from kernel.kernel import Kernel
    from kernel.testing_templates import PG_SCHEMA, drop_databases, with_database

    made: list[Any] = []
    schemas: list[str] = []
    databases: list[str] = []

    def factory(edition: str = "tier1", modules: tuple[str, ...] = (), packages: tuple[str, ...] = (),
                engine: str = "sqlite", home: Path | None = None, migrate: bool = True,
                same_database_as: Kernel | None = None, **kw: Any) -> Kernel:
        """A kernel on a fresh database; ``same_database_as=k`` opens k's database instead,
        as a second server process (or the same server after a restart) would."""
        home = home or tmp_path / f"home{len(made)}"
        # A fresh migrated database is a copy of this process's template for the module set;
        # a database that exists already (a reopened home, a second process) is migrated.
        copy = migrate and same_database_as is None
        if same_database_as is not None:
            url = same_database_as.config.database_url
        elif engine == "sqlite":
            url = f"sqlite:///{home / 'db.sqlite3'}"
            copy = copy and not (home / "db.sqlite3").exists()
        elif copy:
            url = with_database(pg_url(), "t_" + uuid.uuid4().hex[:16], PG_SCHEMA)
        else:
            url, schema = _pg_schema_url(pg_url())
            schemas.append(schema)
        home.mkdir(parents=True, exist_ok=True)
        conf = Config(home=home, database_url=url, edition=edition, extra_modules=modules,
                      extra_packages=packages, secret_key="test-secret-" + uuid.uuid4().hex, **kw)
        k = Kernel(conf)
        if copy and engine == "sqlite":
            _db_templates.fill_sqlite(k, home / "db.sqlite3")
        elif copy:
            databases.append(_db_templates.clone_postgres(k, pg_url()))
        elif migrate:
            migrations.upgrade(k)
        made.append(k)
        return k

    yield factory
    for k in made:
        k.engine.dispose()
    if databases:
        drop_databases(pg_url(), databases)
    if schemas:
        # Drop each test's schema, or the shared test database grows with every test.
        import sqlalchemy as sa

        engine = sa.create_engine(pg_url())
        with engine.begin() as conn:
            for schema in schemas:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def kernel(make_kernel: Callable[..., Any]) -> Any:
    return make_kernel()


@pytest.fixture
def client(kernel: Any) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from kernel.web.app import build_app

    with TestClient(build_app(kernel), base_url="http://testserver") as c:
        yield c


def create_user(kernel: Any, username: str, *, perms: tuple[str, ...] = (), scope: str = "all",
                admin: bool = False, team: str | None = None, lang: str = "fa",
                other_teams: tuple[str, ...] = ()) -> int:
    """A user with one role holding ``perms`` (use ``"<resource>.*"`` for every action), in
    ``team`` (made if new) and also a member of ``other_teams``."""
    from kernel import security
    from kernel.models import Role, RolePermission, Team

    expanded: set[str] = set()
    for p in perms:
        if p.endswith(".*"):
            expanded |= {c for c in kernel.permissions if c.startswith(p[:-1])}
        else:
            expanded.add(p)
    with kernel.session() as s:
        user = security.create_user(kernel, s, username, PASSWORD, full_name=username.title(), is_admin=admin, lang=lang)
        if perms or scope != "all":
            role = Role(name=f"role-{username}", record_scope=scope,
                        permissions=[RolePermission(permission=c) for c in sorted(expanded)])
            s.add(role)
            user.roles = [role]
        from sqlalchemy import select

        def team_named(name: str) -> Any:
            t = s.scalars(select(Team).where(Team.name == name)).first() or Team(name=name)
            s.add(t)
            s.flush()
            return t

        if team:
            user.team_id = team_named(team).id
        if other_teams:
            user.other_teams = [team_named(name) for name in other_teams]
        return int(user.id)


@pytest.fixture
def make_user(kernel: Any) -> Callable[..., int]:
    def factory(username: str, **kw: Any) -> int:
        return create_user(kernel, username, **kw)

    return factory


def create_record(kernel: Any, user_id: int | None, resource: str, **values: Any) -> int:
    """A record saved as ``user_id`` (None: the system) through the same path as the forms
    (permissions, scope, history, events); returns its id."""
    from kernel import records, security
    from kernel.actor import SYSTEM

    actor: Any = SYSTEM
    if user_id is not None:
        with kernel.sessions() as s:
            actor = security.load_actor(s, user_id)
        assert actor is not None, f"no active user {user_id}"
    with kernel.session(actor) as s:
        return int(records.create_record(kernel, s, actor, kernel.resources[resource], values).id)


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def do_login(client: Any, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "csrf": csrf_of(page.text)},
                       follow_redirects=False)


@pytest.fixture
def login_as() -> Callable[..., Any]:
    def login(client: Any, username: str, password: str = PASSWORD) -> Any:
        resp = do_login(client, username, password)
        assert resp.status_code == 303, resp.text[:500]
        return client

    return login


def csrf(client: Any, path: str = "/") -> str:
    """The CSRF token of the client's session (read from any page with a form)."""
    return csrf_of(client.get(path).text)


def _app_client(kernel: Any) -> Any:
    from starlette.testclient import TestClient

    from kernel.web.app import build_app

    return TestClient(build_app(kernel), base_url="http://testserver")


@pytest.fixture
def web_client() -> Iterator[Callable[..., Any]]:
    """``web_client(kernel, username=None)``: a browser-like client on ``kernel``'s app, logged in
    as ``username`` (a session cookie; send ``X-CSRF-Token: csrf(client)`` on a JSON write)."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        def factory(kernel: Any, username: str | None = None, password: str = PASSWORD) -> Any:
            client = stack.enter_context(_app_client(kernel))
            if username is not None:
                resp = do_login(client, username, password)
                assert resp.status_code == 303, f"login of {username!r} failed: {resp.status_code}"
            return client

        yield factory


def api_token(kernel: Any, username: str, name: str = "test") -> str:
    """A new API token of ``username`` (what ``peyvand token create`` prints)."""
    from sqlalchemy import select

    from kernel import security
    from kernel.models import User

    with kernel.session() as s:
        user = s.scalars(select(User).where(User.username == username.lower())).first()
        assert user is not None, f"no user {username!r}: create it first (make_user / create_user)"
        return security.create_token(s, user, name)


@pytest.fixture
def api_client() -> Iterator[Callable[..., Any]]:
    """``api_client(kernel, username)``: a client that calls ``/api/...`` as an integration
    would, with ``Authorization: Bearer <token>`` (no cookie, no CSRF token needed)."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        def factory(kernel: Any, username: str) -> Any:
            client = stack.enter_context(_app_client(kernel))
            client.headers["Authorization"] = f"Bearer {api_token(kernel, username)}"
            client.headers["Accept"] = "application/json"
            return client

        yield factory


# pdftotext writes right-to-left runs between bidi marks and drops ZWNJ: marks become spaces.
_PDF_INVISIBLE: dict[int, str | None] = {0x200C: None, **dict.fromkeys([0x200E, 0x200F, *range(0x202A, 0x202F)], " ")}


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page of a PDF (poppler's ``pdftotext -layout``), bidi marks removed.
    Compare words (``pdf_words``), not whole lines: right-to-left runs may come out reordered."""
    import subprocess
    import tempfile

    assert pdf.startswith(b"%PDF-"), "not a PDF"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", f.name, "-"],
                             check=True, capture_output=True, text=True).stdout
    return [page.translate(_PDF_INVISIBLE) for page in out.split("\f")[:-1]]


def pdf_words(pdf: bytes) -> set[str]:
    """Every word of every page of a PDF: ``assert "۱۴۰۳" in pdf_words(resp.content)``."""
    return {w for page in pdf_text(pdf) for w in page.split()}


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port. ``.port``; ``.messages`` is the
    list of received ``email.message.EmailMessage``s. Pass ``smtp_host="127.0.0.1",
    smtp_port=server.port, smtp_from=...`` to ``make_kernel``."""
    import socket
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.messages: list[Any] = []
            self.port = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    inbox.port = port
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@contextmanager
def serving(kernel: Any) -> Iterator[str]:
    """``kernel``'s app under uvicorn on 127.0.0.1 and a free port, in a background thread; yields
    its URL. No lifespan, so no scheduler thread: tests alone move the jobs' clock.

    A real server: requests from several threads (httpx, Chromium) run concurrently in its
    thread pool, as they do in production.
    """
    import socket
    import threading
    import time

    import uvicorn

    from kernel.web.app import build_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build_app(kernel), log_level="warning", access_log=False,
                                           lifespan="off", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


def jalali_at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> Any:
    """A Jalali date and Tehran wall-clock time as the database stores it (naive UTC), for
    tests that drive reminders and jobs through the clock: ``jalali_at(1405, 9, 10, 10)``."""
    import datetime as dt

    from kernel.persian.jalali import jalali_to_date
    from kernel.timezone import to_utc

    return to_utc(dt.datetime.combine(jalali_to_date(year, month, day), dt.time(hour, minute)))


def actor_of(kernel: Any, user_id: int) -> Any:
    """The :class:`kernel.Actor` of a user, to call services as that user."""
    from kernel import security

    with kernel.sessions() as s:
        return security.load_actor(s, user_id)


def alarms_of(kernel: Any, user_id: int) -> list[tuple[str, Any]]:
    """A user's alarms as (title, due time), oldest first."""
    from sqlalchemy import select

    from kernel.reminders.models import Alarm

    with kernel.sessions() as s:
        rows = s.scalars(select(Alarm).where(Alarm.user_id == user_id).order_by(Alarm.id))
        return [(a.title, a.due_at) for a in rows]
