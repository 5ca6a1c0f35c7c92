"""The patient file (MED-01) on the partner's 360° profile and under the patient's record page:
file number, insurance, blood group, companions (base's person relations, BASE-16) — and, only
for users with ``medical.records``, diagnoses, allergies and medical documents with their files."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlalchemy import select

from kernel import Panel
from kernel.models import Attachment
from modules.base.models import Partner
from modules.base.panels import PAGE, panel_markup
from modules.base.services.relations import relations_of
from modules.medical.models import Disease, Document, Patient, PatientDisease
from modules.medical.models.document import DOCUMENT_KINDS
from modules.medical.privacy import may_see_records

DOCUMENTS_SHOWN = 20


def file_context(kernel: Any, session: Any, actor: Any, partner: Any) -> dict[str, Any]:
    """What the file shows this user about ``partner``, every row read within their scope."""
    patient = session.scalars(kernel.scoped_select(actor, Patient).where(Patient.partner_id == partner.id)).first()
    companions = relations_of(session, partner.id, kind="companion")
    ids = {r.other_id for r in companions}
    visible = set(session.scalars(kernel.scoped_select(actor, Partner).with_only_columns(Partner.id)
                                  .where(Partner.id.in_(ids)))) if ids else set()
    ctx: dict[str, Any] = {"partner": partner, "patient": patient, "companions": [r for r in companions
                                                                                   if r.other_id in visible],
                           "records": may_see_records(actor), "diagnoses": [], "documents": [], "files": {},
                           "kind_labels": dict(DOCUMENT_KINDS),
                           "can_add_patient": actor.can("medical.patient.create"),
                           "can_add_diagnosis": actor.can("medical.patient_disease.create"),
                           "can_add_document": actor.can("medical.document.create")}
    if not ctx["records"]:
        return ctx
    ctx["diagnoses"] = session.execute(
        kernel.scoped_select(actor, PatientDisease).join(Disease, Disease.id == PatientDisease.disease_id)
        .where(PatientDisease.partner_id == partner.id)
        .with_only_columns(PatientDisease.id, Disease.name, Disease.kind, PatientDisease.since, PatientDisease.notes)
        .order_by(Disease.kind, Disease.name)).all()
    docs = session.scalars(kernel.scoped_select(actor, Document).where(Document.partner_id == partner.id)
                           .order_by(Document.taken_on.desc(), Document.id.desc()).limit(DOCUMENTS_SHOWN)).all()
    ctx["documents"] = docs
    if docs:
        files: dict[int, list[Any]] = {}
        for att in session.scalars(select(Attachment).where(
                Attachment.table_name == Document.__tablename__, Attachment.record_id.in_([d.id for d in docs]),
                Attachment.deleted_at.is_(None)).order_by(Attachment.id)):
            files.setdefault(att.record_id, []).append(att)
        ctx["files"] = files
    return ctx


def render(request: Any, kernel: Any, session: Any, actor: Any, record: Any, **_: Any) -> Markup | None:
    if getattr(record, "kind", "person") != "person":
        return None
    return panel_markup(request, "medical/file_panel.html", **file_context(kernel, session, actor, record))


def detail_slot(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    """Under the patient's record page: the same file."""
    if slot != "medical.patient.detail" or request is None:
        return None
    kernel, actor = request.app.state.kernel, request.state.actor
    with kernel.sessions() as session:
        partner = session.scalars(kernel.scoped_select(actor, Partner)
                                  .where(Partner.id == context["record"].partner_id)).first()
        if partner is None:
            return None
        return panel_markup(request, "medical/file_panel.html", **file_context(kernel, session, actor, partner))


def panels() -> list[Panel]:
    # After the clinic's appointments (60).
    return [Panel("medical.file", PAGE, "Medical file", render, permission="medical.patient.view", sequence=62)]
