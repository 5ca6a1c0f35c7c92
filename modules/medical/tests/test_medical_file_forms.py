"""The patient file as a clinic types it (MED-01): a file number typed in Persian digits or taken
from the series, one file per person and one row per disease (refused in Persian, nothing saved),
a document dated in Jalali, and the patients-per-disease report counting each patient once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.testing import create_record, create_user, csrf
from modules.medical.models import Document, Patient, PatientDisease

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_file_is_typed_in_persian_and_counted_per_disease(make_kernel: Any, web_client: Any, engine: str) -> None:
    kernel = make_kernel(modules=("medical",), engine=engine)
    create_user(kernel, "doctor", perms=("base.partner.view", "medical.patient.*", "medical.disease.*",
                                         "medical.patient_disease.*", "medical.document.*", "medical.records",
                                         "medical.patients_per_disease.report"))
    people = [create_record(kernel, None, "base.partner", kind="person", first_name=f, last_name="کریمی")
              for f in ("مریم", "رضا", "سارا")]
    web = web_client(kernel, "doctor")
    token = csrf(web, "/medical/patient/new")

    typed = web.post("/medical/patient/new", data={"csrf": token, "partner_id": people[0], "file_number": "ک-۱۲۳",
                                                   "insurer": "بيمه ايران", "blood_group": "A+"},
                     follow_redirects=False)
    assert typed.status_code == 303
    numbered = web.post("/medical/patient/new", data={"csrf": token, "partner_id": people[1], "file_number": ""},
                        follow_redirects=False)
    assert numbered.status_code == 303
    again = web.post("/medical/patient/new", data={"csrf": token, "partner_id": people[0], "file_number": "۱۲۳"})
    same_number = web.post("/medical/patient/new", data={"csrf": token, "partner_id": people[2], "file_number": "ک-123"})
    assert again.status_code == 400 and "این شخص پیش‌تر پرونده پزشکی دارد" in again.text
    assert same_number.status_code == 400 and "این شماره پرونده از آنِ بیمار دیگری است" in same_number.text
    with kernel.sessions() as s:
        files = {p: n for p, n in s.execute(select(Patient.partner_id, Patient.file_number))}
    assert files[people[0]] == "ک-123" and files[people[1]].startswith("P-") and people[2] not in files
    # Searching the patients by the number typed in Persian digits, or the insurer with Arabic letters.
    assert "ک-۱۲۳" in web.get("/medical/patient/?q=۱۲۳").text
    assert "بیمه ایران" in web.get("/medical/patient/?q=بيمه").text

    diabetes = create_record(kernel, None, "medical.disease", name="دیابت")
    asthma = create_record(kernel, None, "medical.disease", name="آسم")
    nuts = create_record(kernel, None, "medical.disease", name="بادام‌زمینی", kind="allergy")
    for pid, disease in ((people[0], diabetes), (people[1], diabetes), (people[1], asthma), (people[0], nuts)):
        resp = web.post("/medical/patient_disease/new", data={"csrf": token, "partner_id": pid, "disease_id": disease,
                                                              "since": "۱۴۰۳/۰۱/۰۱"}, follow_redirects=False)
        assert resp.status_code == 303
    twice = web.post("/medical/patient_disease/new", data={"csrf": token, "partner_id": people[0],
                                                           "disease_id": diabetes})
    assert "این بیماری پیش‌تر در پرونده این بیمار ثبت شده است" in twice.text
    doc = web.post("/medical/document/new", data={"csrf": token, "partner_id": people[0], "kind": "lab",
                                                  "taken_on": "۱۴۰۴/۰۲/۱۱", "title": "آزمایش چربی خون"},
                   follow_redirects=False)
    assert doc.status_code == 303
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(PatientDisease)) == 4
        assert s.scalars(select(Document.taken_on)).one() == dt.date(2025, 5, 1)
    # The patients grouped by one disease, and the report's counts.
    by_disease = web.get(f"/medical/patient_disease/?f_disease_id={diabetes}").text
    assert "مریم کریمی" in by_disease and "رضا کریمی" in by_disease
    report = web.get("/reports/medical.patients_per_disease")
    assert report.status_code == 200
    rows = report.text.split("<tbody", 1)[1]
    assert rows.index("دیابت") < rows.index("آسم") and "۲" in rows.split("دیابت", 1)[1].split("</tr>", 1)[0]
    allergies = web.get("/reports/medical.patients_per_disease?kind=allergy").text.split("<tbody", 1)[1]
    assert "بادام‌زمینی" in allergies and "دیابت" not in allergies
    assert web.get("/reports/medical.patients_per_disease.xlsx").status_code == 200
    # The file on the profile: the date in Jalali, the document and the allergy marked.
    profile = web.get(f"/base/partner/{people[0]}/profile").text
    assert "۱۴۰۴/۰۲/۱۱" in profile and "آزمایش چربی خون" in profile and 'data-kind="allergy"' in profile
