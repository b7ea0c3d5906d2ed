"""The network registry: jurisdictions, organisations and the services they offer, contact people,
and the cooperation groups organisations form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concord.network.querysets import (
    ContactPersonQuerySet,
    CooperationGroupQuerySet,
    JurisdictionQuerySet,
    OrganisationQuerySet,
)

if TYPE_CHECKING:
    from concord.accounts.models import User


class Country(models.Model):
    """An ISO 3166-1 country (plus Kosovo as XK, the code the EU and IOM use). Names come from our own
    vocabulary, translated, so that deployments name countries as their users expect."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A first-level division of a country (qark, okrug, statistical region, canton...)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=10, blank=True, help_text=_("ISO 3166-2 where one exists."))

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "name"]
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="unique_region_name")]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("name"), max_length=100)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("municipalities")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unique_municipality_name")]

    def __str__(self) -> str:
        return self.name


class OrgType(models.TextChoices):
    """HTCDS 2.0 `org_Type` value names, plus one documented extension (docs/data-standard.md)."""

    NGO = "NGO", _("NGO")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH = "HealthServiceOrganisation", _("Health service organisation")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government organisation")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government organisation")
    IMMIGRATION = "ImmigrationService", _("Immigration service")
    LEGAL = "LegalService", _("Legal service")
    BUSINESS = "CorporateBusiness", _("Corporate business")
    SCHOOL = "SchoolOrCollege", _("School or college")
    # HTCDS has no value for IOM, UNHCR, OSCE and the like; CTDC counts them apart from NGOs.
    INTERNATIONAL = "x_InternationalOrganisation", _("International organisation")


class Sector(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    SOCIAL_SERVICES = "social_services", _("Social services")
    NGO = "ngo", _("NGO")
    SHELTER = "shelter", _("Shelter")
    HEALTH = "health", _("Health")
    LEGAL = "legal", _("Legal")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    INTERNATIONAL = "international", _("International organisation")
    MEDIA = "media", _("Media")
    BUSINESS = "business", _("Business")


class ServiceKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERPRETATION = "interpretation", _("Interpretation")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    REINTEGRATION = "reintegration", _("Reintegration")
    RETURN = "return", _("Return and repatriation")
    HOTLINE = "hotline", _("Hotline")


# The services a region should have for victims; the coverage table lists the missing ones.
ESSENTIAL_SERVICES = (
    ServiceKind.SHELTER,
    ServiceKind.MEDICAL,
    ServiceKind.PSYCHOSOCIAL,
    ServiceKind.LEGAL_AID,
    ServiceKind.REINTEGRATION,
)


def check_jurisdiction(
    *, country: Country | None, region: Region | None, municipality: Municipality | None = None
) -> None:
    """A region lies in the country given, a municipality in the region given. Raises a ValidationError
    keyed by field, for forms and API serializers alike."""
    errors: dict[str, Any] = {}
    if region is not None and country is not None and region.country_id != country.pk:
        errors["region"] = _("This region is not in the country chosen.")
    if municipality is not None and (region is None or municipality.region_id != region.pk):
        errors["municipality"] = _("This municipality is not in the region chosen.")
    if errors:
        raise ValidationError(errors)


class Organisation(models.Model):
    """A member of the network. Its registry entry is public to the network; its internal notes and its
    contact people (without their consent) are not."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    org_type = models.CharField(_("type (HTCDS org_Type)"), max_length=40, choices=OrgType.choices)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="organisations")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    areas_covered = models.ManyToManyField(
        Region, blank=True, related_name="covering_organisations", verbose_name=_("areas covered")
    )
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("generic e-mail"), blank=True)
    phone = models.CharField(_("generic phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639 codes of the languages spoken.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Dormant organisations stay listed.")
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Seen only by the organisation's own members.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "region"]), models.Index(fields=["org_type"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:organisation-detail", args=[self.pk])

    def service_kinds(self) -> list[str]:
        return [service.kind for service in self.services.all()]

    def clean(self) -> None:
        check_jurisdiction(
            country=self.country if self.country_id else None,
            region=self.region,
            municipality=self.municipality,
        )

    def is_administered_by(self, user: User) -> bool:
        """See `OrganisationQuerySet.administered_by`, the one place this rule lives."""
        return Organisation.objects.administered_by(user).filter(pk=self.pk).exists()


class OrganisationService(models.Model):
    """A service an organisation offers, with its capacity where that matters (shelter beds)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=32, choices=ServiceKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="unique_org_service")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"


class ContactPerson(models.Model):
    """A named contact at an organisation. Shared beyond the organisation only with recorded consent;
    everyone else sees the organisation's generic contact."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    shared_with_network = models.BooleanField(
        _("shared with the network"),
        default=False,
        help_text=_("Only with the person's recorded consent."),
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.organisation})"


def check_group_scope(*, level: str, country: Country | None, region: Region | None) -> None:
    """A regional group names its region, a national group its country; the region lies in the
    country. Raises a ValidationError keyed by field."""
    errors: dict[str, Any] = {}
    if level == CooperationGroup.Level.REGIONAL and region is None:
        errors["region"] = _("A regional group needs a region.")
    if level in {CooperationGroup.Level.REGIONAL, CooperationGroup.Level.NATIONAL} and country is None:
        errors["country"] = _("A regional or national group needs a country.")
    if region is not None and country is not None and region.country_id != country.pk:
        errors["region"] = _("This region is not in the country chosen.")
    if errors:
        raise ValidationError(errors)


class CooperationGroup(models.Model):
    """Organisations that meet and work together: a regional group, a national coordination body or a
    transnational network."""

    class Level(models.TextChoices):
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")
        TRANSNATIONAL = "transnational", _("Transnational")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        help_text=_("Empty for a transnational network."),
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="groups")
    chair = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="chaired_groups"
    )
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    members: models.ManyToManyField[Organisation, GroupMembership] = models.ManyToManyField(
        Organisation, through="GroupMembership", related_name="cooperation_groups"
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = CooperationGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:group-detail", args=[self.pk])

    def clean(self) -> None:
        check_group_scope(
            level=self.level, country=self.country if self.country_id else None, region=self.region
        )

    def is_administered_by(self, user: User) -> bool:
        """See `CooperationGroupQuerySet.administered_by`, the one place this rule lives."""
        return CooperationGroup.objects.administered_by(user).filter(pk=self.pk).exists()

    def current_member_ids(self) -> set[int]:
        return set(self.memberships.filter(left_at__isnull=True).values_list("organisation_id", flat=True))

    def has_member_user(self, user: User) -> bool:
        """Whether the user acts for an organisation that currently belongs to the group."""
        return bool(user.organisation_ids() & self.current_member_ids())


class GroupMembership(models.Model):
    group = models.ForeignKey(CooperationGroup, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="group_memberships")
    joined_at = models.DateField(default=timezone.localdate)
    left_at = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation"],
                condition=models.Q(left_at__isnull=True),
                name="one_current_group_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.group}"
