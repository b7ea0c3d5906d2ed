"""Writes of the case itself: opening it, its profile and identity, the trafficking status decision,
assignments, closing and reopening, transfer of ownership, and anonymisation after the retention period.

Pages and API endpoints call these functions and nothing else to write. Each one checks `cases/access.py`,
runs in one transaction and leaves an audit event whose detail holds ids, codes and field names only:
never a name, a date of birth, an identity number or the text people wrote.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pycountry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.models import AuditEvent
from concord.cases import vocabulary as v
from concord.cases.access import CaseAccess, case_access, ensure_writable
from concord.cases.models import IDENTITY_FIELDS, Case, CaseAssignment
from concord.cases.querysets import case_roles
from concord.common.concurrency import changed_fields, claim_version
from concord.common.encryption import blind_index
from concord.network.languages import unknown_language_codes

if TYPE_CHECKING:
    from concord.accounts.models import User
    from concord.network.models import Organisation


# --- What each side reads --------------------------------------------------------------------------------

# The referral card: what every organisation that sees the case reads, names never among them.
CARD_FIELDS = (
    "code",
    "status",
    "owner",
    "region",
    "sex",
    "age_band",
    "trafficking_status",
)
# The risk section always travels with a referral.
RISK_FIELDS = ("risk_level", "risk_summary")
# The non-identifying profile: the owner side, and receivers the referral shares "profile" with.
PROFILE_FIELDS = (
    "gender",
    "marital_status",
    "number_of_children",
    "education",
    "primary_language",
    "secondary_language",
    "citizenship",
    "mailing_country",
    "age_at_identification",
    "identified_on",
    "country_of_exploitation",
    "migration_status",
    "relationship_to_trafficker",
    "age_when_trafficked",
    "recruitment_websites_and_apps",
    "methods_of_recruitment",
    "methods_of_control",
    "types_of_exploitation",
    "forced_labour_industry",
    "types_of_sex_exploitation",
    "exploitation_websites_and_apps",
    "reflection_period_starts_on",
    "reflection_period_ends_on",
)
# Only the owner side: the decision details, the person responsible, closure, the child's best interests.
OWNER_FIELDS = (
    "case_owner",
    "trafficking_status_deciding_org_type",
    "trafficking_status_decided_by",
    "trafficking_status_decided_on",
    "best_interests_decision",
    "closure_reason",
    "closure_details",
    "closed_on",
    "created_at",
    "version",
)

# What a case form may write (the profile, risk and the owner's own fields); identity is written apart.
EDITABLE_FIELDS = (
    "region",
    "sex",
    *PROFILE_FIELDS,
    *RISK_FIELDS,
    "best_interests_decision",
)

# The JSON list fields and the HTCDS vocabulary each takes its values from.
LIST_VOCABULARIES: dict[str, type[models.TextChoices]] = {
    "recruitment_websites_and_apps": v.WebsiteOrApp,
    "methods_of_recruitment": v.MethodOfRecruitment,
    "methods_of_control": v.MethodOfControl,
    "types_of_exploitation": v.TypeOfExploitation,
    "types_of_sex_exploitation": v.TypeOfSexExploitation,
    "exploitation_websites_and_apps": v.WebsiteOrApp,
}
COUNTRY_FIELDS = ("mailing_country", "country_of_exploitation")
LANGUAGE_FIELDS = ("primary_language", "secondary_language")

# Free text that may identify the person, erased with the identity fields at anonymisation.
ERASED_CASE_TEXT = ("best_interests_decision", "risk_summary", "closure_details")

# The deciding organisation's type (vic_TraffickingStatusDecisionMakingOrg) from the acting organisation's.
DECIDING_ORG_TYPE = {
    "LawEnforcement": v.DecidingOrganisation.POLICE,
    "LegalService": v.DecidingOrganisation.COURT_OR_PROSECUTION,
    "NGO": v.DecidingOrganisation.NGO,
    "x_InternationalOrganisation": v.DecidingOrganisation.OTHER,
    "CentralGovernmentOrganisation": v.DecidingOrganisation.NON_POLICE_GOVERNMENT,
    "LocalGovernmentOrganisation": v.DecidingOrganisation.NON_POLICE_GOVERNMENT,
    "ImmigrationService": v.DecidingOrganisation.NON_POLICE_GOVERNMENT,
}


def country_codes() -> set[str]:
    """ISO 3166-1 alpha-2 codes, plus XK (Kosovo), as network.Country."""
    return {country.alpha_2 for country in pycountry.countries} | {"XK"}


def country_choices() -> list[tuple[str, str]]:
    return list(COUNTRY_CHOICES)


COUNTRY_CHOICES: list[tuple[str, str]] = sorted(
    [(country.alpha_2, country.name) for country in pycountry.countries] + [("XK", "Kosovo")],
    key=lambda choice: choice[1],
)


# --- Validation -----------------------------------------------------------------------------------------


def parse_birth_date(value: str) -> datetime.date | None:
    """A birth date is stored as text (it is encrypted); it must read YYYY-MM-DD and not lie ahead."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"birth_date": _("Write the birth date as YYYY-MM-DD.")}) from None
    if parsed > timezone.localdate():
        raise ValidationError({"birth_date": _("The birth date cannot be in the future.")})
    return parsed


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def validate_case_values(values: Mapping[str, Any], *, case: Case | None = None) -> dict[str, Any]:
    """Check a set of case values (profile, identity or both), read together with what the case already
    holds. Returns the normalised values; raises ValidationError keyed by field."""
    clean = dict(values)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()

    def current(name: str) -> Any:
        if name in clean:
            return clean[name]
        return getattr(case, name) if case is not None else None

    for name in ("identified_on", "reflection_period_starts_on", "closed_on"):
        day = clean.get(name)
        if name != "reflection_period_starts_on" and day is not None and day > today:
            errors.setdefault(name, []).append(_("This date cannot be in the future."))
    starts, ends = current("reflection_period_starts_on"), current("reflection_period_ends_on")
    if starts and ends and ends < starts:
        errors.setdefault("reflection_period_ends_on", []).append(
            _("The reflection period cannot end before it starts.")
        )
    birth: datetime.date | None = None
    if "birth_date" in clean:
        try:
            birth = parse_birth_date(clean["birth_date"])
            clean["birth_date"] = birth.isoformat() if birth else ""
        except ValidationError as error:
            errors.setdefault("birth_date", []).extend(error.message_dict["birth_date"])
    elif case is not None and case.birth_date:
        try:
            birth = parse_birth_date(case.birth_date)
        except ValidationError:
            birth = None
    for name in COUNTRY_FIELDS:
        code = clean.get(name)
        if code:
            clean[name] = code = code.strip().upper()
            if code not in country_codes():
                errors.setdefault(name, []).append(_("Choose a country by its ISO 3166 code."))
    if "citizenship" in clean:
        codes = [str(code).strip().upper() for code in clean["citizenship"] or []]
        if any(code not in country_codes() for code in codes):
            errors.setdefault("citizenship", []).append(_("Choose countries by their ISO 3166 codes."))
        clean["citizenship"] = list(dict.fromkeys(codes))
    for name in LANGUAGE_FIELDS:
        code = clean.get(name)
        if code:
            clean[name] = code = code.strip().lower()
            if unknown_language_codes([code]):
                errors.setdefault(name, []).append(_("Choose a language by its ISO 639 code."))
    for name, vocabulary in LIST_VOCABULARIES.items():
        if name in clean:
            chosen = list(clean[name] or [])
            if any(value not in vocabulary.values for value in chosen):
                errors.setdefault(name, []).append(_("Choose values of the list only."))
            clean[name] = list(dict.fromkeys(chosen))
    age, identified = current("age_at_identification"), current("identified_on")
    if birth is not None and identified is not None and birth > identified:
        errors.setdefault("birth_date", []).append(_("The birth date is after the identification date."))
    elif (
        birth is not None
        and identified is not None
        and age is not None
        and abs(_age_on(birth, identified) - age) > 1
    ):
        field = "age_at_identification" if "age_at_identification" in clean else "birth_date"
        errors.setdefault(field, []).append(
            _("The age at identification does not agree with the birth date and identification date.")
        )
    if errors:
        raise ValidationError(errors)
    return clean


# --- Helpers --------------------------------------------------------------------------------------------


def _acting_organisation(access: CaseAccess, case: Case) -> int:
    return case.owner_id if access.owner_side else min(access.acting_organisation_ids)


def _check_owner_side(by: User, case: Case) -> CaseAccess:
    access = case_access(by, case)
    if not access.can_edit:
        raise PermissionDenied
    return access


def _check_managing(by: User, case: Case) -> CaseAccess:
    access = case_access(by, case)
    if not access.can_manage:
        raise PermissionDenied
    return access


def _lock(case: Case) -> None:
    """Lock the case row and bump its version, so that an edit open elsewhere is refused when saved."""
    current = Case.objects.select_for_update().filter(pk=case.pk).values_list("version", flat=True).get()
    case.version = current + 1


def creatable_organisations(user: User) -> list[Organisation]:
    """The organisations the user may open a case for: where they are a case manager or caseworker."""
    from concord.network.models import Organisation

    roles = case_roles(user)
    return list(Organisation.objects.filter(pk__in=roles.managed | roles.worked).order_by("name"))


# --- Writes ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_case(
    *, by: User, owner: Organisation, values: Mapping[str, Any], identity: Mapping[str, Any] | None = None
) -> Case:
    """Open a case for `owner`. Its case managers and caseworkers may; a caseworker who opens it is
    assigned to it at once (else they could not see the case they just opened)."""
    roles = case_roles(by)
    if owner.pk not in roles.managed | roles.worked:
        raise PermissionDenied
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown or set(identity or {}) - set(IDENTITY_FIELDS):
        raise ValueError(f"Not case fields: {sorted(unknown)}")
    clean = validate_case_values({**values, **(identity or {})})
    case = Case(owner=owner, created_by=by, case_owner=by, **clean)
    case.identity_number_bidx = _bidx(case.identity_number)
    case.save()
    if owner.pk in roles.worked:
        CaseAssignment.objects.create(case=case, user=by, organisation=owner, assigned_by=by)
    AuditEvent.record(
        action="cases.created",
        actor=by,
        target=case,
        organisation=owner,
        detail={
            "owner": owner.pk,
            "fields": sorted(k for k, val in clean.items() if val not in ("", None, [])),
        },
    )
    return case


EMPTY: tuple[Any, ...] = ("", None, [])


def _bidx(identity_number: str) -> str:
    return blind_index(identity_number, purpose="identity_number") if identity_number else ""


@transaction.atomic
def update_case(*, case: Case, by: User, expected_version: int | None, values: Mapping[str, Any]) -> Case:
    """Change the profile and risk of a case. Owner side only; refused if someone else saved since."""
    ensure_writable(case)
    _check_owner_side(by, case)
    if set(values) - set(EDITABLE_FIELDS):
        raise ValueError("Not editable case fields")
    clean = validate_case_values(values, case=case)
    claim_version(case, expected_version=expected_version)
    changed = changed_fields(case, clean)
    for name, value in clean.items():
        setattr(case, name, value)
    case.save(update_fields=[*clean, "version", "updated_at"])
    AuditEvent.record(
        action="cases.updated",
        actor=by,
        target=case,
        organisation=case.owner,
        detail={"fields": changed, "version": case.version},
    )
    return case


@transaction.atomic
def update_identity(*, case: Case, by: User, expected_version: int | None, values: Mapping[str, Any]) -> Case:
    """Change the identity fields. Owner side only (a receiver the identity is shared with reads it, never
    edits it). The audit names the fields changed, never their values."""
    ensure_writable(case)
    _check_owner_side(by, case)
    if set(values) - set(IDENTITY_FIELDS):
        raise ValueError("Not identity fields")
    clean = validate_case_values(values, case=case)
    claim_version(case, expected_version=expected_version)
    changed = changed_fields(case, clean)
    for name, value in clean.items():
        setattr(case, name, value)
    update_fields = [*clean, "version", "updated_at"]
    if "identity_number" in clean:
        case.identity_number_bidx = _bidx(case.identity_number)
        update_fields.append("identity_number_bidx")
    case.save(update_fields=update_fields)
    AuditEvent.record(
        action="cases.identity_updated",
        actor=by,
        target=case,
        organisation=case.owner,
        detail={"fields": changed, "version": case.version},
    )
    return case


def record_view(*, case: Case, by: User, access: CaseAccess, identity: bool = False) -> None:
    """Note that `by` opened the case, or revealed its identity, for the organisation they act for."""
    AuditEvent.record(
        action="cases.identity_viewed" if identity else "cases.viewed",
        actor=by,
        target=case,
        organisation=_organisation(_acting_organisation(access, case)) if access.any else None,
    )


def _organisation(pk: int) -> Organisation:
    from concord.network.models import Organisation

    return Organisation.objects.get(pk=pk)


def may_decide_status(access: CaseAccess, status: str) -> bool:
    """Competent authorities decide; an owner-side case manager may (re)mark a possible victim."""
    return access.can_decide_status or (
        status == v.TraffickingStatus.POSSIBLE and access.managing and access.writable
    )


@transaction.atomic
def decide_trafficking_status(
    *, case: Case, by: User, status: str, decided_on: datetime.date | None = None
) -> Case:
    """Record a trafficking status decision, by the acting organisation (its type becomes the deciding
    organisation type)."""
    ensure_writable(case)
    from concord.cases.access import DEFAULT_STATUS_DECIDING_ORG_TYPES
    from concord.network.models import Organisation

    access = case_access(by, case)
    if status not in v.TraffickingStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if not may_decide_status(access, status):
        raise PermissionDenied
    decided_on = decided_on or timezone.localdate()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("This date cannot be in the future.")})
    deciding = set(getattr(settings, "STATUS_DECIDING_ORG_TYPES", DEFAULT_STATUS_DECIDING_ORG_TYPES))
    organisations = list(Organisation.objects.filter(pk__in=access.acting_organisation_ids).order_by("pk"))
    competent = [o for o in organisations if o.org_type in deciding]
    acting = competent[0] if competent else next(o for o in organisations if o.pk == case.owner_id)
    _lock(case)
    old = case.trafficking_status
    case.trafficking_status = status
    case.trafficking_status_deciding_org_type = DECIDING_ORG_TYPE.get(
        acting.org_type, v.DecidingOrganisation.OTHER
    )
    case.trafficking_status_decided_by = acting
    case.trafficking_status_decided_on = decided_on
    case.save(
        update_fields=[
            "trafficking_status",
            "trafficking_status_deciding_org_type",
            "trafficking_status_decided_by",
            "trafficking_status_decided_on",
            "version",
            "updated_at",
        ]
    )
    AuditEvent.record(
        action="cases.status_decided",
        actor=by,
        target=case,
        organisation=acting,
        detail={"old": old, "new": status, "deciding_org_type": case.trafficking_status_deciding_org_type},
    )
    return case


def assigning_organisation_ids(by: User, case: Case, access: CaseAccess | None = None) -> set[int]:
    """The organisations holding the case whose case manager `by` is: they assign their own people."""
    access = access or case_access(by, case)
    return set(access.acting_organisation_ids & case_roles(by).managed)


def assignable_memberships(by: User, case: Case, access: CaseAccess | None = None) -> Any:
    from concord.accounts.models import Membership, Role

    return (
        Membership.objects.filter(
            organisation_id__in=assigning_organisation_ids(by, case, access),
            role=Role.CASEWORKER,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__full_name")
    )


@transaction.atomic
def assign(*, case: Case, by: User, user: User, organisation: Organisation) -> CaseAssignment:
    """Assign a caseworker of the case manager's own organisation (owner or receiver) to the case."""
    ensure_writable(case)
    if organisation.pk not in assigning_organisation_ids(by, case):
        raise PermissionDenied
    if not assignable_memberships(by, case).filter(user=user, organisation=organisation).exists():
        raise ValidationError({"membership": _("Choose a caseworker of your organisation.")})
    if CaseAssignment.objects.filter(
        case=case, user=user, organisation=organisation, ended_at__isnull=True
    ).exists():
        raise ValidationError({"membership": _("This person is already assigned.")})
    assignment = CaseAssignment.objects.create(
        case=case, user=user, organisation=organisation, assigned_by=by
    )
    AuditEvent.record(
        action="cases.assigned",
        actor=by,
        target=case,
        organisation=organisation,
        detail={"assignment": assignment.pk, "user": user.pk, "organisation": organisation.pk},
    )
    return assignment


@transaction.atomic
def unassign(*, assignment: CaseAssignment, by: User) -> CaseAssignment:
    """End an assignment of the case manager's own organisation."""
    if assignment.ended_at is not None:
        raise ValidationError(_("This assignment has already ended."))
    if assignment.organisation_id not in assigning_organisation_ids(by, assignment.case):
        raise PermissionDenied
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    AuditEvent.record(
        action="cases.unassigned",
        actor=by,
        target=assignment.case,
        organisation=assignment.organisation,
        detail={"assignment": assignment.pk, "user": assignment.user_id},
    )
    return assignment


CLOSED_STATUSES = (v.CaseStatus.CLOSED, v.CaseStatus.CLOSED_REFERRED)
CLOSURE_FIELDS = ("status", "closure_reason", "closure_details", "closed_on")


@transaction.atomic
def close_case(
    *,
    case: Case,
    by: User,
    status: str,
    closure_reason: str,
    closed_on: datetime.date,
    closure_details: str = "",
) -> Case:
    """Close a case (owner-side case managers)."""
    _check_managing(by, case)
    errors: dict[str, str] = {}
    if case.is_closed:
        raise ValidationError(_("The case is already closed."))
    if status not in CLOSED_STATUSES:
        errors["status"] = _("Choose a closed status.")
    if closure_reason not in v.ClosureReason.values:
        errors["closure_reason"] = _("Choose why the case closes.")
    if closed_on > timezone.localdate():
        errors["closed_on"] = _("This date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    _lock(case)
    old = case.status
    case.status = status
    case.closure_reason = closure_reason
    case.closure_details = closure_details
    case.closed_on = closed_on
    case.save(
        update_fields=["status", "closure_reason", "closure_details", "closed_on", "version", "updated_at"]
    )
    AuditEvent.record(
        action="cases.closed",
        actor=by,
        target=case,
        organisation=case.owner,
        detail={"old": old, "new": status, "closure_reason": closure_reason},
    )
    return case


@transaction.atomic
def reopen_case(*, case: Case, by: User) -> Case:
    """Reopen a closed case that has not been anonymised (owner-side case managers)."""
    _check_managing(by, case)
    if not case.is_closed:
        raise ValidationError(_("The case is open."))
    if case.anonymised_at is not None:
        raise ValidationError(_("An anonymised case cannot be reopened."))
    _lock(case)
    old = case.status
    case.status = v.CaseStatus.ACTIVE
    case.closure_reason = ""
    case.closure_details = ""
    case.closed_on = None
    case.save(
        update_fields=["status", "closure_reason", "closure_details", "closed_on", "version", "updated_at"]
    )
    AuditEvent.record(
        action="cases.reopened", actor=by, target=case, organisation=case.owner, detail={"old": old}
    )
    return case


def transfer_targets(by: User, case: Case) -> Any:
    from concord.network.models import Organisation

    return (
        Organisation.objects.visible_to(by).filter(is_active=True).exclude(pk=case.owner_id).order_by("name")
    )


@transaction.atomic
def transfer_case(*, case: Case, by: User, to: Organisation, confirmed: bool) -> Case:
    """Hand the case to another organisation. The old owner keeps nothing (its assignments end, the
    person responsible is cleared) unless a referral to it gives it a reason to read the case."""
    ensure_writable(case)
    _check_managing(by, case)
    if not confirmed:
        raise ValidationError({"confirm": _("Confirm that the case leaves your organisation.")})
    if to.pk == case.owner_id or not transfer_targets(by, case).filter(pk=to.pk).exists():
        raise ValidationError({"organisation": _("Choose another active organisation.")})
    _lock(case)
    old_owner = case.owner
    ended = CaseAssignment.objects.filter(case=case, organisation=old_owner, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    case.owner = to
    case.case_owner = None
    case.save(update_fields=["owner", "case_owner", "version", "updated_at"])
    AuditEvent.record(
        action="cases.transferred",
        actor=by,
        target=case,
        organisation=old_owner,
        detail={"from": old_owner.pk, "to": to.pk, "assignments_ended": ended},
    )
    return case


# --- Retention ------------------------------------------------------------------------------------------


def anonymisable_cases() -> Any:
    """Closed cases whose closure is older than the retention period and that are not anonymised yet."""
    days = int(getattr(settings, "CONCORD_CASE_RETENTION_DAYS", 3650))
    cutoff = timezone.localdate() - datetime.timedelta(days=days)
    return Case.objects.filter(
        status__in=CLOSED_STATUSES, closed_on__isnull=False, closed_on__lt=cutoff, anonymised_at__isnull=True
    ).order_by("pk")


@transaction.atomic
def anonymise_case(*, case: Case) -> dict[str, int]:
    """Erase everything that could identify the person, in the case and in its history, keeping the
    fields statistics count. Returns how many rows of each kind were erased (for the audit)."""
    from concord.cases.models import (
        CaseDocument,
        CaseNote,
        Consent,
        LegalProceeding,
        Referral,
        ReferralEvent,
        Screening,
        ServiceDelivery,
        SupportPlan,
        TraffickingEvent,
    )

    blank_case = dict.fromkeys((*IDENTITY_FIELDS, *ERASED_CASE_TEXT), "")
    now = timezone.now()
    counts: dict[str, int] = {}
    Case.objects.filter(pk=case.pk).update(**blank_case, identity_number_bidx="", anonymised_at=now)
    counts["case_history"] = Case.history.filter(id=case.pk).update(**blank_case, identity_number_bidx="")
    counts["events"] = TraffickingEvent.objects.filter(case=case).update(description="", city="", state="")
    TraffickingEvent.history.filter(case_id=case.pk).update(description="", city="", state="")
    counts["support_plans"] = SupportPlan.objects.filter(case=case).update(objectives="", action_plan="")
    SupportPlan.history.filter(case_id=case.pk).update(objectives="", action_plan="")
    counts["services"] = ServiceDelivery.objects.filter(case=case).update(notes="")
    ServiceDelivery.history.filter(case_id=case.pk).update(notes="")
    counts["notes"] = CaseNote.objects.filter(case=case).update(text="")
    counts["consents"] = Consent.objects.filter(case=case).update(witness="")
    Consent.history.filter(case_id=case.pk).update(witness="")
    counts["proceedings"] = LegalProceeding.objects.filter(case=case).update(reference="", notes="")
    LegalProceeding.history.filter(case_id=case.pk).update(reference="", notes="")
    counts["referrals"] = Referral.objects.filter(case=case).update(
        details="", plan="", decline_reason="", end_reason="", consent_override_reason=""
    )
    ReferralEvent.objects.filter(referral__case=case).update(note="")
    Screening.objects.filter(case=case).update(person_alias="", notes="")
    documents = list(CaseDocument.objects.filter(case=case))
    for document in documents:
        if document.file:
            document.file.delete(save=False)
    counts["documents"] = CaseDocument.objects.filter(case=case).update(title="", file="")
    case.refresh_from_db()
    AuditEvent.record(
        action="cases.anonymised", actor=None, target=case, organisation=case.owner, detail=counts
    )
    return counts
