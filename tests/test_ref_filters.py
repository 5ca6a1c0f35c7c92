"""A reference limited to some records of its target (``Field.ref_filter``): a position's person
is a person and its company a company, whom a communication spoke to is on the chosen partner's
personnel. The drop-down, the live search, the form and the API all keep to it."""

from __future__ import annotations

from typing import Any

from kernel.testing import create_record, create_user, csrf
from modules.base.models import Partner

PERMS = ("base.partner.*", "base.communication.*", "base.employment.*")


def office(make_kernel: Any) -> tuple[Any, dict[str, int]]:
    kernel = make_kernel()
    sara = create_user(kernel, "sara", perms=PERMS)
    ids = {
        "aria": create_record(kernel, sara, "base.partner", kind="company", name="صنایع آریا"),
        "kavir": create_record(kernel, sara, "base.partner", kind="company", name="شرکت کویر"),
        "maryam": create_record(kernel, sara, "base.partner", kind="person", first_name="مریم", last_name="احمدی"),
        "reza": create_record(kernel, sara, "base.partner", kind="person", first_name="رضا", last_name="کریمی"),
    }
    create_record(kernel, sara, "base.employment", person_id=ids["maryam"], company_id=ids["aria"], position="خرید")
    create_record(kernel, sara, "base.employment", person_id=ids["reza"], company_id=ids["kavir"], position="فروش")
    return kernel, ids


def test_a_company_is_refused_as_the_person_of_a_position_in_the_api(make_kernel: Any, api_client: Any) -> None:
    kernel, ids = office(make_kernel)
    api = api_client(kernel, "sara")
    bad = api.post("/api/base/employment", json={"person_id": ids["kavir"], "company_id": ids["aria"]})
    assert bad.status_code == 422, bad.text
    assert "person_id" in bad.json()["errors"]
    swapped = api.post("/api/base/employment", json={"person_id": ids["reza"], "company_id": ids["maryam"]})
    assert swapped.status_code == 422 and "company_id" in swapped.json()["errors"]
    ok = api.post("/api/base/employment", json={"person_id": ids["reza"], "company_id": ids["aria"]})
    assert ok.status_code == 201, ok.text


def test_the_position_form_offers_persons_as_the_person_and_refuses_a_company(make_kernel: Any,
                                                                            web_client: Any) -> None:
    kernel, ids = office(make_kernel)
    c = web_client(kernel, "sara")
    html = c.get("/base/employment/new").text
    person_select = html.split('id="f-person_id"')[1].split("</select>")[0]
    assert "مریم" in person_select and "صنایع آریا" not in person_select
    company_select = html.split('id="f-company_id"')[1].split("</select>")[0]
    assert "صنایع آریا" in company_select and "مریم" not in company_select
    resp = c.post("/base/employment/new", data={"csrf": csrf(c), "person_id": ids["kavir"],
                                                "company_id": ids["aria"]})
    assert resp.status_code == 400
    assert "این رکورد را این‌جا نمی‌توان انتخاب کرد" in resp.text


def test_the_person_spoken_to_is_on_the_chosen_partners_personnel(make_kernel: Any, api_client: Any,
                                                                  web_client: Any) -> None:
    kernel, ids = office(make_kernel)
    api = api_client(kernel, "sara")
    call = {"partner_id": ids["aria"], "kind": "call", "subject": "پیش‌فاکتور", "started_at": "2026-11-20T07:00"}
    stranger = api.post("/api/base/communication", json={**call, "contact_id": ids["reza"]})
    assert stranger.status_code == 422 and "contact_id" in stranger.json()["errors"]
    ok = api.post("/api/base/communication", json={**call, "contact_id": ids["maryam"]})
    assert ok.status_code == 201, ok.text
    # Moving the call to another partner leaves Maryam without a position there: refused too.
    moved = api.patch(f"/api/base/communication/{ok.json()['id']}", json={"partner_id": ids["kavir"]})
    assert moved.status_code == 422 and "contact_id" in moved.json()["errors"], moved.text
    # The form's search sends the chosen partner; the API answers with its personnel only.
    c = web_client(kernel, "sara")
    html = c.get("/base/communication/new").text
    box = html.split('id="f-contact_id"')[0].rsplit("<span", 1)[1]
    assert 'data-ref-params="f_kind=person"' in box and 'data-ref-depends="employed_by=partner_id"' in box
    found = c.get("/api/base/partner", params={"f_kind": "person", "f_employed_by": ids["aria"]}).json()
    assert [p["id"] for p in found["items"]] == [ids["maryam"]]


def test_a_reference_to_many_rows_is_a_search_not_a_long_drop_down(make_kernel: Any, web_client: Any) -> None:
    kernel, _ = office(make_kernel)
    with kernel.session() as s:
        s.add_all([Partner(kind="person", first_name=f"نفر {i}", name=f"نفر {i}") for i in range(60)])
    c = web_client(kernel, "sara")
    html = c.get("/base/employment/new").text
    assert '<select id="f-person_id"' not in html
    assert 'data-ref-search="/api/base/partner" data-ref-params="f_kind=person"' in html
