"""Referrals between organisations (the National and Transnational Referral Mechanism), and the in-app
notifications they raise. A referral is not a transfer: the sender keeps its case."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concord.cases import vocabulary as v
from concord.cases.querysets import NotificationQuerySet, ReferralQuerySet


class ReferralState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REVOKED = "revoked", _("Revoked by the sender")
    GIVEN_UP = "given_up", _("Given up by the receiver")


# The states in which the receiving organisation may read the shared part of the case.
ACCESS_STATES = (ReferralState.ACCEPTED, ReferralState.IN_PROGRESS, ReferralState.COMPLETED)
OPEN_STATES = (ReferralState.DRAFT, ReferralState.SENT, ReferralState.ACCEPTED, ReferralState.IN_PROGRESS)

# How long a referral may stay in a state before it is overdue (SOP practice: answer urgent referrals the
# same day). Keyed by (state, urgency); a missing key means no deadline.
DEADLINES: dict[tuple[str, str], datetime.timedelta] = {
    ("sent", "emergency"): datetime.timedelta(hours=4),
    ("sent", "urgent"): datetime.timedelta(days=1),
    ("sent", "routine"): datetime.timedelta(days=5),
    ("accepted", "emergency"): datetime.timedelta(days=1),
    ("accepted", "urgent"): datetime.timedelta(days=3),
    ("accepted", "routine"): datetime.timedelta(days=10),
    ("draft", "emergency"): datetime.timedelta(hours=4),
    ("draft", "urgent"): datetime.timedelta(days=2),
    ("draft", "routine"): datetime.timedelta(days=14),
}


class ReferralService(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERPRETATION = "interpretation", _("Interpretation")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    REINTEGRATION = "reintegration", _("Reintegration")
    RETURN = "return", _("Return and repatriation")
    POLICE_INTERVIEW = "police_interview", _("Support at a police interview")


class SharedSection(models.TextChoices):
    """Parts of a case a sender may share after acceptance. The card and the risk section always travel."""

    IDENTITY = "identity", _("Identity and contact details")
    PROFILE = "profile", _("Profile (languages, citizenship, migration status, exploitation)")
    EVENTS = "events", _("Trafficking events")
    SUPPORT_PLAN = "support_plan", _("Support plan")
    SERVICES = "services", _("Services delivered")
    PROCEEDINGS = "proceedings", _("Legal proceedings")
    DOCUMENTS = "documents", _("Documents")
    NOTES = "notes", _("Notes")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Referral(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    services = models.JSONField(_("services asked for"), default=list)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE)
    language = models.CharField(_("language"), max_length=3, blank=True)
    reason = models.CharField(
        _("reason"),
        max_length=32,
        choices=v.ReferralReason.choices,
        default=v.ReferralReason.ADDITIONAL_SERVICES,
    )
    # Seen by the receiver only after acceptance; no names here (the form says so).
    details = models.TextField(_("details for the receiver"), blank=True)
    # What the receiver may read after acceptance, one flag per `SharedSection` (booleans, so that
    # `visible_to` can filter on them in SQL on both databases).
    share_identity = models.BooleanField(_("identity and contact details"), default=False)
    share_profile = models.BooleanField(_("profile"), default=True)
    share_events = models.BooleanField(_("trafficking events"), default=False)
    share_support_plan = models.BooleanField(_("support plan"), default=False)
    share_services = models.BooleanField(_("services delivered"), default=False)
    share_proceedings = models.BooleanField(_("legal proceedings"), default=False)
    share_documents = models.BooleanField(_("documents"), default=False)
    share_notes = models.BooleanField(_("notes"), default=False)
    consent = models.ForeignKey(
        "cases.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # A referral without consent needs a recorded legal basis (e.g. a child at risk); the override is audited.
    consent_override_reason = models.TextField(_("legal basis for referring without consent"), blank=True)
    is_transnational = models.BooleanField(default=False, editable=False)

    state = models.CharField(
        _("state"), max_length=16, choices=ReferralState.choices, default=ReferralState.DRAFT
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    end_reason = models.TextField(_("reason"), blank=True)  # revoked or given up
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Transnational: the return or assistance plan both sides track.
    plan = models.TextField(_("return or assistance plan"), blank=True)
    plan_status = models.CharField(_("plan status"), max_length=100, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["details", "plan"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["to_organisation", "state"]),
            models.Index(fields=["from_organisation", "state"]),
            models.Index(fields=["case", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_organisation=models.F("to_organisation")),
                name="referral_not_to_self",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_organisation}"

    def get_absolute_url(self) -> str:
        return reverse("cases:referral", kwargs={"pk": self.pk})

    @property
    def shared_sections(self) -> list[str]:
        return [section for section in SharedSection.values if getattr(self, f"share_{section}")]

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.state in OPEN_STATES and self.due_at < timezone.now()

    def deadline_for(self, state: str, *, start: datetime.datetime) -> datetime.datetime | None:
        delta = DEADLINES.get((state, self.urgency))
        return start + delta if delta else None


class ReferralEvent(models.Model):
    """One change of a referral's state: who, when, from what to what."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=16, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=ReferralState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_state} → {self.to_state}"


class Notification(models.Model):
    """An in-app notice. It carries no personal data: a kind, a referral, and the case code at most."""

    class Kind(models.TextChoices):
        REFERRAL_RECEIVED = "referral_received", _("New referral")
        REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
        REFERRAL_DECLINED = "referral_declined", _("Referral declined")
        REFERRAL_OVERDUE = "referral_overdue", _("Referral overdue")
        REFERRAL_REVOKED = "referral_revoked", _("Referral revoked")
        REFERRAL_GIVEN_UP = "referral_given_up", _("Referral given up")
        REFERRAL_COMPLETED = "referral_completed", _("Referral completed")
        TRANSNATIONAL_REFERRAL = "transnational_referral", _("Transnational referral between our countries")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.recipient_id})"
