"""A record titled by a date, a year or a reference reads as people read it (issue 8, item 7):
Jalali with Persian digits, ۱۴۰۳ (never ۱,۴۰۳), the referenced record's title — never
``2026-12-03`` or an id. ``kernel.references`` renders any reference for templates and code."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel import InputError, testing
from kernel.references import reference_link, reference_title

GARAGE = {"modules": ("garage",), "packages": ("peyvand_garage",)}


@pytest.fixture
def garage(make_kernel):
    return make_kernel(**GARAGE)


def _visit(k) -> tuple[int, int, int]:
    pid = testing.create_record(k, None, "base.partner", kind="person", name="رضا کریمی")
    vid = testing.create_record(k, None, "garage.vehicle", plate="۱۲ب۳۴۵", model_year=1403, owner_partner_id=pid)
    visit = testing.create_record(k, None, "garage.visit", visited_on=dt.date(2026, 12, 3), vehicle_id=vid)
    return pid, vid, visit


def test_a_date_title_is_jalali_on_the_page_and_in_the_api(garage, web_client, api_client):
    _, _, visit = _visit(garage)
    testing.create_user(garage, "mech", perms=("garage.visit.*", "garage.vehicle.view"))
    page = web_client(garage, "mech").get(f"/garage/visit/{visit}").text
    heading = page.split("</h1>")[0]
    assert "۱۴۰۵/۰۹/۱۲" in heading and "2026-12-03" not in heading
    one = api_client(garage, "mech").get(f"/api/garage/visit/{visit}").json()
    assert one["_title"] == "۱۴۰۵/۰۹/۱۲", one


def test_a_year_is_shown_without_grouping_and_validated(garage):
    f = garage.resources["garage.vehicle"].field("model_year")
    assert f.kind == "year"
    assert f.display(1403, "fa") == "۱۴۰۳" and f.display(2024, "en") == "2024"
    assert f.parse("۱۴۰۳") == 1403 and f.from_json(1403) == 1403
    for bad in ("۱۴", "12345", "سال", "1403.5"):
        with pytest.raises(InputError, match="A year is four digits"):
            f.parse(bad)
    assert garage.t("fa", "A year is four digits, e.g. 1403") != "A year is four digits, e.g. 1403"


def test_a_year_field_in_the_list_and_the_api(garage, web_client, api_client):
    _visit(garage)
    testing.create_user(garage, "mech", perms=("garage.vehicle.*",))
    listing = web_client(garage, "mech").get("/garage/vehicle/").text
    assert "۱۴۰۳" in listing and "۱٬۴۰۳" not in listing and "۱,۴۰۳" not in listing
    resp = api_client(garage, "mech").post("/api/garage/vehicle", json={"plate": "۹۹الف۱۱۱", "model_year": 99})
    assert resp.status_code == 422 and "model_year" in resp.json()["errors"], resp.text


def test_reference_helpers_give_the_title_and_a_link(garage):
    pid, vid, visit = _visit(garage)
    with garage.sessions() as s:
        assert reference_title(garage, s, "base.partner", pid) == "رضا کریمی"
        assert reference_title(garage, s, "garage.visit", visit) == "۱۴۰۵/۰۹/۱۲"
        assert reference_title(garage, s, "garage.visit", visit, "en") == "1405/09/12"
        assert reference_title(garage, s, "base.partner", 999_999) == "#999999"
        assert str(reference_link(garage, s, "garage.vehicle", vid)) == f'<a href="/garage/vehicle/{vid}">۱۲ب۳۴۵</a>'
    env_ref = garage_env(garage)
    assert env_ref.from_string('{{ ref("base.partner", pid) }}').render(pid=pid) == \
        f'<a href="/base/partner/{pid}">رضا کریمی</a>'


def garage_env(k):
    from kernel.web.templating import make_environment

    return make_environment(k)
