"""The medical file and its privacy rule (MED-01, issue 16): a doctor holding ``medical.records``
sees a patient's diseases, allergies and documents everywhere; a receptionist with the very same
resource permissions but without ``medical.records`` sees none of them on any path — lists,
exports (xlsx, csv, PDF), the API, the top-bar search, the recycle bin, the partner's 360°
profile, the patient's page, record pages with their history, the report and the attachment's download."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from kernel import migrations, records
from kernel.actor import SYSTEM
from kernel.testing import create_record, create_user, csrf, pdf_text

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
COMMON = ("base.partner.view", "medical.patient.*", "medical.disease.view", "medical.document.*",
          "medical.patient_disease.*", "medical.patients_per_disease.report", "kernel.trash.view")
SECRETS = ("دیابت", "پنی‌سیلین", "آزمایش قند خون", "hba1c.pdf", "سونوگرافی کبد")


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
                    if c is not None)


def _shown(html: str) -> str:
    """A page without its list filters: their drop-downs offer the clinic's table of diseases
    (reference data, no patient's), never whose they are."""
    return re.sub(r'<form method="get"[^>]*class="filters.*?</form>', "", html, flags=re.S)


def _paths(pid: int, patient: int, doc: int, diag: int) -> dict[str, str]:
    return {
        "document list": "/medical/document/", "diagnosis list": "/medical/patient_disease/",
        "diagnosis list by disease": "/medical/patient_disease/?f_disease_id=1",
        "document csv": "/medical/document/export.csv", "diagnosis csv": "/medical/patient_disease/export.csv",
        "search": "/search?q=قند", "search note": "/search?q=ماهانه",
        "profile": f"/base/partner/{pid}/profile", "patient page": f"/medical/patient/{patient}",
        "document page": f"/medical/document/{doc}", "diagnosis page": f"/medical/patient_disease/{diag}",
        "report": "/reports/medical.patients_per_disease", "recycle bin": "/trash",
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_diagnoses_and_documents_reach_the_doctor_and_never_the_receptionist(
        make_kernel: Any, web_client: Any, api_client: Any, engine: str) -> None:
    kernel = make_kernel(modules=("medical",), engine=engine)
    assert migrations.diff(kernel) == [] and not migrations.pending(kernel)  # the branch matches the models
    create_user(kernel, "doctor", perms=(*COMMON, "medical.records"))
    create_user(kernel, "reception", perms=COMMON)
    pid = create_record(kernel, None, "base.partner", kind="person", first_name="مریم", last_name="کریمی",
                        mobile="+989121110000")
    companion = create_record(kernel, None, "base.partner", kind="person", first_name="رضا", last_name="کریمی")
    create_record(kernel, None, "base.relation", partner_id=pid, other_id=companion, kind="companion")
    patient = create_record(kernel, None, "medical.patient", partner_id=pid, file_number="",
                            insurer="تأمین اجتماعی", insurance_number="12345678")
    diabetes = create_record(kernel, None, "medical.disease", name="دیابت", kind="disease")
    penicillin = create_record(kernel, None, "medical.disease", name="پنی‌سیلین", kind="allergy")
    diag = create_record(kernel, None, "medical.patient_disease", partner_id=pid, disease_id=diabetes,
                         since=dt.date(2024, 3, 20), notes="کنترل ماهانه")
    create_record(kernel, None, "medical.patient_disease", partner_id=pid, disease_id=penicillin)
    doc = create_record(kernel, None, "medical.document", partner_id=pid, kind="lab", taken_on=dt.date(2025, 5, 1),
                        title="آزمایش قند خون", description="HbA1c")
    binned = create_record(kernel, None, "medical.document", partner_id=pid, kind="imaging",
                           taken_on=dt.date(2025, 4, 1), title="سونوگرافی کبد")
    with kernel.session() as s:
        records.delete_record(kernel, s, SYSTEM, kernel.resources["medical.document"], binned)

    doctor, reception = web_client(kernel, "doctor"), web_client(kernel, "reception")
    up = doctor.post("/attachments", data={"csrf": csrf(doctor, f"/medical/document/{doc}"),
                                           "resource": "medical.document", "record_id": str(doc)},
                     files={"file": ("hba1c.pdf", b"%PDF-1.4 result", "application/pdf")}, follow_redirects=False)
    assert up.status_code == 303
    profile = doctor.get(f"/base/partner/{pid}/profile").text
    # The file number came from the series; the doctor's file holds everything, with the file's link.
    assert "P-" in profile and "تأمین اجتماعی" in profile and "رضا کریمی" in profile
    assert all(s in profile for s in SECRETS[:-1])  # not the one in the recycle bin
    att = profile.split('href="/attachments/', 1)[1].split('"', 1)[0]
    paths = _paths(pid, patient, doc, diag)
    paths["diagnosis list by disease"] = f"/medical/patient_disease/?f_disease_id={diabetes}"

    # The doctor: every path shows them.
    for name, path in paths.items():
        resp = doctor.get(path)
        assert resp.status_code == 200, name
        expected = {"document list": "آزمایش قند خون", "document csv": "آزمایش قند خون",
                    "diagnosis page": "دیابت", "search note": f'href="/medical/patient_disease/{diag}"',
                    "search": f'href="/medical/document/{doc}"',
                    "document page": "hba1c.pdf", "recycle bin": "سونوگرافی کبد"}.get(name, "دیابت")
        assert expected in resp.text, name
    assert "آزمایش قند خون" in _xlsx_text(doctor.get("/medical/document/export.xlsx").content)
    assert "آزمایش قند خون" in "".join(pdf_text(doctor.get("/medical/document/export.pdf").content))
    assert doctor.get(f"/attachments/{att}").content == b"%PDF-1.4 result"
    api_doc = api_client(kernel, "doctor")
    assert api_doc.get(f"/api/medical/document/{doc}").json()["title"] == "آزمایش قند خون"
    assert "دیابت" in api_doc.get("/api/medical/patient_disease").text

    # The receptionist: the administrative file yes, the diagnoses and documents nowhere.
    for name, path in paths.items():
        resp = reception.get(path)
        if name in ("document page", "diagnosis page"):
            assert resp.status_code == 404, name
        elif name == "report":
            assert resp.status_code == 403, name
        else:
            assert resp.status_code == 200, name
        if name.startswith("search"):  # the page repeats what was typed; it finds nothing of the file
            assert f"/medical/document/{doc}" not in resp.text, name
            assert f"/medical/patient_disease/{diag}" not in resp.text, name
            continue
        assert not any(s in _shown(resp.text) for s in SECRETS), name
        assert "HbA1c" not in _shown(resp.text), name
    r_profile = reception.get(f"/base/partner/{pid}/profile").text
    assert "P-" in r_profile and "تأمین اجتماعی" in r_profile and "رضا کریمی" in r_profile
    assert not any(s in _xlsx_text(reception.get(f"/medical/{t}/export.xlsx").content) for s in SECRETS
                   for t in ("document", "patient_disease", "patient"))
    assert not any(s in "".join(pdf_text(reception.get(f"/medical/{t}/export.pdf").content)) for s in SECRETS
                   for t in ("document", "patient_disease"))
    for path in ("/reports/medical.patients_per_disease.xlsx", "/reports/medical.patients_per_disease.pdf"):
        assert reception.get(path).status_code == 403, path
    assert reception.get(f"/attachments/{att}").status_code == 404
    api = api_client(kernel, "reception")
    assert api.get(f"/api/medical/document/{doc}").status_code == 404
    assert api.get(f"/api/medical/patient_disease/{diag}").status_code == 404
    for thing in ("document", "patient_disease"):
        listed = api.get(f"/api/medical/{thing}")
        assert listed.status_code == 200 and not any(s in listed.text for s in SECRETS), thing
    # A write is refused too: a receptionist cannot add a diagnosis they could never see.
    added = api.patch(f"/api/medical/patient_disease/{diag}", json={"notes": "x"})
    assert added.status_code == 404
    assert api.get(f"/api/medical/patient/{patient}").json()["insurer"] == "تأمین اجتماعی"
