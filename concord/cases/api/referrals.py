"""REST endpoints of referrals, consent, notifications and the referral directory, scoped like the pages.

Referrals come from `Referral.objects.visible_to`; the receiver of a referral not yet accepted (and a
national coordinator) gets the card only. Every write calls cases/services/. An invalid transition or a
stale `version` answers 409; a refusal for a user who sees the object but may not act, 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED, HTTP_409_CONFLICT

from concord.accounts.models import User
from concord.cases import vocabulary as v
from concord.cases.models import (
    ACCESS_STATES,
    Case,
    Consent,
    Notification,
    Referral,
    ReferralEvent,
    ReferralService,
    SharedSection,
    Urgency,
)
from concord.cases.querysets import case_roles
from concord.cases.services import consent as consent_services
from concord.cases.services import notifications as notification_services
from concord.cases.services import referrals as services
from concord.config.api import api_user, as_api_errors
from concord.network.models import Organisation, Region

# Ids and versions beyond a 32-bit integer cannot exist; refusing them keeps the database out of it.
MAX_ID = 2**31 - 1


def _conflict(error: services.InvalidTransitionError) -> Response:
    return Response({"detail": str(error.message), "code": "invalid_transition"}, status=HTTP_409_CONFLICT)


# --- Serializers ----------------------------------------------------------------------------------------


class ReferralCardSerializer(serializers.ModelSerializer):
    """The card: what a receiver sees before accepting. No identity, no free text but the risks."""

    case = serializers.CharField(source="case.code", read_only=True)
    sex = serializers.CharField(source="case.sex", read_only=True)
    age_band = serializers.CharField(source="case.age_band", read_only=True)
    region = serializers.CharField(source="case.region.name", read_only=True, default=None)
    risk_level = serializers.CharField(source="case.risk_level", read_only=True)
    risk_summary = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "from_organisation",
            "to_organisation",
            "services",
            "urgency",
            "language",
            "sex",
            "age_band",
            "region",
            "risk_level",
            "risk_summary",
            "state",
            "is_transnational",
            "sent_at",
            "due_at",
            "is_overdue",
            "version",
        ]
        read_only_fields = fields

    def get_risk_summary(self, referral: Referral) -> str | None:
        """The risks travel to both sides; a coordinator, who is neither, does not read them."""
        request = self.context.get("request")
        if request is None:
            return None
        user = api_user(request)
        if services.is_sender(user, referral) or services.is_receiver(user, referral):
            return referral.case.risk_summary
        return None


class ReferralEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralEvent
        fields = ["from_state", "to_state", "by", "organisation", "at", "note"]
        read_only_fields = fields


class ReferralSerializer(ReferralCardSerializer):
    """The whole referral: for the sender, and for the receiver once accepted."""

    events = serializers.SerializerMethodField()
    shared_sections = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(ReferralCardSerializer.Meta):
        fields = [
            *ReferralCardSerializer.Meta.fields,
            "reason",
            "details",
            "shared_sections",
            "consent",
            "consent_override_reason",
            "decline_reason",
            "end_reason",
            "accepted_at",
            "closed_at",
            "plan",
            "plan_status",
            "created_at",
            "events",
        ]
        read_only_fields = fields

    def get_events(self, referral: Referral) -> list[dict[str, Any]]:
        request = self.context.get("request")
        if request is None or not services.is_sender(api_user(request), referral):
            return []
        return list(ReferralEventSerializer(referral.events.all(), many=True).data)


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.CharField(max_length=12, help_text=_("The case code."))
    to_organisation = serializers.IntegerField(max_value=MAX_ID, min_value=1)
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=ReferralService.choices), min_length=1
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    language = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")
    reason = serializers.ChoiceField(
        choices=v.ReferralReason.choices, default=v.ReferralReason.ADDITIONAL_SERVICES
    )
    details = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    shared_sections = serializers.ListField(
        child=serializers.ChoiceField(choices=SharedSection.choices), default=[SharedSection.PROFILE]
    )
    consent = serializers.IntegerField(
        max_value=MAX_ID, min_value=1, required=False, allow_null=True, default=None
    )
    consent_override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=MAX_ID
    )


class PlanSerializer(serializers.Serializer):
    plan = serializers.CharField(allow_blank=True, default="", max_length=20000)
    plan_status = serializers.CharField(allow_blank=True, default="", max_length=100)
    version = serializers.IntegerField(min_value=0, max_value=MAX_ID)


class ConsentSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.code", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "case",
            "purpose",
            "recipient",
            "method",
            "given_on",
            "recorded_by",
            "organisation",
            "recorded_at",
            "withdrawn_on",
            "withdrawn_by",
            "is_active",
        ]
        read_only_fields = fields


class ConsentCreateSerializer(serializers.Serializer):
    case = serializers.CharField(max_length=12)
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)
    recipient = serializers.IntegerField(
        max_value=MAX_ID, min_value=1, required=False, allow_null=True, default=None
    )
    method = serializers.ChoiceField(choices=Consent.Method.choices)
    witness = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, write_only=True
    )
    given_on = serializers.DateField()


class NotificationSerializer(serializers.ModelSerializer):
    case = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "referral", "case", "created_at", "read_at"]
        read_only_fields = fields

    def get_case(self, notification: Notification) -> str | None:
        return notification.referral.case.code if notification.referral else None


class SuggestionSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    name = serializers.CharField()
    country = serializers.CharField()
    score = serializers.IntegerField()
    explanation = serializers.CharField()
    free = serializers.IntegerField(allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)


class DirectoryQuerySerializer(serializers.Serializer):
    service = serializers.ChoiceField(
        choices=ReferralService.choices, required=False, allow_blank=True, default=""
    )
    region = serializers.IntegerField(
        max_value=MAX_ID, min_value=1, required=False, allow_null=True, default=None
    )
    language = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")


# --- Viewsets -------------------------------------------------------------------------------------------


def _full_view(user: User, referral: Referral) -> bool:
    """The sender; the receiver only while accepted and covered by consent (or its override)."""
    if services.is_sender(user, referral):
        return True
    return (
        services.is_receiver(user, referral)
        and referral.state in ACCESS_STATES
        and services.consent_covers(referral)
    )


@extend_schema(tags=["referrals"])
class ReferralViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Referrals the caller may see. The list gives cards; a referral gives the whole referral to its
    sender and, once accepted, to its receiver, and the card to anyone else."""

    serializer_class = ReferralCardSerializer
    filterset_fields = ["state", "urgency", "is_transnational"]
    ordering_fields = ["created_at", "due_at"]

    def get_queryset(self) -> QuerySet[Referral]:
        return Referral.objects.visible_to(api_user(self.request)).select_related(
            "case", "case__region", "from_organisation", "to_organisation"
        )

    @extend_schema(responses=ReferralSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = self.get_object()
        serializer_class = (
            ReferralSerializer if _full_view(api_user(request), referral) else ReferralCardSerializer
        )
        return Response(serializer_class(referral, context={"request": request}).data)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = api_user(request)
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = Case.objects.visible_to(user).filter(code=data["case"]).first()
        if case is None:
            raise serializers.ValidationError({"case": [_("No such case.")]})
        organisation = Organisation.objects.visible_to(user).filter(pk=data["to_organisation"]).first()
        if organisation is None:
            raise serializers.ValidationError({"to_organisation": [_("No such organisation.")]})
        consent = None
        if data["consent"] is not None:
            consent = Consent.objects.visible_to(user).filter(pk=data["consent"], case=case).first()
            if consent is None:
                raise serializers.ValidationError({"consent": [_("No such consent for this case.")]})
        with as_api_errors():
            referral = services.create_referral(
                case=case,
                by=user,
                to_organisation=organisation,
                services=data["services"],
                urgency=data["urgency"],
                language=data["language"],
                reason=data["reason"],
                details=data["details"],
                shared_sections=data["shared_sections"],
                consent=consent,
                consent_override_reason=data["consent_override_reason"],
            )
        return Response(
            ReferralSerializer(referral, context={"request": request}).data, status=HTTP_201_CREATED
        )

    def _transition(self, request: Request, action_slug: str) -> Response:
        referral = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with as_api_errors():
                services.transition(
                    referral=referral,
                    action=action_slug,
                    by=api_user(request),
                    reason=serializer.validated_data["reason"],
                    expected_version=serializer.validated_data["version"],
                )
        except services.InvalidTransitionError as error:
            return _conflict(error)
        serializer_class = (
            ReferralSerializer if _full_view(api_user(request), referral) else ReferralCardSerializer
        )
        return Response(serializer_class(referral, context={"request": request}).data)

    _transition_schema = extend_schema(
        request=ReasonSerializer,
        responses={
            200: ReferralSerializer,
            409: OpenApiResponse(description="Invalid transition or stale version"),
        },
    )

    @_transition_schema
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "send")

    @_transition_schema
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "accept")

    @_transition_schema
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "decline")

    @_transition_schema
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "start")

    @_transition_schema
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "complete")

    @_transition_schema
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "revoke")

    @_transition_schema
    @action(detail=True, methods=["post"], url_path="give-up", url_name="give-up")
    def give_up(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "give-up")

    @extend_schema(
        request=PlanSerializer,
        responses={
            200: ReferralSerializer,
            409: OpenApiResponse(description="Not accepted, or stale version"),
        },
    )
    @action(detail=True, methods=["post"])
    def plan(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        serializer = PlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.update_plan(
                referral=referral,
                by=api_user(request),
                plan=data["plan"],
                plan_status=data["plan_status"],
                expected_version=data["version"],
            )
        except services.InvalidTransitionError as error:
            return _conflict(error)
        return Response(ReferralSerializer(referral, context={"request": request}).data)


@extend_schema(tags=["referrals"])
class ConsentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Consents of the cases the caller works on for the owner (owner side only). Filter with ?case=."""

    serializer_class = ConsentSerializer
    filterset_fields = ["purpose"]

    def get_queryset(self) -> QuerySet[Consent]:
        user = api_user(self.request)
        rows = Consent.objects.visible_to(user).filter(case__in=Case.objects.owned_for(user).values("pk"))
        code = self.request.query_params.get("case") if self.request else None
        if code:
            rows = rows.filter(case__code=code)
        return rows.select_related("case")

    @extend_schema(request=ConsentCreateSerializer, responses={201: ConsentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = api_user(request)
        serializer = ConsentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = Case.objects.visible_to(user).filter(code=data["case"]).first()
        if case is None:
            raise serializers.ValidationError({"case": [_("No such case.")]})
        recipient = None
        if data["recipient"] is not None:
            recipient = Organisation.objects.visible_to(user).filter(pk=data["recipient"]).first()
            if recipient is None:
                raise serializers.ValidationError({"recipient": [_("No such organisation.")]})
        with as_api_errors():
            consent = consent_services.record_consent(
                case=case,
                by=user,
                purpose=data["purpose"],
                recipient=recipient,
                method=data["method"],
                witness=data["witness"],
                given_on=data["given_on"],
            )
        return Response(ConsentSerializer(consent).data, status=HTTP_201_CREATED)

    @extend_schema(request=None, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        consent = self.get_object()
        with as_api_errors():
            consent_services.withdraw_consent(consent=consent, by=api_user(request))
        return Response(ConsentSerializer(consent).data)


@extend_schema(tags=["referrals"])
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notices, newest first. ?unread=1 for the unread ones."""

    serializer_class = NotificationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Notification]:
        rows = Notification.objects.visible_to(api_user(self.request)).select_related("referral__case")
        if self.request and self.request.query_params.get("unread"):
            rows = rows.unread()
        return rows

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        notification_services.mark_read(notification=notice, by=api_user(request))
        return Response(NotificationSerializer(notice).data)


@extend_schema(tags=["referrals"])
class ReferralDirectoryViewSet(viewsets.ViewSet):
    """Organisations to refer to, best first, with why: ?service=&region=&language=."""

    @extend_schema(parameters=[DirectoryQuerySerializer], responses=SuggestionSerializer(many=True))
    def list(self, request: Request) -> Response:
        user = api_user(request)
        if not case_roles(user).any:
            return Response([])
        query = DirectoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        region_id = data["region"]
        if region_id is not None and not Region.objects.filter(pk=region_id).exists():
            raise serializers.ValidationError({"region": [_("No such region.")]})
        suggestions = services.suggest_organisations(
            user=user, service=data["service"], region_id=region_id, language=data["language"]
        )
        rows = [
            {
                "organisation": s.organisation.pk,
                "name": s.organisation.name,
                "country": s.organisation.country_id,
                "score": s.score,
                "explanation": s.explanation,
                "free": s.free,
                "capacity": s.capacity,
            }
            for s in suggestions
        ]
        return Response(SuggestionSerializer(rows, many=True).data)


ROUTES: list = [
    ("referrals", ReferralViewSet, "referral"),
    ("consents", ConsentViewSet, "consent"),
    ("notifications", NotificationViewSet, "notification"),
    ("referral-directory", ReferralDirectoryViewSet, "referral-directory"),
]
