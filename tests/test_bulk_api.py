"""The bulk API (issue 10): ``POST /api/<module>/<kind>/bulk`` creates up to 1,000 records in one
transaction — all of them, with their history, or none — under the same permission, record scope
and rules as one-by-one creates; refusals are keyed by the item's position and field."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from kernel.models import History
from kernel.testing import create_user
from kernel.web.api_bulk import BULK_MAX

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
CREATE = ("base.partner.view", "base.partner.create")


def _partners(k) -> list[tuple[int, str]]:
    from modules.base.models import Partner

    with k.sessions() as s:
        return [(p.id, p.name) for p in s.scalars(select(Partner).order_by(Partner.id))]


@pytest.mark.parametrize("engine", ENGINES)
def test_all_created_in_order_with_history(make_kernel, api_client, engine):
    k = make_kernel(engine=engine)
    create_user(k, "sara", perms=CREATE)
    items = [{"kind": "person", "first_name": "علی", "last_name": f"کریمی {i}", "mobile": f"0912{i:07d}"}
             for i in range(25)]
    items[3] = {"kind": "company", "name": "شركت آريا"}  # Arabic letters: normalised as in a single create
    resp = api_client(k, "sara").post("/api/base/partner/bulk", json={"items": items})
    assert resp.status_code == 201, resp.text
    ids = resp.json()["ids"]
    assert len(ids) == 25 and ids == sorted(ids)
    saved = dict(_partners(k))
    assert saved[ids[0]] == "علی کریمی 0" and saved[ids[3]] == "شرکت آریا"
    with k.sessions() as s:
        logged = s.scalars(select(History.record_id).where(History.table_name == "base_partner",
                                                           History.action == "create")).all()
    assert sorted(logged) == ids
    one = api_client(k, "sara").get(f"/api/base/partner/{ids[1]}").json()
    assert one["mobile"] == "+989120000001"


@pytest.mark.parametrize("engine", ENGINES)
def test_errors_by_index_and_field_and_nothing_saved(make_kernel, api_client, engine):
    k = make_kernel(engine=engine)
    create_user(k, "sara", perms=CREATE)
    items = [{"kind": "company", "name": "شرکت یک"}, {"kind": "person", "mobile": "12"},
             {"kind": "company", "name": "شرکت سه"}, {"kind": "robot"}, "not an object",
             {"kind": "company", "name": "شرکت شش", "colour": "red"}, {"kind": "person"}]
    resp = api_client(k, "sara").post("/api/base/partner/bulk", json={"items": items})
    assert resp.status_code == 422, resp.text
    errors = resp.json()["errors"]
    assert set(errors) == {"1", "3", "4", "5", "6"}
    assert "mobile" in errors["1"] and "kind" in errors["3"] and "__all__" in errors["4"]
    assert errors["5"] == {"colour": "Unknown field"}
    assert errors["6"] == {"__all__": "Enter a first or last name"}  # the model's own check, at its flush
    assert _partners(k) == []
    only_model = api_client(k, "sara").post("/api/base/partner/bulk", json={"items": [items[0], items[6]]})
    assert only_model.json() == {"errors": {"1": {"__all__": "Enter a first or last name"}}}
    assert _partners(k) == []


def test_a_refusal_in_the_transaction_undoes_the_records_before_it(make_kernel, api_client):
    """A reference to a record that does not exist is found while saving, after earlier items
    were written: they are rolled back too."""
    k = make_kernel()
    create_user(k, "sara", perms=CREATE)
    items = [{"kind": "company", "name": "شرکت یک"}, {"kind": "company", "name": "شرکت دو", "province_id": 999}]
    resp = api_client(k, "sara").post("/api/base/partner/bulk", json={"items": items})
    assert resp.status_code == 422 and resp.json()["errors"] == {"1": {"province_id": "No such record"}}
    assert _partners(k) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_outside_the_users_province_refused_and_nothing_saved(make_kernel, api_client, engine):
    from modules.base.models import Province
    from modules.base.scope_admin import set_role_scope
    from modules.base.tests.test_base_geo_scope import role_of

    k = make_kernel(engine=engine)
    create_user(k, "isfa", perms=CREATE)
    with k.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh])
        s.flush()
        isf_id, teh_id = isf.id, teh.id
    with k.session() as s:
        set_role_scope(s, role_of(k, "isfa"), [isf_id], [], [])
    api = api_client(k, "isfa")
    items = [{"kind": "company", "name": "گز اصفهان", "province_id": isf_id},
             {"kind": "company", "name": "ونک تجارت", "province_id": teh_id},
             {"kind": "company", "name": "بی‌استان"}]
    resp = api.post("/api/base/partner/bulk", json={"items": items})
    assert resp.status_code == 422, resp.text
    assert set(resp.json()["errors"]) == {"1", "2"}
    assert _partners(k) == []
    ok = api.post("/api/base/partner/bulk", json={"items": items[:1]})
    assert ok.status_code == 201 and [n for _, n in _partners(k)] == ["گز اصفهان"]


def test_permission_and_limits(make_kernel, api_client):
    k = make_kernel()
    create_user(k, "viewer", perms=("base.partner.view",))
    create_user(k, "sara", perms=CREATE)
    denied = api_client(k, "viewer").post("/api/base/partner/bulk", json={"items": [{"kind": "company", "name": "x"}]})
    assert denied.status_code == 403
    api = api_client(k, "sara")
    too_many = api.post("/api/base/partner/bulk", json={"items": [{"kind": "company", "name": "x"}] * (BULK_MAX + 1)})
    assert too_many.status_code == 413 and too_many.json()["error"].startswith("At most 1000 records in one call")
    fa = api.post("/api/base/partner/bulk", json={"items": [{}] * (BULK_MAX + 1)}, headers={"accept-language": "fa"})
    assert fa.json()["error"].startswith("در هر درخواست حداکثر ۱۰۰۰ رکورد")
    assert api.post("/api/base/partner/bulk", json=[{"kind": "company"}]).status_code == 400
    assert _partners(k) == []
    spec = api.get("/api/openapi.json").json()["paths"]["/api/base/partner/bulk"]["post"]
    assert spec["requestBody"]["content"]["application/json"]["schema"]["properties"]["items"]["maxItems"] == BULK_MAX


def test_a_thousand_full_partners_fit_the_body_limit(make_kernel, api_client):
    """1,000 partners with most fields filled, Persian text sent as \\u escapes (what
    ``json.dumps`` does by default), pass the route's body limit though they are over 2 MB."""
    k = make_kernel()
    create_user(k, "sara", perms=CREATE)
    note = "مشتری قدیمی، پیگیری ماهانه؛ " * 20
    items = [{"kind": "person", "first_name": "محمدرضا", "last_name": f"حسین‌زاده {i}", "mobile": f"0912{i:07d}",
              "phone": "021-88776655", "email": f"p{i}@example.ir", "job": "بازرگان", "notes": note}
             for i in range(BULK_MAX)]
    body = json.dumps({"items": items}).encode()  # Python's requests sends \u escapes too
    assert len(body) > 2 * 1024 * 1024
    resp = api_client(k, "sara").post("/api/base/partner/bulk", content=body,
                                      headers={"content-type": "application/json"})
    assert resp.status_code == 201, resp.text[:500]
    with k.sessions() as s:
        from modules.base.models import Partner

        assert s.scalar(select(func.count()).select_from(Partner)) == BULK_MAX


def test_fields_of_a_section_that_does_not_apply_are_cleared(make_kernel, api_client):
    """What the forms do: a company's economic code sent on a person is not kept (parse_values
    decides once which sections apply — the bulk API parses a thousand items a call)."""
    k = make_kernel()
    create_user(k, "sara", perms=CREATE)
    api = api_client(k, "sara")
    items = [{"kind": "person", "first_name": "رضا", "economic_code": "411111111111", "mobile": "09121234567"},
             {"kind": "company", "name": "شرکت آریا", "first_name": "رضا", "economic_code": "411111111112"}]
    ids = api.post("/api/base/partner/bulk", json={"items": items}).json()["ids"]
    person, company = (api.get(f"/api/base/partner/{i}").json() for i in ids)
    assert (person["economic_code"], person["mobile"]) == (None, "+989121234567")
    assert (company["first_name"], company["economic_code"]) == (None, "411111111112")


# What the bulk write must keep of a flush (it writes the rows by one Core INSERT where nothing
# needs an ORM object: kernel.records._direct_plan). Arabic ي/ك and a birthday exercise the
# normalisation, the model's before_save (name, birthday_md) and the search and sort keys.
VARIED = [
    {"kind": "person", "first_name": "علي", "last_name": "كريمي", "mobile": "09121234567",
     "birthday": "1991-08-03", "email": "Ali@Example.ir", "notes": "مشتری قديمی"},
    {"kind": "company", "name": "شركت آريا", "economic_code": "411111111112", "phone": "021-88776655",
     "website": "aria.example.ir"},
    {"kind": "person", "last_name": "احمدی", "marriage_date": "2010-03-21", "job": "بازرگان"},
]


def _rows_and_history(k, ids):
    """Every column of the records but their ids and times, and their history's changes."""
    from modules.base.models import Partner

    table = Partner.__table__
    skip = {"id", "created_at", "updated_at"}
    with k.sessions() as s:
        rows = {r.id: {c: v for c, v in r._mapping.items() if c not in skip}
                for r in s.execute(select(table).where(table.c.id.in_(ids)))}
        history = {rid: (action, changes) for rid, action, changes in s.execute(
            select(History.record_id, History.action, History.changes)
            .where(History.table_name == "base_partner", History.record_id.in_(ids)))}
    return [rows[i] for i in ids], [history[i] for i in ids]


@pytest.mark.parametrize("engine", ENGINES)
def test_bulk_records_are_those_of_single_creates(make_kernel, api_client, engine):
    """Row for row and history row for history row, a bulk create writes what the same items
    created one by one write: the same values, keys, owner stamps and history text."""
    from modules.base.models import Province

    k = make_kernel(engine=engine)
    create_user(k, "sara", perms=CREATE)
    with k.session() as s:
        province = Province(name="فارس", area_code="71")
        s.add(province)
        s.flush()
        province_id = province.id
    items = [{**item, "province_id": province_id} for item in VARIED]
    api = api_client(k, "sara")
    single = [api.post("/api/base/partner", json=item) for item in items]
    assert all(r.status_code == 201 for r in single), [r.text for r in single]
    bulk = api.post("/api/base/partner/bulk", json={"items": items})
    assert bulk.status_code == 201, bulk.text
    one_by_one = _rows_and_history(k, [r.json()["id"] for r in single])
    together = _rows_and_history(k, bulk.json()["ids"])
    assert together == one_by_one
    rows, history = together
    assert rows[0]["name"] == "علی کریمی" and rows[0]["birthday_md"] == 512 and rows[0]["owner_id"]
    assert rows[0]["search_key"] and rows[0]["sort_key"]
    assert history[0][0] == "create" and json.loads(history[0][1])["name"] == [None, "علی کریمی"]


@pytest.mark.parametrize("engine", ENGINES)
def test_bulk_records_are_found_sorted_and_announced(make_kernel, api_client, engine):
    """Search (with Arabic or Persian ی/ک), name order and one ``RecordChanged`` per record, whose
    listener finds the record in its session."""
    from kernel import RecordChanged, hookimpl
    from modules.base.models import Partner

    heard: list[tuple[int, str]] = []

    class Listener:
        @hookimpl
        def handle_event(self, event, session):
            if isinstance(event, RecordChanged) and event.resource == "base.partner":
                heard.append((event.record_id, session.get(Partner, event.record_id).name))

    k = make_kernel(engine=engine)
    create_user(k, "sara", perms=CREATE)
    k.pm.register(Listener(), name="listener")
    items = [{"kind": "company", "name": n} for n in ("شرکت یاس", "شركت آريا", "شرکت کیان")]
    api = api_client(k, "sara")
    ids = api.post("/api/base/partner/bulk", json={"items": items}).json()["ids"]
    assert heard == [(ids[0], "شرکت یاس"), (ids[1], "شرکت آریا"), (ids[2], "شرکت کیان")]
    for query in ("آریا", "آريا", "كيان", "کیان"):
        found = api.get("/api/base/partner", params={"q": query}).json()["items"]
        assert [p["id"] for p in found] == [ids[1] if "ر" in query else ids[2]], query
    names = [p["name"] for p in api.get("/api/base/partner", params={"sort": "name"}).json()["items"]]
    assert names == ["شرکت آریا", "شرکت کیان", "شرکت یاس"]


def test_partners_take_the_direct_write_and_others_the_flush(make_kernel):
    """The fast path is kept for partners (a plain before_save), and not taken where a flush does
    more than it knows: a before_save that reads other rows (groups), a session listener."""
    from sqlalchemy import event

    from kernel.records import _direct_plan

    k = make_kernel()
    partner, group = k.resources["base.partner"], k.resources["base.group"]
    with k.session() as s:
        assert _direct_plan(s, partner, [{"kind": "company", "name": "x"}]) is not None
        assert _direct_plan(s, partner, [{"kind": "company", "not_a_column": 1}]) is None
        assert _direct_plan(s, group, [{"name": "x"}]) is None

        def listener(*_):
            pass

        event.listen(s, "before_flush", listener)
        assert _direct_plan(s, partner, [{"kind": "company", "name": "x"}]) is None


@pytest.mark.parametrize("engine", ENGINES)
def test_insert_rows_writes_what_an_executemany_writes(make_kernel, engine):
    """kernel.db.insert_rows (multi-row VALUES on SQLite, one JSON document on PostgreSQL):
    every value back as given, empty ones, quotes and backslashes included."""
    import datetime as dt

    from kernel.db import insert_rows
    from modules.base.models import Province

    k = make_kernel(engine=engine)
    table = Province.__table__
    now = dt.datetime(2026, 12, 6, 20, 0, 0, 123456)
    given = {"name_en": "", "search_key": "", "sort_key": "", "created_at": now, "updated_at": now}
    plain = [{"id": 900 + i, "name": f"استان {i}", "area_code": None if i % 2 else "71", **given}
             for i in range(700)]
    quoted = [{"id": 2000, "name": 'استان "نو" \\ کهن', "area_code": "11", **given}]
    with k.session() as s:
        insert_rows(s.connection(), table, plain)
        insert_rows(s.connection(), table, quoted)
    with k.sessions() as s:
        got = [dict(r._mapping) for r in s.execute(
            select(*(table.c[key] for key in plain[0])).where(table.c.id >= 900).order_by(table.c.id))]
    assert got == plain + quoted


@pytest.mark.parametrize("engine", ENGINES)
def test_repeated_unique_values_are_named_by_position_not_a_500(make_kernel, api_client, engine):
    """A batch whose rows repeat an existing unique value is written again one record at a time to
    say which ones; each refused INSERT is taken back to its own savepoint, so the records after
    it are still judged (before, the first refusal failed the transaction and the answer was a 500)."""
    from modules.marketing.models import Category

    k = make_kernel(engine=engine, modules=("marketing",))
    create_user(k, "sara", perms=("marketing.category.view", "marketing.category.create"))
    items = [{"name": "مناسبت‌ها"}, {"name": "تبریک"}, {"name": "جشنواره"}, {"name": "تسلیت"}]  # 2 and 4 exist
    resp = api_client(k, "sara").post("/api/marketing/category/bulk", json={"items": items})
    assert resp.status_code == 422, resp.text
    errors = resp.json()["errors"]
    assert set(errors) == {"1", "3"} and "unique" in errors["1"]["__all__"]
    with k.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Category)) == 6  # the seeded ones only: all or none
