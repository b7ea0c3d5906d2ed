"""Shapes of the registry's API data. Serializers describe data; who may see or change what is decided by
the querysets and the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from concord.network.languages import normalise_language_codes, unknown_language_codes
from concord.network.models import (
    ContactPerson,
    CooperationGroup,
    Country,
    GroupMembership,
    Municipality,
    Organisation,
    OrganisationService,
    Region,
    ServiceKind,
    check_jurisdiction,
)
from concord.network.services import ORGANISATION_FIELDS, ServiceOffer


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "country", "name", "code"]


class LanguagesField(serializers.ListField):
    """ISO 639 codes."""

    child = serializers.CharField(max_length=3)

    def to_internal_value(self, data: Any) -> list[str]:
        codes = normalise_language_codes(super().to_internal_value(data))
        unknown = unknown_language_codes(codes)
        if unknown:
            raise serializers.ValidationError(
                _("Not ISO 639 language codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return codes


class ServiceOfferSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ServiceKind.choices)

    class Meta:
        model = OrganisationService
        fields = ["kind", "capacity", "description"]


class _ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record, looked up only among those the requesting user may see."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        model = self.queryset.model  # type: ignore[union-attr]
        user = getattr(request, "user", None)
        return model.objects.visible_to(user) if user is not None else model.objects.none()


class OrganisationSerializer(serializers.ModelSerializer):
    country = _ScopedRelatedField(queryset=Country.objects.none())
    region = _ScopedRelatedField(queryset=Region.objects.none(), allow_null=True, required=False)
    municipality = _ScopedRelatedField(queryset=Municipality.objects.none(), allow_null=True, required=False)
    areas_covered = _ScopedRelatedField(queryset=Region.objects.none(), many=True, required=False)
    services = ServiceOfferSerializer(many=True, required=False)
    languages = LanguagesField(required=False)
    internal_notes = serializers.CharField(
        source="visible_internal_notes",
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Only for the organisation's own members and network administrators; null for others.",
    )
    version = serializers.IntegerField(
        required=False, help_text="Required on update: the version read. A stale version answers 409."
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "org_type",
            "sector",
            "country",
            "region",
            "municipality",
            "areas_covered",
            "services",
            "description",
            "email",
            "phone",
            "address",
            "website",
            "languages",
            "is_active",
            "internal_notes",
            "version",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and attrs.get("version") is None:
            raise serializers.ValidationError({"version": _("This field is required when updating.")})
        current = self.instance
        try:
            check_jurisdiction(
                country=attrs.get("country", getattr(current, "country", None)),
                region=attrs.get("region", getattr(current, "region", None)),
                municipality=attrs.get("municipality", getattr(current, "municipality", None)),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        # The list replaces the organisation's services as a whole, so even in a PATCH (where DRF lets
        # nested required fields go missing) every offer must name its kind.
        if any("kind" not in offer for offer in attrs.get("services", [])):
            raise serializers.ValidationError({"services": _("Each service must say which kind it is.")})
        kinds = [offer["kind"] for offer in attrs.get("services", [])]
        if len(kinds) != len(set(kinds)):
            raise serializers.ValidationError({"services": _("Each service can be listed only once.")})
        return attrs

    @staticmethod
    def service_arguments(data: dict[str, Any]) -> dict[str, Any]:
        """The validated payload as the keyword arguments of the registry services."""
        fields = {name: value for name, value in data.items() if name in ORGANISATION_FIELDS}
        if data.get("visible_internal_notes") is not None:
            fields["internal_notes"] = data["visible_internal_notes"]
        arguments: dict[str, Any] = {"fields": fields}
        if "areas_covered" in data:
            arguments["areas_covered"] = data["areas_covered"]
        if "services" in data:
            arguments["services"] = [ServiceOffer(**offer) for offer in data["services"]]
        return arguments


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = GroupMembership
        fields = ["organisation", "name", "joined_at"]


class CooperationGroupSerializer(serializers.ModelSerializer):
    members = MemberSerializer(source="current_memberships", many=True, read_only=True)

    class Meta:
        model = CooperationGroup
        fields = [
            "id",
            "name",
            "level",
            "country",
            "region",
            "chair",
            "terms_of_reference",
            "is_active",
            "members",
            "version",
        ]


class ContactPersonSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ContactPerson
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "full_name",
            "position",
            "email",
            "phone",
            "languages",
            "shared_with_network",
        ]
