"""List filters, shared by the pages and the API so that both answer the same question the same way.

Choice lists come from the user's own scope (`visible_to`), never from the whole table.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

from concord.network.models import (
    ContactPerson,
    CooperationGroup,
    Country,
    GroupMembership,
    Organisation,
    OrganisationService,
    OrgType,
    Region,
    Sector,
    ServiceKind,
)


def _user(request: HttpRequest | None) -> Any:
    # drf-spectacular builds the schema without a request; an anonymous user then sees no choices.
    return getattr(request, "user", None)


def _countries(request: HttpRequest | None) -> models.QuerySet[Country]:
    return Country.objects.visible_to(_user(request)) if _user(request) else Country.objects.none()


def _regions(request: HttpRequest | None) -> models.QuerySet[Region]:
    if not _user(request):
        return Region.objects.none()
    return Region.objects.visible_to(_user(request)).select_related("country")


def _groups(request: HttpRequest | None) -> models.QuerySet[CooperationGroup]:
    if not _user(request):
        return CooperationGroup.objects.none()
    return CooperationGroup.objects.visible_to(_user(request)).order_by("name")


def _organisations(request: HttpRequest | None) -> models.QuerySet[Organisation]:
    if not _user(request):
        return Organisation.objects.none()
    return Organisation.objects.visible_to(_user(request)).order_by("name")


def name_matches(term: str, prefix: str = "") -> models.Q:
    """Match a name in any of its translations (a user searching in Albanian may type the English
    name, and a translation left empty falls back to it), or the short name."""
    rule = models.Q(**{f"{prefix}short_name__icontains": term})
    for language in AVAILABLE_LANGUAGES:
        rule |= models.Q(**{f"{prefix}{build_localized_fieldname('name', language)}__icontains": term})
    return rule


class OrganisationFilter(django_filters.FilterSet):
    ACTIVE = "active"
    DORMANT = "dormant"

    search = django_filters.CharFilter(label=_("Name"), method="filter_search", widget=forms.SearchInput)
    country = django_filters.ModelChoiceFilter(label=_("Country"), queryset=_countries)
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=_regions,
        method="filter_region",
        help_text=_("Based in the region or covering it."),
    )
    org_type = django_filters.ChoiceFilter(label=_("Type"), choices=OrgType.choices)
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)
    service = django_filters.ChoiceFilter(
        label=_("Service offered"), choices=ServiceKind.choices, method="filter_service"
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Cooperation group"), queryset=_groups, method="filter_group"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ACTIVE, _("Active")), (DORMANT, _("Dormant"))],
        method="filter_status",
    )

    class Meta:
        model = Organisation
        fields = ["search", "country", "region", "org_type", "sector", "service", "group", "status"]

    def filter_search(self, queryset: models.QuerySet, name: str, value: str) -> models.QuerySet:
        return queryset.filter(name_matches(value.strip())) if value.strip() else queryset

    def filter_region(self, queryset: models.QuerySet, name: str, value: Region) -> models.QuerySet:
        covering = Organisation.areas_covered.through.objects.filter(region=value).values("organisation_id")
        return queryset.filter(models.Q(region=value) | models.Q(pk__in=covering))

    def filter_service(self, queryset: models.QuerySet, name: str, value: str) -> models.QuerySet:
        return queryset.filter(
            pk__in=OrganisationService.objects.filter(kind=value).values("organisation_id")
        )

    def filter_group(self, queryset: models.QuerySet, name: str, value: CooperationGroup) -> models.QuerySet:
        current = GroupMembership.objects.filter(group=value, left_at__isnull=True)
        return queryset.filter(pk__in=current.values("organisation_id"))

    def filter_status(self, queryset: models.QuerySet, name: str, value: str) -> models.QuerySet:
        return queryset.filter(is_active=value == self.ACTIVE)


class DirectoryFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Name"), method="filter_search", widget=forms.SearchInput)
    country = django_filters.ModelChoiceFilter(
        label=_("Country"), queryset=_countries, field_name="organisation__country"
    )
    organisation = django_filters.ModelChoiceFilter(label=_("Organisation"), queryset=_organisations)

    class Meta:
        model = ContactPerson
        fields = ["search", "country", "organisation"]

    def filter_search(self, queryset: models.QuerySet, name: str, value: str) -> models.QuerySet:
        term = value.strip()
        if not term:
            return queryset
        return queryset.filter(
            models.Q(full_name__icontains=term)
            | models.Q(position__icontains=term)
            | models.Q(email__icontains=term)
            | name_matches(term, prefix="organisation__")
        )


class CooperationGroupFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=CooperationGroup.Level.choices)
    country = django_filters.ModelChoiceFilter(label=_("Country"), queryset=_countries)

    class Meta:
        model = CooperationGroup
        fields = ["level", "country"]


class RegionFilter(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(label=_("Country"), queryset=_countries)

    class Meta:
        model = Region
        fields = ["country"]
