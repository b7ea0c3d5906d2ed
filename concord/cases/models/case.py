"""A case: one presumed victim, owned by one organisation, with everything recorded about them.

Identity fields (names, birth date, identity number, contact details, addresses) are `EncryptedTextField`s;
their history rows stay encrypted too. Everything else is the non-identifying profile that statistics use.
Who may read a case is `CaseQuerySet.visible_to` (cases/querysets.py), and which parts of it
`cases/access.py`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concord.cases import vocabulary as v
from concord.cases.querysets import CaseQuerySet, CaseRelatedQuerySet
from concord.common.encryption import EncryptedTextField

# Case codes avoid letters and digits people confuse on paper or over the phone (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_case_code() -> str:
    """A random, non-guessable code such as `C-7KQM-X2PA` (31^8, about 8.5e11, codes)."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"C-{body[:4]}-{body[4:]}"


# The identity fields, in the order the identity tab shows them. Everything in this tuple is encrypted at
# rest, hidden behind re-authentication, and erased by anonymisation.
IDENTITY_FIELDS = (
    "first_name",
    "middle_name",
    "second_name",
    "birth_date",
    "identity_number",
    "email",
    "home_phone",
    "mobile_phone",
    "mailing_street",
    "mailing_city",
    "mailing_state",
    "mailing_postal_code",
    "guardian_name",
    "guardian_contact",
)


class Case(models.Model):
    code = models.CharField(_("case code"), max_length=12, unique=True, default=new_case_code, editable=False)
    owner = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("owning organisation"),
    )
    # cas_CaseOwner: the person responsible at the owning organisation.
    case_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    status = models.CharField(_("status"), max_length=16, choices=v.CaseStatus.choices, default="Active")
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region where assisted"),
    )

    # --- Identity (prs_*), encrypted ---
    first_name = EncryptedTextField(_("first name"), blank=True)
    middle_name = EncryptedTextField(_("middle name"), blank=True)
    second_name = EncryptedTextField(_("surname"), blank=True)
    birth_date = EncryptedTextField(_("birth date"), blank=True, help_text=_("YYYY-MM-DD"))
    identity_number = EncryptedTextField(_("identity number"), blank=True)
    identity_number_bidx = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = EncryptedTextField(_("e-mail"), blank=True)
    home_phone = EncryptedTextField(_("home phone"), blank=True)
    mobile_phone = EncryptedTextField(_("mobile phone"), blank=True)
    mailing_street = EncryptedTextField(_("street"), blank=True)
    mailing_city = EncryptedTextField(_("city"), blank=True)
    mailing_state = EncryptedTextField(_("state or province"), blank=True)
    mailing_postal_code = EncryptedTextField(_("postal code"), blank=True)
    # For a child: the guardian appointed, or the best-interests decision when there is none.
    guardian_name = EncryptedTextField(_("guardian"), blank=True)
    guardian_contact = EncryptedTextField(_("guardian's contact"), blank=True)
    best_interests_decision = models.TextField(_("best-interests decision"), blank=True)

    # --- Profile (non-identifying) ---
    mailing_country = models.CharField(_("country of residence"), max_length=2, blank=True)
    gender = models.CharField(_("gender"), max_length=24, choices=v.Gender.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=v.Sex.choices, default=v.Sex.UNKNOWN)
    marital_status = models.CharField(
        _("marital status"), max_length=24, choices=v.MaritalStatus.choices, blank=True
    )
    number_of_children = models.PositiveSmallIntegerField(_("number of children"), null=True, blank=True)
    primary_language = models.CharField(_("primary language"), max_length=3, blank=True)
    secondary_language = models.CharField(_("secondary language"), max_length=3, blank=True)
    education = models.CharField(
        _("highest level of education"), max_length=40, choices=v.Education.choices, blank=True
    )
    citizenship = models.JSONField(_("citizenship"), default=list, blank=True)
    age_at_identification = models.PositiveSmallIntegerField(
        _("age at identification"), null=True, blank=True
    )
    identified_on = models.DateField(_("identification date"), null=True, blank=True)
    country_of_exploitation = models.CharField(_("country of exploitation"), max_length=2, blank=True)
    migration_status = models.CharField(
        _("migration status"), max_length=40, choices=v.MigrationStatus.choices, blank=True
    )

    # --- Victim context (vic_*) ---
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=32,
        choices=v.TraffickingStatus.choices,
        default=v.TraffickingStatus.POSSIBLE,
    )
    trafficking_status_deciding_org_type = models.CharField(
        _("type of deciding organisation"), max_length=40, choices=v.DecidingOrganisation.choices, blank=True
    )
    trafficking_status_decided_by = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trafficking_status_decided_on = models.DateField(null=True, blank=True)
    relationship_to_trafficker = models.CharField(
        _("relationship to trafficker"), max_length=16, choices=v.RelationshipToTrafficker.choices, blank=True
    )
    age_when_trafficked = models.PositiveSmallIntegerField(_("age when trafficked"), null=True, blank=True)
    recruitment_websites_and_apps = models.JSONField(default=list, blank=True)
    methods_of_recruitment = models.JSONField(default=list, blank=True)
    methods_of_control = models.JSONField(default=list, blank=True)
    types_of_exploitation = models.JSONField(default=list, blank=True)
    forced_labour_industry = models.CharField(
        _("forced labour industry"), max_length=60, choices=v.ForcedLabourIndustry.choices, blank=True
    )
    types_of_sex_exploitation = models.JSONField(default=list, blank=True)
    exploitation_websites_and_apps = models.JSONField(default=list, blank=True)

    # --- Risk (always travels with a referral) and the reflection period ---
    risk_level = models.CharField(_("risk level"), max_length=8, choices=v.RiskLevel.choices, blank=True)
    risk_summary = models.TextField(
        _("risks to life or well-being"),
        blank=True,
        help_text=_("Shared with every receiving organisation. Do not write names or addresses here."),
    )
    reflection_period_starts_on = models.DateField(_("reflection period starts"), null=True, blank=True)
    reflection_period_ends_on = models.DateField(_("reflection period ends"), null=True, blank=True)

    # --- Closure and retention ---
    closure_reason = models.CharField(
        _("closure reason"), max_length=24, choices=v.ClosureReason.choices, blank=True
    )
    closure_details = models.TextField(_("closure details"), blank=True)  # cas_ReasonForCaseClosure
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Set when the case began from a screening, which keeps its own record.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "status", "-created_at"]),
            models.Index(fields=["closed_on"]),
        ]

    def __str__(self) -> str:
        # Never a name: a case shows as its code everywhere (titles, audit, logs).
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"code": self.code})

    @property
    def is_closed(self) -> bool:
        return self.status in (v.CaseStatus.CLOSED, v.CaseStatus.CLOSED_REFERRED)

    @property
    def is_child(self) -> bool:
        """Age treated as under 18 when it is uncertain and the person may be a child: callers record
        `age_at_identification` as the lower estimate."""
        return self.age_at_identification is not None and self.age_at_identification < 18

    @property
    def age_band(self) -> str:
        return v.age_band(self.age_at_identification)


class CaseAssignment(models.Model):
    """A caseworker working on a case for one organisation: the owner's, or one the case was referred to
    (which then sees only the referred part)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CaseRelatedQuerySet.as_manager()

    class Meta:
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "organisation"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_assignment_per_case_user_org",
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "organisation"],
                condition=models.Q(ended_at__isnull=True),
                name="open_assignment_user_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.user}"


class TraffickingEvent(models.Model):
    """hte_*: one step of what happened to the person (recruitment, transit, exploitation)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(_("type"), max_length=16, choices=v.EventType.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    state = models.CharField(_("state or region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    description = EncryptedTextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CaseRelatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_event_type_display()}"


class SupportPlan(models.Model):
    """spl_*: the individual support and safety plan, one per type of support."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_plans")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    plan_type = models.CharField(_("type"), max_length=40, choices=v.SupportPlanType.choices)
    objectives = EncryptedTextField(_("objectives"), blank=True)
    action_plan = EncryptedTextField(_("action plan"), blank=True)
    planned_end_date = models.DateField(_("planned end date"), null=True, blank=True)
    actual_end_date = models.DateField(_("actual end date"), null=True, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CaseRelatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_plan_type_display()}"


class ServiceDelivery(models.Model):
    """A service given to the person: which organisation, which service, when, with what outcome."""

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined by the person")
        INTERRUPTED = "interrupted", _("Interrupted")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    service = models.CharField(_("service"), max_length=32)  # network.ServiceKind or x_police_interview
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="services_delivered"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.ONGOING)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CaseRelatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name_plural = _("services delivered")

    def __str__(self) -> str:
        return f"{self.case}: {self.service}"


class CaseNote(models.Model):
    """cco_CaseComment: a note by one organisation. Other organisations see it only if shared."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = CaseRelatedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case}: note {self.pk}"


def document_path(instance: CaseDocument, filename: str) -> str:
    # Never the uploaded name (it may hold the person's name): a random one, under the case's id.
    return f"case-documents/{instance.case_id}/{secrets.token_hex(16)}.bin"


class CaseDocument(models.Model):
    """An uploaded file, stored encrypted (the file on disk is a Fernet token), type-checked and
    size-limited on upload (cases/documents.py)."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity document")
        MEDICAL = "medical", _("Medical record")
        LEGAL = "legal", _("Legal document")
        CONSENT = "consent", _("Signed consent")
        ASSESSMENT = "assessment", _("Assessment")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = EncryptedTextField(_("title"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=document_path, max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = CaseRelatedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case}: document {self.pk}"


class Consent(models.Model):
    """The person's consent for one purpose, and its withdrawal. A referral that needs consent names the
    consent that covers it; withdrawing it stops the sharing from then on."""

    class Purpose(models.TextChoices):
        ASSISTANCE = "assistance", _("Assistance")
        REFERRAL = "referral", _("Referral to a named organisation")
        STATISTICS = "statistics", _("Data sharing for statistics")
        POLICE_CONTACT = "police_contact", _("Contact by the police")

    class Method(models.TextChoices):
        WRITTEN = "written", _("Written")
        ORAL_WITH_WITNESS = "oral_witnessed", _("Oral, with a witness")
        GUARDIAN = "guardian", _("By the guardian (child)")
        BEST_INTERESTS = "best_interests", _("Best-interests decision (child without guardian)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    # For a referral: the organisation the person agreed to be referred to.
    recipient = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    witness = EncryptedTextField(_("witness or guardian"), blank=True)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CaseRelatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(purpose="referral") | models.Q(recipient__isnull=False),
                name="referral_consent_names_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
