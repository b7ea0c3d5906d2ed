"""REST endpoints. Scoped exactly like the pages: every queryset starts from visible_to(request.user), and
every write calls the same service as the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from concord.config.api import api_user, as_api_errors
from concord.network import services
from concord.network.filters import (
    CooperationGroupFilter,
    DirectoryFilter,
    OrganisationFilter,
    RegionFilter,
)
from concord.network.models import (
    ContactPerson,
    CooperationGroup,
    Country,
    GroupMembership,
    Organisation,
    Region,
)
from concord.network.serializers import (
    ContactPersonSerializer,
    CooperationGroupSerializer,
    CountrySerializer,
    OrganisationSerializer,
    RegionSerializer,
)

if TYPE_CHECKING:
    pass


@extend_schema_view(
    create=extend_schema(description="Add an organisation to the registry (network administrators)."),
    update=extend_schema(
        description="Edit a registry entry. `version` is required; a stale one answers 409."
    ),
    partial_update=extend_schema(description="Edit some fields. `version` is required; stale answers 409."),
)
class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The registry: every organisation's entry, for anyone in the network. Internal notes appear only
    for the organisation's own members and network administrators."""

    serializer_class = OrganisationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrganisationFilter

    def get_queryset(self) -> QuerySet[Organisation]:
        user = api_user(self.request)
        organisations = Organisation.objects.visible_to(user)
        if self.action in {"update", "partial_update"}:
            # Those who may not edit an entry get the same 404 as for one that does not exist.
            organisations = organisations.administered_by(user)
        return (
            organisations.with_internal_notes_for(user)
            .select_related("country", "region", "municipality")
            .prefetch_related("services", "areas_covered")
            .order_by("name", "pk")
        )

    def _fresh(self, pk: int) -> Organisation:
        return self.get_queryset().get(pk=pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Refuse before validating, so nobody probes the registry through validation messages. The
        # service checks again: it is the rule's home.
        if not services.can_create_organisation(api_user(request)):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with as_api_errors():
            organisation = services.create_organisation(
                by=api_user(request),
                **OrganisationSerializer.service_arguments(serializer.validated_data),
            )
        return Response(
            self.get_serializer(self._fresh(organisation.pk)).data, status=status.HTTP_201_CREATED
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organisation = self.get_object()
        serializer = self.get_serializer(
            organisation, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with as_api_errors():
            services.update_organisation(
                organisation=organisation,
                by=api_user(request),
                version=data["version"],
                **OrganisationSerializer.service_arguments(data),
            )
        return Response(self.get_serializer(self._fresh(organisation.pk)).data)


class CooperationGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Cooperation groups, with their current members. Public to the network."""

    serializer_class = CooperationGroupSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CooperationGroupFilter

    def get_queryset(self) -> QuerySet[CooperationGroup]:
        current = GroupMembership.objects.filter(left_at__isnull=True).select_related("organisation")
        return (
            CooperationGroup.objects.visible_to(api_user(self.request))
            .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
            .order_by("name", "pk")
        )


class DirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Contact people: those of the user's own organisation and those who consented to be shared."""

    serializer_class = ContactPersonSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DirectoryFilter

    def get_queryset(self) -> QuerySet[ContactPerson]:
        return (
            ContactPerson.objects.visible_to(api_user(self.request))
            .select_related("organisation")
            .order_by("organisation__name", "full_name", "pk")
        )


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """Countries by ISO code (/api/countries/AL/)."""

    serializer_class = CountrySerializer
    pagination_class = None
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Country]:
        return Country.objects.visible_to(api_user(self.request)).order_by("name")


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """First-level divisions of the countries."""

    serializer_class = RegionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RegionFilter

    def get_queryset(self) -> QuerySet[Region]:
        return (
            Region.objects.visible_to(api_user(self.request))
            .select_related("country")
            .order_by("country__name", "name", "pk")
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("organisations", OrganisationViewSet, "organisation"),
    ("groups", CooperationGroupViewSet, "group"),
    ("directory", DirectoryViewSet, "directory"),
    ("countries", CountryViewSet, "country"),
    ("regions", RegionViewSet, "region"),
]
