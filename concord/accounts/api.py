"""REST endpoints. Scoped exactly like the pages: every queryset starts from visible_to(request.user)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from concord.accounts import services
from concord.accounts.models import Membership, Role, User


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    user_email = serializers.EmailField(source="user.email", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "user_name",
            "user_email",
            "organisation",
            "organisation_name",
            "role",
            "role_display",
            "is_active",
            "started_at",
            "ended_at",
        ]
        read_only_fields = fields


class OwnMembershipSerializer(serializers.ModelSerializer[Membership]):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "organisation_name", "role", "role_display", "started_at"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer[User]):
    memberships = serializers.SerializerMethodField()
    requires_two_factor = serializers.BooleanField(read_only=True)
    has_two_factor = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "language",
            "requires_two_factor",
            "has_two_factor",
            "memberships",
        ]
        read_only_fields = fields

    @extend_schema_field(OwnMembershipSerializer(many=True))
    def get_memberships(self, user: User) -> list[dict[str, Any]]:
        return OwnMembershipSerializer(user.active_memberships(), many=True).data  # type: ignore[return-value]


class RoleChangeSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices)


class _SingleObjectSchema(AutoSchema):
    """`me` answers one object at the collection's address."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class MeViewSet(viewsets.ViewSet):
    """The signed-in user, with their active memberships and roles."""

    schema = _SingleObjectSchema()

    @extend_schema(responses=MeSerializer)
    def list(self, request: Request) -> Response:
        assert isinstance(request.user, User)  # IsAuthenticated
        return Response(MeSerializer(request.user).data)


class MembershipFilter(django_filters.FilterSet):
    class Meta:
        model = Membership
        fields = ["organisation", "role", "is_active"]


class MembershipViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Membership]
):
    """Memberships, active and ended, of the organisations the user administers (all of them for
    network administrators). A role is changed through `POST .../{id}/role/`."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["started_at", "user__full_name"]
    search_fields = ["user__full_name", "user__email"]

    def get_queryset(self) -> Any:
        return (
            Membership.objects.visible_to(self.request.user)  # type: ignore[arg-type]
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__full_name", "pk")
        )

    @extend_schema(request=RoleChangeSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def role(self, request: Request, pk: str | None = None) -> Response:
        membership = self.get_object()
        payload = RoleChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        try:
            membership = services.change_role(
                membership=membership, role=payload.validated_data["role"], by=request.user
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"role": error.messages}) from error
        return Response(MembershipSerializer(membership).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("me", MeViewSet, "me"),
    ("memberships", MembershipViewSet, "membership"),
]
