"""The patient's medical file (medfile's half of the module's models)."""

from modules.medical.models.disease import Disease, EducationSent, PatientDisease
from modules.medical.models.document import Document
from modules.medical.models.patient import Patient

__all__ = ["Disease", "Document", "EducationSent", "Patient", "PatientDisease"]
