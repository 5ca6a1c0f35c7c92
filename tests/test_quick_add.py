"""Adding a new value to a drop-down in place (KER-17b): the "+" only for users who may create
the target, the mini-form of its required fields, and the same create path as its own form."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from kernel.models import History
from kernel.testing import create_record, create_user, csrf
from kernel.web.app import build_app


@pytest.fixture
def tier2(make_kernel: Any) -> Any:
    kernel = make_kernel(edition="tier2")
    create_user(kernel, "sara", perms=("base.partner.*", "base.city.*", "base.province.view", "base.group.*"))
    create_user(kernel, "reza", perms=("base.partner.*", "base.city.view", "base.province.view"))
    return kernel


def client_for(kernel: Any, username: str, login_as: Any) -> TestClient:
    return login_as(TestClient(build_app(kernel), base_url="http://testserver"), username)


def cities(kernel: Any, name: str) -> list[Any]:
    from modules.base.models import City

    with kernel.sessions() as s:
        return list(s.scalars(select(City).where(City.name == name)))


def test_a_new_city_from_the_partner_form(tier2: Any, login_as: Any) -> None:
    province = create_record(tier2, None, "base.province", name="سمنان", name_en="Semnan", area_code="23")
    sara = client_for(tier2, "sara", login_as)
    form = sara.get("/base/partner/new").text
    assert 'data-quick-add="/quick-add/base.city"' in form
    assert 'data-quick-add="/quick-add/base.group"' in form
    mini = sara.get(f"/quick-add/base.city?province_id={province}").text
    assert 'name="name"' in mini and 'name="province_id"' in mini and 'id="qa-name"' in mini
    assert f'<option value="{province}" selected>سمنان</option>' in mini  # the outer form's province
    reply = sara.post("/quick-add/base.city", data={"name": "شاهرود", "province_id": str(province)},
                      headers={"x-csrf-token": csrf(sara), "accept": "application/json"})
    assert reply.status_code == 201, reply.text
    assert reply.json()["title"] == "شاهرود"
    [city] = cities(tier2, "شاهرود")
    assert reply.json()["id"] == city.id and city.province_id == province and city.owner_id is not None
    with tier2.sessions() as s:
        assert s.scalar(select(func.count()).select_from(History).where(
            History.table_name == "base_city", History.record_id == city.id, History.action == "create")) == 1


def test_bad_values_are_refused_beside_their_field(tier2: Any, login_as: Any) -> None:
    province = create_record(tier2, None, "base.province", name="سمنان", name_en="Semnan", area_code="23")
    sara = client_for(tier2, "sara", login_as)
    token = csrf(sara)
    missing = sara.post("/quick-add/base.city", data={"name": "", "province_id": str(province)},
                        headers={"x-csrf-token": token})
    assert missing.status_code == 400
    assert missing.json()["errors"]["name"] == "پر کردن این فیلد الزامی است"
    nowhere = sara.post("/quick-add/base.city", data={"name": "گرمسار", "province_id": "999999"},
                        headers={"x-csrf-token": token})
    assert nowhere.status_code == 400 and "province_id" in nowhere.json()["errors"]
    sara.post("/quick-add/base.city", data={"name": "شاهرود", "province_id": str(province)},
              headers={"x-csrf-token": token})
    twice = sara.post("/quick-add/base.city", data={"name": "شاهرود", "province_id": str(province)},
                      headers={"x-csrf-token": token})
    assert twice.status_code == 400 and twice.json()["errors"]["__all__"]
    assert len(cities(tier2, "شاهرود")) == 1 and cities(tier2, "گرمسار") == []


def test_without_the_create_permission_there_is_no_plus_and_the_endpoint_refuses(tier2: Any, login_as: Any) -> None:
    province = create_record(tier2, None, "base.province", name="سمنان", name_en="Semnan", area_code="23")
    reza = client_for(tier2, "reza", login_as)
    assert 'data-quick-add="/quick-add/base.city"' not in reza.get("/base/partner/new").text
    refused = reza.post("/quick-add/base.city", data={"name": "شاهرود", "province_id": str(province)},
                        headers={"x-csrf-token": csrf(reza)})
    assert refused.status_code == 403
    assert refused.json()["error"] == "اجازهٔ افزودن شهر تازه را ندارید"
    assert reza.get("/quick-add/base.city").status_code == 403
    assert reza.get("/quick-add/no.such").status_code == 404
    assert cities(tier2, "شاهرود") == []
