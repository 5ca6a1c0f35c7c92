"""Duplicate warning (BASE-12, KER-16): normalised matches on mobile, phone, extra contact numbers,
national ID, economic code and full name, inside the user's record scope, answered by indexes."""

import pytest
from sqlalchemy import select, text
from starlette.testclient import TestClient

from kernel import security
from kernel.models import User
from kernel.testing import create_user, csrf
from kernel.web.app import build_app
from modules.base.duplicates import find_duplicates, queries

PERSIAN_MOBILE = "۰۹۱۲ ۱۲۳ ۴۵۶۷"


def seed(kernel, owner=None):
    """Ali (mobile, national ID), a company (phone, economic code, extra number); ids by key."""
    from modules.base.models import Contact, Partner

    with kernel.session(owner) as s:
        ali = Partner(kind="person", first_name="علی", last_name="کریمی", mobile="+989121234567",
                      national_id="0012345679")
        nejad = Partner(kind="person", first_name="علی", last_name="کریمی‌نژاد", mobile="+989351112233")
        pars = Partner(kind="company", name="شرکت پارس‌تلفن", phone="+982188776655", economic_code="411111111111")
        s.add_all([ali, nejad, pars])
        s.flush()
        s.add(Contact(partner_id=pars.id, kind="mobile", value="09197654321"))
        s.flush()
        return {"ali": ali.id, "nejad": nejad.id, "pars": pars.id}


def actor(kernel, username):
    with kernel.sessions() as s:
        uid = s.scalars(select(User.id).where(User.username == username)).one()
        return security.load_actor(s, uid)


@pytest.fixture
def k(make_kernel):
    kernel = make_kernel()
    create_user(kernel, "admin", admin=True)
    return kernel


@pytest.fixture
def ids(k):
    return seed(k)


@pytest.fixture
def admin(k, login_as):
    with TestClient(build_app(k)) as c:
        yield login_as(c, "admin")


def dup(client, **params):
    resp = client.get("/base/partner/duplicates", params=params, headers={"accept": "application/json"})
    assert resp.status_code == 200, resp.text[:500]
    return [(m["id"], m["fields"]) for m in resp.json()["matches"]]


def test_mobile_typed_in_persian_digits_matches_the_stored_canonical_number(admin, ids):
    assert dup(admin, mobile=PERSIAN_MOBILE) == [(ids["ali"], ["mobile"])]
    for typed in ("٠٩١٢-١٢٣-٤٥٦٧", "+98 912 123 4567", "00989121234567", "9121234567"):
        assert dup(admin, mobile=typed) == [(ids["ali"], ["mobile"])], typed
    match = admin.get("/base/partner/duplicates", params={"mobile": PERSIAN_MOBILE}).json()["matches"][0]
    assert match == {"id": ids["ali"], "name": "علی کریمی", "kind": "person", "fields": ["mobile"],
                     "url": f"/base/partner/{ids['ali']}"}


def test_a_number_stored_only_as_an_extra_contact_row_matches(admin, ids):
    assert dup(admin, mobile="۰۹۱۹ ۷۶۵ ۴۳۲۱") == [(ids["pars"], ["mobile"])]
    # A landline typed into the mobile box still finds the partner's phone, and the other way round.
    assert dup(admin, phone="021-88776655") == [(ids["pars"], ["phone"])]
    assert dup(admin, phone="88776655") == [(ids["pars"], ["phone"])]  # the organisation's area code
    assert dup(admin, phone=PERSIAN_MOBILE) == [(ids["ali"], ["phone"])]


def test_national_id_and_economic_code_in_any_digits(admin, ids):
    assert dup(admin, national_id="۰۰۱-۲۳۴۵۶۷-۹") == [(ids["ali"], ["national_id"])]
    assert dup(admin, economic_code="۴۱۱۱۱۱۱۱۱۱۱۱") == [(ids["pars"], ["economic_code"])]


def test_economic_code_stored_with_persian_digits_is_found_too(admin, k):
    from modules.base.models import Partner

    with k.session() as s:
        p = Partner(kind="company", name="آریا", economic_code="۱۲۳۴۵۶۷۸۹۰۱۲")
        s.add(p)
        s.flush()
        pid = p.id
    assert dup(admin, economic_code="123456789012") == [(pid, ["economic_code"])]


def test_name_typed_on_an_arabic_keyboard_matches_the_full_name_only(admin, ids):
    assert dup(admin, name="علي  كريمي") == [(ids["ali"], ["name"])]
    assert dup(admin, name="علی‌کریمی") == [(ids["ali"], ["name"])]  # ZWNJ instead of a space
    assert dup(admin, name="كريمي") == []  # a fragment is not a duplicate
    assert dup(admin, name="شركت پارس تلفن") == [(ids["pars"], ["name"])]
    assert dup(admin, name="علی کریمی نژاد") == [(ids["nejad"], ["name"])]


def test_several_inputs_report_every_field_and_the_strongest_first(admin, ids):
    got = dup(admin, name="علی کریمی", mobile=PERSIAN_MOBILE, national_id="0012345679", phone="02188776655")
    assert got == [(ids["ali"], ["national_id", "mobile", "name"]), (ids["pars"], ["phone"])]


def test_exclude_leaves_out_the_partner_being_edited(admin, ids):
    assert dup(admin, mobile=PERSIAN_MOBILE, exclude=str(ids["ali"])) == []
    assert dup(admin, mobile=PERSIAN_MOBILE, exclude="۹" * 40) == [(ids["ali"], ["mobile"])]


@pytest.mark.parametrize("params", [
    {"mobile": "0912123456"}, {"mobile": "۰۹۱۲"}, {"mobile": "09121234567 و 09351234567"},
    {"phone": "abc"}, {"national_id": "00123456"}, {"economic_code": "12"}, {"name": "عل"},
    {"name": "x" * 5000}, {"mobile": "9" * 5000}, {"name": "%_|"}, {}, {"exclude": "-1"},
])
def test_bad_or_partial_input_matches_nothing_and_never_fails(admin, ids, params):
    assert dup(admin, **params) == []


def test_soft_deleted_partners_are_not_duplicates(admin, k, ids):
    from modules.base.models import Partner

    with k.session() as s:
        s.get(Partner, ids["ali"]).deleted_at = s.get(Partner, ids["ali"]).created_at
    assert dup(admin, mobile=PERSIAN_MOBILE) == []


def test_users_limited_to_their_own_records_learn_nothing_of_others(k, login_as, ids):
    create_user(k, "own", perms=("base.partner.*",), scope="own")
    me = actor(k, "own")
    with k.sessions() as s:
        assert find_duplicates(k, s, me, mobile=PERSIAN_MOBILE, name="علی کریمی", national_id="0012345679") == []
    mine = seed(k, owner=me)  # the same people again, created by this user
    with TestClient(build_app(k)) as c:
        login_as(c, "own")
        assert dup(c, mobile=PERSIAN_MOBILE, national_id="0012345679") == [(mine["ali"], ["national_id", "mobile"])]
        assert dup(c, mobile="09197654321") == [(mine["pars"], ["mobile"])]


def test_province_scope_hides_partners_of_other_provinces(k, ids):
    from kernel.models import Role
    from modules.base.models import Partner, Province, RoleProvince

    create_user(k, "isf", perms=("base.partner.view",))
    with k.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh])
        s.flush()
        s.get(Partner, ids["ali"]).province_id = teh.id
        role = s.scalars(select(Role).where(Role.name == "role-isf")).one()
        s.add(RoleProvince(role_id=role.id, province_id=isf.id))
    with k.sessions() as s:
        assert find_duplicates(k, s, actor(k, "isf"), mobile=PERSIAN_MOBILE) == []
        assert [m.id for m in find_duplicates(k, s, actor(k, "admin"), mobile=PERSIAN_MOBILE)] == [ids["ali"]]


def test_the_route_needs_view_permission(k, login_as, ids):
    create_user(k, "nobody", perms=("base.communication.view",))
    with TestClient(build_app(k)) as c:
        login_as(c, "nobody")
        assert c.get("/base/partner/duplicates?mobile=09121234567").status_code == 403
    with k.sessions() as s:
        assert find_duplicates(k, s, actor(k, "nobody"), mobile=PERSIAN_MOBILE) == []


def test_every_page_loads_the_script_with_texts_in_the_users_language(admin, k):
    page = admin.get("/base/partner/new").text
    assert '<script src="/static/base/duplicates.js" defer></script>' in page
    assert 'data-warn-mobile="طرف حسابی با این شمارهٔ همراه از قبل ثبت شده است: {link}"' in page
    assert "data-warn-national-id=" in page and "data-merge=" in page
    assert "duplicates.js" in admin.get("/").text
    js = admin.get("/static/base/duplicates.js")
    assert js.status_code == 200 and "/base/partner/duplicates?" in js.text
    admin.post("/lang", data={"lang": "en", "next": "/", "csrf": csrf(admin, "/")})
    page = admin.get("/base/partner/new").text
    assert 'data-warn-mobile="A partner with this mobile number already exists: {link}"' in page


BULK = 30_000


def bulk_partners(k, first_id):
    """Enough rows, with planner statistics, that a full scan would cost more than index probes."""
    pg = k.engine.dialect.name == "postgresql"
    rows = (f"generate_series(1, {BULK}) AS g(x)" if pg else
            f"(WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {BULK}) SELECT x FROM g)")
    pad = (lambda n: f"lpad(x::text, {n}, '0')") if pg else (lambda n: f"printf('%0{n}d', x)")
    now = "now()" if pg else "CURRENT_TIMESTAMP"
    with k.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO base_partner (kind, name, created_at, updated_at, mobile, phone, national_id, economic_code,"
            " search_key, contact_numbers)"
            f" SELECT 'person', 'نام ' || x, {now}, {now}, '+98935' || {pad(7)}, '+98218' || {pad(7)}, {pad(10)},"
            f" '4' || {pad(11)}, 'نام' || x || '|09' || x, '' FROM {rows}"))
        conn.execute(text(
            "INSERT INTO base_contact (partner_id, kind, value, created_at, updated_at)"
            f" SELECT x + {first_id - 1}, 'mobile', '+98936' || {pad(7)}, {now}, {now} FROM {rows}"))
        conn.execute(text("ANALYZE base_partner, base_contact" if pg else "ANALYZE"))


def plans(k, stmts):
    out = {}
    with k.engine.connect() as conn:
        for field, stmt in stmts.items():
            if k.engine.dialect.name == "postgresql":
                # Below ~100,000 rows PostgreSQL rightly prefers reading the table (or walking its
                # primary key) to a trigram index for a name; pricing both out shows the index
                # can answer it.
                conn.execute(text(f"SET enable_seqscan = {'off' if field == 'name' else 'on'}"))
                conn.execute(text(f"SET enable_indexscan = {'off' if field == 'name' else 'on'}"))
            compiled = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
            if k.engine.dialect.name == "postgresql":
                compiled = compiled.replace("%%", "%")
                out[field] = [r[0] for r in conn.execute(text("EXPLAIN " + compiled.replace("%", "%%")))]
            else:
                out[field] = [r[-1] for r in conn.execute(text("EXPLAIN QUERY PLAN " + compiled))]
    return out


# SQLite: every step on a real table must be a lookup (rowid or the field's own index); a SEARCH
# on deleted_at or owner_id alone would read every live (or every own) partner.
INDEXED_LOOKUPS = ("rowid=?", "(mobile=?)", "(phone=?)", "(national_id=?)", "(economic_code=?)", "(value=?)",
                   "role_id=?")


def _full_scans(plan):
    if any(line.startswith(("Limit", "->", " ")) for line in plan):  # PostgreSQL
        bad = []
        for i, line in enumerate(plan):
            if "Seq Scan on base_partner" in line or "Seq Scan on base_contact" in line:
                bad.append(line)
            elif "Index" in line and "Scan" in line and (" base_partner" in line or " base_contact" in line):
                # An index scan without an index condition, or one on deleted_at only, walks
                # the whole index (owner_id = me is a lookup of one's own rows).
                details = []
                for nxt in plan[i + 1:]:
                    if "->" in nxt:
                        break
                    details.append(nxt)
                cond = next((d for d in details if "Index Cond" in d), "")
                if not cond or "deleted_at" in cond:
                    bad.append(line)
        return bad
    return [line for line in plan if (line.startswith("SCAN") and "VIRTUAL TABLE" not in line)
            or (line.startswith("SEARCH") and not any(key in line for key in INDEXED_LOOKUPS))]


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_every_check_is_answered_by_indexes(make_kernel, engine):
    k = make_kernel(engine=engine)
    create_user(k, "admin", admin=True)
    create_user(k, "own", perms=("base.partner.*",), scope="own")
    ids = seed(k)
    bulk_partners(k, ids["pars"] + 1)
    for who in ("admin", "own"):
        stmts = queries(k, actor(k, who), name="علی کریمی", mobile=PERSIAN_MOBILE, phone="02188776655",
                        national_id="0012345679", economic_code="411111111111", exclude_id=1)
        assert set(stmts) == {"name", "mobile", "phone", "national_id", "economic_code"}
        for field, plan in plans(k, stmts).items():
            assert not _full_scans(plan), (who, field, "\n".join(plan))
    with k.sessions() as s:
        got = find_duplicates(k, s, actor(k, "admin"), mobile="۰۹۳۶ ۰۰۰ ۰۰۴۲", name="علي كريمي", national_id="0000012345")
        assert [(m.id, m.fields) for m in got] == [(ids["pars"] + 12345, ("national_id",)),
                                                   (ids["pars"] + 42, ("mobile",)), (ids["ali"], ("name",))]
        assert find_duplicates(k, s, actor(k, "own"), mobile="۰۹۳۶ ۰۰۰ ۰۰۴۲", name="علی کریمی") == []
