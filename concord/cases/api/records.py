"""REST endpoints of the records hanging from a case, scoped like the pages (see cases/api/__init__.py).

Every queryset is `<Model>.objects.visible_to(request.user)` (section-aware), narrowed by `?case=<code>`.
Writes name the case by its code, looked up among the cases the caller may see, so that a case the caller
may not see answers like one that does not exist; they call the services of the pages
(cases/services/records.py), which answer 403 when the caller sees the case but may not write there.
Support plans and proceedings are edited with the version they were read at (409 when stale). Documents
show their metadata; their content comes only from the `download` action, which is audited.
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED, HTTP_410_GONE

from concord.cases import documents
from concord.cases.models import (
    Case,
    CaseDocument,
    CaseNote,
    LegalProceeding,
    Referral,
    ReferralService,
    ServiceDelivery,
    SupportPlan,
    TraffickingEvent,
)
from concord.cases.services import records as services
from concord.cases.views.records import document_response
from concord.config.api import api_user, as_api_errors


class VisibleCaseField(serializers.SlugRelatedField):
    """A case given by its code, among the cases the caller may see; any other code "does not exist"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Case.objects.none())
        kwargs.setdefault("help_text", _("The case code, such as C-7KQM-X2PA."))
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Case]:
        request = self.context.get("request")
        if request is None:
            return Case.objects.none()
        return Case.objects.visible_to(api_user(request))

    def to_internal_value(self, data: Any) -> Case:
        if not isinstance(data, str):
            self.fail("invalid")
        return cast(Case, super().to_internal_value(data))


class CaseCodeFilter(django_filters.FilterSet):
    case = django_filters.CharFilter(field_name="case__code", label=_("Case code"))


class _RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = CaseCodeFilter
    http_method_names = ["get", "post", "head", "options"]
    model: Any = None

    def get_queryset(self) -> QuerySet:
        return self.model.objects.visible_to(api_user(self.request)).select_related("case")


# --- Trafficking events ---------------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    case = VisibleCaseField()

    class Meta:
        model = TraffickingEvent
        fields = [
            "id",
            "case",
            "event_type",
            "date",
            "country",
            "state",
            "city",
            "description",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]


@extend_schema(tags=["cases"])
class EventViewSet(mixins.CreateModelMixin, _RecordViewSet):
    """Trafficking events (hte_*) of the cases the caller may see, where the events are shared. The owner
    side records them."""

    serializer_class = EventSerializer
    model = TraffickingEvent

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        with as_api_errors():
            serializer.instance = services.record_event(
                case=data["case"],
                by=api_user(self.request),
                event_type=data["event_type"],
                date=data.get("date"),
                country=data.get("country", ""),
                state=data.get("state", ""),
                city=data.get("city", ""),
                description=data.get("description", ""),
            )


# --- Services delivered ---------------------------------------------------------------------------------


class ServiceDeliverySerializer(serializers.ModelSerializer):
    case = VisibleCaseField()
    service = serializers.ChoiceField(choices=ReferralService.choices)
    referral = serializers.PrimaryKeyRelatedField(
        queryset=Referral.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = ServiceDelivery
        fields = [
            "id",
            "case",
            "organisation",
            "service",
            "referral",
            "started_on",
            "ended_on",
            "outcome",
            "notes",
            "recorded_at",
        ]
        read_only_fields = ["organisation", "recorded_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["referral"].queryset = Referral.objects.visible_to(api_user(request))  # type: ignore[attr-defined]


@extend_schema(tags=["cases"])
class ServiceDeliveryViewSet(mixins.CreateModelMixin, _RecordViewSet):
    """Services delivered to the person. The owner side records them for the owner, an organisation the
    case was referred to for itself."""

    serializer_class = ServiceDeliverySerializer
    model = ServiceDelivery

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        with as_api_errors():
            serializer.instance = services.record_service(
                case=data["case"],
                by=api_user(self.request),
                service=data["service"],
                started_on=data["started_on"],
                ended_on=data.get("ended_on"),
                outcome=data.get("outcome", ServiceDelivery.Outcome.ONGOING),
                notes=data.get("notes", ""),
                referral=data.get("referral"),
            )


# --- Support plans --------------------------------------------------------------------------------------

SUPPORT_PLAN_FIELDS = [
    "plan_type",
    "objectives",
    "action_plan",
    "planned_end_date",
    "actual_end_date",
    "review_on",
]


class SupportPlanSerializer(serializers.ModelSerializer):
    case = VisibleCaseField()

    class Meta:
        model = SupportPlan
        fields = ["id", "case", "organisation", *SUPPORT_PLAN_FIELDS, "created_at", "version"]
        read_only_fields = ["organisation", "created_at", "version"]


class SupportPlanChangeSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(help_text=_("The version the change is based on."))

    class Meta:
        model = SupportPlan
        fields = [*SUPPORT_PLAN_FIELDS, "version"]


@extend_schema(tags=["cases"])
class SupportPlanViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, _RecordViewSet):
    """Support plans (spl_*). The owner side adds and edits them; an organisation the case was referred to
    adds and edits its own. Edits carry the version read (409 when someone else saved meanwhile)."""

    model = SupportPlan
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return SupportPlanChangeSerializer if self.action == "partial_update" else SupportPlanSerializer

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        with as_api_errors():
            serializer.instance = services.add_support_plan(
                case=data["case"],
                by=api_user(self.request),
                plan_type=data["plan_type"],
                objectives=data.get("objectives", ""),
                action_plan=data.get("action_plan", ""),
                planned_end_date=data.get("planned_end_date"),
                actual_end_date=data.get("actual_end_date"),
                review_on=data.get("review_on"),
            )

    @extend_schema(request=SupportPlanChangeSerializer, responses=SupportPlanSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        serializer = SupportPlanChangeSerializer(plan, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        with as_api_errors():
            plan = services.update_support_plan(
                plan=plan,
                by=api_user(request),
                expected_version=data["version"],
                **{name: data.get(name, getattr(plan, name)) for name in SUPPORT_PLAN_FIELDS},
            )
        return Response(SupportPlanSerializer(plan, context={"request": request}).data)


# --- Legal proceedings ----------------------------------------------------------------------------------

PROCEEDING_FIELDS = [
    "stage",
    "outcome",
    "reference",
    "offence",
    "opened_on",
    "closed_on",
    "defendants",
    "sentence_months",
    "compensation_claimed",
    "compensation_awarded_eur",
    "statement_given",
    "joint_interview",
    "protection_measures",
    "notes",
]


class ProceedingSerializer(serializers.ModelSerializer):
    case = VisibleCaseField()
    protection_measures = serializers.ListField(
        child=serializers.ChoiceField(choices=LegalProceeding.ProtectionMeasure.choices),
        required=False,
    )

    class Meta:
        model = LegalProceeding
        fields = ["id", "case", "organisation", *PROCEEDING_FIELDS, "recorded_at", "version"]
        read_only_fields = ["organisation", "recorded_at", "version"]


class ProceedingChangeSerializer(serializers.ModelSerializer):
    protection_measures = serializers.ListField(
        child=serializers.ChoiceField(choices=LegalProceeding.ProtectionMeasure.choices),
        required=False,
    )
    version = serializers.IntegerField(help_text=_("The version the change is based on."))

    class Meta:
        model = LegalProceeding
        fields = [*PROCEEDING_FIELDS, "version"]


@extend_schema(tags=["cases"])
class ProceedingViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, _RecordViewSet):
    """Investigations, prosecutions and court cases, with the victim's participation. Written by people
    of law-enforcement, legal-service and central-government organisations that hold the case; each
    organisation edits its own, with the version read (409 when stale)."""

    model = LegalProceeding
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ProceedingChangeSerializer if self.action == "partial_update" else ProceedingSerializer

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        case = data.pop("case")
        with as_api_errors():
            serializer.instance = services.record_proceeding(case=case, by=api_user(self.request), **data)

    @extend_schema(request=ProceedingChangeSerializer, responses=ProceedingSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proceeding = self.get_object()
        serializer = ProceedingChangeSerializer(proceeding, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        version = data.pop("version")
        with as_api_errors():
            proceeding = services.update_proceeding(
                proceeding=proceeding, by=api_user(request), expected_version=version, **data
            )
        return Response(ProceedingSerializer(proceeding, context={"request": request}).data)


# --- Notes ----------------------------------------------------------------------------------------------


class NoteSerializer(serializers.ModelSerializer):
    case = VisibleCaseField()

    class Meta:
        model = CaseNote
        fields = ["id", "case", "organisation", "author", "text", "created_at"]
        read_only_fields = ["organisation", "author", "created_at"]


@extend_schema(tags=["cases"])
class NoteViewSet(mixins.CreateModelMixin, _RecordViewSet):
    """Notes (cco_CaseComment). Anyone who holds the case writes notes for their own organisation; the
    receiving side sees the owner's notes only when notes are shared."""

    serializer_class = NoteSerializer
    model = CaseNote

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        with as_api_errors():
            serializer.instance = services.add_note(
                case=data["case"], by=api_user(self.request), text=data["text"]
            )


# --- Documents ------------------------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    case = VisibleCaseField(read_only=True)

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "case",
            "organisation",
            "kind",
            "title",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    case = VisibleCaseField()
    kind = serializers.ChoiceField(choices=CaseDocument.Kind.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text=_("PDF, PNG, JPEG, plain text, DOCX or XLSX."))


@extend_schema(tags=["cases"])
class DocumentViewSet(_RecordViewSet):
    """Documents of the cases the caller may see: metadata only. Upload with multipart form data; the
    content comes from `download`, decrypted, and every download is audited."""

    model = CaseDocument
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return DocumentUploadSerializer if self.action == "create" else DocumentSerializer

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer}, responses={201: DocumentSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = DocumentUploadSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        uploaded = data["file"]
        with as_api_errors():
            content = documents.read_limited(uploaded, declared_size=uploaded.size)
            document = services.upload_document(
                case=data["case"], by=api_user(request), kind=data["kind"], title=data["title"], data=content
            )
        return Response(DocumentSerializer(document).data, status=HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(response=OpenApiTypes.BINARY),
            410: OpenApiResponse(description=_("The stored file cannot be read.")),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The document's content, decrypted, as an attachment. Recorded as an export."""
        document = self.get_object()
        try:
            data = services.download_document(document=document, by=api_user(request))
        except services.DocumentUnavailableError:
            return Response({"detail": _("This document's file cannot be read.")}, status=HTTP_410_GONE)
        return document_response(document, data)


ROUTES: list[tuple[str, Any, str]] = [
    ("case-events", EventViewSet, "case-event"),
    ("case-services", ServiceDeliveryViewSet, "case-service"),
    ("support-plans", SupportPlanViewSet, "support-plan"),
    ("proceedings", ProceedingViewSet, "proceeding"),
    ("case-notes", NoteViewSet, "case-note"),
    ("case-documents", DocumentViewSet, "case-document"),
]
