"""``moment + seconds`` in SQL on both engines, for comparisons inside one statement (the
compliance report's window after each call). SQLite keeps datetimes as text
(``YYYY-MM-DD HH:MM:SS.ffffff``): ``strftime`` gives three decimals, so an upper bound gets
``999`` appended to stay inclusive against the stored six."""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement


class PlusSeconds(ColumnElement[Any]):
    inherit_cache = True
    type = DateTime()

    def __init__(self, moment: Any, seconds: Any, upper: bool = False) -> None:
        self.moment = moment
        self.seconds = seconds
        self.upper = upper


@compiles(PlusSeconds, "sqlite")
def _sqlite(element: PlusSeconds, compiler: Any, **kw: Any) -> str:
    moment = compiler.process(element.moment, **kw)
    seconds = compiler.process(element.seconds, **kw)
    text = f"strftime('%Y-%m-%d %H:%M:%f', {moment}, ({seconds}) || ' seconds')"
    return f"({text} || '999')" if element.upper else text


@compiles(PlusSeconds, "postgresql")
def _postgresql(element: PlusSeconds, compiler: Any, **kw: Any) -> str:
    moment = compiler.process(element.moment, **kw)
    seconds = compiler.process(element.seconds, **kw)
    return f"({moment} + make_interval(secs => ({seconds})))"
