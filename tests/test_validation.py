"""A module's own input rules (issue 8, item 4): ``Field(validate=...)`` and
``Resource(validate=...)`` put their message under the field in the form and under the field's
name in the API's 422, and change nothing — in every path, services included."""

from __future__ import annotations

import re

import pytest

from kernel import testing
from kernel.records import FormErrors

GARAGE = {"modules": ("garage",), "packages": ("peyvand_garage",)}
PLATE_FA = "پلاک دو رقم، یک حرف و سه رقم است، مانند ۱۲ب۳۴۵"


@pytest.fixture
def garage(make_kernel):
    k = make_kernel(**GARAGE)
    testing.create_user(k, "mech", perms=("garage.vehicle.*", "garage.visit.*"))
    return k


def _count(k, model) -> int:
    with k.sessions() as s:
        return s.query(model).count()


def test_a_field_rule_shows_under_its_field_in_the_form(garage, web_client):
    from peyvand_garage.models import Vehicle

    client = web_client(garage, "mech")
    page = client.get("/garage/vehicle/new").text
    resp = client.post("/garage/vehicle/new", data={"plate": "ABC", "model_year": "۱۴۰۳",
                                                     "csrf": testing.csrf_of(page)})
    assert resp.status_code == 400
    field = re.search(r'<div class="field has-error">(.*?)</div>', resp.text, re.S)
    assert field and 'name="plate"' in field.group(1) and PLATE_FA in field.group(1), resp.text[-3000:]
    assert _count(garage, Vehicle) == 0


def test_a_field_rule_in_the_api_and_in_services(garage, api_client):
    from peyvand_garage.models import Vehicle

    api = api_client(garage, "mech")
    resp = api.post("/api/garage/vehicle", json={"plate": "ABC", "model_year": 1403})
    assert resp.status_code == 422 and set(resp.json()["errors"]) == {"plate"}, resp.text
    ok = api.post("/api/garage/vehicle", json={"plate": "۱۲ب۳۴۵", "model_year": 1403})
    assert ok.status_code == 201, ok.text
    bad_edit = api.patch(f"/api/garage/vehicle/{ok.json()['id']}", json={"plate": "12"})
    assert bad_edit.status_code == 422 and "plate" in bad_edit.json()["errors"]
    with pytest.raises(FormErrors) as caught:
        testing.create_record(garage, None, "garage.vehicle", plate="x")
    assert set(caught.value.errors) == {"plate"}
    assert _count(garage, Vehicle) == 1


def test_a_rule_across_fields_lands_on_the_field_it_names(garage, api_client, web_client):
    car = testing.create_record(garage, None, "garage.vehicle", plate="۱۲ب۳۴۵")
    api = api_client(garage, "mech")
    resp = api.post("/api/garage/visit", json={"visited_on": "2026-12-03", "vehicle_id": car,
                                               "link_resource": "base.partner"})
    assert resp.status_code == 422 and set(resp.json()["errors"]) == {"link_id"}, resp.text
    client = web_client(garage, "mech")
    page = client.get("/garage/visit/new").text
    form = client.post("/garage/visit/new", data={"visited_on": "۱۴۰۵/۰۹/۱۲", "vehicle_id": str(car),
                                                   "link_resource": "base.partner", "csrf": testing.csrf_of(page)})
    field = re.search(r'<div class="field has-error">(.*?)</div>', form.text, re.S)
    assert form.status_code == 400 and field and 'name="link_id"' in field.group(1)
    assert "رکورد پیوندشده را انتخاب کنید" in field.group(1)
