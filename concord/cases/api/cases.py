"""REST endpoints of the cases subject, scoped like the pages (see cases/api/__init__.py).

`/api/cases/` lists the cases the caller may open (`Case.objects.visible_to`) as cards; one case reads
like its Summary tab: the card and the risk section for everyone who sees the case, the profile for the
owner side and receivers it is shared with, the owner's own fields for the owner side only. Identity is
a separate endpoint, `/api/cases/{code}/identity/`: it needs `access.sees_identity`; a session user must
also have re-authenticated within 15 minutes (like the page); a token user passed two-factor sign-in
to get the token. Every read of it is audited. Writes call `services/cases.py`; a stale `version` is 409.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, pagination, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED
from rest_framework.utils.urls import replace_query_param

from concord.accounts.authentication import TokenAuthentication
from concord.cases import vocabulary as v
from concord.cases.access import case_access
from concord.cases.listing import case_page, mark_referred, narrowing_ids, page_number
from concord.cases.models import (
    IDENTITY_FIELDS,
    Case,
    Referral,
    ReferralService,
    ReferralState,
    ServiceDelivery,
)
from concord.cases.reauth import recently_reauthenticated
from concord.cases.services import cases as services
from concord.config.api import api_user, as_api_errors
from concord.network.models import Organisation, Region


class CasePagination(pagination.BasePagination):
    """`?page=N`, newest first, without counting every visible case (cases/listing.py)."""

    page_size = 50

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "A page number (from 1).",
                "schema": {"type": "integer"},
            }
        ]


# Filters applied as a set of case ids (cases/listing.py `narrowing_ids`), not per query.
NARROWING = ("service", "referral_state")


class CaseFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(method="filter_code", label=_("case code (exact)"))
    status = django_filters.ChoiceFilter(choices=v.CaseStatus.choices)
    region = django_filters.NumberFilter(field_name="region_id", min_value=1, max_value=2**31 - 1)
    service = django_filters.ChoiceFilter(
        choices=ReferralService.choices, method="filter_service", label=_("service delivered or asked")
    )
    referral_state = django_filters.ChoiceFilter(
        choices=ReferralState.choices, method="filter_referral_state", label=_("referral state")
    )

    class Meta:
        model = Case
        fields = ["code", "status", "region", "service", "referral_state"]

    def filter_code(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(code=value.strip().upper()) if value else queryset

    def filter_service(self, queryset: Any, name: str, value: str) -> Any:
        if not value:
            return queryset
        user = self.request.user
        delivered = ServiceDelivery.objects.visible_to(user).filter(service=value)
        asked = Referral.objects.visible_to(user).filter(services__icontains=f'"{value}"')
        return queryset.filter(Q(pk__in=delivered.values("case_id")) | Q(pk__in=asked.values("case_id")))

    def filter_referral_state(self, queryset: Any, name: str, value: str) -> Any:
        if not value:
            return queryset
        referrals = Referral.objects.visible_to(self.request.user).filter(state=value)
        return queryset.filter(pk__in=referrals.values("case_id"))


def _list_of(vocabulary: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=vocabulary.choices), required=False)


class CaseCardSerializer(serializers.ModelSerializer):
    """What every organisation that sees a case reads, and the list shows: never a name."""

    age_band = serializers.CharField(read_only=True)
    referred_to_us = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "code",
            "status",
            "owner",
            "region",
            "sex",
            "age_band",
            "trafficking_status",
            "referred_to_us",
        ]
        read_only_fields = fields

    def get_referred_to_us(self, case: Case) -> bool:
        owned = self.context.get("owned_ids")
        if owned is None:
            access = self.context.get("access")
            return bool(access is not None and not access.owner_side)
        return case.pk not in owned


class CaseSerializer(serializers.ModelSerializer):
    """One case as its Summary tab shows it to the caller (fields they may not read are left out)."""

    age_band = serializers.CharField(read_only=True)
    referred_to_us = serializers.SerializerMethodField()
    region: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True
    )
    mailing_country = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    country_of_exploitation = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    citizenship = serializers.ListField(child=serializers.ChoiceField(choices=[]), required=False)
    recruitment_websites_and_apps = _list_of(v.WebsiteOrApp)
    methods_of_recruitment = _list_of(v.MethodOfRecruitment)
    methods_of_control = _list_of(v.MethodOfControl)
    types_of_exploitation = _list_of(v.TypeOfExploitation)
    types_of_sex_exploitation = _list_of(v.TypeOfSexExploitation)
    exploitation_websites_and_apps = _list_of(v.WebsiteOrApp)

    class Meta:
        model = Case
        fields = [
            *services.CARD_FIELDS,
            "referred_to_us",
            *services.RISK_FIELDS,
            *services.PROFILE_FIELDS,
            *services.OWNER_FIELDS,
        ]
        read_only_fields = [
            "code",
            "status",
            "owner",
            "trafficking_status",
            "case_owner",
            "trafficking_status_deciding_org_type",
            "trafficking_status_decided_by",
            "trafficking_status_decided_on",
            "closure_reason",
            "closure_details",
            "closed_on",
            "created_at",
            "version",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = services.country_choices()
        for name in services.COUNTRY_FIELDS:
            self.fields[name].choices = countries  # type: ignore[attr-defined]
        self.fields["citizenship"].child.choices = countries  # type: ignore[attr-defined]

    def get_referred_to_us(self, case: Case) -> bool:
        access = self.context.get("access")
        return bool(access is not None and not access.owner_side)

    def to_representation(self, instance: Case) -> dict[str, Any]:
        data = super().to_representation(instance)
        access = self.context.get("access") or case_access(self.context["request"].user, instance)
        allowed = {*services.CARD_FIELDS, "referred_to_us", *services.RISK_FIELDS}
        if access.sees("profile"):
            allowed.update(services.PROFILE_FIELDS)
        if access.owner_side:
            allowed.update(services.OWNER_FIELDS)
        return {name: value for name, value in data.items() if name in allowed}


class CaseChangeSerializer(CaseSerializer):
    version = serializers.IntegerField(help_text=_("The version the change is based on."))

    class Meta(CaseSerializer.Meta):
        read_only_fields = [name for name in CaseSerializer.Meta.read_only_fields if name != "version"]


class CaseCreateSerializer(CaseSerializer):
    """A new case: the owning organisation (one the caller manages cases or works for), the profile and,
    write-only, the identity."""

    owner: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none()
    )
    first_name = serializers.CharField(write_only=True, required=False, allow_blank=True)
    middle_name = serializers.CharField(write_only=True, required=False, allow_blank=True)
    second_name = serializers.CharField(write_only=True, required=False, allow_blank=True)
    birth_date = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text=_("YYYY-MM-DD")
    )
    identity_number = serializers.CharField(write_only=True, required=False, allow_blank=True)
    email = serializers.CharField(write_only=True, required=False, allow_blank=True)
    home_phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    mobile_phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    mailing_street = serializers.CharField(write_only=True, required=False, allow_blank=True)
    mailing_city = serializers.CharField(write_only=True, required=False, allow_blank=True)
    mailing_state = serializers.CharField(write_only=True, required=False, allow_blank=True)
    mailing_postal_code = serializers.CharField(write_only=True, required=False, allow_blank=True)
    guardian_name = serializers.CharField(write_only=True, required=False, allow_blank=True)
    guardian_contact = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, *IDENTITY_FIELDS]
        read_only_fields = [name for name in CaseSerializer.Meta.read_only_fields if name != "owner"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            organisations = services.creatable_organisations(request.user)
            self.fields["owner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                pk__in=[o.pk for o in organisations]
            )


class IdentitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["code", *IDENTITY_FIELDS]
        read_only_fields = fields


@extend_schema(tags=["cases"])
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases the caller may open. Case managers and caseworkers open cases for their organisation; the
    owner side edits the profile (with the version read; 409 when stale)."""

    lookup_field = "code"
    lookup_value_regex = "C-[2-9A-Z]{4}-[2-9A-Z]{4}"
    http_method_names = ["get", "post", "patch", "head", "options"]
    pagination_class = CasePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[Case]:
        return Case.objects.visible_to(api_user(self.request)).select_related("owner", "region")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        by_action: dict[str, type[serializers.BaseSerializer]] = {
            "list": CaseCardSerializer,
            "create": CaseCreateSerializer,
            "partial_update": CaseChangeSerializer,
            "identity": IdentitySerializer,
        }
        return by_action.get(self.action, CaseSerializer)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = api_user(request)
        probe = CaseFilter(request.query_params, queryset=Case.objects.none(), request=request)
        if not probe.is_valid():
            raise serializers.ValidationError(probe.errors)

        data = probe.form.cleaned_data
        among = narrowing_ids(
            user, service=data.get("service") or "", referral_state=data.get("referral_state") or ""
        )
        narrowing = {key: value for key, value in request.query_params.items() if key not in NARROWING}

        def filters(queryset: QuerySet[Case]) -> QuerySet[Case]:
            return CaseFilter(narrowing, queryset=queryset, request=request).qs

        number = page_number(request.query_params.get("page"))
        page = case_page(user, number=number, size=CasePagination.page_size, filters=filters, among=among)
        context = {**self.get_serializer_context(), "owned_ids": mark_referred(user, page.object_list)}
        url = request.build_absolute_uri()
        return Response(
            {
                "next": replace_query_param(url, "page", number + 1) if page.has_next else None,
                "previous": replace_query_param(url, "page", number - 1) if page.has_previous else None,
                "results": CaseCardSerializer(page.object_list, many=True, context=context).data,
            }
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        access = case_access(api_user(request), case)
        services.record_view(case=case, by=api_user(request), access=access)
        return Response(
            CaseSerializer(case, context={**self.get_serializer_context(), "access": access}).data
        )

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        owner = data.pop("owner")
        identity = {name: data.pop(name) for name in IDENTITY_FIELDS if name in data}
        values = {name: value for name, value in data.items() if name in services.EDITABLE_FIELDS}
        with as_api_errors():
            case = services.create_case(by=api_user(request), owner=owner, values=values, identity=identity)
        access = case_access(api_user(request), case)
        body = CaseSerializer(case, context={**self.get_serializer_context(), "access": access}).data
        return Response(body, status=HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.MethodNotAllowed("PUT")

    @extend_schema(request=CaseChangeSerializer, responses=CaseSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        access = case_access(api_user(request), case)
        if not access.can_edit:
            raise exceptions.PermissionDenied
        serializer = CaseChangeSerializer(
            case, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        version = data.pop("version")
        values = {name: value for name, value in data.items() if name in services.EDITABLE_FIELDS}
        with as_api_errors():
            case = services.update_case(
                case=case, by=api_user(request), expected_version=version, values=values
            )
        return Response(
            CaseSerializer(case, context={**self.get_serializer_context(), "access": access}).data
        )

    @extend_schema(
        responses={
            200: IdentitySerializer,
            403: inline_serializer("IdentityRefused", {"detail": serializers.CharField()}),
        }
    )
    @action(detail=True, methods=["get"])
    def identity(self, request: Request, code: str | None = None) -> Response:
        """The identity and contact details. Session users must have re-authenticated within 15 minutes;
        every read is audited."""
        case = self.get_object()
        access = case_access(api_user(request), case)
        if not access.sees_identity:
            raise exceptions.PermissionDenied
        by_token = isinstance(request.successful_authenticator, TokenAuthentication)
        if not by_token and not recently_reauthenticated(request):
            raise exceptions.PermissionDenied(
                _("Confirm your password again (re-authenticate) to read identity details."),
                code="reauthentication_required",
            )
        services.record_view(case=case, by=api_user(request), access=access, identity=True)
        return Response(IdentitySerializer(case).data)


ROUTES: list = [("cases", CaseViewSet, "case")]
