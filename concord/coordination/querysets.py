"""Who sees the work of cooperation groups.

Meetings (agenda, minutes, decisions) and tasks are internal to the group: they are visible to people
whose organisation belongs to the group (see `CooperationGroupQuerySet.worked_in_by`). A task is also
visible to the organisation it is assigned to, which may not be a member. Action plans are public to
the network. No active membership means nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from concord.accounts.models import User


def _groups_worked_in(user: User) -> models.QuerySet:
    from concord.network.models import CooperationGroup

    return CooperationGroup.objects.worked_in_by(user).values("pk")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> MeetingQuerySet:
        """Meetings of the groups the user works in."""
        if not getattr(user, "is_authenticated", False) or not user.organisation_ids():
            return self.none()
        return self.filter(group__in=_groups_worked_in(user))


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> DecisionQuerySet:
        """Decisions of the meetings the user may see."""
        from concord.coordination.models import Meeting

        return self.filter(meeting__in=Meeting.objects.visible_to(user).values("pk"))


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> TaskQuerySet:
        """Tasks of the groups the user works in, and tasks assigned to the user's organisation."""
        if not getattr(user, "is_authenticated", False) or not user.organisation_ids():
            return self.none()
        return self.filter(
            models.Q(group__in=_groups_worked_in(user))
            | models.Q(assigned_organisation_id__in=user.organisation_ids())
        )

    def open(self) -> TaskQuerySet:
        return self.filter(status__in=["open", "in_progress"])

    def overdue(self) -> TaskQuerySet:
        return self.open().filter(due_on__lt=timezone.localdate())


class TaskUpdateQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> TaskUpdateQuerySet:
        """Progress notes of the tasks the user may see."""
        from concord.coordination.models import Task

        return self.filter(task__in=Task.objects.visible_to(user).values("pk"))


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ActionPlanQuerySet:
        """Action plans are the network's shared strategy: visible to anyone in the network."""
        if not getattr(user, "is_authenticated", False) or not user.organisation_ids():
            return self.none()
        return self
