"""Recording and withdrawing the person's consent (Measure 1.4 Step 1 of the NRM SOP: informed consent
before any contact with another organisation; per recipient, revocable).

Only the owner side of a case records consent. Withdrawing a referral consent ends the receiver's
access from then on: `querysets._live_referrals` ignores referrals whose consent is withdrawn. The
receiver's case managers are told (CONSENT_WITHDRAWN), without any detail.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.models import AuditEvent
from concord.cases.access import case_access, ensure_writable
from concord.cases.models import Consent, Notification, Referral, ReferralState
from concord.cases.services import notifications

if TYPE_CHECKING:
    from concord.accounts.models import User
    from concord.cases.models import Case
    from concord.network.models import Organisation

CHILD_METHODS = (Consent.Method.GUARDIAN, Consent.Method.BEST_INTERESTS)


def check_consent(
    *,
    case: Case,
    purpose: str,
    recipient: Organisation | None,
    method: str,
    witness: str,
    given_on: datetime.date,
) -> None:
    """Raise a ValidationError with field errors for anything that would make the record wrong."""
    errors: dict[str, str] = {}
    if purpose not in Consent.Purpose.values:
        errors["purpose"] = _("Choose a purpose from the list.")
    if method not in Consent.Method.values:
        errors["method"] = _("Choose how the consent was given.")
    if given_on > timezone.localdate():
        errors["given_on"] = _("The date cannot be in the future.")
    if purpose == Consent.Purpose.REFERRAL:
        if recipient is None:
            errors["recipient"] = _("Name the organisation the person agreed to be referred to.")
        elif recipient.pk == case.owner_id:
            errors["recipient"] = _("Choose another organisation than the one owning the case.")
    if method == Consent.Method.ORAL_WITH_WITNESS and not witness.strip():
        errors["witness"] = _("Oral consent needs a witness.")
    if case.is_child and method not in CHILD_METHODS:
        errors["method"] = _(
            "For a child, consent is given by the guardian, or by a best-interests decision when there is "
            "no guardian."
        )
    elif method == Consent.Method.GUARDIAN:
        if not case.is_child:
            errors["method"] = _("Consent by a guardian is for a child.")
        elif not case.guardian_name:
            errors["method"] = _("Record the child's guardian on the case first.")
    elif method == Consent.Method.BEST_INTERESTS:
        if not case.is_child:
            errors["method"] = _("A best-interests decision is for a child.")
        elif not case.best_interests_decision:
            errors["method"] = _("Record the best-interests decision on the case first.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_consent(
    *,
    case: Case,
    by: User,
    purpose: str,
    method: str,
    given_on: datetime.date,
    recipient: Organisation | None = None,
    witness: str = "",
) -> Consent:
    """Record one consent. Owner side of the case only."""
    ensure_writable(case)
    if not case_access(by, case).owner_side:
        raise PermissionDenied
    if purpose != Consent.Purpose.REFERRAL:
        recipient = None
    check_consent(
        case=case, purpose=purpose, recipient=recipient, method=method, witness=witness, given_on=given_on
    )
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        recipient=recipient,
        method=method,
        witness=witness.strip(),
        given_on=given_on,
        recorded_by=by,
        organisation=case.owner,
    )
    AuditEvent.record(
        action="cases.consent_recorded",
        actor=by,
        target=consent,
        organisation=case.owner,
        detail={
            "case": case.code,
            "purpose": purpose,
            "method": method,
            "recipient": recipient.pk if recipient else None,
        },
    )
    return consent


@transaction.atomic
def withdraw_consent(*, consent: Consent, by: User, withdrawn_on: datetime.date | None = None) -> Consent:
    """Withdraw a consent from `withdrawn_on` (today by default). Owner side only. Referrals that rested
    on it stop sharing at once; the receivers' case managers are told."""
    case = consent.case
    if not case_access(by, case).owner_side:
        raise PermissionDenied
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    withdrawn_on = withdrawn_on or timezone.localdate()
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("The date cannot be in the future.")})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = by
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    affected = list(
        Referral.objects.filter(consent=consent).exclude(
            state__in=[
                ReferralState.DRAFT,
                ReferralState.DECLINED,
                ReferralState.REVOKED,
                ReferralState.GIVEN_UP,
            ]
        )
    )
    for referral in affected:
        notifications.notify(
            recipients=notifications.receiver_side(referral),
            kind=Notification.Kind.CONSENT_WITHDRAWN,
            referral=referral,
        )
    AuditEvent.record(
        action="cases.consent_withdrawn",
        actor=by,
        target=consent,
        organisation=case.owner,
        detail={"case": case.code, "purpose": consent.purpose, "referrals": [r.pk for r in affected]},
    )
    return consent


def active_referral_consents(
    case: Case, organisation: Organisation | int | None = None
) -> models.QuerySet[Consent]:
    """The consents a referral of `case` (to `organisation`) may rest on."""
    consents = Consent.objects.filter(
        case=case, purpose=Consent.Purpose.REFERRAL, withdrawn_on__isnull=True
    ).select_related("recipient")
    if organisation is not None:
        consents = consents.filter(recipient=organisation)
    return consents
