"""The kernel's own tables: users, roles, tokens, login audit, history, attachments, preferences."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kernel.db import Base, BigId, IdPK, utcnow


class Team(Base):
    """A team; ``parent_id`` puts it under another (a sales manager over regional teams over
    agents): the "team" scope of a member of a team covers the teams under it (kernel.teams)."""

    __tablename__ = "kernel_team"
    id: Mapped[IdPK]
    name: Mapped[str] = mapped_column(String(120), unique=True)
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_team.id", ondelete="SET NULL"),
                                                  index=True)


class Role(Base):
    """A role (the seeds call it a "template"): permissions plus the record scope it grants."""

    __tablename__ = "kernel_role"
    id: Mapped[IdPK]
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # all | own | team — how far records of other users are visible (KER-06).
    record_scope: Mapped[str] = mapped_column(String(10), default="all", server_default="all")
    permissions: Mapped[list[RolePermission]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class RolePermission(Base):
    __tablename__ = "kernel_role_permission"
    role_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_role.id", ondelete="CASCADE"), primary_key=True)
    permission: Mapped[str] = mapped_column(String(120), primary_key=True)


class UserRole(Base):
    __tablename__ = "kernel_user_role"
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="CASCADE"), primary_key=True)
    role_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_role.id", ondelete="CASCADE"), primary_key=True)


class UserTeam(Base):
    """A user's membership of teams besides their main one (``User.team_id``): a manager who
    leads two teams sees both teams' records with the "team" scope."""

    __tablename__ = "kernel_user_team"
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_team.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


class User(Base):
    __tablename__ = "kernel_user"
    id: Mapped[IdPK]
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    lang: Mapped[str] = mapped_column(String(5), default="fa", server_default="fa")
    money_unit: Mapped[str] = mapped_column(String(5), default="rial", server_default="rial")
    team_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_team.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    roles: Mapped[list[Role]] = relationship(secondary="kernel_user_role", lazy="selectin")
    # Loaded on access only: the actor of every request needs it just for the "team" scope.
    other_teams: Mapped[list[Team]] = relationship(secondary="kernel_user_team", lazy="select")

    @property
    def team_ids(self) -> tuple[int, ...]:
        """Every team the user belongs to: the main one and the others."""
        ids = {t.id for t in self.other_teams} | ({self.team_id} if self.team_id is not None else set())
        return tuple(sorted(ids))


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "kernel_api_token"
    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class LoginSession(Base):
    """A signed-in browser. The cookie carries a random key; only its SHA-256 is stored here.

    The signed cookie alone would stay valid until it expires: logging out ends the row, so the
    cookie is worthless from then on, on pages and the API alike.
    """

    __tablename__ = "kernel_login_session"
    id: Mapped[IdPK]
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="CASCADE"), index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]


class LoginEvent(Base):
    """Audit of every login attempt; also the source for throttling."""

    __tablename__ = "kernel_login_event"
    __table_args__ = (Index("ix_kernel_login_event_username_at", "username", "at"),)
    id: Mapped[IdPK]
    username: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="SET NULL"))
    ip: Mapped[str] = mapped_column(String(64), default="")
    success: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(40), default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class History(Base):
    """One change of one record (KER-07): who, when, and old → new per field (JSON)."""

    __tablename__ = "kernel_history"
    __table_args__ = (Index("ix_kernel_history_record", "table_name", "record_id", "id"),)
    id: Mapped[IdPK]
    table_name: Mapped[str] = mapped_column(String(80))
    record_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changes: Mapped[str] = mapped_column(Text, default="{}")


class Attachment(Base):
    """A file attached to any record (KER-08); content lives in the files store by SHA-256."""

    __tablename__ = "kernel_attachment"
    __table_args__ = (Index("ix_kernel_attachment_record", "table_name", "record_id"),)
    id: Mapped[IdPK]
    table_name: Mapped[str] = mapped_column(String(80))
    record_id: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="SET NULL"))
    deleted_at: Mapped[dt.datetime | None]


class UserPref(Base):
    """A user's remembered choices (list columns, dashboard layout), JSON per key."""

    __tablename__ = "kernel_user_pref"
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Setting(Base):
    """Instance settings (company name, logo, PDF title and footer, money unit)."""

    __tablename__ = "kernel_setting"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NumberCounter(Base):
    """The next document number of a series in one Jalali fiscal year (:mod:`kernel.numbering`).

    Advanced by one ``UPDATE … RETURNING`` in the transaction that writes the document, so the
    row lock (PostgreSQL) or the write lock (SQLite) orders concurrent takers and a rolled-back
    document gives its number back. Not kept in memory between requests (``kernel.memo``): it
    changes with every numbered document."""

    __tablename__ = "kernel_number_counter"
    series: Mapped[str] = mapped_column(String(80), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    next_value: Mapped[int] = mapped_column(BigInteger, default=1)


class CacheSignal(Base):
    """One row whose version grows with every commit that wrote a table kept in memory between
    requests (users, roles, settings, reference data): each process drops what it kept when the
    version it reads has moved (:mod:`kernel.memo`)."""

    __tablename__ = "kernel_cache_signal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
