"""Document numbers: unique per series, gapless, safe with many writers (ARCHITECTURE, Data rules).

Modules declare their series (:class:`kernel.NumberSeries`, hook ``register_number_series``)
and number a document with :func:`take_number` in the transaction that writes it::

    invoice.number = take_number(session, "finance.invoice", invoice.issued_on)  # "INV-1405-00012"

**Fiscal year.** Each series counts from 1 again every fiscal year, which is the Jalali year of
the document's date (Iran's fiscal year starts on 1 Farvardin): 1404/12/29 is the last number of
1404, 1405/01/01 the first of 1405. Pass the document's *local* date, not a UTC datetime (near
midnight of Nowruz the two fall in different years): a datetime is refused.

**Gapless.** The counter row is advanced in the caller's transaction, so a document that is
rolled back gives its number back and committed documents are numbered 1, 2, 3 … without a hole.
A committed document that is later voided or deleted keeps its number: numbers are never reused
(voiding is the document's own business; the number stays on it).

**Concurrency.** One ``UPDATE … SET next_value = next_value + 1 … RETURNING``: on PostgreSQL it
takes the counter's row lock, so a second taker of the same series waits until the first
commits or rolls back (and then reads the row afresh). The first number of a year creates the
row with ``INSERT … ON CONFLICT DO NOTHING`` (a concurrent creator waits for the other's insert
and then updates the same row). On SQLite, :func:`kernel.db.transaction` already holds the
database's write lock from the first statement (``BEGIN IMMEDIATE``): takers queue, nobody gets
"database is locked". That is why a number is only taken in a write transaction
(``kernel.session(actor)``); a read session is refused. The counter lock is held until the
document commits, so keep that short, and a document that needs numbers of two series takes them
in one fixed order (PostgreSQL answers crossed orders with a deadlock error).

**Format.** ``<prefix><Jalali year>-<n zero-padded>``: ``INV-1405-00012``. The prefix (ASCII:
Latin letters, digits, ``- / _ .``) and the padding start from the declaration and are changed
per series by the administrator (``/admin/numbering``); a change applies to numbers taken
afterwards — numbers already given keep the prefix they were given with. The stored number is
ASCII; pages show it with ``{{ number | code }}`` (Persian digits, isolated left to right).

The counters are not kept in memory between requests (:mod:`kernel.memo`): they change with
every document. The prefixes live in the instance settings, which are.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from kernel.db import WRITE_OPTION, insert_ignoring
from kernel.declarations import NumberSeries
from kernel.errors import InputError, ModuleError
from kernel.models import NumberCounter, Setting
from kernel.persian.jalali import to_jalali
from kernel.persian.numbers import parse_int
from kernel.persian.textnorm import clean_input, to_ascii_digits

SERIES_INFO = "peyvand_number_series"
"""The key of ``Session.info`` under which a kernel's sessions carry its declared series."""
SETTING_PREFIX = "numbering."
MIN_PADDING, MAX_PADDING = 1, 12
PREFIX_MAX = 20
_PREFIX = re.compile(r"[A-Za-z0-9/_.\-]*")
_KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


class UnknownSeries(LookupError):
    """``take_number`` on a series that no enabled module declares."""


@dataclass(frozen=True)
class Style:
    """How a series' numbers are written: prefix and zero-padded width."""

    prefix: str
    padding: int

    def format(self, year: int, n: int) -> str:
        return f"{self.prefix}{year}-{n:0{self.padding}d}"


def fiscal_year(on: dt.date) -> int:
    """The fiscal year of a document dated ``on``: its Jalali year."""
    return int(to_jalali(on).year)


def take_number(session: Session, series: str, on: dt.date) -> str:
    """The next number of ``series`` in the fiscal year of ``on``, formatted (``INV-1405-00012``).

    Runs in the caller's write transaction (``kernel.session``): it is the number's only if that
    transaction commits. It does not flush the session, so a pending document may be numbered
    (also from its ``before_save``). See the module docstring for the guarantees.
    """
    declared = _declared(session).get(series)
    if declared is None:
        raise UnknownSeries(f"no enabled module declares the number series {series!r} "
                            "(register_number_series)")
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise TypeError(f"take_number wants the document's local date, not {type(on).__name__}")
    conn = session.connection()
    if not conn.get_execution_options().get(WRITE_OPTION):
        raise RuntimeError("take_number runs in a write transaction: kernel.session(actor), "
                           "not a read session")
    year = fiscal_year(on)
    n, raw_style = _advance(conn, series, year)
    return _style(raw_style, declared).format(year, n)


def _declared(session: Session) -> Mapping[str, NumberSeries]:
    found = session.info.get(SERIES_INFO)
    if found is None:
        raise RuntimeError("take_number needs a session of the kernel: kernel.session(actor)")
    return found


def _advance(conn: Connection, series: str, year: int) -> tuple[int, str | None]:
    """The number taken, and the series' stored style read by the same statement (a subquery in
    its RETURNING: one round trip per document number, not two)."""
    row = NumberCounter
    style = select(Setting.value).where(Setting.key == SETTING_PREFIX + series).scalar_subquery()
    bump = (update(row).where(row.series == series, row.fiscal_year == year)
            .values(next_value=row.next_value + 1).returning(row.next_value, style))
    found = conn.execute(bump).first()
    if found is None:  # the year's first number: create the row, then take it like any other
        conn.execute(insert_ignoring(conn.dialect.name, row, "series", "fiscal_year")
                     .values(series=series, fiscal_year=year, next_value=1))
        found = conn.execute(bump).one()
    return int(found[0]) - 1, found[1]


# -- prefix and padding ---------------------------------------------------------------------------
def setting_key(series: NumberSeries) -> str:
    return SETTING_PREFIX + series.key


def style_of(conn: Connection | Session, series: NumberSeries) -> Style:
    """The series' prefix and padding: the administrator's choice, else the declaration's."""
    return _style(conn.execute(select(Setting.value).where(Setting.key == setting_key(series))).scalar(), series)


def _style(raw: str | None, series: NumberSeries) -> Style:
    """The style from the setting's stored value (None: the declaration's)."""
    stored = json.loads(raw) if raw else {}
    return Style(str(stored.get("prefix", series.default_prefix)),
                 int(stored.get("padding", series.default_padding)))


def set_style(session: Session, series: NumberSeries, prefix: str, padding: str) -> Style:
    """Store the administrator's prefix and padding (as typed; both checked first: a bad value
    raises :class:`InputError` and nothing is stored). Numbers taken afterwards use them."""
    style = Style(check_prefix(prefix), check_padding(padding))
    session.merge(Setting(key=setting_key(series),
                          value=json.dumps({"prefix": style.prefix, "padding": style.padding})))
    return style


def check_prefix(raw: str) -> str:
    """A prefix as typed → ASCII (Persian digits become ASCII ones); refused unless it is at most
    ``PREFIX_MAX`` Latin letters, digits and ``- / _ .``: the stored number stays ASCII."""
    prefix = to_ascii_digits(clean_input(raw)).strip()
    if len(prefix) > PREFIX_MAX:
        raise InputError("A prefix has at most {n} characters", n=PREFIX_MAX)
    if not _PREFIX.fullmatch(prefix):
        raise InputError("A prefix may hold only Latin letters, digits and - / _ .")
    return prefix


def check_padding(raw: str) -> int:
    padding = parse_int(raw)
    if not MIN_PADDING <= padding <= MAX_PADDING:
        raise InputError("The digits must be between {low} and {high}", low=MIN_PADDING, high=MAX_PADDING)
    return padding


def check_declaration(series: NumberSeries) -> None:
    """A declared series must fit the counter table and the settings; a typo fails at start-up."""
    if not _KEY.fullmatch(series.key) or len(series.key) > 80:
        raise ModuleError(f"number series {series.key!r}: the key is <module>.<name> in lower case, "
                          "at most 80 characters")
    if not series.label:
        raise ModuleError(f"number series {series.key!r}: a label is required")
    bad = f"number series {series.key!r}: default_prefix {series.default_prefix!r} or " \
          f"default_padding {series.default_padding!r} is not valid"
    try:
        prefix = check_prefix(series.default_prefix)
        check_padding(str(series.default_padding))
    except InputError as exc:
        raise ModuleError(f"{bad} ({exc})") from exc
    if prefix != series.default_prefix:  # as it would be stored: no spaces, ASCII digits
        raise ModuleError(bad)


# -- the administration page ------------------------------------------------------------------------
def next_values(session: Session, year: int) -> dict[str, int]:
    """Each series' next number in fiscal ``year`` (a series not yet used there is missing: 1)."""
    rows = session.execute(select(NumberCounter.series, NumberCounter.next_value)
                           .where(NumberCounter.fiscal_year == year))
    return {series: int(value) for series, value in rows}
