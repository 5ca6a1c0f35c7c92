"""What the calendar half of the medical module declares: permissions, menu, routes, the
appointment's date source and SMS placeholders, reports, role templates, and the reactions to a
new referral. ``hooks.py`` delegates here in one line per hook."""

from __future__ import annotations

from typing import Any

from kernel import DateSource, MenuItem, Permission, RoleTemplate

RECORDS = "medical.records"  # the medical file's permission (defined by the medical-file part)
REPORTS = ("medical.no_show.report", "medical.per_day.report")
VIEWS = ("medical.appointment.view", "medical.doctor.view", "medical.doctor_group.view", "medical.group_member.view",
         "medical.shift.view", "medical.day_off.view")


def permissions() -> list[Permission]:
    return [Permission("medical.appointment.book", "Book and move appointments"),
            Permission("medical.appointment.state", "Mark appointments arrived, seen, no-show or cancelled")]


def menu_items() -> list[MenuItem]:
    view = "medical.appointment.view"
    return [
        MenuItem("medical.menu", "Clinic", "", permission=view, sequence=26, icon="users"),
        MenuItem("medical.calendar", "Calendar", "/medical/calendar", view, parent="medical.menu", sequence=10),
        MenuItem("medical.appointments", "Appointments", "/medical/appointment/", view, parent="medical.menu",
                 sequence=20),
        MenuItem("medical.referrals", "Referrals", "/medical/referral/?f_state=open", "medical.referral.view",
                 parent="medical.menu", sequence=30),
        MenuItem("medical.waiting", "Waiting list", "/medical/waiting/", "medical.waiting.view", parent="medical.menu",
                 sequence=40),
        MenuItem("medical.doctors", "Doctors", "/medical/doctor/", "medical.doctor.view", parent="medical.menu",
                 sequence=50),
        MenuItem("medical.groups", "Groups of doctors", "/medical/doctor_group/", "medical.doctor_group.view",
                 parent="medical.menu", sequence=60),
        MenuItem("medical.members", "Doctors in groups", "/medical/group_member/", "medical.group_member.view",
                 parent="medical.menu", sequence=65),
        MenuItem("medical.shifts", "Weekly shifts", "/medical/shift/", "medical.shift.view", parent="medical.menu",
                 sequence=70),
        MenuItem("medical.days_off", "Doctors' days off", "/medical/day_off/", "medical.day_off.view",
                 parent="medical.menu", sequence=80),
    ]


def date_sources() -> list[DateSource]:
    from modules.medical.models import Appointment

    # The appointment day and the day before: marketing's "send before a date" rules read this.
    return [DateSource("medical.appointment_start", "Appointment times", "medical.appointment", "start_at",
                       user_field="doctor_user_id", partner_field="patient_id",
                       open=lambda m: Appointment.state == "booked")]


def placeholders() -> list[Any]:
    from modules.marketing.placeholders import Placeholder
    from modules.medical.services.sms import appointment_day, appointment_time, doctor_name

    return [Placeholder("appointment_time", "Appointment time", appointment_time, sequence=70),
            Placeholder("appointment_day", "Appointment day", appointment_day, sequence=71),
            Placeholder("doctor_name", "Doctor's name", doctor_name, sequence=72)]


def role_templates() -> list[RoleTemplate]:
    desk = (*VIEWS, "medical.appointment.book", "medical.appointment.state", "medical.appointment.export", "medical.appointment.print",
            "medical.referral.*", "medical.waiting.*", "base.partner.view", "base.partner.create", "base.partner.edit",
            *REPORTS)
    doctor = (*VIEWS, "medical.appointment.state", "medical.referral.view", "medical.referral.create",
              "medical.referral.edit", "base.partner.view", RECORDS)
    return [RoleTemplate("medical.receptionist", "Clinic receptionist", desk, record_scope="all"),
            RoleTemplate("medical.doctor", "Doctor", doctor, record_scope="own")]


def on_event(event: Any, session: Any, kernel: Any) -> None:
    from kernel import RecordChanged

    if isinstance(event, RecordChanged) and event.resource == "medical.referral" and event.action == "create":
        from modules.medical.services.referrals import alarm_doctors

        alarm_doctors(kernel, session, event.record_id)
