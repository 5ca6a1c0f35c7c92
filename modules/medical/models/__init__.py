"""The medical module's tables."""

from modules.medical.models.appointment import LIVE, STATES, Appointment, TakenSlot
from modules.medical.models.doctor import Doctor, DoctorGroup, GroupMember
from modules.medical.models.referral import Referral
from modules.medical.models.schedule import DayOff, Shift
from modules.medical.models.waiting import WaitingEntry

__all__ = ["LIVE", "STATES", "Appointment", "DayOff", "Doctor", "DoctorGroup", "GroupMember", "Referral", "Shift", "TakenSlot",
           "WaitingEntry"]
