"""Pages every resource gets: list, detail, new/edit forms, delete, column chooser, exports."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from sqlalchemy import bindparam, func, select
from starlette.requests import Request
from starlette.responses import Response

from kernel import record_actions, records, versions
from kernel.errors import Conflict, InputError, NotFound
from kernel.models import Attachment, History, User, UserPref
from kernel.records import FormErrors, ListQuery
from kernel.resources import Resource
from kernel.routing import Route
from kernel.timezone import local_today
from kernel.web import exports, inline_edit, list_rows
from kernel.web import refs as ref_inputs
from kernel.web.cells import chosen_columns, display, displayer, hidden_refs, marker, ref_titles, titles_for
from kernel.web.forms import error_text, field_errors, flash, form, redirect, safe_next
from kernel.web.read_only import read_only_routes
from kernel.web.templating import render, request_lang

if TYPE_CHECKING:
    from kernel.kernel import Kernel

# Modules import these from here; they live in kernel.web.cells, below the exports.
__all__ = ["chosen_columns", "display", "ref_titles", "routes", "titles_for"]


# The attachment count of each row of a page, built once: building the statement per request cost
# SQLAlchemy more (~0.4 ms) than SQLite's answer.
_CLIPS = (select(Attachment.record_id, func.count())
          .where(Attachment.table_name == bindparam("table"), Attachment.deleted_at.is_(None),
                 Attachment.record_id.in_(bindparam("ids", expanding=True)))
          .group_by(Attachment.record_id))


def widgets_for_filters(kernel: Kernel, session: Any, actor: Any, res: Resource, params: dict[str, str]) -> dict[str, Any]:
    fields = [res.field(n) for n in res.filters]
    return ref_inputs.widgets(kernel, session, actor, fields, {f.name: params.get(f"f_{f.name}", "") for f in fields})


def _default_on(res: Resource, name: str) -> bool:
    """Whether the column behind a checkbox defaults to true."""
    column = res.table.c.get(name)
    default = column.default if column is not None else None
    return default is not None and getattr(default, "is_scalar", False) and getattr(default, "arg", None) is True


def make_views(res: Resource) -> dict[str, Callable[[Request], Response]]:
    def list_view(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        params = dict(request.query_params)
        q = ListQuery.from_params(params, res.page_size)
        with kernel.sessions() as session:
            try:
                page = records.list_records(kernel, session, actor, res, q)
            except InputError as exc:
                page = records.list_records(kernel, session, actor, res, ListQuery(search=q.search, filters=q.filters))
                page.errors["__page__"] = exc
            cols = chosen_columns(session, actor, res)
            refs = ref_titles(kernel, session, res, page.items, cols, actor)
            clips = dict(session.execute(_CLIPS, {"table": res.table.name, "ids": [o.id for o in page.items]}).all())
            filter_refs = widgets_for_filters(kernel, session, actor, res, params)
            custom_choices = {f.name: f.choices(session=session, actor=actor) if f.choices else None
                              for f in res.custom_filters}
            can_edit = res.allows(actor, "edit")
            actions = record_actions.for_resource(kernel, actor, res)
            hidden = hidden_refs(kernel, session, actor, res, page.items, record_actions.fields_of(actions))
            show = displayer(request, res, refs)
            mark = marker(request, res, cols)
            inline = [n in res.inline and can_edit for n in cols]
            rows = [{"id": o.id, "cells": [show(o, c) for c in cols],
                     "clips": clips.get(o.id, 0), "inline": inline,
                     "actions": record_actions.entries(actions, res, o, hidden[o.id])}
                    for o in page.items]
            if mark is not None:
                for row, o in zip(rows, page.items, strict=True):
                    row["marks"] = [mark(o, c, cell) for c, cell in zip(cols, row["cells"], strict=True)]
        lang = request_lang(request)
        t = list_rows.cached(lambda msgid: kernel.t(lang, msgid))
        def label(c: str) -> str:
            return t(res.field(c).label) if c in res.all_fields else t(c)

        labels = {c: label(c) for c in cols}
        # A list filtered to one kind offers that kind's fields only (no birthday for companies).
        choosable = res.shown_fields({k[2:]: v for k, v in params.items() if k.startswith("f_") and v},
                                     res.choosable_columns)
        keep = {k: v for k, v in params.items() if k not in ("after", "before", "page")}
        name, desc = records._sort_spec(res, q.sort)
        return render(request, "kernel/resource/list.html", {
            "res": res, "rows": rows, "columns": cols, "page": page, "query": q, "labels": labels,
            "body": list_rows.rows_html(rows, cols, res.url, labels, t, lang),
            "sort_name": name, "sort_desc": desc, "errors": field_errors(request, page.errors),
            "qs": lambda **kw: "?" + urlencode({**keep, **{k: v for k, v in kw.items() if v is not None}}),
            "filter_values": params, "refs": filter_refs, "custom_choices": custom_choices,
            "choosable": choosable, "chooser": list_rows.chooser_html(choosable, cols, label),
        })

    def detail_view(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        rid = request.path_params["id"]
        with kernel.sessions() as session:
            try:
                obj = records.get_record(kernel, session, actor, res, rid)
            except NotFound:
                return render(request, "kernel/message.html", {"message": kernel.t(request_lang(request), "Not found"),
                                                               "status": 404}, 404)
            names = list(dict.fromkeys((*res.form, "owner_id")))
            refs = ref_titles(kernel, session, res, [obj], names, actor)
            actions = record_actions.for_resource(kernel, actor, res)
            hidden = hidden_refs(kernel, session, actor, res, [obj], record_actions.fields_of(actions))
            # The record's own sections decide, as in its form: no economic code on a person.
            shown = res.shown_fields({n: getattr(obj, n, None) for n in res.all_fields})
            values = [(res.field(n), display(request, res, obj, n, refs)) for n in shown]
            owner = refs.get(("@user", obj.owner_id), "") if getattr(obj, "owner_id", None) else ""
            history = history_rows(request, kernel, session, res, obj.id)
            files = list(session.scalars(select(Attachment).where(
                Attachment.table_name == res.table.name, Attachment.record_id == obj.id,
                Attachment.deleted_at.is_(None)).order_by(Attachment.id)))
        return render(request, "kernel/resource/detail.html", {
            "res": res, "obj": obj, "values": values, "history": history, "files": files, "owner": owner,
            "title": res.title_of(obj, request_lang(request)), "message": request.query_params.get("msg", ""),
            "actions": record_actions.entries(actions, res, obj, hidden[obj.id]),
        })

    def form_view(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        rid = request.path_params.get("id")
        lang = request_lang(request)
        values: dict[str, str] = {}
        if rid is not None:
            with kernel.sessions() as session:
                try:
                    obj = records.get_record(kernel, session, actor, res, rid, "edit")
                except NotFound:
                    return render(request, "kernel/message.html", {"message": kernel.t(lang, "Not found"), "status": 404}, 404)
                if (locked := res.lock_of(obj)) is not None:  # no form for what can no longer change
                    return render(request, "kernel/message.html", {"message": kernel.t(lang, locked), "status": 409}, 409)
                tz = kernel.config.timezone
                values = {n: res.field(n).form_value(getattr(obj, n), lang, tz, actor.money_unit) for n in res.form}
                # The version the form was opened at: saving over a newer one is refused.
                values["_version"] = versions.current(session, res.table.name, obj.id)
        else:
            # A new record's checkboxes start as their columns' defaults (a new reminder is active:
            # an unticked box would save it off), and it may start from the query string:
            # /base/communication/new?partner_id=7
            values = {n: "1" for n in res.form if res.field(n).kind == "bool" and _default_on(res, n)}
            values.update(_today_values(request, res))
            values.update({n: _prefill(request, res, n, v[:500]) for n, v in request.query_params.items()
                           if n in res.form})
        return _form(request, rid, values, {})

    def _form(request: Request, rid: int | None, values: dict[str, Any], errors: dict[str, str], status: int = 200,
              stale: list[dict[str, str]] | None = None) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        with kernel.sessions() as session:
            ref_widgets = ref_inputs.widgets(kernel, session, actor, [res.field(n) for n in res.form], values)
        after = str(request.query_params.get("next", "") or form(request).get("next", ""))
        return render(request, "kernel/resource/form.html", {
            "res": res, "rid": rid, "values": values, "errors": errors, "refs": ref_widgets, "stale": stale or [],
            "next": safe_next(after) if after else "",
        }, status)

    def save_view(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        rid = request.path_params.get("id")
        if rid is not None:
            # A record outside the scope is not there: no form (with its errors) is shown for it.
            with kernel.sessions() as session:
                try:
                    records.get_record(kernel, session, actor, res, rid, "edit")
                except NotFound:
                    return render(request, "kernel/message.html",
                                  {"message": kernel.t(request_lang(request), "Not found"), "status": 404}, 404)
        data = form(request)
        raw = {n: str(data.get(n, "")) for n in res.form if n in data or res.field(n).kind != "bool"}
        values, errors = records.parse_values(kernel, res, raw, money_unit=actor.money_unit)
        expected = str(data.get("_version", "")) or None
        raw["_version"] = expected or ""  # a form shown again keeps the version it was opened at
        if errors:
            return _form(request, rid, raw, field_errors(request, errors), 400)
        try:
            with kernel.session(actor) as session:
                new_id = records.save_record(kernel, session, actor, res, rid, values, expected).id
        except versions.StaleRecord as exc:
            # The user's typing is kept; the newer version goes in, so saving again is a choice
            # made knowing what the other person changed. A field the user left as it was takes
            # the other person's value, so saving again does not undo it unseen.
            shown = {**raw, "_version": exc.version, **_theirs_where_untouched(request, res, rid, values, exc)}
            return _form(request, rid, shown, {"__all__": error_text(request, exc)}, 409,
                         stale=stale_changes(request, res, exc))
        except FormErrors as exc:
            return _form(request, rid, raw, field_errors(request, exc.errors), 400)
        except (InputError, Conflict) as exc:
            return _form(request, rid, raw, {"__all__": error_text(request, exc)}, 400)
        except NotFound:
            return render(request, "kernel/message.html", {"message": kernel.t(request_lang(request), "Not found"),
                                                           "status": 404}, 404)
        flash(request, "Saved.")
        # A form opened from elsewhere ("log a call" on a task) goes back there after saving;
        # "{id}" in it is the saved record's id (a new proforma lands on its line editor).
        after = str(data.get("next", "")).replace("{id}", str(new_id))
        return redirect(safe_next(after) if after else f"{res.url}{new_id}")

    def delete_view(request: Request) -> Response:
        kernel = request.app.state.kernel
        rid = request.path_params["id"]
        try:
            with kernel.session(request.state.actor) as session:
                records.delete_record(kernel, session, request.state.actor, res, rid)
        except (Conflict, InputError) as exc:
            return redirect(f"{res.url}{rid}?" + urlencode({"msg": error_text(request, exc)}))
        except NotFound:
            return render(request, "kernel/message.html", {"message": kernel.t(request_lang(request), "Not found"),
                                                           "status": 404}, 404)
        return redirect(res.url)

    def columns_view(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        cols = [c for c in form(request).getlist("col") if c in res.choosable_columns]
        with kernel.session(actor) as session:
            key = f"columns:{res.name}"
            row = session.get(UserPref, (actor.user_id, key)) or UserPref(user_id=actor.user_id, key=key, value="[]")
            row.value = json.dumps(cols or list(res.columns))
            session.add(row)
        return redirect(res.url)

    def bulk_view(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        data = form(request)
        ids = [int(i) for i in data.getlist("ids") if str(i).isdigit()]
        refused: list[str] = []
        if data.get("op") == "delete":
            for rid in ids:
                try:
                    with kernel.session(actor) as session:
                        records.delete_record(kernel, session, actor, res, rid)
                except (Conflict, InputError, NotFound) as exc:
                    refused.append(f"#{rid}: {error_text(request, exc)}")
            if refused:
                return render(request, "kernel/message.html", {"message": " — ".join(refused), "status": 409,
                                                               "back": res.url}, 409)
            return redirect(res.url)
        if data.get("op") in ("xlsx", "csv", "pdf") and ids:
            return exports.export(request, res, str(data.get("op")), ids=tuple(ids))
        return redirect(res.url)

    return {"list": list_view, "detail": detail_view, "form": form_view, "save": save_view,
            "delete": delete_view, "columns": columns_view, "bulk": bulk_view}


def _prefill(request: Request, res: Resource, name: str, raw: str) -> str:
    """A value from the query string shown as the field shows its own values: a link built with
    Latin digits ("1405/09/15 17:39") reads "۱۴۰۵/۰۹/۱۵ ۱۷:۳۹" like every other date of the page.
    What does not parse is left as it came, for the user to see and correct."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    f = res.field(name)
    if f.kind not in ("date", "datetime"):
        return raw
    tz = kernel.config.timezone
    try:
        value = f.parse(raw, default_area=kernel.config.default_area_code, money_unit=actor.money_unit, tz=tz)
    except InputError:
        return raw
    return f.form_value(value, request_lang(request), tz, actor.money_unit)


def _today_values(request: Request, res: Resource) -> dict[str, str]:
    """A new form's date fields that start at today (``Field(starts_today=True)``), in the user's digits."""
    kernel = request.app.state.kernel
    tz = kernel.config.timezone
    today = local_today(tz)
    return {n: res.field(n).form_value(today, request_lang(request), tz, request.state.actor.money_unit)
            for n in res.form if res.field(n).starts_today and res.field(n).kind == "date"}


def _empty(value: Any) -> bool:
    return value is None or value == ""


def history_rows(request: Request, kernel: Kernel, session: Any, res: Resource, record_id: int) -> list[dict[str, Any]]:
    """The record's changes, newest first, with values shown as the rest of the page shows them."""
    rows = session.execute(
        select(History, User.username, User.full_name).outerjoin(User, User.id == History.user_id)
        .where(History.table_name == res.table.name, History.record_id == record_id).order_by(History.id.desc())
    ).all()
    system = kernel.t(request_lang(request), "System")
    decoded = [(h, full or uname or system, json.loads(h.changes or "{}")) for h, uname, full in rows]
    wanted: dict[str, set[int]] = {}
    for _, _, changes in decoded:
        for name, pair in changes.items():
            f = res.all_fields.get(name)
            key = f.ref if f and f.kind == "ref" and f.ref else ""
            if key:
                wanted.setdefault(key, set()).update(v for v in pair if isinstance(v, int))
    refs = titles_for(kernel, session, wanted, request.state.actor)
    out = []
    # Only what a user sees in the form: derived columns (search key, birthday's month and day)
    # and internal links are the program's, and "nothing" becoming "nothing" is no change. An
    # entry that is no column at all ("Merged from", written by a merge) is the user's to read.
    visible = set(res.shown_fields({}))
    for h, who, changes in decoded:
        shown = []
        for name, (old, new) in changes.items():
            if (name in res.all_fields and name not in visible) or (_empty(old) and _empty(new)):
                continue
            label = res.all_fields[name].label if name in res.all_fields else name
            shown.append((label, history_value(request, res, name, old, refs), history_value(request, res, name, new, refs)))
        if shown or not changes or h.action != "update":
            out.append({"h": h, "user": who, "changes": shown})
    return out


def _theirs_where_untouched(request: Request, res: Resource, rid: Any, values: dict[str, Any],
                            exc: versions.StaleRecord) -> dict[str, str]:
    """Form values of the fields another user changed and this user did not touch (what they
    sent is still the value at the version they opened)."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    untouched = [c.field for c in exc.changes
                 if c.field in res.form and c.field in values and _same(values[c.field], c.old)]
    if not untouched:
        return {}
    with kernel.sessions() as session:
        obj = records.get_record(kernel, session, actor, res, rid, "edit")
        lang, tz = request_lang(request), kernel.config.timezone
        return {n: res.field(n).form_value(getattr(obj, n), lang, tz, actor.money_unit) for n in untouched}


def _same(sent: Any, stored: Any) -> bool:
    """A parsed form value against a value kept in history (JSON: dates and decimals as text)."""
    if sent is None or sent == "":
        return stored is None or stored == ""
    return sent == stored or str(sent) == str(stored)


def stale_changes(request: Request, res: Resource, exc: versions.StaleRecord) -> list[dict[str, str]]:
    """What the other person changed, shown as the form's fields show it."""
    kernel = request.app.state.kernel
    wanted: dict[str, set[int]] = {}
    for c in exc.changes:
        f = res.all_fields.get(c.field)
        if f is not None and f.kind == "ref" and f.ref and isinstance(c.new, int):
            wanted.setdefault(f.ref, set()).add(c.new)
    with kernel.sessions() as session:
        refs = titles_for(kernel, session, wanted, request.state.actor)
    out = []
    for c in exc.changes:
        f = res.all_fields.get(c.field)
        if f is None or c.field not in res.form or f.internal:
            continue
        label = kernel.t(request_lang(request), f.label) if f.label else c.field
        out.append({"label": label, "value": history_value(request, res, c.field, c.new, refs) or "—", "user": c.user})
    return out


def history_value(request: Request, res: Resource, name: str, raw: Any, refs: dict[tuple[str, int], str]) -> str | None:
    """A stored history value (JSON) shown like the field itself: Jalali, Persian digits, titles."""
    if raw is None:
        return None
    f = res.all_fields.get(name)
    if f is None:
        return str(raw)
    if f.kind == "ref" and isinstance(raw, int):
        return refs.get((f.ref, raw), f"#{raw}")
    value: Any = raw
    try:
        if f.kind == "date" and isinstance(raw, str):
            value = dt.date.fromisoformat(raw[:10])
        elif f.kind == "datetime" and isinstance(raw, str):
            value = dt.datetime.fromisoformat(raw)
        elif f.kind in ("decimal", "percent") and isinstance(raw, str):
            value = Decimal(raw)
    except (ValueError, ArithmeticError):
        return str(raw)
    kernel = request.app.state.kernel
    actor = request.state.actor
    return f.display(value, request_lang(request), actor.money_unit if actor else "rial", kernel.t,
                     kernel.config.timezone)


def routes(kernel: Kernel) -> list[Route]:
    out: list[Route] = []
    for res in kernel.resources.values():
        v = make_views(res)
        u, n, p = res.url, res.name, res.perm
        out += [
            Route(u, v["list"], methods=["GET"], permission=p("view"), name=f"{n}:list"),
            Route(f"{u}columns", v["columns"], methods=["POST"], permission=p("view"), name=f"{n}:columns"),
            Route(f"{u}bulk", v["bulk"], methods=["POST"], permission=p("view"), name=f"{n}:bulk"),
            Route(f"{u}export.{{fmt:str}}", exports.export_view(res), methods=["GET"], permission=p("view"),
                  name=f"{n}:export"),
            Route(f"{u}{{id:int}}", v["detail"], methods=["GET"], permission=p("view"), name=f"{n}:detail"),
        ]
        writes = [
            (f"{u}new", v["form"], "GET", "create", "new"),
            (f"{u}new", v["save"], "POST", "create", "create"),
            (f"{u}{{id:int}}/edit", v["form"], "GET", "edit", "edit"),
            (f"{u}{{id:int}}/edit", v["save"], "POST", "edit", "update"),
            (f"{u}{{id:int}}/delete", v["delete"], "POST", "delete", "delete"),
        ]
        # A read-only resource answers its write addresses with 405 (read_only_routes).
        out += read_only_routes(res, [(path, method) for path, _, method, _, _ in writes]) if res.read_only else [
            Route(path, view, methods=[method], permission=p(action), name=f"{n}:{name}")
            for path, view, method, action, name in writes]
        if res.inline:
            out.append(Route(f"{u}{{id:int}}/set", inline_edit.inline_view(res), methods=["POST"],
                             permission=p("edit"), name=f"{n}:set"))
    return out
