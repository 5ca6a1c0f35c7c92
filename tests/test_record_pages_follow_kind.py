"""What a record page, its form and its history show (issue 10): the fields of the record's own
kind, once each and under distinct labels, never the program's internal columns; dates put in a
form by a link read as the page's other dates; a refused save lists its errors at the top."""

from __future__ import annotations

import re
from typing import Any

from kernel.testing import create_record, create_user, csrf

PERMS = ("base.partner.*", "base.communication.*", "tasks.task.*")


def sara_with_two_partners(make_kernel: Any) -> tuple[Any, int, int]:
    kernel = make_kernel(edition="tier2")  # with tasks
    sara = create_user(kernel, "sara", perms=PERMS)
    person = create_record(kernel, sara, "base.partner", kind="person", first_name="مریم", last_name="احمدی",
                           gender="female", mobile="+989121234567")  # a Python value: canonical
    company = create_record(kernel, sara, "base.partner", kind="company", name="صنایع آریا",
                            economic_code="411111111111", website="aria.example")
    return kernel, person, company


def labels(html: str) -> list[str]:
    return re.findall(r"<dt>([^<]*)</dt>", html)


def test_a_record_page_shows_the_fields_of_its_own_kind_once_each(make_kernel: Any, web_client: Any) -> None:
    kernel, person, company = sara_with_two_partners(make_kernel)
    c = web_client(kernel, "sara")
    of_person = labels(c.get(f"/base/partner/{person}").text)
    assert "کد اقتصادی" not in of_person and "وب‌گاه" not in of_person
    assert "جنسیت" in of_person and "نام کوچک" in of_person
    of_company = labels(c.get(f"/base/partner/{company}").text)
    assert "جنسیت" not in of_company and "تاریخ تولد" not in of_company and "کد اقتصادی" in of_company
    for shown in (of_person, of_company):
        assert len(shown) == len(set(shown)), shown


def test_no_two_columns_of_a_resource_share_a_label(make_kernel: Any) -> None:
    kernel = make_kernel(edition="tier2")
    for res in kernel.resources.values():
        shown = [kernel.t("fa", res.field(n).label) for n in res.choosable_columns]
        repeated = {label for label in shown if shown.count(label) > 1}
        assert not repeated, f"{res.name}: {repeated}"


def test_the_column_chooser_of_a_list_of_persons_offers_person_fields(make_kernel: Any, web_client: Any) -> None:
    kernel, _, _ = sara_with_two_partners(make_kernel)
    c = web_client(kernel, "sara")
    chooser = c.get("/base/partner/", params={"f_kind": "person"}).text.split("column-chooser")[1].split("</details>")[0]
    assert 'value="birthday"' in chooser and 'value="economic_code"' not in chooser
    every = c.get("/base/partner/").text.split("column-chooser")[1].split("</details>")[0]
    assert 'value="birthday"' in every and 'value="economic_code"' in every


def test_internal_links_stay_in_the_api_and_out_of_forms_and_pages(make_kernel: Any, web_client: Any,
                                                                  api_client: Any) -> None:
    kernel, _, company = sara_with_two_partners(make_kernel)
    task = create_record(kernel, None, "tasks.task", title="پیش‌فاکتور", partner_id=company)
    api = api_client(kernel, "sara")
    made = api.post("/api/base/communication", json={
        "partner_id": company, "kind": "call", "subject": "تماس", "started_at": "2026-11-20T07:00",
        "link_resource": "tasks.task", "link_id": task})
    assert made.status_code == 201, made.text
    assert made.json()["link_resource"] == "tasks.task"
    c = web_client(kernel, "sara")
    form = c.get("/base/communication/new", params={"link_resource": "tasks.task", "link_id": task}).text
    assert "نوع رکورد مرتبط" not in form and "شمارهٔ رکورد مرتبط" not in form
    assert 'type="hidden" id="f-link_resource" name="link_resource" value="tasks.task"' in form
    page = c.get(f"/base/communication/{made.json()['id']}").text
    assert "نوع رکورد مرتبط" not in page
    assert "نوع رکورد مرتبط" not in c.get("/tasks/task/new").text


def test_a_start_time_from_a_link_reads_in_persian_digits(make_kernel: Any, web_client: Any) -> None:
    kernel, _, company = sara_with_two_partners(make_kernel)
    c = web_client(kernel, "sara")
    html = c.get("/base/communication/new", params={"partner_id": company, "started_at": "1405/09/15 17:39"}).text
    assert 'name="started_at" value="۱۴۰۵/۰۹/۱۵ ۱۷:۳۹"' in html
    task = c.get("/tasks/task/new", params={"due_at": "1405/09/15 17:39"}).text
    assert 'name="due_at" value="۱۴۰۵/۰۹/۱۵ ۱۷:۳۹"' in task
    # What does not parse is left for the user to see and correct.
    assert 'value="tomorrow"' in c.get("/base/communication/new", params={"started_at": "tomorrow"}).text


def test_history_shows_what_the_form_shows_and_no_empty_changes(make_kernel: Any, web_client: Any) -> None:
    kernel, person, _ = sara_with_two_partners(make_kernel)
    c = web_client(kernel, "sara")
    edit = c.get(f"/base/partner/{person}/edit").text
    version = re.search(r'name="_version" value="([^"]*)"', edit)
    fields = {"kind": "person", "first_name": "مریم", "last_name": "احمدی", "gender": "female",
              "mobile": "09121234567", "birthday": "1370/10/23", "supplier_score": "1230",
              "csrf": csrf(c), "_version": version.group(1) if version else ""}
    assert c.post(f"/base/partner/{person}/edit", data=fields, follow_redirects=False).status_code == 303
    history = c.get(f"/base/partner/{person}").text.split('id="history"')[1]
    assert "ماه و روز تولد" not in history and "Birthday md" not in history and "Search key" not in history
    assert "۱۳۷۰/۱۰/۲۳" in history and "۱٬۲۳۰" in history and "1,230" not in history
    for change in re.findall(r"<div><b>([^<]*)</b>: (.*?)</div>", history):
        assert change[1].strip() not in ("—", "<s></s> ← —"), change


def test_a_refused_save_lists_its_errors_at_the_top_linked_to_the_fields(make_kernel: Any, web_client: Any) -> None:
    kernel, _, _ = sara_with_two_partners(make_kernel)
    c = web_client(kernel, "sara")
    resp = c.post("/base/partner/new", data={"csrf": csrf(c), "kind": "person", "mobile": "12", "email": "x"})
    assert resp.status_code == 400
    summary = resp.text.split("data-error-summary")[1].split("</div>")[0]
    assert 'href="#f-mobile"' in summary and 'href="#f-email"' in summary
    assert resp.text.index("data-error-summary") < resp.text.index('id="f-kind"')
