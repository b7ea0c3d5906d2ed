"""REST endpoints. Scoped exactly like the pages: every queryset starts from visible_to(request.user), and
every write calls the same service as the page (services.py), which checks `rules.py`.

Related objects given by id are looked up in the caller's scope, so an id the caller may not see answers
like an id that does not exist. Edits carry the `version` that was read; a stale one answers 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from concord.accounts.models import User
from concord.config.api import api_user, as_api_errors
from concord.coordination import selectors, services
from concord.coordination.filters import DecisionFilter, MeetingFilter, TaskFilter, TaskProgressFilter
from concord.coordination.models import (
    ActionPlan,
    Activity,
    Decision,
    Meeting,
    Objective,
    Task,
    TaskUpdate,
)
from concord.network.models import CooperationGroup, Organisation


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id chosen among what `scope(user)` returns; anything else is "does not exist"."""

    def __init__(self, *, scope: Callable[[User], QuerySet], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        if request is None:
            return self.queryset.none()  # type: ignore[union-attr]
        return self.scope(api_user(request))


def _active_people(user: User) -> QuerySet[User]:
    if not Organisation.objects.visible_to(user).exists():
        return User.objects.none()
    return User.objects.filter(is_active=True, memberships__is_active=True).distinct()


def _visible_activities(user: User) -> QuerySet[Activity]:
    return Activity.objects.filter(objective__plan__in=ActionPlan.objects.visible_to(user).values("pk"))


# --- Meetings and decisions -----------------------------------------------------------------------------


class NestedDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "number", "text", "created_at"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    group = ScopedPrimaryKeyRelatedField(
        scope=CooperationGroup.objects.worked_in_by, queryset=CooperationGroup.objects.none()
    )
    attending_organisations = ScopedPrimaryKeyRelatedField(
        scope=Organisation.objects.visible_to, queryset=Organisation.objects.none(), many=True, required=False
    )
    attending_people = ScopedPrimaryKeyRelatedField(
        scope=_active_people, queryset=User.objects.none(), many=True, required=False
    )
    decisions = NestedDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "group",
            "title",
            "starts_at",
            "place",
            "agenda",
            "minutes",
            "attending_organisations",
            "attending_people",
            "decisions",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = ["created_by", "created_at", "version"]


class MeetingChangeSerializer(MeetingSerializer):
    """A change to a meeting: any of its fields, with the version it was read at. Its group stays."""

    group: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        read_only=True
    )
    version = serializers.IntegerField(help_text=_("The version the change is based on."))

    class Meta(MeetingSerializer.Meta):
        read_only_fields = ["created_by", "created_at"]


class DecisionSerializer(serializers.ModelSerializer):
    meeting = ScopedPrimaryKeyRelatedField(scope=Meeting.objects.visible_to, queryset=Meeting.objects.none())

    class Meta:
        model = Decision
        fields = ["id", "meeting", "number", "text", "created_at"]
        read_only_fields = ["number", "created_at"]


@extend_schema(tags=["coordination"])
class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings of the groups the caller works in, with their decisions. Group writers record and edit."""

    filterset_class = MeetingFilter
    ordering_fields = ["starts_at", "title"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            Meeting.objects.visible_to(api_user(self.request))
            .select_related("group")
            .prefetch_related("decisions", "attending_organisations", "attending_people")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return MeetingChangeSerializer if self.action == "partial_update" else MeetingSerializer

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.record_meeting(
            group=data["group"],
            by=api_user(self.request),
            title=data["title"],
            starts_at=data["starts_at"],
            place=data.get("place", ""),
            agenda=data.get("agenda", ""),
            minutes=data.get("minutes", ""),
            attending_organisations=data.get("attending_organisations", []),
            attending_people=data.get("attending_people", []),
        )

    @extend_schema(request=MeetingChangeSerializer, responses=MeetingSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self.get_object()
        serializer = MeetingChangeSerializer(
            meeting, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        meeting = services.update_meeting(
            meeting=meeting,
            by=api_user(request),
            expected_version=data["version"],
            title=data.get("title", meeting.title),
            starts_at=data.get("starts_at", meeting.starts_at),
            place=data.get("place", meeting.place),
            agenda=data.get("agenda", meeting.agenda),
            minutes=data.get("minutes", meeting.minutes),
            attending_organisations=data.get(
                "attending_organisations", list(meeting.attending_organisations.all())
            ),
            attending_people=data.get("attending_people", list(meeting.attending_people.all())),
        )
        return Response(MeetingSerializer(self.get_object(), context={"request": request}).data)


@extend_schema(tags=["coordination"])
class DecisionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Decisions of the meetings the caller may see. Group writers record new ones; they are numbered
    in order and never edited."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self) -> QuerySet[Decision]:
        return Decision.objects.visible_to(api_user(self.request)).select_related("meeting")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.record_decision(
            meeting=data["meeting"], by=api_user(self.request), text=data["text"]
        )


# --- Tasks ----------------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "group",
            "title",
            "description",
            "assigned_organisation",
            "assigned_person",
            "decision",
            "activity",
            "due_on",
            "status",
            "completed_on",
            "is_overdue",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class TaskCreateSerializer(serializers.ModelSerializer):
    group = ScopedPrimaryKeyRelatedField(
        scope=CooperationGroup.objects.worked_in_by, queryset=CooperationGroup.objects.none()
    )
    assigned_organisation = ScopedPrimaryKeyRelatedField(
        scope=lambda user: Organisation.objects.visible_to(user).active(),
        queryset=Organisation.objects.none(),
    )
    assigned_person = ScopedPrimaryKeyRelatedField(
        scope=_active_people, queryset=User.objects.none(), required=False, allow_null=True
    )
    decision = ScopedPrimaryKeyRelatedField(
        scope=Decision.objects.visible_to, queryset=Decision.objects.none(), required=False, allow_null=True
    )
    activity = ScopedPrimaryKeyRelatedField(
        scope=_visible_activities, queryset=Activity.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = Task
        fields = [
            "group",
            "title",
            "description",
            "assigned_organisation",
            "assigned_person",
            "decision",
            "activity",
            "due_on",
        ]


class TaskChangeSerializer(serializers.ModelSerializer):
    assigned_organisation = ScopedPrimaryKeyRelatedField(
        scope=lambda user: Organisation.objects.visible_to(user).active(),
        queryset=Organisation.objects.none(),
        required=False,
    )
    assigned_person = ScopedPrimaryKeyRelatedField(
        scope=_active_people, queryset=User.objects.none(), required=False, allow_null=True
    )
    version = serializers.IntegerField(help_text=_("The version the change is based on."))

    class Meta:
        model = Task
        fields = ["title", "description", "assigned_organisation", "assigned_person", "due_on", "version"]


class TaskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Task.Status.choices)
    version = serializers.IntegerField(help_text=_("The version the change is based on."))
    comment = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["coordination"])
class TaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Tasks of the groups the caller works in and tasks given to the caller's organisation. Filter
    as on the "our tasks" page: `status`, `group`, `overdue=true`, `ours=true`."""

    filterset_class = TaskFilter
    ordering_fields = ["due_on", "created_at", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Task]:
        return Task.objects.visible_to(api_user(self.request)).select_related(
            "group", "assigned_organisation"
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        by_action: dict[str, type[serializers.BaseSerializer]] = {
            "create": TaskCreateSerializer,
            "partial_update": TaskChangeSerializer,
            "status": TaskStatusSerializer,
        }
        return by_action.get(self.action or "", TaskSerializer)

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = TaskCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with as_api_errors():
            task = services.create_task(
                group=data["group"],
                by=api_user(request),
                title=data["title"],
                description=data.get("description", ""),
                assigned_organisation=data["assigned_organisation"],
                assigned_person=data.get("assigned_person"),
                due_on=data["due_on"],
                decision=data.get("decision"),
                activity=data.get("activity"),
            )
        return Response(TaskSerializer(task).data, status=HTTP_201_CREATED)

    @extend_schema(request=TaskChangeSerializer, responses=TaskSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = self.get_object()
        serializer = TaskChangeSerializer(task, data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        with as_api_errors():
            task = services.update_task(
                task=task,
                by=api_user(request),
                expected_version=data["version"],
                title=data.get("title", task.title),
                description=data.get("description", task.description),
                due_on=data.get("due_on", task.due_on),
                assigned_organisation=data.get("assigned_organisation", task.assigned_organisation),
                assigned_person=data.get("assigned_person", task.assigned_person),
            )
        return Response(TaskSerializer(task).data)

    @extend_schema(request=TaskStatusSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None) -> Response:
        """Change the task's status (done sets the completion date), with an optional comment."""
        task = self.get_object()
        serializer = TaskStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with as_api_errors():
            services.add_task_progress(
                task=task,
                by=api_user(request),
                comment=data["comment"],
                status=data["status"],
                expected_version=data["version"],
            )
        return Response(TaskSerializer(task).data)


class TaskProgressSerializer(serializers.ModelSerializer):
    task = ScopedPrimaryKeyRelatedField(scope=Task.objects.visible_to, queryset=Task.objects.none())
    status = serializers.ChoiceField(
        choices=Task.Status.choices,
        required=False,
        write_only=True,
        help_text=_("A new status, if the progress changes it."),
    )
    version = serializers.IntegerField(
        required=False, write_only=True, help_text=_("The task's version; required to change its status.")
    )

    class Meta:
        model = TaskUpdate
        fields = ["id", "task", "author", "at", "comment", "old_status", "new_status", "status", "version"]
        read_only_fields = ["author", "at", "old_status", "new_status"]


@extend_schema(tags=["coordination"])
class TaskProgressViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Progress notes on the tasks the caller may see. Adding one may change the task's status."""

    serializer_class = TaskProgressSerializer
    filterset_class = TaskProgressFilter

    def get_queryset(self) -> QuerySet[TaskUpdate]:
        return TaskUpdate.objects.visible_to(api_user(self.request)).select_related("author")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        with as_api_errors():
            serializer.instance = services.add_task_progress(
                task=data["task"],
                by=api_user(self.request),
                comment=data.get("comment", ""),
                status=data.get("status"),
                expected_version=data.get("version"),
            )


# --- Action plans ---------------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text=_("Tasks done."))
    counted = serializers.IntegerField(help_text=_("Tasks not dropped."))
    percent = serializers.IntegerField()


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "code", "title"]


class ObjectiveSerializer(serializers.ModelSerializer):
    progress = ProgressSerializer(read_only=True)
    activities = ActivitySerializer(many=True, read_only=True, source="activity_list")

    class Meta:
        model = Objective
        fields = ["id", "code", "title", "pillar", "progress", "activities"]


class ActionPlanSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = ["id", "title", "country", "group", "starts_on", "ends_on", "description", "progress"]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, plan: Any) -> dict[str, int]:
        progress = selectors.PlanProgress(done=plan.done_count, counted=plan.counted_count)
        return {"done": progress.done, "counted": progress.counted, "percent": progress.percent}


class ActionPlanDetailSerializer(ActionPlanSerializer):
    objectives = serializers.SerializerMethodField()

    class Meta(ActionPlanSerializer.Meta):
        fields = [*ActionPlanSerializer.Meta.fields, "objectives"]

    @extend_schema_field(ObjectiveSerializer(many=True))
    def get_objectives(self, plan: ActionPlan) -> list[dict[str, Any]]:
        return ObjectiveSerializer(selectors.objectives_with_progress(plan), many=True).data  # type: ignore[return-value]


@extend_schema(tags=["coordination"])
class ActionPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Action plans, public to the network, with progress: done tasks out of tasks not dropped."""

    ordering_fields = ["starts_on", "title"]

    def get_queryset(self) -> QuerySet[ActionPlan]:
        return selectors.plans_with_task_counts(api_user(self.request))

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ActionPlanDetailSerializer if self.action == "retrieve" else ActionPlanSerializer


ROUTES: list[tuple[str, Any, str]] = [
    ("meetings", MeetingViewSet, "meeting"),
    ("decisions", DecisionViewSet, "decision"),
    ("tasks", TaskViewSet, "task"),
    ("task-updates", TaskProgressViewSet, "task-update"),
    ("action-plans", ActionPlanViewSet, "action-plan"),
]
