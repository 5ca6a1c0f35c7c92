"""Services behind every resource: list (filter, search, sort, keyset pages), create, update,
soft delete with dependency check, restore and permanent delete. Callable without HTTP."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Select,
    and_,
    any_,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors

from kernel import audit, search_index, versions
from kernel.actor import Actor
from kernel.db import Base, Record, acting_user_id, insert_rows, number_new_rows, utcnow
from kernel.errors import Conflict, InputError, NotFound, PermissionDenied
from kernel.events import RecordChanged, RecordDeleted, RecordPurged, RecordRestored
from kernel.fields import Field
from kernel.models import User
from kernel.persian import search_keys
from kernel.persian.jalali import parse_jalali_date
from kernel.persian.numbers import parse_decimal, parse_int
from kernel.persian.phones import canonical_phone
from kernel.persian.search_keys import compute as compute_search_key
from kernel.persian.textnorm import clean_input, search_key, to_ascii_digits
from kernel.resources import USER_REF, Resource
from kernel.timezone import to_utc

if TYPE_CHECKING:
    from kernel.kernel import Kernel

_LOW = {"text": "", "textarea": "", "phone": "", "email": "", "national_id": "", "choice": "",
        "date": dt.date(1, 1, 1), "datetime": dt.datetime(1, 1, 1), "bool": False}


COUNT_CAP = 1_000
INT64_MAX = 2**63 - 1
QUICK_MATCHES = 200


@dataclass
class ListQuery:
    """What a list page or API call asks for; built from query parameters."""

    search: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = ""
    after: str = ""
    before: str = ""
    last: bool = False
    limit: int = 50
    ids: tuple[int, ...] = ()
    # Exports and the search box need rows, not the total: skip the count query.
    count: bool = True
    # The top-bar search box: a few hits among the newest matches, at once (see search_index).
    quick: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str], default_limit: int = 50) -> ListQuery:
        try:
            limit = max(1, min(int(to_ascii_digits(params.get("limit", "") or str(default_limit))), 500))
        except ValueError:
            limit = default_limit
        return cls(
            search=params.get("q", "").strip(),
            filters={k[2:]: v for k, v in params.items() if k.startswith("f_") and v.strip()},
            sort=params.get("sort", ""),
            after=params.get("after", ""),
            before=params.get("before", ""),
            last=params.get("page") == "last",
            limit=limit,
        )


@dataclass
class Page:
    items: list[Any]
    total: int
    # True when there are more than COUNT_CAP matches and ``total`` is only a lower bound.
    total_capped: bool = False
    next_cursor: str = ""
    prev_cursor: str = ""
    errors: dict[str, InputError] = field(default_factory=dict)


def require(actor: Actor, res: Resource, action: str) -> None:
    if not res.allows(actor, action):
        raise PermissionDenied(res.perm(action))


# -- reading --------------------------------------------------------------------------------
def scoped(kernel: Kernel, actor: Actor, res: Resource, action: str = "view", deleted: bool = False) -> Any:
    return kernel.scoped_select(actor, res.model, action, deleted=deleted)


def get_record(kernel: Kernel, session: Session, actor: Actor, res: Resource, record_id: int,
               action: str = "view", deleted: bool = False, for_update: bool = False) -> Any:
    """One record the actor may ``action``; outside the scope it does not exist (NotFound).

    ``for_update`` locks its row until the transaction ends (PostgreSQL; a SQLite writer holds
    the whole database already), so two saves of one version cannot both pass the check."""
    require(actor, res, action)
    stmt = scoped(kernel, actor, res, action, deleted).where(res.model.id == record_id)  # type: ignore[attr-defined]
    if for_update:
        stmt = stmt.with_for_update(of=res.model)
    obj = session.scalars(stmt).first()
    if obj is None:
        raise NotFound(res.name)
    return obj


def nulls_first(col: Any, kind: str, inline: bool = True) -> Any:
    """How a list sorts a nullable column: empty values as the lowest, ``coalesce(col, low)``.

    The low value is written into the SQL (``literal_execute``), not sent as a parameter: an
    index on the same expression (a module's ``Index(..., nulls_first(Model.col, "datetime",
    inline=False), "id")``) then gives the order, and a page stops after its rows instead of
    sorting every match (SQLite matches an index expression only with constants)."""
    low = _LOW.get(kind, -(2**62))
    return func.coalesce(col, literal(low, col.type, literal_execute=inline))


def _sort_expr(res: Resource, name: str) -> Any:
    col = getattr(res.model, name)
    column = res.table.c[name]
    if column.nullable and name != "id":
        f = res.all_fields.get(name)
        return nulls_first(col, f.kind if f else "text")
    return col


def _has_order_index(res: Resource, name: str) -> bool:
    """Whether an index leads with column ``name`` (or an expression of it, as ``nulls_first``
    makes): only then does reading the rows in its order stop after a page."""
    col = res.table.c[name]
    firsts = [ix.expressions[0] for ix in res.table.indexes if ix.expressions]
    return bool(col.primary_key) or any(not isinstance(first, str) and any(e is col for e in visitors.iterate(first))
                                        for first in firsts)


def _sort_spec(res: Resource, sort: str) -> tuple[str, bool]:
    sort = sort or res.default_sort
    desc = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in res.choosable_columns or name not in res.table.c:
        name, desc = res.default_sort.lstrip("-"), res.default_sort.startswith("-")
    return name, desc


def encode_cursor(value: Any, record_id: int) -> str:
    if isinstance(value, dt.date | dt.datetime):
        value = {"d": value.isoformat(), "t": "dt" if isinstance(value, dt.datetime) else "d"}
    raw = json.dumps([value, record_id], ensure_ascii=False, default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, record_id = json.loads(raw)
        if isinstance(value, dict):
            value = (dt.datetime if value["t"] == "dt" else dt.date).fromisoformat(value["d"])
        if isinstance(record_id, bool) or not isinstance(record_id, int) or isinstance(value, list | dict):
            raise TypeError("not a cursor")
        return value, record_id
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError("The page link is broken; start from the first page") from exc


def _cursor_fits(res: Resource, name: str, value: Any, record_id: int) -> Any:
    """The cursor's value as the sort column's type; a hand-made cursor that does not fit is a
    broken page link (PostgreSQL refused a list compared with a number, with a 500)."""
    broken = InputError("The page link is broken; start from the first page")
    if not -INT64_MAX <= record_id <= INT64_MAX:
        raise broken
    try:
        kind: Any = res.table.c[name].type.python_type
    except NotImplementedError:
        kind = str
    if value is None:
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise broken
    elif kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not -INT64_MAX <= value <= INT64_MAX:
            raise broken
    elif kind is Decimal:
        try:
            return Decimal(str(value))
        except ArithmeticError as exc:
            raise broken from exc
    elif kind is dt.date:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise broken
    elif not isinstance(value, kind):
        raise broken
    return value


def _cursor_value(res: Resource, name: str, obj: Any) -> Any:
    value = getattr(obj, name)
    if value is None and res.table.c[name].nullable:
        f = res.all_fields.get(name)
        return _LOW.get(f.kind if f else "text", -(2**62))
    return value


def filter_conditions(res: Resource, filters: Mapping[str, str], default_area: str = "21",
                      tz: str = "Asia/Tehran", session: Session | None = None,
                      purpose: str = "page") -> tuple[list[ColumnElement[bool]], dict[str, InputError]]:
    """Conditions from ``f_<field>`` parameters; a bad value is reported and ignored."""
    conds: list[ColumnElement[bool]] = []
    errors: dict[str, InputError] = {}
    custom = {f.name: f for f in res.custom_filters}
    for key, raw in filters.items():
        name, _, bound = key.partition("__")
        if name in custom:
            try:
                conds.append(custom[name].build(raw.strip(), session=session, purpose=purpose))
            except InputError as exc:
                errors[name] = exc
            continue
        if name not in res.filters:
            continue
        f = res.field(name)
        col = getattr(res.model, name)
        try:
            conds.append(_condition(f, col, bound, raw, default_area, tz))
        except InputError as exc:
            errors[name] = exc
    return conds, errors


def _condition(f: Field, col: Any, bound: str, raw: str, default_area: str, tz: str) -> ColumnElement[bool]:
    value: Any
    if f.kind in ("date", "datetime", "int", "money", "decimal", "year", "percent") and bound in ("from", "to"):
        if f.kind in ("date", "datetime"):
            value = parse_jalali_date(raw)
            if f.kind == "datetime":
                # A Jalali day is a local day: its bounds are converted to stored UTC.
                day = dt.datetime.combine(value, dt.time()) + (dt.timedelta(days=1) if bound == "to" else dt.timedelta())
                value = to_utc(day, tz)
                return col >= value if bound == "from" else col < value
        else:
            value = parse_decimal(raw) if f.kind in ("decimal", "percent") else parse_int(raw)
        return col >= value if bound == "from" else col <= value
    if f.kind == "bool":
        return col.is_(raw in ("1", "true", "on"))
    if f.kind in ("choice", "ref", "int", "money", "year"):
        return col == (parse_int(raw) if f.kind in ("ref", "int", "money", "year") else raw)
    if f.kind == "phone":
        return col.contains(canonical_phone(raw, default_area)[3:], autoescape=True)
    return func.lower(col).contains(clean_input(raw).lower(), autoescape=True)


def search_condition(kernel: Kernel, res: Resource, text: str, newest: int | None = None) -> ColumnElement[bool] | None:
    key = search_key(text)
    if not key:
        return None
    if res.has_search_key:
        return search_index.condition(kernel, res, key, newest)
    if not res.search:
        return None
    return or_(*(func.lower(getattr(res.model, n)).contains(clean_input(text).lower(), autoescape=True)
                 for n in res.search))


def capped_count_query(stmt: Select[Any], cap: int) -> Select[Any]:
    """``SELECT count(*)`` of at most ``cap`` rows of ``stmt``: a bounded index read where an
    exact count would read every match. ``.scalar_subquery()`` puts several in one statement."""
    limited = stmt.order_by(None).with_only_columns(literal(1), maintain_column_froms=True).limit(cap).subquery()
    return select(func.count()).select_from(limited)


def _searched_ids(session: Session, res: Resource, key: str, limit: int, unsearched: Select[Any],
                  searched: Select[Any], walked_name: str, walked: Any, order: tuple[Any, Any],
                  descending: bool, total: int | None) -> list[int]:
    """The ids of a searched page on PostgreSQL, whatever the place of the matches in the order
    (search_index.ids_first): up to COUNT_CAP matches — known from the page's capped count —
    are sorted in one statement through the trigram index (cost follows their number); more are
    looked for along the sort order over a bounded stretch (search_index.walked_ids), then sorted
    like the few when they were not met there."""
    if total is None:
        total = session.scalar(capped_count_query(searched, COUNT_CAP + 1)) or 0
    # Without an index in the sort's order, the walk would read and sort the whole table first.
    if total > COUNT_CAP and _has_order_index(res, walked_name):
        found = search_index.walked_ids(session, unsearched, res, key, walked, descending, limit + 1)
        if len(found) > limit:
            return found
    id_col = res.model.id  # type: ignore[attr-defined]
    return list(session.scalars(searched.with_only_columns(id_col, maintain_column_froms=True)
                                .order_by(*order).limit(limit + 1)))


def list_records(kernel: Kernel, session: Session, actor: Actor, res: Resource, q: ListQuery,
                 action: str = "view", deleted: bool = False) -> Page:
    """A keyset page: the last page costs what the first does, at any table size."""
    require(actor, res, action)
    scope = scoped(kernel, actor, res, action, deleted)
    area, tz = kernel.config.default_area_code, kernel.config.timezone
    conds, errors = filter_conditions(res, q.filters, area, tz, session, "page")
    extra: list[ColumnElement[bool]] = []
    # A text the resource reads as one of its keys (a document number) is that key's equality.
    looked_up = res.lookup(q.search) if q.search and res.lookup is not None else None
    sc = looked_up if looked_up is not None else (
        search_condition(kernel, res, q.search, QUICK_MATCHES if q.quick else None) if q.search else None)
    # On PostgreSQL the page's ids are found first, without leaving the plan to where the
    # matches sort (search_index.ids_first).
    ids_first = (sc is not None and looked_up is None and not q.quick
                 and search_index.ids_first(kernel, res, search_key(q.search)))
    if q.ids:
        extra.append(res.model.id.in_(q.ids))  # type: ignore[attr-defined]
    unsearched = scope.where(and_(*conds, *extra)) if conds or extra else scope
    if sc is not None:
        extra.append(sc)
    base = scope.where(and_(*conds, *extra)) if conds or extra else scope
    total = 0
    if q.count:
        # A filter may choose another SQL shape for counting (drive from a rare value's index).
        count_conds, _ = filter_conditions(res, q.filters, area, tz, session, "count")
        counted = scope.where(and_(*count_conds, *extra)) if count_conds or extra else scope
        # An exact count reads every matching row; past COUNT_CAP "1,000+" is as useful and
        # costs a bounded scan.
        total = session.scalar(capped_count_query(counted, COUNT_CAP + 1)) or 0
    capped = total > COUNT_CAP

    name, desc = _sort_spec(res, q.sort)
    name = res.sort_column(name)  # a name sorts by its alphabetical key, when it has one
    walked = _sort_expr(res, name)  # the order as an index gives it (walked row by row)
    # Sorting by an expression no index offers makes PostgreSQL read the matches through the
    # trigram index and sort them, instead of walking the name index past rows that do not match.
    sort_col = func.coalesce(walked, walked) if ids_first else walked
    backwards = bool(q.before) or q.last
    descending = desc != backwards
    after: tuple[Any, Any] | None = None
    gt = True
    if q.after or q.before:
        value, rid = decode_cursor(q.after or q.before)
        after = (_cursor_fits(res, name, value, rid), rid)
        gt = (not desc) if not q.before else desc

    def from_cursor(stmt: Any, col: Any) -> Any:
        if after is None:
            return stmt
        key, at = tuple_(col, res.model.id), tuple_(literal(after[0]), literal(after[1]))  # type: ignore[attr-defined]
        return stmt.where(key > at if gt else key < at)

    id_col = res.model.id  # type: ignore[attr-defined]
    order = (sort_col.desc(), id_col.desc()) if descending else (sort_col.asc(), id_col.asc())
    stmt = from_cursor(base, sort_col)
    if ids_first:
        ids = _searched_ids(session, res, search_key(q.search), q.limit, from_cursor(unsearched, walked), stmt,
                            name, walked, order, descending, total if q.count else None)
        stmt = scope.where(id_col == any_(literal(ids, ARRAY(BigInteger()))))
    rows = list(session.scalars(stmt.order_by(*order).limit(q.limit + 1)))
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    if backwards:
        rows.reverse()
    page = Page(items=rows, total=min(total, COUNT_CAP), total_capped=capped, errors=errors)
    if rows:
        first, last = rows[0], rows[-1]
        has_next = (more and not backwards) or (backwards and bool(q.before))
        has_prev = (more and backwards) or (not backwards and bool(q.after)) or (q.last and more)
        if has_next:
            page.next_cursor = encode_cursor(_cursor_value(res, name, last), last.id)
        if has_prev:
            page.prev_cursor = encode_cursor(_cursor_value(res, name, first), first.id)
    return page


# -- writing --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _FormPlan:
    """What parsing a resource's form needs besides the data, worked out once per resource: the
    editable fields, and what an empty value parses to (the bulk API parses a thousand items a
    call, most of whose thirty-odd fields are empty)."""

    # (name, field, the value of an empty form field, of an empty JSON field): _REFUSED where
    # the field refuses an empty value (required), so its own parse says why.
    fields: tuple[tuple[str, Field, Any, Any], ...]
    names: frozenset[str]


_REFUSED = object()


def _form_plan(kernel: Kernel, res: Resource) -> _FormPlan:
    plan: _FormPlan | None = res._form_plan
    if plan is None:
        tz = kernel.config.timezone
        fields: list[tuple[str, Field, Any, Any]] = []
        for name in res.form:
            f = res.field(name)
            if f.readonly:
                continue
            # An empty value's parse depends on the field alone (not on the area, unit or zone).
            fields.append((name, f, _empty(lambda: f.parse(None, tz=tz)), _empty(lambda: f.from_json(None))))  # noqa: B023
        plan = res._form_plan = _FormPlan(tuple(fields), frozenset(res.form))
    return plan


def _empty(parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except InputError:
        return _REFUSED


def parse_values(kernel: Kernel, res: Resource, data: Mapping[str, Any], *, from_json: bool = False,
                 partial: bool = False, money_unit: str = "rial") -> tuple[dict[str, Any], dict[str, InputError]]:
    """Parse every form field; collect all errors so the form can show each beside its field."""
    values: dict[str, Any] = {}
    errors: dict[str, InputError] = {}
    area = kernel.config.default_area_code
    for name, f, empty_form, empty_json in _form_plan(kernel, res).fields:
        if partial and name not in data:
            continue
        raw = data.get(name)
        if from_json:
            if raw is None or raw == "":
                if f.kind == "bool" and name not in data:
                    continue
                if empty_json is not _REFUSED:
                    values[name] = empty_json  # validate skips empty values
                    continue
        elif (raw is None or raw == "") and empty_form is not _REFUSED:
            values[name] = empty_form
            if f.validate is not None and empty_form is not None:
                try:
                    f.validate(empty_form)
                except InputError as exc:
                    errors[name] = exc
            continue
        try:
            if from_json:
                values[name] = f.from_json(raw, default_area=area)
            else:
                values[name] = f.parse(raw, default_area=area, money_unit=money_unit, tz=kernel.config.timezone)
            if f.validate is not None and values[name] is not None:
                f.validate(values[name])  # the module's rule, so the form shows all errors at once
        except InputError as exc:
            errors[name] = exc
    # Fields of a section that does not apply (a company's economic code on a person) are cleared.
    # Which sections apply is decided once (not per field of each section: a third of the
    # parsing time of a partner, which the bulk API pays a thousand times a call); a section's
    # deciding field missing from ``values`` reads as empty, as it would among the form's fields.
    applying = [s.applies(values) for s in res.sections]
    shown: set[str] | None = None
    for section, applies in zip(res.sections, applying, strict=True):
        # A partial update that leaves the deciding field alone keeps everything as it is.
        if section.when is not None and section.when[0] in values and not applies:
            if shown is None:
                shown = {name for s, ok in zip(res.sections, applying, strict=True) if ok for name in s.fields}
            for name in section.fields:
                if name in values and name not in shown:
                    values[name] = False if res.field(name).kind == "bool" else None
                    errors.pop(name, None)
    if from_json:
        names = _form_plan(kernel, res).names
        for name in sorted(n for n in data if n not in names):
            errors[name] = InputError("Unknown field")
    return values, errors


def refresh_search_key(res: Resource, obj: Any) -> None:
    """Set the key now (it is also set before every flush by :mod:`kernel.persian.search_keys`)."""
    if res.has_search_key:
        obj.search_key = compute_search_key(obj, tuple((n, res.field(n).kind) for n in res.search))


def _check_refs(kernel: Kernel, session: Session, actor: Actor, res: Resource, values: Mapping[str, Any],
                seen: dict[tuple[str, Any], bool] | None = None,
                record: Mapping[str, Any] | None = None) -> None:
    """A reference must point at a record the actor may see (ids outside the scope do not
    exist) and that its ``ref_filter`` allows, read against ``record`` (the values after the
    change; ``values`` when creating).

    ``seen`` keeps the visibility answers across the records of one batch (a thousand partners
    name the same few provinces): one query per distinct reference, not per record."""
    errors: dict[str, InputError] = {}
    seen = {} if seen is None else seen
    merged = values if record is None else record
    for name, value in values.items():
        if value is None:  # first: most of a new record's fields are empty
            continue
        f = res.field(name)
        if f.kind != "ref" or (f.ref != USER_REF and f.ref not in kernel.resources):
            continue
        found = seen.get((f.ref, value))
        stmt = None
        if f.ref != USER_REF:
            target = kernel.resources[f.ref]
            stmt = kernel.scoped_select(actor, target.model, "view").where(target.model.id == value)  # type: ignore[attr-defined]
        if found is None:
            found = session.get(User, value) is not None if stmt is None else session.scalars(stmt).first() is not None
            seen[f.ref, value] = found
        if not found:
            errors[name] = InputError("No such record")
            continue
        if stmt is not None:
            conds, _ = filter_conditions(kernel.resources[f.ref], f.ref_filters(merged), session=session)
            if conds and session.scalars(stmt.where(*conds)).first() is None:
                errors[name] = InputError("This record cannot be chosen here")
    if errors:
        raise FormErrors(errors)


def _refs_to_check(res: Resource, obj: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """The references an update must check: those it changes, and those whose ``ref_filter``
    reads a field it changes (a new partner must still employ the person spoken to)."""
    changed = {n for n, v in values.items() if getattr(obj, n, None) != v}
    out = {}
    for name, f in res.all_fields.items():
        if f.kind != "ref":
            continue
        if name in changed or (changed & set(f.ref_depends.values())):
            out[name] = values[name] if name in values else getattr(obj, name, None)
    return out


def validate_values(kernel: Kernel, session: Session, actor: Actor, res: Resource, values: Mapping[str, Any],
                    obj: Any = None) -> None:
    """The module's rules (``Field.validate``, ``Resource.validate``) on a create or an update;
    ``FormErrors`` puts each message on its field."""
    errors: dict[str, InputError] = {}
    for name, value in values.items():
        if value is None:  # first: most of a new record's fields are empty
            continue
        f = res.all_fields.get(name)
        if f is not None and f.validate is not None:
            try:
                f.validate(value)
            except InputError as exc:
                errors[name] = exc
    if res.validate is not None and not errors:
        merged = {n: getattr(obj, n, None) for n in res.all_fields} if obj is not None else {}
        merged.update(values)
        answer = res.validate(merged, record=obj, session=session, actor=actor, kernel=kernel) or {}
        for name, problem in answer.items():
            if not isinstance(problem, InputError):  # a programming error of the module, not the user's
                raise TypeError(f"resource {res.name}: validate must map fields to InputError, not {problem!r}")
            errors[name] = problem
    if errors:
        raise FormErrors(errors)


class FormErrors(Exception):
    """Several field errors at once; nothing was saved."""

    def __init__(self, errors: dict[str, InputError]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _save(kernel: Kernel, session: Session, res: Resource, obj: Any) -> None:
    refresh_search_key(res, obj)
    try:
        # The savepoint first, then the object: beginning a savepoint flushes what is pending, so
        # an object added before it would be INSERTed outside it, and a refusal (a unique value
        # repeated) would leave the whole transaction failed instead of rolling back to here
        # (the bulk API's one-at-a-time retry then failed on the next record).
        with session.begin_nested():
            session.add(obj)
            session.flush()
    except IntegrityError as exc:
        raise FormErrors({"__all__": InputError("This record conflicts with an existing one (a unique value is repeated)")}) from exc


def _keep_hidden_refs(kernel: Kernel, session: Session, actor: Actor, res: Resource, obj: Any,
                      values: Mapping[str, Any]) -> Mapping[str, Any]:
    """An empty value sent for a reference the actor cannot see keeps it: the form showed "—"
    and the API ``null`` in its place, so sending the record back unchanged must not cut the
    task from its partner."""
    kept = dict(values)
    for name, value in values.items():
        f = res.all_fields.get(name)
        current = getattr(obj, name, None)
        if value is not None or current is None or f is None or f.kind != "ref" or f.ref not in kernel.resources:
            continue
        target = kernel.resources[f.ref]
        stmt = kernel.scoped_select(actor, target.model, "view").where(target.model.id == current)  # type: ignore[attr-defined]
        if session.scalars(stmt.with_only_columns(target.model.id)).first() is None:  # type: ignore[attr-defined]
            del kept[name]
    return kept


def outside_scope(kernel: Kernel, session: Session, actor: Actor, res: Resource, ids: list[int]) -> set[int]:
    """Which of the saved records their author could no longer see — refused, whatever made it
    so (a partner without a province by a user limited to Isfahan, a task handed away from an
    own-records user): the write would be one they can neither check nor undo."""
    if actor.is_admin or not actor.user_id or not ids:
        return set()
    stmt = kernel.scoped_select(actor, res.model, "view").where(res.model.id.in_(ids))  # type: ignore[attr-defined]
    return set(ids) - set(session.scalars(stmt.with_only_columns(res.model.id)))  # type: ignore[attr-defined]


def _check_in_scope(kernel: Kernel, session: Session, actor: Actor, res: Resource, obj: Any) -> None:
    if outside_scope(kernel, session, actor, res, [obj.id]):
        raise FormErrors(_outside_scope_errors())


def _outside_scope_errors() -> dict[str, InputError]:
    return {"__all__": InputError("This would put the record outside the records you may see")}


def _check_new(kernel: Kernel, session: Session, actor: Actor, res: Resource, values: Mapping[str, Any],
               seen: dict[tuple[str, Any], bool] | None = None) -> None:
    """The checks before a create: the module's rules, references."""
    validate_values(kernel, session, actor, res, values)
    _check_refs(kernel, session, actor, res, values, seen)


def _new_object(kernel: Kernel, session: Session, actor: Actor, res: Resource, values: Mapping[str, Any]) -> Any:
    """The new record's object, completed by its resource (``Resource.complete``)."""
    obj = res.model(**values)
    if res.complete is not None:
        res.complete(obj, session=session, actor=actor, kernel=kernel)
    return obj


def create_record(kernel: Kernel, session: Session, actor: Actor, res: Resource, values: Mapping[str, Any],
                  complete: Callable[[Any], None] | None = None) -> Any:
    """A new record of ``res`` from ``values``: the permission, the checks, one INSERT with its
    history, the scope, ``RecordChanged``. ``complete`` is called with the new object after the
    checks and before it is written: a module's service fills there what it derives from more than
    the values (a document's totals from its lines: written by the same INSERT, not updated after)."""
    require(actor, res, "create")
    _check_new(kernel, session, actor, res, values)
    obj = _new_object(kernel, session, actor, res, values)
    if complete is not None:
        complete(obj)
    _save(kernel, session, res, obj)
    _check_in_scope(kernel, session, actor, res, obj)
    kernel.emit(RecordChanged(res.name, obj.id, "create"), session)
    return obj


class BulkErrors(Exception):
    """Some records of a batch were refused: ``errors`` maps each one's position in the batch
    to its field errors. The caller rolls the transaction back: nothing of the batch is kept."""

    def __init__(self, errors: dict[int, dict[str, InputError]]) -> None:
        super().__init__(f"{len(errors)} of the records were refused")
        self.errors = errors


def create_records(kernel: Kernel, session: Session, actor: Actor, res: Resource,
                   batch: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Create every record of ``batch`` with the checks, history and events of
    :func:`create_record`, in the caller's transaction; the new objects, in order. Every
    refusal is collected, so a client fixes all of them in one pass; then :class:`BulkErrors`
    is raised and the caller's transaction must be rolled back.

    The records are written together: a savepoint and a flush per record cost 4 ms each, 40 s
    for 10,000 partners. Where nothing needs an object of its own (:func:`_direct_plan`) the rows
    go in by one Core INSERT of their values, history and keys computed from the same values
    (the objects are then loaded by one SELECT); otherwise by one flush of the ORM objects.
    Only when that write is refused (a unique value repeated, a model's ``before_save``) are
    they written again one at a time, to say which records it was.
    """
    ids, objs = _create_many(kernel, session, actor, res, batch)
    if objs is None:
        model: Any = res.model
        loaded = {obj.id: obj for obj in session.scalars(select(model).where(model.id.in_(ids)))}
        objs = [loaded[i] for i in ids]
    return objs


def create_record_ids(kernel: Kernel, session: Session, actor: Actor, res: Resource,
                      batch: Sequence[Mapping[str, Any]]) -> list[int]:
    """:func:`create_records` for a caller that needs only the new ids (the bulk API): rows
    written without ORM objects are not loaded (a third of a second for 10,000 partners)."""
    return _create_many(kernel, session, actor, res, batch)[0]


def _create_many(kernel: Kernel, session: Session, actor: Actor, res: Resource,
                 batch: Sequence[Mapping[str, Any]]) -> tuple[list[int], list[Any] | None]:
    """The ids of the new records, and their objects where the write made them."""
    require(actor, res, "create")
    try:
        with session.begin_nested():
            return _create_together(kernel, session, actor, res, batch, _direct_plan(session, res, batch))
    except (IntegrityError, InputError):  # a repeated unique value; a model's before_save refusal
        pass
    created: list[Any] = []
    errors: dict[int, dict[str, InputError]] = {}
    for index, values in enumerate(batch):
        try:
            created.append(create_record(kernel, session, actor, res, values))
        except FormErrors as exc:
            errors[index] = exc.errors
        except InputError as exc:  # a module's handle_event vetoed it
            errors[index] = {"__all__": exc}
    if errors:
        raise BulkErrors(errors)
    return [obj.id for obj in created], created


def _create_together(kernel: Kernel, session: Session, actor: Actor, res: Resource,
                     batch: Sequence[Mapping[str, Any]],
                     direct: _DirectPlan | None) -> tuple[list[int], list[Any] | None]:
    # Each record is added before the next is checked: a module rule that queries sees the
    # records before it (the query flushes them), as it would have one request at a time. The
    # direct write is only planned where no check can query this table (_direct_plan).
    # The records refused here are still written and checked for scope and by the modules'
    # events, so the answer names every problem; the savepoint takes them back.
    accepted: list[tuple[int, Any]] = []
    errors: dict[int, dict[str, InputError]] = {}
    seen: dict[tuple[str, Any], bool] = {}
    for index, values in enumerate(batch):
        try:
            _check_new(kernel, session, actor, res, values, seen)
        except FormErrors as exc:
            errors[index] = exc.errors
            continue
        if direct is None:
            obj = _new_object(kernel, session, actor, res, values)
            session.add(obj)
            accepted.append((index, obj))
        else:
            accepted.append((index, values))
    objs: list[Any] | None = None
    if direct is None:
        objs = [obj for _, obj in accepted]
        number_new_rows(session, res.model, objs)
        session.flush()
        ids = [obj.id for obj in objs]
    else:
        # No objects: a listener of the events below that wants its record asks session.get(),
        # which reads it then (the partners' listeners do not).
        ids = direct.write(session, [values for _, values in accepted])
    outside = outside_scope(kernel, session, actor, res, ids)
    for (index, _), record_id in zip(accepted, ids, strict=True):
        if record_id in outside:
            errors[index] = _outside_scope_errors()
            continue
        try:
            kernel.emit(RecordChanged(res.name, record_id, "create"), session)
        except InputError as exc:  # a module's handle_event vetoed it
            errors[index] = {"__all__": exc}
    if errors:
        raise BulkErrors(dict(sorted(errors.items())))
    return ids, objs


class _NewRow:
    """A new row's values as attributes, for the code written against objects: a model's
    ``before_save``, the owner stamps, the search and sort keys. Not instrumented: setting an
    attribute of a mapped object costs 8 µs, 0.3 s for a thousand partners of 35 fields."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


@dataclass(frozen=True)
class _DirectPlan:
    """How a batch of new records of one model is written without ORM objects: what a flush
    would have done to each (``before_save``, owner stamps, keys, column defaults), then one
    Core INSERT of the rows and one of their history, from the same values."""

    model: Any
    # Every mapped column, by name (its attribute's and its key), in the mapper's order (that
    # of the history).
    columns: tuple[str, ...]
    # Attributes whose column has a Python default, which a flush applies to a None.
    defaults: tuple[tuple[str, Callable[[], Any]], ...]
    record: bool

    def write(self, session: Session, batch: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert the records; their ids, in order."""
        model = self.model
        uid = acting_user_id(session)
        blank = dict.fromkeys(self.columns)
        rows: list[_NewRow] = []
        for values in batch:
            row = _NewRow(blank)
            row.__dict__.update(values)
            if self.record:
                model.before_save(row)  # the plan allows only one that reads the row alone
                audit.stamp_new(row, uid)
            search_keys.fill(row, model)
            rows.append(row)
        number_new_rows(session, model, rows)
        for row in rows:
            for attr, make in self.defaults:
                if getattr(row, attr) is None:
                    setattr(row, attr, make())
        # Only the columns: before_save may have set other attributes of its own.
        written = [{name: row.__dict__[name] for name in self.columns} for row in rows]
        insert_rows(session.connection(), model.__table__, written)
        if self.record:
            audit.record_created(session, model.__table__.name, written)
        return [row["id"] for row in written]


def _direct_plan(session: Session, res: Resource, batch: Sequence[Mapping[str, Any]]) -> _DirectPlan | None:
    """A plan to write ``batch`` without ORM objects, or None where something needs them: a
    ``before_save`` that is not declared to read the row alone (``__before_save_row_only__``),
    a module rule (``Resource.validate``, ``Resource.complete``) or a reference to the same resource that could query
    the records before it, ``@validates``, mapper or session listeners the kernel does not know,
    server-side or contextual defaults, inheritance, a value that is not a column."""
    model: Any = res.model
    mapper = sa_inspect(model)
    record = issubclass(model, Record)
    if record and model.before_save is not Record.before_save and not getattr(model, "__before_save_row_only__", False):
        return None
    if res.validate is not None or res.complete is not None or \
            any(f.kind == "ref" and f.ref == res.name for f in res.all_fields.values()):
        return None
    if (mapper.inherits is not None or mapper.version_id_col is not None or mapper.validators
            or mapper.dispatch.before_insert or mapper.dispatch.after_insert
            or mapper.class_manager.original_init is not Base.__init__):
        return None
    if not (set(session.dispatch.before_flush) <= _KNOWN_BEFORE_FLUSH
            and set(session.dispatch.after_flush) <= _KNOWN_AFTER_FLUSH
            and not session.dispatch.after_flush_postexec):
        return None
    columns: list[str] = []
    defaults: list[tuple[str, Callable[[], Any]]] = []
    for attr in mapper.column_attrs:
        if len(attr.columns) != 1 or attr.key != attr.columns[0].key:
            return None  # one name per column lets the INSERT's rows serve as the history's values
        col = attr.columns[0]
        if col.server_default is not None or col.computed is not None or col.identity is not None:
            return None  # the flush would read the value back
        default = col.default
        if default is not None:
            if default.is_scalar:
                defaults.append((attr.key, _constant(default.arg)))
            elif default.is_callable and hasattr(default.arg, "__wrapped__"):
                defaults.append((attr.key, default.arg.__wrapped__))
            else:
                return None  # a SQL expression or a default that reads the statement's context
        columns.append(attr.key)
    names = set(columns)
    if any(name not in names for values in batch for name in values):
        return None
    return _DirectPlan(model, tuple(columns), tuple(defaults), record)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


# The kernel's own flush listeners, whose work the direct write does itself.
_KNOWN_BEFORE_FLUSH = {*audit.BEFORE_FLUSH, *search_keys.BEFORE_FLUSH}
_KNOWN_AFTER_FLUSH = set(audit.AFTER_FLUSH)


def update_record(kernel: Kernel, session: Session, actor: Actor, res: Resource, record_id: int,
                  values: Mapping[str, Any], expected_version: str | None = None) -> Any:
    """Change a record. With ``expected_version`` (the version a form was opened with, an API
    client's ``If-Match``) a record changed since then is refused with
    :class:`kernel.versions.StaleRecord` instead of losing the other change."""
    obj = get_record(kernel, session, actor, res, record_id, "edit", for_update=expected_version is not None)
    _refuse_locked(res, obj)
    versions.check(session, res.table.name, obj.id, expected_version)
    values = _keep_hidden_refs(kernel, session, actor, res, obj, values)
    validate_values(kernel, session, actor, res, values, obj)
    # Only references the user changes are checked: an assignee may edit a task whose partner
    # is outside their scope, as long as they do not point it at another record they cannot see.
    record = {**{n: getattr(obj, n, None) for n in res.all_fields}, **values}
    _check_refs(kernel, session, actor, res, _refs_to_check(res, obj, values), record=record)
    for name, value in values.items():
        setattr(obj, name, value)
    _save(kernel, session, res, obj)
    _check_in_scope(kernel, session, actor, res, obj)
    kernel.emit(RecordChanged(res.name, obj.id, "update"), session)
    return obj


def _refuse_locked(res: Resource, obj: Any) -> None:
    """A record its module says can no longer change (``Resource(locked=...)``): refused, with why."""
    why = res.lock_of(obj)
    if why:
        raise Conflict(why)


def save_record(kernel: Kernel, session: Session, actor: Actor, res: Resource, record_id: int | None,
                values: Mapping[str, Any], expected_version: str | None = None) -> Any:
    """Create (no id) or update: what every form and API write does."""
    if record_id is None:
        return create_record(kernel, session, actor, res, values)
    return update_record(kernel, session, actor, res, record_id, values, expected_version)


def dependants(kernel: Kernel, session: Session, res: Resource, record_id: int) -> list[tuple[str, int]]:
    """Live records of enabled modules that point at this one: (label, count) pairs, one per kind.

    A table may point at the record through several columns (a call's partner and its contact
    person, both partners): its rows are counted once, with the columns OR-ed, so the refusal
    names "Communications (3)" and not "Communications (2), Communications (1)"."""
    found: dict[str, int] = {}
    prefixes = kernel.table_prefixes()
    for table in kernel.metadata.sorted_tables:
        if not table.name.startswith(prefixes):
            continue
        links = [fk.parent == record_id for fk in table.foreign_keys
                 if fk.column.table is res.table and fk.parent.table is table
                 and not (table is res.table and fk.parent.name == "id")
                 # Rows that belong to the record (its roles) go with it; they do not hold it.
                 and (fk.ondelete or "").upper() != "CASCADE"]
        if not links:
            continue
        cond = [or_(*links)]
        if "deleted_at" in table.c:
            cond.append(table.c.deleted_at.is_(None))
        count = session.scalar(select(func.count()).select_from(table).where(*cond)) or 0
        if count:
            other = kernel.resource_for_table(table.name)
            label = other.label_plural if other else table.name
            found[label] = found.get(label, 0) + count
    return list(found.items())


def delete_record(kernel: Kernel, session: Session, actor: Actor, res: Resource, record_id: int) -> Any:
    """Soft delete (to the recycle bin), refused while other records depend on it.

    The order is the contract: the record is marked, then listeners of ``RecordChanged`` and
    ``RecordDeleted`` run — a veto (``InputError``/``Conflict``) explains the refusal in the
    module's own words, and a listener may take its own dependent rows along (soft-delete a
    vehicle's visits) — and only then are the remaining live dependants counted, refusing with
    the generic message. Any refusal rolls the whole transaction back.
    """
    obj = get_record(kernel, session, actor, res, record_id, "delete")
    _refuse_locked(res, obj)
    obj.deleted_at = utcnow()
    session.flush()
    kernel.emit(RecordChanged(res.name, obj.id, "delete"), session)
    kernel.emit(RecordDeleted(res.name, obj.id), session)
    deps = dependants(kernel, session, res, record_id)
    if deps:
        raise Conflict("Cannot delete: {what} depend on it", what=deps)
    return obj


def restore_record(kernel: Kernel, session: Session, actor: Actor, res: Resource, record_id: int) -> Any:
    obj = get_record(kernel, session, actor, res, record_id, "delete", deleted=True)
    obj.deleted_at = None
    _save(kernel, session, res, obj)
    kernel.emit(RecordChanged(res.name, obj.id, "restore"), session)
    kernel.emit(RecordRestored(res.name, obj.id), session)
    return obj


def purge_record(kernel: Kernel, session: Session, actor: Actor, res: Resource, record_id: int) -> None:
    """Permanent delete from the recycle bin; the database's foreign keys have the last word."""
    obj = get_record(kernel, session, actor, res, record_id, "delete", deleted=True)
    deps = dependants(kernel, session, res, record_id)
    if deps:
        raise Conflict("Cannot delete: {what} depend on it", what=deps)
    session.delete(obj)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict("Cannot delete permanently: other records still refer to it") from exc
    kernel.emit(RecordChanged(res.name, record_id, "purge"), session)
    kernel.emit(RecordPurged(res.name, record_id), session)
