"""KER-06 geographic scope down to city and region (district): a role limited to a city or a
district sees the partners there — and what hangs off them — in lists, search, exports, the API,
reports and reference pickers; a posted reference outside the scope is refused on its field."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.models import Role
from kernel.testing import create_user, csrf
from kernel.web.app import build_app

PERMS = ("base.partner.view", "base.partner.create", "base.partner.export", "base.communication.view",
         "base.communication.create", "base.contact.view", "base.by_position.report")


def geography(k):
    """Isfahan (cities Isfahan and Kashan) and Tehran (districts 3 and 5); a partner in each."""
    from modules.base.models import City, Communication, Partner, Province, Region

    with k.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh])
        s.flush()
        isf_city, kashan, tehran = (City(name="اصفهان", province_id=isf.id), City(name="کاشان", province_id=isf.id),
                                    City(name="تهران", province_id=teh.id))
        s.add_all([isf_city, kashan, tehran])
        s.flush()
        r3, r5 = Region(name="منطقه ۳", city_id=tehran.id), Region(name="منطقه ۵", city_id=tehran.id)
        s.add_all([r3, r5])
        s.flush()
        partners = {
            "فرش کاشان": Partner(kind="company", name="فرش کاشان", province_id=isf.id, city_id=kashan.id),
            "گز اصفهان": Partner(kind="company", name="گز اصفهان", province_id=isf.id, city_id=isf_city.id),
            "ونک تجارت": Partner(kind="company", name="ونک تجارت", province_id=teh.id, city_id=tehran.id,
                                 region_id=r3.id),
            "پونک تجارت": Partner(kind="company", name="پونک تجارت", province_id=teh.id, city_id=tehran.id,
                                  region_id=r5.id),
        }
        s.add_all(partners.values())
        s.flush()
        import datetime as dt

        for name, p in partners.items():
            s.add(Communication(kind="call", subject=f"تماس با {name}", partner_id=p.id,
                                started_at=dt.datetime(2026, 11, 22, 6, 30)))
        ids = {"kashan": kashan.id, "r3": r3.id, "isf": isf.id, "teh": teh.id, "isf_city": isf_city.id}
        ids |= {name: p.id for name, p in partners.items()}
    return ids


def role_of(k, username):
    with k.sessions() as s:
        return s.scalars(select(Role.id).where(Role.name == f"role-{username}")).one()


def limit(k, username, provinces=(), cities=(), regions=()):
    from modules.base.scope_admin import set_role_scope

    with k.session() as s:
        set_role_scope(s, role_of(k, username), provinces, cities, regions)


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_city_and_a_district_everywhere(make_kernel, login_as, engine):
    k = make_kernel(engine=engine)
    ids = geography(k)
    create_user(k, "kashi", perms=PERMS)
    limit(k, "kashi", cities=[ids["kashan"]], regions=[ids["r3"]])
    seen, hidden = ("فرش کاشان", "ونک تجارت"), ("گز اصفهان", "پونک تجارت")
    with TestClient(build_app(k)) as c:
        login_as(c, "kashi")
        listing = c.get("/base/partner/").text
        assert all(f">{n}<" in listing for n in seen) and not any(f">{n}<" in listing for n in hidden)
        api = c.get("/api/base/partner").json()
        assert sorted(i["name"] for i in api["items"]) == sorted(seen) and api["count"] == 2
        found = [h["label"] for h in c.get("/search", params={"q": "تجارت", "format": "json"}).json()
                 if "/base/partner/" in h["url"]]
        assert found == ["ونک تجارت"]
        sheet = load_workbook(io.BytesIO(c.get("/base/partner/export.xlsx").content)).active
        assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == sorted(seen)
        assert c.get(f"/base/partner/{ids['گز اصفهان']}").status_code == 404
        assert c.get(f"/api/base/partner/{ids['پونک تجارت']}").status_code == 404
        # Linked records follow their partner: the communications of hidden partners are hidden.
        calls = [i["subject"] for i in c.get("/api/base/communication").json()["items"]]
        assert sorted(calls) == sorted(f"تماس با {n}" for n in seen)


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_province_and_city_add_up_and_an_unlimited_role_lifts_the_limit(make_kernel, engine):
    from kernel import security
    from modules.base.models import Communication, Partner

    k = make_kernel(engine=engine)
    ids = geography(k)
    uid = create_user(k, "mix", perms=PERMS)
    limit(k, "mix", provinces=[ids["teh"]], cities=[ids["kashan"]])

    def visible():
        with k.sessions() as s:
            actor = security.load_actor(s, uid)
            names = set(s.scalars(k.scoped_select(actor, Partner).with_only_columns(Partner.name)))
            calls = len(list(s.scalars(k.scoped_select(actor, Communication))))
        return names, calls

    assert visible() == ({"فرش کاشان", "ونک تجارت", "پونک تجارت"}, 3)
    with k.session() as s:
        from kernel.models import User

        user = s.get(User, uid)
        user.roles = [*user.roles, Role(name="همه‌جا")]
    assert visible() == ({"فرش کاشان", "گز اصفهان", "ونک تجارت", "پونک تجارت"}, 4)


def test_pickers_offer_only_partners_in_scope_and_refuse_a_posted_outsider(make_kernel, login_as):
    """A user limited to Isfahan province does not see Tehran's partners as choices, and an id
    typed into the form (or sent to the API) is refused on its field."""
    k = make_kernel()
    ids = geography(k)
    create_user(k, "isf", perms=PERMS)
    limit(k, "isf", provinces=[ids["isf"]])
    with TestClient(build_app(k)) as c:
        login_as(c, "isf")
        form = c.get("/base/communication/new").text
        assert "فرش کاشان" in form and "گز اصفهان" in form
        assert "ونک تجارت" not in form and "پونک تجارت" not in form
        resp = c.post("/base/communication/new", data={
            "csrf": csrf(c, "/base/communication/new"), "partner_id": str(ids["ونک تجارت"]), "kind": "call",
            "direction": "out", "subject": "دور زدن محدوده", "started_at": "۱۴۰۵/۰۹/۰۱ ۱۰:۳۰"})
        assert resp.status_code == 400 and "چنین رکوردی وجود ندارد" in resp.text
        api = c.post("/api/base/communication", json={"partner_id": ids["پونک تجارت"], "kind": "call",
                                                      "subject": "از راه API", "started_at": "2026-11-22T10:30:00"},
                     headers={"x-csrf-token": csrf(c)})
        assert api.status_code == 422 and "partner_id" in api.json()["errors"]
    with k.sessions() as s:
        from modules.base.models import Communication

        assert s.scalars(select(Communication).where(Communication.subject.in_(["دور زدن محدوده", "از راه API"]))
                         ).first() is None


def test_a_report_follows_the_city_scope(make_kernel, login_as):
    from modules.base.models import Employment, Partner

    k = make_kernel()
    ids = geography(k)
    create_user(k, "kashi", perms=PERMS)
    limit(k, "kashi", cities=[ids["kashan"]])
    with k.session() as s:
        # The report lists persons: each lives in its company's city.
        for company, city in (("فرش کاشان", ids["kashan"]), ("گز اصفهان", ids["isf_city"])):
            person = Partner(kind="person", first_name="مدیر", last_name=company, city_id=city)
            s.add(person)
            s.flush()
            s.add(Employment(person_id=person.id, company_id=ids[company], position="مدیرعامل"))
    with TestClient(build_app(k)) as c:
        login_as(c, "kashi")
        page = c.get("/reports/base.by_position").text
        assert "فرش کاشان" in page and "گز اصفهان" not in page


def test_role_scope_page_saves_cities_and_regions_and_refuses_unknown_places(make_kernel, login_as):
    from modules.base.models import RoleCity, RoleProvince, RoleRegion

    k = make_kernel()
    ids = geography(k)
    create_user(k, "boss", admin=True)
    create_user(k, "kashi", perms=PERMS)
    rid = role_of(k, "kashi")
    with TestClient(build_app(k)) as c:
        login_as(c, "boss")
        page = c.get("/base/role-scope").text
        assert "محدودهٔ جغرافیایی هر نقش" in page and "کاشان" in page and "منطقه ۳" in page
        resp = c.post("/base/role-scope", data={"csrf": csrf(c, "/base/role-scope"), "role_id": str(rid),
                                                "province": [str(ids["teh"])], "city": [str(ids["kashan"])],
                                                "region": [str(ids["r3"])]}, follow_redirects=False)
        assert resp.status_code == 303
        bad = c.post("/base/role-scope", data={"csrf": csrf(c, "/base/role-scope"), "role_id": str(rid),
                                               "city": [str(ids["isf_city"]), "999999"]})
        assert bad.status_code == 400 and "دیگر وجود ندارد" in bad.text

    def rows(model, col):
        with k.sessions() as s:
            return s.scalars(select(col).where(model.role_id == rid)).all()

    # The refused post changed nothing.
    assert rows(RoleProvince, RoleProvince.province_id) == [ids["teh"]]
    assert rows(RoleCity, RoleCity.city_id) == [ids["kashan"]]
    assert rows(RoleRegion, RoleRegion.region_id) == [ids["r3"]]


def test_place_drop_downs_offer_only_the_roles_places(make_kernel, login_as):
    """The seeds: "a region I added is missing from the region drop-down — tick it for the role".
    A role limited to Kashan chooses Isfahan province, Kashan and Kashan's regions only."""
    from modules.base.models import City, Province, Region

    k = make_kernel()
    ids = geography(k)
    with k.session() as s:
        s.add(Region(name="محله فین", city_id=ids["kashan"]))
    uid = create_user(k, "kashi", perms=(*PERMS, "base.province.view", "base.city.view", "base.region.view"))
    limit(k, "kashi", cities=[ids["kashan"]])
    from kernel import security

    with k.sessions() as s:
        actor = security.load_actor(s, uid)

        def names(model):
            return sorted(o.name for o in s.scalars(k.scoped_select(actor, model)))

        assert names(Province) == ["اصفهان"]
        assert names(City) == ["کاشان"]
        assert names(Region) == ["محله فین"]
    with TestClient(build_app(k)) as c:
        login_as(c, "kashi")
        form = c.get("/base/partner/new").text
        assert ">کاشان<" in form and ">تهران<" not in form and "منطقه ۳" not in form
        resp = c.post("/base/partner/new", data={"csrf": csrf(c, "/base/partner/new"), "kind": "company",
                                                 "name": "شرکت بیرون از محدوده", "city_id": str(ids["isf_city"])})
        assert resp.status_code == 400 and "چنین رکوردی وجود ندارد" in resp.text


def test_the_upgrade_keeps_base_reports_for_roles_that_could_read_them(make_kernel):
    """Reports became grantable one by one: a role that read partners before the upgrade keeps
    the partner reports, and one that did not gains nothing."""
    from alembic import command

    from kernel import migrations
    from kernel.models import RolePermission

    k = make_kernel(migrate=False)
    with k.engine.begin() as conn:
        cfg = migrations.alembic_config(k)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "47980d7713d0")  # base just before revision 5c0e9a1d2b7f
    with k.session() as s:
        reader, other = Role(name="خواننده"), Role(name="دیگر")
        s.add_all([reader, other])
        s.flush()
        s.add_all([RolePermission(role_id=reader.id, permission="base.partner.view"),
                   RolePermission(role_id=other.id, permission="base.province.view")])
        ids = reader.id, other.id
    migrations.upgrade(k)
    with k.sessions() as s:
        def granted(rid):
            return {p for p in s.scalars(select(RolePermission.permission).where(RolePermission.role_id == rid))
                    if p.endswith(".report")}

        assert granted(ids[0]) == {"base.by_position.report", "base.partners_by_province.report"}
        assert granted(ids[1]) == set()


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_communication_follows_its_partner_to_another_province(make_kernel, login_as, engine):
    """Issue 9, item 3: a partner moved from Tehran to Isfahan takes its communications along; a
    user limited to Tehran no longer reads, lists or changes them, one limited to Isfahan does."""
    from kernel.models import Role
    from kernel.testing import create_record, create_user
    from modules.base.models import Communication, Province, RoleProvince

    k = make_kernel(engine=engine, edition="tier2")
    with k.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh])
    perms = ("base.partner.view", "base.communication.view", "base.communication.edit", "base.communication.export")
    create_user(k, "teh", perms=perms)
    create_user(k, "isf", perms=perms)
    admin = create_user(k, "admin", admin=True)
    with k.session() as s:
        for name, prov in (("role-teh", teh.id), ("role-isf", isf.id)):
            role = s.scalars(select(Role).where(Role.name == name)).one()
            s.add(RoleProvince(role_id=role.id, province_id=prov))
    pid = create_record(k, admin, "base.partner", kind="company", name="هتل پارس", province_id=teh.id)
    cid = create_record(k, admin, "base.communication", partner_id=pid, kind="call", subject="تمدید قرارداد",
                        started_at=dt.datetime(2026, 12, 1, 8))
    with TestClient(build_app(k)) as admin_c:
        login_as(admin_c, "admin")
        admin_c.headers["x-csrf-token"] = csrf(admin_c)
        assert admin_c.patch(f"/api/base/partner/{pid}", json={"province_id": isf.id}).status_code == 200
    with k.sessions() as s:
        assert s.get(Communication, cid).province_id == isf.id
    with TestClient(build_app(k), raise_server_exceptions=False) as c:
        login_as(c, "teh")
        c.headers["x-csrf-token"] = csrf(c)
        assert c.get(f"/api/base/communication/{cid}").status_code == 404
        assert c.get("/api/base/communication").json()["items"] == []
        assert "تمدید قرارداد" not in c.get("/base/communication/export.csv").text
        assert c.patch(f"/api/base/communication/{cid}", json={"subject": "x"}).status_code == 404
    with TestClient(build_app(k)) as c:
        login_as(c, "isf")
        assert [i["id"] for i in c.get("/api/base/communication").json()["items"]] == [cid]
