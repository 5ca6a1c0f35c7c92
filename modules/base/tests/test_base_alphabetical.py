"""Lists sorted by name follow the Persian alphabet (issue 10): پ چ ژ ک گ in their places, not
after و; numbers by value (منطقه ۲ before منطقه ۱۰); Arabic ي/ك spellings beside their Persian
twins; both directions, and keyset pages that return every row once, on SQLite and PostgreSQL."""

import random
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from kernel.testing import create_user

# Persian alphabetical order. Several are spelled with Arabic ي / ك as old imports stored them.
PARTNERS = ["۲ برادران", "۱۰ برادران", "احمد رضایی", "آرش", "بهرام", "پویا", "تینا", "چنگیز", "ژاله",
            "علی احمدی", "علي اكبري", "علی باقری", "علی رضا", "علی زاهدی", "علیرضا", "کیمیا چگینی",
            "کیمیا لطفی", "گلناز", "لادن", "وحید", "هادی", "ياسر"]
PROVINCES = ["اصفهان", "البرز", "آذربایجان شرقی", "بوشهر", "تهران", "چهارمحال و بختیاری", "فارس", "کرمان",
             "گیلان", "لرستان", "همدان", "یزد"]
CITIES = ["اراک", "پاوه", "تهران", "چالوس", "کرج", "گرگان", "ورامین"]
REGIONS = ["پونک", "چیتگر", "ژاندارمری", "منطقه ۱", "منطقه ۲", "منطقه ۳", "منطقه ۱۰", "منطقه ۱۱", "منطقه ۲۲", "ونک"]
GROUPS = ["پوشاک", "چرم", "کفش", "گاز", "لوازم"]


def shuffled(names):
    """Saved out of order, so neither id nor insertion order can pass for alphabetical."""
    out = list(names)
    random.Random(10).shuffle(out)
    return out


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def k(make_kernel, request):
    from modules.base.models import City, Partner, PartnerGroup, Province, Region

    kernel = make_kernel(engine=request.param)
    with kernel.session() as s:
        # Straight through the ORM: the forms fold ي/ك when storing, older rows kept them.
        s.add_all([Partner(kind="company", name=n) for n in shuffled(PARTNERS)])
        s.add_all([Province(name=n) for n in shuffled(PROVINCES)])
        s.add_all([PartnerGroup(name=n) for n in shuffled(GROUPS)])
        s.flush()
        tehran = s.query(Province).filter_by(name="تهران").one()
        s.add_all([City(name=n, province_id=tehran.id) for n in shuffled(CITIES)])
        s.flush()
        city = s.query(City).filter_by(name="تهران").one()
        s.add_all([Region(name=n, city_id=city.id) for n in shuffled(REGIONS)])
    create_user(kernel, "admin", admin=True)
    return kernel


def walk(c, url, limit):
    """Every name of the list, following the API's next links; returns (names, pages)."""
    names, pages, link = [], 0, f"{url}&limit={limit}"
    while link:
        body = c.get(link).json()
        names += [item["name"] for item in body["items"]]
        pages += 1
        link = f"{url}&limit={limit}&after={quote(body['next'])}" if body["next"] else ""
    return names, pages


def walk_back(c, url, limit):
    """From the last page to the first through the prev links."""
    body = c.get(f"{url}&limit={limit}&page=last").json()
    names = [item["name"] for item in body["items"]]
    while body["prev"]:
        body = c.get(f"{url}&limit={limit}&before={quote(body['prev'])}").json()
        names = [item["name"] for item in body["items"]] + names
    return names


@pytest.mark.parametrize(("url", "expected"), [
    ("/api/base/partner?sort=name", PARTNERS), ("/api/base/region?sort=name", REGIONS),
    ("/api/base/province?sort=name", PROVINCES), ("/api/base/city?sort=name", CITIES),
    ("/api/base/group?sort=name", GROUPS),
])
def test_api_lists_follow_the_persian_alphabet_in_keyset_pages(k, api_client, url, expected):
    c = api_client(k, "admin")
    # Three rows a page: every list spans 2–8 pages, each row exactly once and in order.
    names, pages = walk(c, url, 3)
    assert names == expected and pages >= 2
    assert walk_back(c, url, 3) == expected
    backwards, _ = walk(c, url.replace("sort=", "sort=-"), 3)
    assert backwards == expected[::-1]


def cells(page, names):
    """Where each name stands in the page, as a whole cell (ونک is part of پونک)."""
    return [page.index(f">{n}<") for n in names]


def test_partner_and_region_list_pages_are_alphabetical(k, web_client):
    c = web_client(k, "admin")
    page = c.get("/base/partner/?limit=100").text
    at = cells(page, PARTNERS)
    assert at == sorted(at)
    assert cells(page, ["کیمیا چگینی", "کیمیا لطفی", "گلناز", "وحید"]) == sorted(cells(page, ["کیمیا چگینی", "کیمیا لطفی", "گلناز", "وحید"]))
    page = c.get("/base/region/?limit=100").text
    at = cells(page, REGIONS)
    assert at == sorted(at)
    page = c.get("/base/partner/?limit=100&sort=-name").text
    at = cells(page, PARTNERS)
    assert at == sorted(at, reverse=True)


def test_partner_pages_of_many_walk_the_key_index(k, api_client):
    """Past three pages of partners with names of every letter: nothing lost, nothing twice."""
    from modules.base.models import Partner

    letters = "اآبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
    with k.session() as s:
        s.add_all([Partner(kind="company", name=f"{ch}شرکت {n}") for n in (1, 2, 10) for ch in letters])
    c = api_client(k, "admin")
    names, pages = walk(c, "/api/base/partner?sort=name", 25)
    assert pages >= 4 and len(names) == len(set(names)) == len(PARTNERS) + 3 * len(letters)
    made = [n for n in names if "شرکت" in n]
    assert made == [f"{ch}شرکت {n}" for ch in letters for n in (1, 2, 10)]


def test_a_renamed_partner_moves_to_its_new_place(k, api_client):
    from modules.base.models import Partner

    with k.session() as s:
        pid = s.query(Partner).filter_by(name="ياسر").one().id
    c = api_client(k, "admin")
    assert c.patch(f"/api/base/partner/{pid}", json={"name": "پرستو"}).status_code == 200
    names, _ = walk(c, "/api/base/partner?sort=name", 50)
    assert names.index("پرستو") + 1 == names.index("پویا") and "ياسر" not in names


@pytest.mark.postgres
def test_postgresql_compares_the_key_bytewise(make_kernel):
    """A database locale (en_US) ignores spaces and would put علیرضا before علی زاهدی."""
    k = make_kernel(engine="postgresql")
    with k.engine.connect() as conn:
        found = conn.execute(text("SELECT table_name, collation_name FROM information_schema.columns "
                                  "WHERE column_name = 'sort_key' AND table_schema = current_schema()")).all()
    assert dict(found) == dict.fromkeys(
        ("base_partner", "base_country", "base_province", "base_city", "base_region", "base_group"), "C")


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_the_upgrade_gives_existing_rows_their_keys(make_kernel, engine):
    """Rows written before the keys existed get them from the migration, batch after batch."""
    import datetime as dt

    from alembic import command

    from kernel import migrations
    from kernel.persian.collation import sort_key

    kernel = make_kernel(engine=engine)
    cfg = migrations.alembic_config(kernel)
    with kernel.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "5c0e9a1d2b7f")
    now = dt.datetime(2026, 12, 6)
    # More partners than one batch of the backfill (5,000), spelled as old imports left them.
    names = [f"{shuffled(PARTNERS)[i % len(PARTNERS)]} {i}" for i in range(5_003)]
    with kernel.engine.begin() as conn:
        partner = sa.Table("base_partner", sa.MetaData(), autoload_with=conn)
        assert "sort_key" not in partner.c
        conn.execute(sa.insert(partner), [{"kind": "company", "name": n, "contact_numbers": "", "search_key": "",
                                           "created_at": now, "updated_at": now} for n in names])
        province = sa.Table("base_province", sa.MetaData(), autoload_with=conn)
        conn.execute(sa.insert(province), [{"name": n, "name_en": "", "search_key": "", "created_at": now,
                                            "updated_at": now} for n in PROVINCES])
    migrations.upgrade(kernel)
    with kernel.engine.connect() as conn:
        keyed = dict(conn.execute(text("SELECT name, sort_key FROM base_partner")).all())
        provinces = conn.scalars(text("SELECT name FROM base_province ORDER BY sort_key, id")).all()
    assert keyed == {n: sort_key(n) for n in names}
    assert provinces == PROVINCES
    assert migrations.diff(kernel) == []


def test_a_sort_key_is_declared_with_its_column(make_kernel):
    """A key column nobody fills, or a declaration without its column, is a module's mistake."""
    import dataclasses

    from modules.base.models import Communication

    kernel = make_kernel()
    region = kernel.resources["base.region"]
    assert region.sort_column("name") == "sort_key" and region.sort_column("city_id") == "city_id"
    with pytest.raises(ValueError, match="sort_key"):
        dataclasses.replace(region, sort_key="").bind(kernel)
    with pytest.raises(ValueError, match="sort_key"):
        dataclasses.replace(kernel.resources["base.communication"], model=Communication, sort_key="subject").bind(kernel)
    with pytest.raises(ValueError, match="not a text field"):
        dataclasses.replace(region, sort_key="city_id").bind(kernel)
