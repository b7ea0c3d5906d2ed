"""Identification screening: a versioned indicator tool, and screenings done with it.

The tool's indicators and the rule that combines them are data (`ScreeningTool.definition`, loaded from
cases/screening_tools/*.json), shown with their reasons, and never an automatic decision: a screening
suggests, a person decides (`Case.trafficking_status`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.cases.querysets import ScreeningQuerySet
from concord.common.encryption import EncryptedTextField


class ScreeningTool(models.Model):
    class Population(models.TextChoices):
        ADULT = "adult", _("Adults")
        CHILD = "child", _("Children")
        ANY = "any", _("Anyone (first contact)")

    class Exploitation(models.TextChoices):
        LABOUR = "labour", _("Labour exploitation")
        SEXUAL = "sexual", _("Sexual exploitation")
        ANY = "any", _("Any form")

    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    population = models.CharField(max_length=8, choices=Population.choices)
    exploitation = models.CharField(max_length=8, choices=Exploitation.choices)
    source = models.TextField(blank=True)
    # {"dimensions": [...], "indicators": [{"id", "dimension", "strength", "text"}], "rule": {...}}
    definition = models.JSONField()
    is_current = models.BooleanField(default=True)
    published_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["population", "exploitation", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="unique_tool_version")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Screening(models.Model):
    """One person screened by one organisation. It may come before any case (outreach, hotline) and be
    turned into a case later, with consent."""

    class Suggestion(models.TextChoices):
        POSSIBLE_VICTIM = "possible_victim", _("Possible victim: refer for identification")
        NO_INDICATION = "no_indication", _("No indication from the answers given")
        INCOMPLETE = "incomplete", _("Too many unknown answers to tell")

    tool = models.ForeignKey(ScreeningTool, on_delete=models.PROTECT, related_name="screenings")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)
    # An alias or first name only, encrypted: the person may not have agreed to more.
    person_alias = EncryptedTextField(_("alias or first name"), blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    age_estimate = models.PositiveSmallIntegerField(_("age or estimated age"), null=True, blank=True)
    # {indicator_id: "yes" | "no" | "unknown"}
    answers = models.JSONField(default=dict)
    # Computed by cases/screening.py at save: per-dimension result and the reasons shown.
    profile = models.JSONField(default=dict, editable=False)
    suggestion = models.CharField(max_length=20, choices=Suggestion.choices, editable=False)
    notes = EncryptedTextField(_("notes"), blank=True)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="screening"
    )

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-screened_at", "-pk"]

    def __str__(self) -> str:
        return f"screening {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("cases:screening", kwargs={"pk": self.pk})
