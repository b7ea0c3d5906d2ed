"""Writes of the records hanging from a case: trafficking events, services delivered, support plans, legal
proceedings, documents and notes.

Pages and API endpoints call these functions and nothing else to write. Each one asks `case_access` who
may act (fails closed: a user who cannot see the case may do nothing), checks its input (dates not in the
future, values from the vocabularies), runs in one transaction and leaves an audit event whose detail
holds ids and field names only, never what people wrote.

Who writes what:
- trafficking events: the owner side only;
- services delivered, support plans, documents, notes: the owner side, or an organisation the case was
  referred to, for itself (the row carries the acting organisation);
- support plans are edited by the owner side, or by the receiving organisation that wrote them;
- legal proceedings: people of a law-enforcement, legal-service or central-government organisation that
  holds the case (`CaseAccess.can_record_proceedings`); each organisation edits its own;
- none of these on a closed or anonymised case (`CaseAccess.writable`), which stays readable.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.models import AuditEvent
from concord.cases import documents
from concord.cases import vocabulary as v
from concord.cases.access import PROCEEDING_ORG_TYPES, CaseAccess, case_access, ensure_writable
from concord.cases.models import (
    Case,
    CaseDocument,
    CaseNote,
    LegalProceeding,
    Referral,
    ReferralService,
    ServiceDelivery,
    SupportPlan,
    TraffickingEvent,
)
from concord.common.concurrency import changed_fields, claim_version
from concord.common.encryption import UndecryptableValueError

if TYPE_CHECKING:
    from concord.accounts.models import User

logger = logging.getLogger(__name__)

# The outcomes each stage of a proceeding can reach.
OUTCOMES_BY_STAGE: dict[str, tuple[str, ...]] = {
    LegalProceeding.Stage.INVESTIGATION: (
        LegalProceeding.Outcome.ONGOING,
        LegalProceeding.Outcome.CHARGES_FILED,
        LegalProceeding.Outcome.DISCONTINUED,
    ),
    LegalProceeding.Stage.PROSECUTION: (
        LegalProceeding.Outcome.ONGOING,
        LegalProceeding.Outcome.INDICTED,
        LegalProceeding.Outcome.DROPPED,
    ),
    LegalProceeding.Stage.COURT: (
        LegalProceeding.Outcome.ONGOING,
        LegalProceeding.Outcome.CONVICTED,
        LegalProceeding.Outcome.ACQUITTED,
        LegalProceeding.Outcome.APPEALED,
    ),
}

# The tabs whose viewing is audited (they hold what happened to the person, their files and notes).
AUDITED_TABS = ("events", "documents", "notes")


# --- Who acts for whom ----------------------------------------------------------------------------------


def acting_organisation_id(access: CaseAccess, case: Case) -> int | None:
    """The organisation the user writes for on this case: the owner on the owner side, otherwise the
    organisation the case was referred to (the lowest id if the user works for several)."""
    if access.owner_side:
        return case.owner_id
    return min(access.acting_organisation_ids) if access.acting_organisation_ids else None


def _writer_organisation_id(access: CaseAccess, case: Case) -> int:
    organisation_id = acting_organisation_id(access, case)
    if organisation_id is None:
        raise PermissionDenied
    return organisation_id


def proceeding_organisation_ids(access: CaseAccess) -> list[int]:
    """The user's organisations holding the case that record proceedings, lowest id first."""
    from concord.network.models import Organisation

    if not access.can_record_proceedings:
        return []
    return list(
        Organisation.objects.filter(pk__in=access.acting_organisation_ids, org_type__in=PROCEEDING_ORG_TYPES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def can_edit_support_plan(access: CaseAccess, plan: SupportPlan) -> bool:
    return access.writable and (access.owner_side or plan.organisation_id in access.acting_organisation_ids)


def can_edit_proceeding(access: CaseAccess, proceeding: LegalProceeding) -> bool:
    return proceeding.organisation_id in proceeding_organisation_ids(access)


def sees_tab(access: CaseAccess, tab: str) -> bool:
    """Whether the user may open a records tab of a case they can see. Events have no author
    organisation: the receiving side sees them only when shared. Proceedings: when shared, or when the
    user's organisation records them. The other tabs hold the receiving organisation's own rows too."""
    if tab == "events":
        return access.sees("events")
    if tab == "proceedings":
        return access.sees("proceedings") or access.records_proceedings
    return access.any


def _access(by: User, case: Case) -> CaseAccess:
    access = case_access(by, case)
    if not access.any:
        raise PermissionDenied
    return access


# --- Input rules ----------------------------------------------------------------------------------------


def _not_in_future(errors: dict[str, str], **dates: datetime.date | None) -> None:
    today = timezone.localdate()
    for name, value in dates.items():
        if value is not None and value > today:
            errors[name] = _("This date is in the future.")


def _raise(errors: Mapping[str, str]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _check_country(errors: dict[str, str], country: str) -> None:
    if country and (len(country) != 2 or pycountry.countries.get(alpha_2=country.upper()) is None):
        errors["country"] = _("Enter a two-letter ISO country code, such as AL or IT.")


def _check_choice(errors: dict[str, str], name: str, value: str, values: Iterable[str]) -> None:
    if value not in set(values):
        errors[name] = _("Choose one of the listed values.")


def _audit(*, action: str, by: User, target: Any, organisation_id: int | None, detail: dict) -> None:
    from concord.network.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    AuditEvent.record(action=action, actor=by, target=target, organisation=organisation, detail=detail)


# --- Viewing --------------------------------------------------------------------------------------------


@transaction.atomic
def record_tab_view(*, case: Case, by: User, tab: str, access: CaseAccess | None = None) -> None:
    """Leave a trace that the user opened one of the audited tabs of a case."""
    access = access or _access(by, case)
    _audit(
        action="cases.viewed",
        by=by,
        target=case,
        organisation_id=acting_organisation_id(access, case),
        detail={"tab": tab},
    )


# --- Trafficking events ---------------------------------------------------------------------------------


@transaction.atomic
def record_event(
    *,
    case: Case,
    by: User,
    event_type: str,
    date: datetime.date | None,
    country: str = "",
    state: str = "",
    city: str = "",
    description: str = "",
) -> TraffickingEvent:
    """Record one step of what happened to the person (hte_*). Owner side only."""
    ensure_writable(case)
    access = _access(by, case)
    if not access.owner_side:
        raise PermissionDenied
    errors: dict[str, str] = {}
    _check_choice(errors, "event_type", event_type, v.EventType.values)
    _not_in_future(errors, date=date)
    _check_country(errors, country)
    _raise(errors)
    event = TraffickingEvent.objects.create(
        case=case,
        event_type=event_type,
        date=date,
        country=country.upper(),
        state=state,
        city=city,
        description=description,
        recorded_by=by,
    )
    _audit(
        action="cases.event_recorded",
        by=by,
        target=event,
        organisation_id=case.owner_id,
        detail={"case": case.pk, "event": event.pk},
    )
    return event


# --- Services delivered ---------------------------------------------------------------------------------


def linkable_referrals(*, case: Case, by: User, access: CaseAccess) -> Any:
    """Referrals of this case sent by or to the acting organisation, among those the user may see."""
    from django.db.models import Q

    organisation_id = acting_organisation_id(access, case)
    return (
        Referral.objects.visible_to(by)
        .filter(case=case)
        .filter(Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id))
        .select_related("from_organisation", "to_organisation")
    )


@transaction.atomic
def record_service(
    *,
    case: Case,
    by: User,
    service: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    outcome: str = ServiceDelivery.Outcome.ONGOING,
    notes: str = "",
    referral: Referral | None = None,
) -> ServiceDelivery:
    """Record a service the acting organisation gives the person: the owner side for the owner, the
    receiving side for itself. An optional referral must be of this case, to or from that organisation."""
    ensure_writable(case)
    access = _access(by, case)
    organisation_id = _writer_organisation_id(access, case)
    errors: dict[str, str] = {}
    _check_choice(errors, "service", service, ReferralService.values)
    _check_choice(errors, "outcome", outcome, ServiceDelivery.Outcome.values)
    _not_in_future(errors, started_on=started_on, ended_on=ended_on)
    if ended_on is not None and ended_on < started_on:
        errors["ended_on"] = _("The end cannot be before the start.")
    if (
        referral is not None
        and not linkable_referrals(case=case, by=by, access=access).filter(pk=referral.pk).exists()
    ):
        errors["referral"] = _("Choose a referral of this case to or from your organisation.")
    _raise(errors)
    delivery = ServiceDelivery.objects.create(
        case=case,
        organisation_id=organisation_id,
        service=service,
        referral=referral,
        started_on=started_on,
        ended_on=ended_on,
        outcome=outcome,
        notes=notes,
        recorded_by=by,
    )
    _audit(
        action="cases.service_recorded",
        by=by,
        target=delivery,
        organisation_id=organisation_id,
        detail={
            "case": case.pk,
            "service_delivery": delivery.pk,
            "referral": referral.pk if referral else None,
        },
    )
    return delivery


# --- Support plans --------------------------------------------------------------------------------------


def _check_plan(
    *,
    plan_type: str,
    planned_end_date: datetime.date | None,
    actual_end_date: datetime.date | None,
    started: datetime.date,
) -> None:
    errors: dict[str, str] = {}
    _check_choice(errors, "plan_type", plan_type, v.SupportPlanType.values)
    _not_in_future(errors, actual_end_date=actual_end_date)
    if planned_end_date is not None and planned_end_date < started:
        errors["planned_end_date"] = _("The planned end cannot be before the plan was made.")
    if actual_end_date is not None and actual_end_date < started and "actual_end_date" not in errors:
        errors["actual_end_date"] = _("The end cannot be before the plan was made.")
    _raise(errors)


@transaction.atomic
def add_support_plan(
    *,
    case: Case,
    by: User,
    plan_type: str,
    objectives: str = "",
    action_plan: str = "",
    planned_end_date: datetime.date | None = None,
    actual_end_date: datetime.date | None = None,
    review_on: datetime.date | None = None,
) -> SupportPlan:
    """Add a support plan (spl_*) for the acting organisation: the owner side, or the receiving side for
    its own plan."""
    ensure_writable(case)
    access = _access(by, case)
    organisation_id = _writer_organisation_id(access, case)
    _check_plan(
        plan_type=plan_type,
        planned_end_date=planned_end_date,
        actual_end_date=actual_end_date,
        started=timezone.localdate(),
    )
    plan = SupportPlan.objects.create(
        case=case,
        organisation_id=organisation_id,
        plan_type=plan_type,
        objectives=objectives,
        action_plan=action_plan,
        planned_end_date=planned_end_date,
        actual_end_date=actual_end_date,
        review_on=review_on,
        created_by=by,
    )
    _audit(
        action="cases.support_plan_added",
        by=by,
        target=plan,
        organisation_id=organisation_id,
        detail={"case": case.pk, "support_plan": plan.pk},
    )
    return plan


@transaction.atomic
def update_support_plan(
    *,
    plan: SupportPlan,
    by: User,
    expected_version: int | None,
    plan_type: str,
    objectives: str,
    action_plan: str,
    planned_end_date: datetime.date | None,
    actual_end_date: datetime.date | None,
    review_on: datetime.date | None,
) -> SupportPlan:
    """Change a support plan: the owner side, or the receiving organisation that wrote it. Refused when
    someone else saved it since `expected_version` was read."""
    ensure_writable(plan.case)
    access = _access(by, plan.case)
    if not can_edit_support_plan(access, plan):
        raise PermissionDenied
    _check_plan(
        plan_type=plan_type,
        planned_end_date=planned_end_date,
        actual_end_date=actual_end_date,
        started=timezone.localtime(plan.created_at).date(),
    )
    claim_version(plan, expected_version=expected_version)
    values: dict[str, Any] = {
        "plan_type": plan_type,
        "objectives": objectives,
        "action_plan": action_plan,
        "planned_end_date": planned_end_date,
        "actual_end_date": actual_end_date,
        "review_on": review_on,
    }
    # Encrypted columns cannot be compared in SQL: compare them with the values read before this change.
    stored = SupportPlan.objects.get(pk=plan.pk)
    changed = [name for name, value in values.items() if getattr(stored, name) != value]
    for name, value in values.items():
        setattr(plan, name, value)
    plan.save(update_fields=[*values, "version"])
    _audit(
        action="cases.support_plan_updated",
        by=by,
        target=plan,
        organisation_id=acting_organisation_id(access, plan.case),
        detail={"case": plan.case_id, "support_plan": plan.pk, "fields": changed, "version": plan.version},
    )
    return plan


# --- Legal proceedings ----------------------------------------------------------------------------------


def _check_proceeding(
    *,
    stage: str,
    outcome: str,
    opened_on: datetime.date,
    closed_on: datetime.date | None,
    sentence_months: int | None,
    compensation_awarded_eur: Decimal | None,
    protection_measures: list[str],
) -> None:
    errors: dict[str, str] = {}
    _check_choice(errors, "stage", stage, LegalProceeding.Stage.values)
    _check_choice(errors, "outcome", outcome, LegalProceeding.Outcome.values)
    if "stage" not in errors and "outcome" not in errors and outcome not in OUTCOMES_BY_STAGE[stage]:
        errors["outcome"] = _("This outcome cannot be reached at this stage.")
    _not_in_future(errors, opened_on=opened_on, closed_on=closed_on)
    if closed_on is not None and closed_on < opened_on and "closed_on" not in errors:
        errors["closed_on"] = _("It cannot close before it opened.")
    if sentence_months is not None and outcome not in (
        LegalProceeding.Outcome.CONVICTED,
        LegalProceeding.Outcome.APPEALED,
    ):
        errors["sentence_months"] = _("A sentence follows a conviction only.")
    if compensation_awarded_eur is not None and stage != LegalProceeding.Stage.COURT:
        errors["compensation_awarded_eur"] = _("Only a court awards compensation.")
    if not set(protection_measures) <= set(LegalProceeding.ProtectionMeasure.values):
        errors["protection_measures"] = _("Choose among the listed protection measures.")
    _raise(errors)


@transaction.atomic
def record_proceeding(
    *,
    case: Case,
    by: User,
    stage: str,
    opened_on: datetime.date,
    outcome: str = LegalProceeding.Outcome.ONGOING,
    closed_on: datetime.date | None = None,
    reference: str = "",
    offence: str = "",
    sentence_months: int | None = None,
    defendants: int | None = None,
    compensation_claimed: bool = False,
    compensation_awarded_eur: Decimal | None = None,
    statement_given: bool = False,
    joint_interview: bool = False,
    protection_measures: Iterable[str] = (),
    notes: str = "",
) -> LegalProceeding:
    """Record an investigation, prosecution or court case and the victim's part in it. Only people of a
    law-enforcement, legal-service or central-government organisation holding the case."""
    ensure_writable(case)
    access = _access(by, case)
    organisations = proceeding_organisation_ids(access)
    if not organisations:
        raise PermissionDenied
    measures = list(dict.fromkeys(protection_measures))
    _check_proceeding(
        stage=stage,
        outcome=outcome,
        opened_on=opened_on,
        closed_on=closed_on,
        sentence_months=sentence_months,
        compensation_awarded_eur=compensation_awarded_eur,
        protection_measures=measures,
    )
    proceeding = LegalProceeding.objects.create(
        case=case,
        organisation_id=organisations[0],
        stage=stage,
        reference=reference,
        offence=offence,
        opened_on=opened_on,
        closed_on=closed_on,
        outcome=outcome,
        sentence_months=sentence_months,
        defendants=defendants,
        compensation_claimed=compensation_claimed,
        compensation_awarded_eur=compensation_awarded_eur,
        statement_given=statement_given,
        joint_interview=joint_interview,
        protection_measures=measures,
        notes=notes,
        recorded_by=by,
    )
    _audit(
        action="cases.proceeding_recorded",
        by=by,
        target=proceeding,
        organisation_id=organisations[0],
        detail={"case": case.pk, "proceeding": proceeding.pk},
    )
    return proceeding


# The plain (not encrypted) fields of a proceeding that an edit may change; `changed_fields` compares
# them in SQL. The encrypted ones (reference, notes) are compared in Python.
_PROCEEDING_PLAIN_FIELDS = (
    "stage",
    "offence",
    "opened_on",
    "closed_on",
    "outcome",
    "sentence_months",
    "defendants",
    "compensation_claimed",
    "compensation_awarded_eur",
    "statement_given",
    "joint_interview",
    "protection_measures",
)


@transaction.atomic
def update_proceeding(
    *, proceeding: LegalProceeding, by: User, expected_version: int | None, **values: Any
) -> LegalProceeding:
    """Change a proceeding (any of `_PROCEEDING_PLAIN_FIELDS`, `reference`, `notes`): only people of the
    organisation that recorded it, while it records proceedings and holds the case. Refused when stale."""
    ensure_writable(proceeding.case)
    allowed = {*_PROCEEDING_PLAIN_FIELDS, "reference", "notes"}
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"update_proceeding() got unexpected fields: {sorted(unknown)}")
    access = _access(by, proceeding.case)
    if not can_edit_proceeding(access, proceeding):
        raise PermissionDenied
    if "protection_measures" in values:
        values["protection_measures"] = list(dict.fromkeys(values["protection_measures"]))
    merged = {name: values.get(name, getattr(proceeding, name)) for name in allowed}
    _check_proceeding(
        stage=merged["stage"],
        outcome=merged["outcome"],
        opened_on=merged["opened_on"],
        closed_on=merged["closed_on"],
        sentence_months=merged["sentence_months"],
        compensation_awarded_eur=merged["compensation_awarded_eur"],
        protection_measures=merged["protection_measures"],
    )
    claim_version(proceeding, expected_version=expected_version)
    stored = LegalProceeding.objects.get(pk=proceeding.pk)
    changed = changed_fields(proceeding, {k: merged[k] for k in _PROCEEDING_PLAIN_FIELDS})
    changed += [name for name in ("reference", "notes") if getattr(stored, name) != merged[name]]
    for name, value in merged.items():
        setattr(proceeding, name, value)
    proceeding.save(update_fields=[*sorted(allowed), "version"])
    _audit(
        action="cases.proceeding_updated",
        by=by,
        target=proceeding,
        organisation_id=proceeding.organisation_id,
        detail={
            "case": proceeding.case_id,
            "proceeding": proceeding.pk,
            "fields": changed,
            "version": proceeding.version,
        },
    )
    return proceeding


# --- Documents ------------------------------------------------------------------------------------------


def upload_document(*, case: Case, by: User, kind: str, title: str, data: bytes) -> CaseDocument:
    """Store a document for the acting organisation (owner side, or the receiving side for itself):
    size and type checked (cases/documents.py), the file encrypted at a random name, the sha256 of the
    plaintext and the encrypted title recorded. All or nothing: if the database write fails, the file
    written is removed."""
    ensure_writable(case)
    access = _access(by, case)
    organisation_id = _writer_organisation_id(access, case)
    errors: dict[str, str] = {}
    _check_choice(errors, "kind", kind, CaseDocument.Kind.values)
    if not title.strip():
        errors["title"] = _("This field is required.")
    _raise(errors)
    checked = documents.check_upload(data)
    document = CaseDocument(
        case=case,
        organisation_id=organisation_id,
        kind=kind,
        title=title.strip(),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    document.file.save("document.bin", ContentFile(documents.encrypt_bytes(checked.data)), save=False)
    try:
        with transaction.atomic():
            document.save()
            _audit(
                action="cases.document_uploaded",
                by=by,
                target=document,
                organisation_id=organisation_id,
                detail={
                    "case": case.pk,
                    "document": document.pk,
                },
            )
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


class DocumentUnavailableError(Exception):
    """The stored file is missing, no key opens it, or it no longer matches its recorded checksum."""


@transaction.atomic
def download_document(*, document: CaseDocument, by: User) -> bytes:
    """The decrypted bytes of a document the user may see, with an audit event (an export). Nothing is
    audited when the file cannot be given out (`DocumentUnavailableError`)."""
    access = _access(by, document.case)
    if not CaseDocument.objects.visible_to(by).filter(pk=document.pk).exists():
        raise PermissionDenied
    try:
        with document.file.open("rb") as stored:
            data = documents.decrypt_bytes(stored.read())
    except (OSError, ValueError, UndecryptableValueError) as error:
        logger.error("Case document %s cannot be read (%s).", document.pk, type(error).__name__)
        raise DocumentUnavailableError from error
    if hashlib.sha256(data).hexdigest() != document.sha256:
        logger.error("Case document %s does not match its recorded checksum.", document.pk)
        raise DocumentUnavailableError
    _audit(
        action="cases.document_downloaded",
        by=by,
        target=document,
        organisation_id=acting_organisation_id(access, document.case),
        detail={"case": document.case_id, "document": document.pk, "export": True},
    )
    return data


# --- Notes ----------------------------------------------------------------------------------------------


@transaction.atomic
def add_note(*, case: Case, by: User, text: str) -> CaseNote:
    """A note (cco_CaseComment) by the acting organisation. Anyone who holds the case writes notes for
    their own organisation; others see them only if the owner shares notes."""
    ensure_writable(case)
    access = _access(by, case)
    organisation_id = _writer_organisation_id(access, case)
    if not text.strip():
        raise ValidationError({"text": _("This field is required.")})
    note = CaseNote.objects.create(case=case, organisation_id=organisation_id, author=by, text=text.strip())
    _audit(
        action="cases.note_added",
        by=by,
        target=note,
        organisation_id=organisation_id,
        detail={"case": case.pk, "note": note.pk},
    )
    return note
