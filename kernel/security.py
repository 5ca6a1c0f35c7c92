"""Users, passwords, API tokens, login throttling, seats and the Actor behind a request."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, object_session

from kernel import teams
from kernel.actor import Actor
from kernel.db import utcnow
from kernel.errors import InputError
from kernel.models import ApiToken, LoginEvent, User

if TYPE_CHECKING:
    from kernel.kernel import Kernel

_hasher = PasswordHasher()
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_IP_FAILURES = 30
MIN_PASSWORD = 8
_SCOPE_RANK = {"own": 0, "team": 1, "all": 2}
SCOPE_RANK = _SCOPE_RANK  # public: who may grant which scope (kernel.web.admin_guard)
# Verifying against a dummy hash keeps "no such user" as slow as "wrong password".
_DUMMY_HASH = _hasher.hash("peyvand-dummy-password")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError("The password must be at least {n} characters", n=MIN_PASSWORD)
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def session_stamp(user: User) -> str:
    """Changes when the password does, so a password change logs out other sessions."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def actor_for(user: User) -> Actor:
    perms: set[str] = set()
    scope = "own"
    for role in user.roles:
        perms.update(p.permission for p in role.permissions)
        if _SCOPE_RANK.get(role.record_scope, 0) > _SCOPE_RANK[scope]:
            scope = role.record_scope
    if not user.roles:
        scope = "own"
    team_ids: tuple[int, ...] = ()
    team_user_ids: tuple[int, ...] = ()
    session = object_session(user)
    if scope == "team" and session is not None and user.team_ids:
        team_ids = teams.with_descendants(session, user.team_ids)
        team_user_ids = teams.members(session, team_ids)
    return Actor(
        user_id=user.id, username=user.username, full_name=user.full_name, is_admin=user.is_admin,
        permissions=frozenset(perms), record_scope=scope, team_id=user.team_id,
        team_ids=team_ids, team_user_ids=team_user_ids,
        role_ids=tuple(r.id for r in user.roles), lang=user.lang, money_unit=user.money_unit,
    )


def load_actor(session: Session, user_id: int, stamp: str | None = None) -> Actor | None:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    if stamp is not None and stamp != session_stamp(user):
        return None
    return actor_for(user)


def throttled(session: Session, username: str, ip: str) -> bool:
    since = utcnow() - FAILURE_WINDOW
    by_user = session.scalar(select(func.count()).select_from(LoginEvent).where(
        LoginEvent.username == username, LoginEvent.success.is_(False), LoginEvent.at >= since)) or 0
    by_ip = session.scalar(select(func.count()).select_from(LoginEvent).where(
        LoginEvent.ip == ip, LoginEvent.success.is_(False), LoginEvent.at >= since)) or 0
    return by_user >= MAX_FAILURES or by_ip >= MAX_IP_FAILURES


@dataclass(frozen=True)
class LoginCheck:
    """What :func:`check_login` found; :func:`record_login` writes it."""

    username: str
    ip: str
    user_id: int | None
    reason: str | None  # None: the login succeeds
    rehash: str | None = None  # a stronger hash of the password, when the stored one is outdated


@dataclass(frozen=True)
class LoginFacts:
    """What the database says about a login attempt, read before the password is verified."""

    username: str
    ip: str
    throttled: bool
    user_id: int | None
    password_hash: str | None
    active: bool


def login_facts(session: Session, username: str, ip: str) -> LoginFacts:
    username = username.strip().lower()
    if throttled(session, username, ip):
        return LoginFacts(username, ip, True, None, None, False)
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        return LoginFacts(username, ip, False, None, None, False)
    return LoginFacts(username, ip, False, user.id, user.password_hash, user.is_active)


def judge_login(facts: LoginFacts, password: str) -> LoginCheck:
    """Verify the password against the facts, holding no database connection.

    argon2 takes tens of milliseconds on purpose: inside a write transaction it held SQLite's
    whole database, and inside any session a pooled connection, while fifty people logged in.
    """
    if facts.throttled:
        return LoginCheck(facts.username, facts.ip, None, "throttled")
    ok = verify_password(facts.password_hash or _DUMMY_HASH, password)
    if facts.user_id is None or not ok or not facts.active:
        reason = "inactive" if facts.user_id is not None and ok else "bad password"
        return LoginCheck(facts.username, facts.ip, facts.user_id, reason)
    stored = facts.password_hash or ""
    rehash = _hasher.hash(password) if _hasher.check_needs_rehash(stored) else None
    return LoginCheck(facts.username, facts.ip, facts.user_id, None, rehash)


def check_login(session: Session, username: str, password: str, ip: str) -> LoginCheck:
    """Check a login without writing anything (see :func:`judge_login`)."""
    return judge_login(login_facts(session, username, ip), password)


def record_login(session: Session, check: LoginCheck) -> User:
    """Audit the attempt (every one counts towards throttling); raise InputError if it failed."""
    session.add(LoginEvent(username=check.username, user_id=check.user_id, ip=check.ip,
                           success=check.reason is None, reason=check.reason))
    if check.reason == "throttled":
        raise InputError("Too many failed attempts; try again in {minutes} minutes", minutes=15)
    user = session.get(User, check.user_id) if check.user_id is not None else None
    if check.reason is not None or user is None:
        raise InputError("Wrong username or password")
    if check.rehash is not None:
        user.password_hash = check.rehash
    user.last_login_at = utcnow()
    return user


def authenticate(session: Session, username: str, password: str, ip: str) -> User:
    """Check a login and audit it in one session. Raises InputError with the reason to show."""
    return record_login(session, check_login(session, username, password, ip))


def change_password(session: Session, user_id: int, old: str, new: str, confirm: str) -> None:
    user = session.get(User, user_id)
    if user is None or not verify_password(user.password_hash, old):
        raise InputError("The current password is wrong")
    if new != confirm:
        raise InputError("The two new passwords differ")
    user.password_hash = hash_password(new)


# -- seats (KER-03) --------------------------------------------------------------------------
def active_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.is_active.is_(True))) or 0


def check_seat(kernel: Kernel, session: Session, activating: User | None = None) -> None:
    """Refuse one active user more than the edition's seats."""
    from kernel.seats import seat_limit

    seats = seat_limit(kernel, session)
    count = active_users(session)
    if activating is not None and activating.is_active and activating.id is not None:
        count -= 1  # already counted
    if count + 1 > seats:
        raise InputError("Your edition ({edition}) allows {seats} active users; deactivate one first",
                         edition=kernel.edition.name, seats=seats)


def create_user(kernel: Kernel, session: Session, username: str, password: str, *, full_name: str = "",
                is_admin: bool = False, active: bool = True, lang: str = "fa") -> User:
    username = username.strip().lower()
    if not username or not username.replace("_", "").replace(".", "").replace("-", "").isalnum() or not username.isascii():
        raise InputError("A username is Latin letters, digits, dot, dash or underscore")
    if session.scalars(select(User).where(User.username == username)).first():
        raise InputError("This username is taken")
    if active:
        check_seat(kernel, session)
    user = User(username=username, password_hash=hash_password(password), full_name=full_name,
                is_admin=is_admin, is_active=active, lang=lang)
    session.add(user)
    session.flush()
    return user


# -- API tokens -----------------------------------------------------------------------------
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str = "") -> str:
    """A new bearer token; only its hash is stored, so it is shown once."""
    token = "pv_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=_digest(token)))
    session.flush()
    return token


TOKEN_TOUCH_SECONDS = 60


def actor_for_token(session: Session, token: str) -> tuple[Actor | None, int | None]:
    """The token's actor, and the token's id when its last-used time is due to be written.

    Reading stays read-only: the caller writes ``last_used_at`` (at most once a minute) in a
    transaction of its own, so an API call is not a writer just for being authenticated.
    """
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(token),
                                                 ApiToken.revoked_at.is_(None))).first()
    if row is None:
        return None, None
    now = utcnow()
    stale = row.last_used_at is None or (now - row.last_used_at).total_seconds() >= TOKEN_TOUCH_SECONDS
    return load_actor(session, row.user_id), (row.id if stale else None)


def list_tokens(session: Session, user_id: int | None = None) -> list[ApiToken]:
    """Tokens, newest first (of one user, or everyone's)."""
    stmt = select(ApiToken).order_by(ApiToken.id.desc())
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    return list(session.scalars(stmt))


def revoke_token(session: Session, token_id: int, user_id: int | None = None) -> ApiToken:
    """Revoke one token (of ``user_id`` when given); the API refuses it from the next request."""
    row = session.get(ApiToken, token_id)
    if row is None or (user_id is not None and row.user_id != user_id):
        raise InputError("No such token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def revoke_user_tokens(session: Session, user_id: int) -> int:
    stmt = update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    return int(session.execute(stmt.values(revoked_at=utcnow())).rowcount or 0)  # type: ignore[attr-defined]


def touch_token(session: Session, token_id: int) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))
