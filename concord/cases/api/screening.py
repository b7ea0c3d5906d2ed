"""REST endpoints of the screening subject, scoped like the pages (see cases/api/__init__.py).

`screening-tools`: the current version of each tool, with its definition (read-only).
`screenings`: the screenings the caller may see (`Screening.objects.visible_to`); a new one is recorded
through the same service as the page. Answers are checked against the tool's indicator ids; the profile
and the suggestion are computed by the server and read-only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from concord.cases import scoring
from concord.cases.models import Case, Screening, ScreeningTool
from concord.cases.services import screening as services
from concord.config.api import api_user
from concord.network.models import Organisation


class ScreeningToolSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScreeningTool
        fields = [
            "slug",
            "version",
            "name",
            "population",
            "exploitation",
            "source",
            "published_on",
            "definition",
        ]
        read_only_fields = fields


@extend_schema(tags=["cases"])
class ScreeningToolViewSet(viewsets.ReadOnlyModelViewSet):
    """The current version of each identification screening tool, with its indicators and rule."""

    serializer_class = ScreeningToolSerializer
    lookup_field = "slug"
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[ScreeningTool]:
        return ScreeningTool.objects.filter(is_current=True).order_by("slug")


class _ScreeningOrganisationField(serializers.PrimaryKeyRelatedField):
    """One of the organisations the caller may screen for; any other id is "does not exist"."""

    def get_queryset(self) -> QuerySet[Organisation]:
        request = self.context.get("request")
        if request is None:
            return Organisation.objects.none()
        return Organisation.objects.filter(pk__in=services.screening_organisation_ids(request.user))


class ScreeningSerializer(serializers.ModelSerializer):
    tool = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ScreeningTool.objects.filter(is_current=True),
        help_text=_("The slug of a tool; a new screening uses its current version."),
    )
    tool_version = serializers.IntegerField(source="tool.version", read_only=True)
    organisation = _ScreeningOrganisationField(
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Needed only when you screen for more than one organisation."),
    )
    screened_by: serializers.StringRelatedField = serializers.StringRelatedField()
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=scoring.ANSWER_VALUES),
        help_text=_("{indicator id: yes | no | unknown}; indicators left out are unknown."),
    )
    age_estimate = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    person_alias = serializers.CharField(max_length=100, required=False, allow_blank=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    reasons = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()

    class Meta:
        model = Screening
        fields = [
            "id",
            "tool",
            "tool_version",
            "organisation",
            "screened_by",
            "screened_at",
            "person_alias",
            "place",
            "interpreter_used",
            "age_estimate",
            "notes",
            "answers",
            "profile",
            "suggestion",
            "reasons",
            "case",
        ]
        read_only_fields = ["screened_by", "screened_at", "profile", "suggestion"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, screening: Screening) -> list[str]:
        return list(scoring.assess(screening.tool.definition, screening.answers).reasons)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case(self, screening: Screening) -> str | None:
        """The case code, when the caller may open that case."""
        visible: set[int] = self.context.get("visible_case_ids", set())
        if screening.case_id is None or screening.case_id not in visible:
            return None
        return screening.case.code if screening.case else None


class ScreeningListSerializer(ScreeningSerializer):
    """The list leaves out the person's alias and the notes; read one screening to see them."""

    class Meta(ScreeningSerializer.Meta):
        fields = [f for f in ScreeningSerializer.Meta.fields if f not in ("person_alias", "notes")]


@extend_schema(tags=["cases"])
class ScreeningViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Identification screenings the caller may see. Case managers and caseworkers record new ones; the
    suggestion is computed from the answers and is never a decision."""

    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Screening]:
        return Screening.objects.visible_to(api_user(self.request)).select_related(
            "tool", "organisation", "screened_by", "case"
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ScreeningListSerializer if self.action == "list" else ScreeningSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False) or not self.request:
            return context
        context["visible_case_ids"] = set(
            Case.objects.visible_to(api_user(self.request))
            .filter(screening__isnull=False)
            .values_list("pk", flat=True)
        )
        return context

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        screening = self.get_object()
        services.record_screening_viewed(screening=screening, by=api_user(request))
        return Response(self.get_serializer(screening).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not services.can_screen(api_user(request)):
            raise PermissionDenied(_("Only case managers and caseworkers record screenings."))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        user = api_user(self.request)
        data = serializer.validated_data
        organisation = data.get("organisation")
        if organisation is None:
            own = services.screening_organisation_ids(user)
            if len(own) != 1:
                raise serializers.ValidationError(
                    {"organisation": [_("You screen for several organisations: name one.")]}
                )
            organisation = Organisation.objects.get(pk=next(iter(own)))
        try:
            serializer.instance = services.record_screening(
                by=user,
                organisation=organisation,
                tool=data["tool"],
                answers=data["answers"],
                person_alias=data.get("person_alias", ""),
                place=data.get("place", ""),
                interpreter_used=data.get("interpreter_used", False),
                age_estimate=data.get("age_estimate"),
                notes=data.get("notes", ""),
            )
        except DjangoValidationError as error:
            detail = (
                error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            )
            raise serializers.ValidationError(detail) from error


ROUTES: list = [
    ("screening-tools", ScreeningToolViewSet, "screening-tool"),
    ("screenings", ScreeningViewSet, "screening"),
]
