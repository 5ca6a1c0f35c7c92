"""Demo of the patient file (MED-01, MED-02): the clinic's diseases and allergies with their
educational texts, four patients with files (numbers from the series, insurance, blood group),
their diagnoses, a companion, and a lab result with its PDF in the first patient's file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel import take_number
from kernel.documents import render_pdf
from kernel.models import Attachment, User
from kernel.timezone import local_today
from kernel.web.attachments import store_file
from modules.base.models import Partner, Relation
from modules.medical.file_resources import FILE_SERIES
from modules.medical.models import Disease, Document, Patient, PatientDisease

DEMO_MARK = "medical.demo_file"
DISEASES = (  # name, kind, educational SMS after a visit
    ("دیابت", "disease", "{name} عزیز، قند خون ناشتا را هر روز اندازه بگیرید و در دفترچه بنویسید. "
                         "پیاده‌روی روزانه ۳۰ دقیقه را فراموش نکنید."),
    ("فشار خون", "disease", "{name} عزیز، مصرف نمک را کم کنید و فشار خون را هفته‌ای دو بار بسنجید."),
    ("آسم", "disease", "{name} عزیز، اسپری خود را همیشه همراه داشته باشید و از دود و گرد و غبار دوری کنید."),
    ("کم‌کاری تیروئید", "disease", "{name} عزیز، قرص لووتیروکسین را صبح ناشتا با یک لیوان آب بخورید."),
    ("میگرن", "disease", None),
    ("حساسیت به پنی‌سیلین", "allergy", None),
    ("حساسیت به بادام‌زمینی", "allergy", None),
)
PATIENTS = (  # first, last, gender, mobile, insurer, insurance number, blood group, diseases
    ("مریم", "کریمی", "female", "+989121234501", "تأمین اجتماعی", "1234567890", "A+",
     ("دیابت", "فشار خون", "حساسیت به پنی‌سیلین")),
    ("حسین", "رضایی", "male", "+989121234502", "بیمه سلامت", "9876543210", "O+", ("فشار خون",)),
    ("زهرا", "احمدی", "female", "+989121234503", "بیمه ایران (تکمیلی)", "55-1403-778", "B-", ("آسم", "میگرن")),
    ("علی", "موسوی", "male", "+989121234504", None, None, "AB+", ("کم‌کاری تیروئید", "حساسیت به بادام‌زمینی")),
)
LAB_HTML = """<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/kernel/pdf.css"></head><body>
<h1>آزمایشگاه تشخیص طبی پیوند</h1><p>بیمار: مریم کریمی — نوع آزمایش: قند خون و HbA1c</p>
<table><tr><th>آزمایش</th><th>نتیجه</th><th>محدوده طبیعی</th></tr>
<tr><td>قند خون ناشتا</td><td>۱۴۲ mg/dL</td><td>۷۰–۱۰۰</td></tr>
<tr><td>HbA1c</td><td>۷٫۲٪</td><td>کمتر از ۵٫۷٪</td></tr></table></body></html>"""


def load(kernel: Any, session: Any) -> str:
    if kernel.setting(session, DEMO_MARK, ""):
        return "already loaded"
    admin = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    today = local_today(kernel.config.timezone)
    diseases: dict[str, Disease] = {}
    for name, kind, text in DISEASES:
        found = session.scalars(select(Disease).where(Disease.name == name)).first()
        diseases[name] = found or Disease(name=name, kind=kind, education_sms=text, owner_id=admin)
        session.add(diseases[name])
    people: list[Partner] = []
    for i, (first, last, gender, mobile, insurer, number, blood, names) in enumerate(PATIENTS):
        person = Partner(kind="person", first_name=first, last_name=last, gender=gender, mobile=mobile,
                         owner_id=admin)
        session.add(person)
        session.flush()
        people.append(person)
        session.add(Patient(partner_id=person.id, file_number=take_number(session, FILE_SERIES, today),
                            insurer=insurer, insurance_number=number, blood_group=blood, owner_id=admin,
                            notes="بیمار ترجیح می‌دهد نوبت‌ها صبح باشد." if i == 0 else None))
        for j, name in enumerate(names):
            session.flush()
            session.add(PatientDisease(partner_id=person.id, disease_id=diseases[name].id, owner_id=admin,
                                       since=today - dt.timedelta(days=400 * (j + 1))))
    companion = Partner(kind="person", first_name="رضا", last_name="کریمی", gender="male", mobile="+989121234599",
                        owner_id=admin)
    session.add(companion)
    session.flush()
    session.add(Relation(partner_id=people[0].id, kind="companion", other_id=companion.id,
                         notes="همسر بیمار؛ در ویزیت‌ها همراه است", owner_id=admin))
    doc = Document(partner_id=people[0].id, kind="lab", taken_on=today - dt.timedelta(days=3),
                   title="آزمایش قند خون و HbA1c", description="قند ناشتا ۱۴۲ و HbA1c ۷٫۲ درصد", owner_id=admin)
    session.add(doc)
    session.flush()
    pdf = render_pdf(LAB_HTML, kernel.static_dirs())
    session.add(Attachment(table_name=Document.__tablename__, record_id=doc.id, filename="lab-hba1c.pdf",
                           content_type="application/pdf", size=len(pdf),
                           sha256=store_file(kernel.config.files_dir, pdf), created_by_id=admin))
    kernel.set_setting(session, DEMO_MARK, "1")
    return f"{len(DISEASES)} diseases, {len(PATIENTS)} patients with their files, a companion, a lab result"
