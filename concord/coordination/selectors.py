"""Reads that combine many rows: a group's progress, an action plan's progress, a group's work summary.

Figures come from aggregate queries (one query per table, not a loop over tasks). Every function starts
from the user's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from concord.coordination.models import ActionPlan, Meeting, Objective, Task

if TYPE_CHECKING:
    from concord.accounts.models import User
    from concord.network.models import CooperationGroup

OPEN_STATUSES = (Task.Status.OPEN, Task.Status.IN_PROGRESS)
COUNTED_STATUSES = (Task.Status.OPEN, Task.Status.IN_PROGRESS, Task.Status.DONE)


@dataclass(frozen=True)
class TaskCounts:
    """How a set of tasks stands. The five figures partition the tasks: `open` is open and not yet
    overdue."""

    done_on_time: int = 0
    done_late: int = 0
    open: int = 0
    overdue: int = 0
    dropped: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def total(self) -> int:
        return self.done + self.open + self.overdue + self.dropped


@dataclass(frozen=True)
class OrganisationProgress:
    organisation_id: int
    organisation_name: str
    counts: TaskCounts


@dataclass(frozen=True)
class GroupProgress:
    rows: list[OrganisationProgress]
    totals: TaskCounts


def _task_count_aggregates() -> dict[str, Any]:
    today = timezone.localdate()
    done = Q(status=Task.Status.DONE)
    late = Q(completed_on__gt=F("due_on"))
    # A task marked done without a completion date (imported data) is counted as done on time.
    on_time = Q(completed_on__lte=F("due_on")) | Q(completed_on__isnull=True)
    return {
        "done_on_time": Count("pk", filter=done & on_time),
        "done_late": Count("pk", filter=done & late),
        "open": Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__gte=today)),
        "overdue": Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        "dropped": Count("pk", filter=Q(status=Task.Status.DROPPED)),
    }


def group_progress(*, group: CooperationGroup, user: User) -> GroupProgress:
    """Per organisation responsible, how the group's tasks stand, with totals. Two queries."""
    tasks = Task.objects.visible_to(user).filter(group=group)
    aggregates = _task_count_aggregates()
    per_organisation = (
        tasks.order_by()
        .values("assigned_organisation_id", "assigned_organisation__name")
        .annotate(**aggregates)
        .order_by("assigned_organisation__name")
    )
    rows = [
        OrganisationProgress(
            organisation_id=row["assigned_organisation_id"],
            organisation_name=row["assigned_organisation__name"],
            counts=TaskCounts(**{name: row[name] for name in aggregates}),
        )
        for row in per_organisation
    ]
    return GroupProgress(rows=rows, totals=TaskCounts(**tasks.aggregate(**aggregates)))


@dataclass(frozen=True)
class PlanProgress:
    """Done tasks out of all tasks that still count (dropped tasks do not)."""

    done: int
    counted: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.counted) if self.counted else 0


def objectives_with_progress(plan: ActionPlan) -> list[Objective]:
    """The plan's objectives, each with `progress` (a PlanProgress) and `activity_list`.

    Progress counts every task linked to the objective's activities, whichever group it belongs to: the
    figures are numbers about the network's shared plan, not the tasks themselves, which stay scoped."""
    objectives: list[Objective] = list(
        Objective.objects.filter(plan=plan)
        .annotate(
            done_count=Count("activities__tasks", filter=Q(activities__tasks__status=Task.Status.DONE)),
            counted_count=Count(
                "activities__tasks", filter=Q(activities__tasks__status__in=COUNTED_STATUSES)
            ),
        )
        .prefetch_related(Prefetch("activities", to_attr="activity_list"))
    )
    # Pillars in the order the model lists them; objectives with no pillar last.
    pillars = Objective._meta.get_field("pillar").choices or []
    pillar_order = {value: index for index, (value, _label) in enumerate(pillars)}
    objectives.sort(
        key=lambda objective: (pillar_order.get(objective.pillar, len(pillar_order)), objective.code)
    )
    for objective in objectives:
        objective.progress = PlanProgress(  # type: ignore[attr-defined]
            done=objective.done_count,  # type: ignore[attr-defined]
            counted=objective.counted_count,  # type: ignore[attr-defined]
        )
    return objectives


def plans_with_task_counts(user: User) -> QuerySet[ActionPlan]:
    """Action plans the user may see, annotated with `done_count` and `counted_count` over all their
    tasks (numbers only, as for objectives)."""
    tasks = "objectives__activities__tasks"
    return (
        ActionPlan.objects.visible_to(user)
        .select_related("country", "group")
        .annotate(
            done_count=Count(tasks, filter=Q(**{f"{tasks}__status": Task.Status.DONE})),
            counted_count=Count(tasks, filter=Q(**{f"{tasks}__status__in": COUNTED_STATUSES})),
        )
        .order_by("-starts_on", "title")
    )


def plans_with_progress(user: User) -> list[ActionPlan]:
    """Action plans the user may see, each with `progress` over all its tasks."""
    plans = list(plans_with_task_counts(user))
    for plan in plans:
        plan.progress = PlanProgress(done=plan.done_count, counted=plan.counted_count)  # type: ignore[attr-defined]
    return plans


@dataclass(frozen=True)
class GroupWork:
    recent_meetings: list[Meeting]
    open_tasks: int
    overdue_tasks: int
    may_write: bool


def group_work(*, group: CooperationGroup, user: User) -> GroupWork | None:
    """What the group page shows of the group's internal work, or None if the user does not work in
    the group (the group page itself is public to the network)."""
    from concord.coordination.rules import can_write_for_group
    from concord.network.models import CooperationGroup

    if not CooperationGroup.objects.worked_in_by(user).filter(pk=group.pk).exists():
        return None
    today = timezone.localdate()
    counts = (
        Task.objects.visible_to(user)
        .filter(group=group)
        .aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        )
    )
    meetings = list(Meeting.objects.visible_to(user).filter(group=group).order_by("-starts_at")[:3])
    return GroupWork(
        recent_meetings=meetings,
        open_tasks=counts["open"],
        overdue_tasks=counts["overdue"],
        may_write=can_write_for_group(user, group),
    )
