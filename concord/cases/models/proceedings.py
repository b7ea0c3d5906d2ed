"""Prosecution: investigation, prosecution and court records linked to a case, with the victim's
participation. Police and prosecution roles write them; they feed statistics later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concord.cases.querysets import CaseRelatedQuerySet
from concord.common.encryption import EncryptedTextField


class LegalProceeding(models.Model):
    class Stage(models.TextChoices):
        INVESTIGATION = "investigation", _("Investigation")
        PROSECUTION = "prosecution", _("Prosecution")
        COURT = "court", _("Court")

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing")
        CHARGES_FILED = "charges_filed", _("Charges filed")
        DISCONTINUED = "discontinued", _("Discontinued")
        INDICTED = "indicted", _("Indicted")
        DROPPED = "dropped", _("Dropped")
        CONVICTED = "convicted", _("Convicted")
        ACQUITTED = "acquitted", _("Acquitted")
        APPEALED = "appealed", _("Under appeal")

    class ProtectionMeasure(models.TextChoices):
        ANONYMITY = "anonymity", _("Anonymous testimony")
        VIDEO_LINK = "video_link", _("Testimony by video link")
        WITNESS_PROTECTION = "witness_protection", _("Witness protection programme")
        RESTRAINING_ORDER = "restraining_order", _("Restraining order")
        CLOSED_HEARING = "closed_hearing", _("Hearing closed to the public")
        ACCOMPANIMENT = "accompaniment", _("Accompanied by a support person")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="proceedings")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    # A court or police file number can lead to the person: encrypted.
    reference = EncryptedTextField(_("file reference"), blank=True)
    offence = models.CharField(_("offence (article)"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.ONGOING)
    sentence_months = models.PositiveIntegerField(_("sentence (months)"), null=True, blank=True)
    defendants = models.PositiveSmallIntegerField(_("number of defendants"), null=True, blank=True)
    compensation_claimed = models.BooleanField(_("compensation claimed"), default=False)
    compensation_awarded_eur = models.DecimalField(
        _("compensation awarded (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The victim's participation.
    statement_given = models.BooleanField(_("victim gave a statement"), default=False)
    joint_interview = models.BooleanField(_("interviewed with a social worker present"), default=False)
    protection_measures = models.JSONField(_("protection measures"), default=list, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CaseRelatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["opened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_stage_display()}"
