"""The life of a referral (National and Transnational Referral Mechanism): draft, send, answer, work,
end. A referral is not a transfer: the sender keeps the case, accepting changes no owner.

    draft --send--> sent --accept--> accepted --start--> in_progress --complete--> completed
                      \\--decline--> declined            accepted --complete--> completed
    draft / sent / accepted / in_progress --revoke (sender)--> revoked
    accepted / in_progress --give up (receiver)--> given_up

Every transition is one transaction: the state change, a `ReferralEvent`, an `AuditEvent`
"cases.referral_<state>" and the notices. A referral is sent only with an active consent naming the
receiver, or with a recorded legal basis for going without (audited "cases.referral_consent_overridden").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.audit.models import AuditEvent
from concord.cases.access import case_access, ensure_writable
from concord.cases.models import (
    ACCESS_STATES,
    CaseAssignment,
    Consent,
    Notification,
    Referral,
    ReferralEvent,
    ReferralService,
    ReferralState,
    SharedSection,
    Urgency,
)
from concord.cases.querysets import case_roles
from concord.cases.services import notifications
from concord.common.concurrency import StaleVersionError
from concord.network.models import Organisation

if TYPE_CHECKING:
    from concord.accounts.models import User
    from concord.cases.models import Case

S = ReferralState


class InvalidTransitionError(Exception):
    """The referral is not in a state that allows this step (answered 409 by the API)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


# action slug -> (states it may start from, state it leads to, side that acts)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "send": ((S.DRAFT,), S.SENT, "sender"),
    "accept": ((S.SENT,), S.ACCEPTED, "receiver"),
    "decline": ((S.SENT,), S.DECLINED, "receiver"),
    "start": ((S.ACCEPTED,), S.IN_PROGRESS, "receiver"),
    "complete": ((S.ACCEPTED, S.IN_PROGRESS), S.COMPLETED, "receiver"),
    "revoke": ((S.DRAFT, S.SENT, S.ACCEPTED, S.IN_PROGRESS), S.REVOKED, "sender"),
    "give-up": ((S.ACCEPTED, S.IN_PROGRESS), S.GIVEN_UP, "receiver"),
}
ACTIONS_NEEDING_REASON = ("decline", "revoke", "give-up")

ACTION_LABELS = {
    "send": gettext_lazy("Send"),
    "accept": gettext_lazy("Accept"),
    "decline": gettext_lazy("Decline"),
    "start": gettext_lazy("Start work"),
    "complete": gettext_lazy("Mark completed"),
    "revoke": gettext_lazy("Revoke"),
    "give-up": gettext_lazy("Give up"),
}

# Who hears of each new state (besides the transnational coordinators on sending).
NOTICE_OF_STATE: dict[str, tuple[str, str]] = {
    S.SENT: ("receiver", Notification.Kind.REFERRAL_RECEIVED),
    S.ACCEPTED: ("sender", Notification.Kind.REFERRAL_ACCEPTED),
    S.DECLINED: ("sender", Notification.Kind.REFERRAL_DECLINED),
    S.COMPLETED: ("sender", Notification.Kind.REFERRAL_COMPLETED),
    S.GIVEN_UP: ("sender", Notification.Kind.REFERRAL_GIVEN_UP),
    S.REVOKED: ("receiver", Notification.Kind.REFERRAL_REVOKED),
}


# --- Who acts -------------------------------------------------------------------------------------------


def _acts_for(user: User, referral: Referral, organisation_id: int, *, answering: bool = False) -> bool:
    """A case manager of the organisation, or its caseworker assigned to the case for it. A new referral
    (`answering`) may be answered by any of the receiver's caseworkers: the one who accepts is assigned."""
    roles = case_roles(user)
    if organisation_id in roles.managed:
        return True
    if answering and organisation_id in roles.worked:
        return True
    if organisation_id in roles.worked:
        from concord.cases.models import CaseAssignment

        return CaseAssignment.objects.filter(
            case_id=referral.case_id, user=user, organisation_id=organisation_id, ended_at__isnull=True
        ).exists()
    return False


def is_sender(user: User, referral: Referral) -> bool:
    return _acts_for(user, referral, referral.from_organisation_id)


def is_receiver(user: User, referral: Referral) -> bool:
    return _acts_for(
        user, referral, referral.to_organisation_id, answering=referral.state == ReferralState.SENT
    )


def allowed_actions(user: User, referral: Referral) -> list[str]:
    """The action slugs this user may take on this referral now (for buttons)."""
    sender, receiver = is_sender(user, referral), is_receiver(user, referral)
    result = []
    for slug, (sources, _target, side) in TRANSITIONS.items():
        if referral.state in sources and ((side == "sender" and sender) or (side == "receiver" and receiver)):
            result.append(slug)
    return result


def consent_covers(referral: Referral) -> bool:
    """An active consent for a referral to the receiver, or a recorded override."""
    if referral.consent_id is not None:
        consent = referral.consent
        assert consent is not None
        return (
            consent.is_active
            and consent.purpose == Consent.Purpose.REFERRAL
            and consent.recipient_id == referral.to_organisation_id
            and consent.case_id == referral.case_id
        )
    return bool(referral.consent_override_reason.strip())


# --- Draft ----------------------------------------------------------------------------------------------


def _check_draft(
    *,
    case: Case,
    to_organisation: Organisation,
    services: list[str],
    urgency: str,
    consent: Consent | None,
    consent_override_reason: str,
) -> None:
    errors: dict[str, str] = {}
    if to_organisation.pk == case.owner_id:
        errors["to_organisation"] = _("A case cannot be referred to the organisation that owns it.")
    elif not to_organisation.is_active:
        errors["to_organisation"] = _("This organisation is dormant; choose an active one.")
    if not services:
        errors["services"] = _("Choose at least one service.")
    elif any(service not in ReferralService.values for service in services):
        errors["services"] = _("Choose services from the list.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose an urgency from the list.")
    if consent is not None:
        if (
            consent.case_id != case.pk
            or consent.purpose != Consent.Purpose.REFERRAL
            or consent.recipient_id != to_organisation.pk
            or not consent.is_active
        ):
            errors["consent"] = _("Choose an active referral consent naming this organisation.")
        elif consent_override_reason.strip():
            errors["consent_override_reason"] = _("Give either a consent or a legal basis, not both.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_referral(
    *,
    case: Case,
    by: User,
    to_organisation: Organisation,
    services: Iterable[str],
    urgency: str = Urgency.ROUTINE,
    language: str = "",
    reason: str = "",
    details: str = "",
    shared_sections: Iterable[str] = (SharedSection.PROFILE,),
    consent: Consent | None = None,
    consent_override_reason: str = "",
) -> Referral:
    """Draft a referral of `case` to `to_organisation`. Owner side of the case only."""
    ensure_writable(case)
    if not case_access(by, case).can_refer:
        raise PermissionDenied
    service_list = list(dict.fromkeys(services))
    override = consent_override_reason.strip()
    _check_draft(
        case=case,
        to_organisation=to_organisation,
        services=service_list,
        urgency=urgency,
        consent=consent,
        consent_override_reason=override,
    )
    sections = set(shared_sections)
    referral = Referral(
        case=case,
        from_organisation=case.owner,
        to_organisation=to_organisation,
        services=service_list,
        urgency=urgency,
        language=language,
        details=details,
        consent=consent,
        consent_override_reason=override,
        created_by=by,
        **{f"share_{section}": section in sections for section in SharedSection.values},
    )
    if reason:
        referral.reason = reason
    referral.due_at = referral.deadline_for(S.DRAFT, start=timezone.now())
    referral.full_clean(exclude=["case", "from_organisation", "to_organisation", "consent", "created_by"])
    referral.save()
    ReferralEvent.objects.create(
        referral=referral, from_state="", to_state=S.DRAFT, by=by, organisation=case.owner
    )
    AuditEvent.record(
        action="cases.referral_draft",
        actor=by,
        target=referral,
        organisation=case.owner,
        detail={
            "case": case.code,
            "to_organisation": to_organisation.pk,
            "services": service_list,
            "shared_sections": referral.shared_sections,
            "consent": consent.pk if consent else None,
        },
    )
    if override:
        AuditEvent.record(
            action="cases.referral_consent_overridden",
            actor=by,
            target=referral,
            organisation=case.owner,
            detail={"case": case.code, "to_organisation": to_organisation.pk},
        )
    return referral


# --- Transitions ----------------------------------------------------------------------------------------


def _lock(referral: Referral, expected_version: int | None) -> Referral:
    """Reload the referral under a row lock; refuse if `expected_version` is given and stale."""
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersionError
    return current


def _notify_for_state(referral: Referral) -> None:
    who, kind = NOTICE_OF_STATE.get(referral.state, ("", ""))
    if who == "receiver":
        notifications.notify(recipients=notifications.receiver_side(referral), kind=kind, referral=referral)
    elif who == "sender":
        notifications.notify(recipients=notifications.sender_side(referral), kind=kind, referral=referral)
    if referral.state == S.SENT and referral.is_transnational:
        from_country = referral.from_organisation.country_id
        to_country = referral.to_organisation.country_id
        coordinators = [
            *notifications.national_coordinators_of(from_country),
            *notifications.national_coordinators_of(to_country),
        ]
        notifications.notify(
            recipients=coordinators, kind=Notification.Kind.TRANSNATIONAL_REFERRAL, referral=referral
        )


@transaction.atomic
def transition(
    *,
    referral: Referral,
    action: str,
    by: User,
    reason: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Take `action` (a slug of TRANSITIONS) on the referral. PermissionDenied if the user does not act
    for the side that takes it; InvalidTransitionError if the state does not allow it; ValidationError for a
    missing reason or missing consent."""
    if action not in TRANSITIONS:
        raise InvalidTransitionError(_("Unknown action."))
    if action == "send":
        ensure_writable(referral.case)
    sources, target, side = TRANSITIONS[action]
    acting = is_sender(by, referral) if side == "sender" else is_receiver(by, referral)
    if not acting:
        raise PermissionDenied
    current = _lock(referral, expected_version)
    if current.state not in sources:
        raise InvalidTransitionError(
            _("This referral is %(state)s; it cannot be changed that way (%(action)s).")
            % {"state": current.get_state_display().lower(), "action": ACTION_LABELS[action]}
        )
    reason = reason.strip()
    if action in ACTIONS_NEEDING_REASON and not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    now = timezone.now()
    from_state = current.state
    fields = ["state", "state_changed_at", "due_at", "version"]
    if action == "send":
        if not consent_covers(current):
            raise ValidationError(
                _(
                    "This referral cannot be sent: the person's consent to a referral to this organisation "
                    "is missing or withdrawn, and no legal basis for referring without consent is recorded."
                )
            )
        if not current.to_organisation.is_active:
            raise ValidationError(_("The receiving organisation is dormant; this referral cannot be sent."))
        current.sent_at = now
        current.is_transnational = current.from_organisation.country_id != current.to_organisation.country_id
        fields += ["sent_at", "is_transnational"]
    elif action == "accept":
        if not consent_covers(current):
            raise ValidationError(
                _("The person's consent to this referral was withdrawn; it can no longer be accepted.")
            )
        current.accepted_at = now
        fields.append("accepted_at")
        by_roles = case_roles(by)
        if current.to_organisation_id in by_roles.worked - by_roles.managed:
            # A caseworker who accepts takes the case on for the receiver (and so sees the shared part).
            CaseAssignment.objects.get_or_create(
                case_id=current.case_id,
                user=by,
                organisation_id=current.to_organisation_id,
                ended_at=None,
                defaults={"assigned_by": by},
            )
    elif action == "decline":
        current.decline_reason = reason
        fields.append("decline_reason")
    elif action in ("revoke", "give-up"):
        current.end_reason = reason
        fields.append("end_reason")
    if target in (S.COMPLETED, S.DECLINED, S.REVOKED, S.GIVEN_UP):
        current.closed_at = now
        fields.append("closed_at")
    current.state = target
    current.state_changed_at = now
    current.due_at = current.deadline_for(target, start=now)
    current.version += 1
    current.save(update_fields=fields)
    organisation_id = current.from_organisation_id if side == "sender" else current.to_organisation_id
    ReferralEvent.objects.create(
        referral=current,
        from_state=from_state,
        to_state=target,
        by=by,
        organisation_id=organisation_id,
        at=now,
        note=reason,
    )
    AuditEvent.record(
        action=f"cases.referral_{target}",
        actor=by,
        target=current,
        organisation=Organisation.objects.get(pk=organisation_id),
        detail={
            "case": current.case.code,
            "from_state": from_state,
            "to_organisation": current.to_organisation_id,
            "version": current.version,
        },
    )
    _notify_for_state(current)
    # Keep the caller's object in step with the stored row.
    referral.refresh_from_db()
    return referral


@transaction.atomic
def update_plan(
    *, referral: Referral, by: User, plan: str, plan_status: str, expected_version: int | None
) -> Referral:
    """The return or assistance plan both sides track, after acceptance. Either side; refused if someone
    else saved since `expected_version`."""
    if not (is_sender(by, referral) or is_receiver(by, referral)):
        raise PermissionDenied
    if expected_version is None:
        raise StaleVersionError
    current = _lock(referral, expected_version)
    if current.state not in ACCESS_STATES:
        raise InvalidTransitionError(_("The plan can be kept only once the referral is accepted."))
    if not consent_covers(current):
        raise InvalidTransitionError(_("The person's consent to this referral was withdrawn."))
    changed = [
        name
        for name, value in (("plan", plan), ("plan_status", plan_status))
        if getattr(current, name) != value
    ]
    current.plan = plan
    current.plan_status = plan_status[:100]
    current.version += 1
    current.save(update_fields=["plan", "plan_status", "version"])
    acting = current.from_organisation_id if is_sender(by, current) else current.to_organisation_id
    AuditEvent.record(
        action="cases.referral_plan_updated",
        actor=by,
        target=current,
        organisation=Organisation.objects.get(pk=acting),
        detail={"case": current.case.code, "fields": changed, "version": current.version},
    )
    referral.refresh_from_db()
    return referral


# --- Overdue --------------------------------------------------------------------------------------------


def flag_overdue() -> int:
    """Tell the side that must act about each overdue referral: once per referral and state. Returns the
    number of referrals flagged now. Safe to run as often as wanted."""
    flagged = 0
    qs = Referral.objects.overdue().select_related("from_organisation", "to_organisation")
    for referral in qs:
        with transaction.atomic():
            # The audit entry marks the flag, so a state is flagged once even when nobody was told.
            already = (
                AuditEvent.objects.for_target(referral)
                .filter(action="cases.referral_overdue", detail__state=referral.state)
                .filter(at__gte=referral.state_changed_at)
                .exists()
            )
            if already:
                continue
            if referral.state == S.DRAFT:
                recipients = notifications.sender_side(referral)
            else:
                recipients = notifications.receiver_side(referral)
            notifications.notify(
                recipients=recipients, kind=Notification.Kind.REFERRAL_OVERDUE, referral=referral
            )
            AuditEvent.record(
                action="cases.referral_overdue",
                target=referral,
                organisation=referral.to_organisation
                if referral.state != S.DRAFT
                else referral.from_organisation,
                detail={"state": referral.state},
            )
            flagged += 1
    return flagged


# --- Directory ------------------------------------------------------------------------------------------


class Suggestion:
    """One organisation the directory suggests, with why."""

    def __init__(
        self,
        organisation: Organisation,
        score: int,
        reasons: list[str],
        free: int | None,
        capacity: int | None,
    ) -> None:
        self.organisation = organisation
        self.score = score
        self.reasons = reasons
        self.free = free
        self.capacity = capacity

    @property
    def explanation(self) -> str:
        return ", ".join(self.reasons)


def suggest_organisations(
    *,
    user: User,
    service: str = "",
    region_id: int | None = None,
    language: str = "",
    exclude_organisation_ids: Iterable[int] = (),
    limit: int = 20,
) -> list[Suggestion]:
    """Active organisations that could receive a referral, best first: offering the service, covering the
    region, speaking the language, with places free (capacity minus referrals accepted or in progress for
    that service). Nothing for users outside the network."""
    from concord.network.models import OrganisationService, Region

    candidates = (
        Organisation.objects.visible_to(user)
        .active()
        .exclude(pk__in=list(exclude_organisation_ids))
        .select_related("region", "country")
        .prefetch_related("areas_covered")
    )
    offers: dict[int, OrganisationService] = {}
    if service:
        rows = OrganisationService.objects.filter(kind=service, organisation__in=candidates)
        offers = {row.organisation_id: row for row in rows}
        candidates = candidates.filter(pk__in=list(offers))
    region = Region.objects.filter(pk=region_id).first() if region_id else None
    busy: dict[int, int] = {}
    if service:
        for to_id, services in Referral.objects.filter(
            to_organisation_id__in=list(offers), state__in=[S.ACCEPTED, S.IN_PROGRESS]
        ).values_list("to_organisation_id", "services"):
            if service in (services or []):
                busy[to_id] = busy.get(to_id, 0) + 1
    service_label = str(dict(ReferralService.choices).get(service, service)).lower() if service else ""
    suggestions = []
    for organisation in candidates[:500]:
        score, reasons = 0, []
        covered = {r.pk for r in organisation.areas_covered.all()}
        if organisation.region_id:
            covered.add(organisation.region_id)
        if service:
            score += 4
            if region is not None and region.pk in covered:
                reasons.append(
                    _("offers %(service)s in %(region)s") % {"service": service_label, "region": region}
                )
            else:
                reasons.append(_("offers %(service)s") % {"service": service_label})
        elif region is not None and region.pk in covered:
            reasons.append(_("works in %(region)s") % {"region": region})
        if region is not None and region.pk in covered:
            score += 3
        if language and language in (organisation.languages or []):
            score += 2
            reasons.append(_("speaks %(language)s") % {"language": language})
        free = capacity = None
        offer = offers.get(organisation.pk)
        if offer is not None and offer.capacity is not None:
            capacity = offer.capacity
            free = max(capacity - busy.get(organisation.pk, 0), 0)
            reasons.append(_("%(free)s of %(capacity)s places free") % {"free": free, "capacity": capacity})
            score += 2 if free > 0 else -5
        if organisation.country_id and region is not None and organisation.country_id != region.country_id:
            reasons.append(_("in another country (%(country)s)") % {"country": organisation.country_id})
        suggestions.append(Suggestion(organisation, score, reasons, free, capacity))
    suggestions.sort(key=lambda s: (-s.score, s.organisation.name))
    return suggestions[:limit]
