"""The clinic's demo shows the patient file in the first minute, once: patients with their file
numbers, diagnoses and allergies, a companion, and a lab result whose PDF opens."""

from __future__ import annotations

import re
from typing import Any

from kernel.demo import load_demo
from kernel.testing import create_user, pdf_text


def test_the_demo_fills_the_patient_files_once(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(modules=("medical",))
    create_user(kernel, "admin", admin=True)
    assert "7 diseases, 4 patients with their files, a companion, a lab result" in load_demo(kernel)
    assert "medical: already loaded" in load_demo(kernel)
    web = web_client(kernel, "admin")
    patients = web.get("/medical/patient/").text
    assert all(name in patients for name in ("مریم کریمی", "حسین رضایی", "زهرا احمدی", "علی موسوی"))
    listed = web.get("/medical/document/?q=HbA1c").text
    doc = re.findall(r'href="/medical/document/(\d+)"', listed)[0]
    page = web.get(f"/medical/document/{doc}").text
    att = re.findall(r'href="/attachments/(\d+)"', page)[0]
    by_insurance = web.get("/medical/patient/?q=1234567890").text
    assert "تأمین اجتماعی" in by_insurance
    pdf = web.get(f"/attachments/{att}")
    assert pdf.headers["content-type"] == "application/pdf" and "HbA1c" in "".join(pdf_text(pdf.content))
    report = web.get("/reports/medical.patients_per_disease").text
    assert "فشار خون" in report and "حساسیت به پنی‌سیلین" in report
