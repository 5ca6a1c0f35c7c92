"""The base module's demo data (``peyvand init --demo``): idempotent, fast, and valid as a user's
data would have to be — check digits, canonical phones with the province's area code, each
communication in its partner's province, one liaison per company."""

import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from kernel.testing import create_user
from kernel.web.app import build_app

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def demo_kernel(make_kernel):
    from kernel.demo import load_demo

    kernel = make_kernel()
    create_user(kernel, "admin", admin=True)
    started = time.perf_counter()
    first = load_demo(kernel)
    kernel.first_demo = (first, time.perf_counter() - started)
    return kernel


def counts(kernel):
    from kernel.db import Base

    with kernel.sessions() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
                if t.name.startswith("base_")}


def test_demo_loads_fast_and_a_second_run_adds_nothing(demo_kernel):
    from kernel.demo import load_demo

    first, seconds = demo_kernel.first_demo
    assert "31 provinces added" in first and "200 communications added" in first, first
    assert seconds < 5, f"the demo took {seconds:.1f} s"
    before = counts(demo_kernel)
    assert before["base_partner"] >= 150 and before["base_communication"] == 200
    assert before["base_city"] >= 31 * 4 and before["base_region"] == 22 and before["base_role_kind"] == 7
    second = load_demo(demo_kernel)
    assert "0 provinces added" in second and "0 partners and 0 communications added" in second, second
    assert counts(demo_kernel) == before


def test_reference_data_matches_the_shipped_lists(demo_kernel):
    from modules.base.demo import PROVINCES
    from modules.base.models import City, Country, PartnerGroup, Province, RoleKind

    shipped = json.loads((DATA / "cities.json").read_text(encoding="utf-8"))
    assert sorted(e["province"] for e in shipped) == sorted(p[0] for p in PROVINCES)
    assert all(4 <= len(e["cities"]) <= 9 and len(set(e["cities"])) == len(e["cities"]) for e in shipped)
    with demo_kernel.sessions() as s:
        provinces = {p.id: p for p in s.scalars(select(Province))}
        assert len(provinces) == 31 and all(p.area_code and len(p.area_code) == 2 for p in provinces.values())
        per_province = Counter(c.province_id for c in s.scalars(select(City)))
        assert set(per_province) == set(provinces)
        capitals = {e["province"]: e["cities"][0] for e in shipped}
        assert capitals["فارس"] == "شیراز" and capitals["خراسان رضوی"] == "مشهد" and capitals["البرز"] == "کرج"
        codes = set(s.scalars(select(Country.code)))
        assert {"IR", "CN", "AE", "TR"} <= codes and len(codes) >= 20
        assert set(s.scalars(select(RoleKind.code))) == {"lead", "opportunity", "customer", "supplier",
                                                          "competitor", "partner", "agent"}
        carpet = s.scalars(select(PartnerGroup).where(PartnerGroup.name == "فرش ماشینی")).one()
        names = [s.get(PartnerGroup, int(i)).name for i in carpet.path.strip("/").split("/")]
        assert names == ["صنعتی", "نساجی", "فرش ماشینی"]
        assert demo_kernel.setting(s, "company.name")


def test_every_national_id_and_phone_is_valid(demo_kernel):
    from kernel.persian.nationalid import check_national_id
    from kernel.persian.phones import canonical_phone, is_mobile
    from modules.base.models import Contact, Partner, Province

    with demo_kernel.sessions() as s:
        area = {p.id: p.area_code for p in s.scalars(select(Province))}
        partners = list(s.scalars(select(Partner)))
        ids = [p.national_id for p in partners if p.national_id]
        assert len(ids) >= 40 and len(set(ids)) == len(ids)
        for p in partners:
            if p.national_id:
                assert check_national_id(p.national_id) == p.national_id
            if p.mobile:
                assert canonical_phone(p.mobile) == p.mobile and is_mobile(p.mobile), p.mobile
            for number in (p.phone, p.fax):
                if number:
                    assert canonical_phone(number) == number and not is_mobile(number)
                    assert number[3:5] == area[p.province_id], (p.name, number)
            if p.kind == "company":
                assert p.economic_code and p.economic_code.isdigit() and len(p.economic_code) == 12
            # Search finds the partner by a mobile typed the way people type it.
            if p.mobile:
                assert "0" + p.mobile[3:] in p.search_key
        contacts = list(s.scalars(select(Contact)))
        assert contacts
        for c in contacts:
            if c.kind in ("mobile", "phone", "fax"):
                assert canonical_phone(c.value) == c.value
                owner = s.get(Partner, c.partner_id)
                assert c.value in owner.contact_numbers and "0" + c.value[3:] in owner.contact_numbers
        persons = [p for p in partners if p.kind == "person"]
        assert all(p.name == f"{p.first_name} {p.last_name}" for p in persons)
        assert sum(1 for p in persons if p.birthday) >= 40


def test_companies_personnel_and_communications_hang_together(demo_kernel):
    from kernel.models import User
    from modules.base.models import Communication, Employment, Partner, PartnerRole

    with demo_kernel.sessions() as s:
        admin = s.scalars(select(User.id).where(User.username == "admin")).one()
        companies = list(s.scalars(select(Partner).where(Partner.kind == "company")))
        assert len(companies) >= 30 and len({c.province_id for c in companies}) >= 20
        for c in companies:
            jobs = list(s.scalars(select(Employment).where(Employment.company_id == c.id,
                                                           Employment.ended_on.is_(None))))
            assert 2 <= len(jobs) <= 4 and sum(j.is_liaison for j in jobs) == 1, c.name
        roles = Counter(s.scalars(select(PartnerRole.role)))
        assert set(roles) == {"lead", "opportunity", "customer", "supplier", "competitor", "partner", "agent"}
        comms = list(s.scalars(select(Communication)))
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        assert len({c.kind for c in comms}) >= 5
        for c in comms:
            partner = s.get(Partner, c.partner_id)
            assert c.province_id == partner.province_id and c.province_id is not None
            assert now - dt.timedelta(days=93) <= c.started_at <= now
            assert c.ended_at is None or c.ended_at >= c.started_at
            assert c.owner_id == admin
            if c.contact_id is not None:
                job = s.get(Employment, c.employment_id)
                assert job.person_id == c.contact_id and job.company_id == c.partner_id
                assert c.contact_position and partner.name in c.contact_position
        assert sum(1 for c in comms if c.contact_id) >= 50


def test_demo_partners_are_found_and_listed_through_the_app(demo_kernel, login_as):
    from modules.base.models import Partner

    with demo_kernel.sessions() as s:
        person = s.scalars(select(Partner).where(Partner.kind == "person", Partner.national_id.is_not(None))
                           .order_by(Partner.id)).first()
    with TestClient(build_app(demo_kernel)) as c:
        login_as(c, "admin")
        for query in ("0" + person.mobile[3:], person.national_id, person.last_name):
            hits = c.get("/search", params={"q": query, "format": "json"}).json()
            # Found once (a phone hit and a name hit are one partner), linked to the record or its profile.
            links = (f"/base/partner/{person.id}", f"/base/partner/{person.id}/profile")
            assert len([h for h in hits if h["url"] in links]) == 1, (query, hits)
        assert c.get("/base/communication/").status_code == 200
        assert c.get(f"/base/partner/{person.id}").status_code == 200
