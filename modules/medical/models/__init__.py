"""The medical module's tables: the calendar's, and the patient's file."""

from modules.medical.models.appointment import LIVE, STATES, Appointment, TakenSlot
from modules.medical.models.disease import Disease, EducationSent, PatientDisease
from modules.medical.models.doctor import Doctor, DoctorGroup, GroupMember
from modules.medical.models.document import Document
from modules.medical.models.patient import Patient
from modules.medical.models.referral import Referral
from modules.medical.models.schedule import DayOff, Shift
from modules.medical.models.waiting import WaitingEntry

__all__ = ["LIVE", "STATES", "Appointment", "DayOff", "Disease", "Doctor", "DoctorGroup", "Document", "EducationSent",
           "GroupMember", "Patient", "PatientDisease", "Referral", "Shift", "TakenSlot", "WaitingEntry"]
