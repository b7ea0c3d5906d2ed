"""Who may do what in a cooperation group's work. Every write in `coordination/services.py` asks here.

Reading is decided by the querysets (`Meeting.objects.visible_to`, `Task.objects.visible_to`, which rest on
`CooperationGroup.objects.worked_in_by`). Writing is narrower, and each rule fails closed:

- **Group writers** record and edit meetings (attendance, minutes, decisions) and create and edit the
  group's tasks. They are people acting for an organisation that *currently* belongs to the group, in a
  role that carries responsibility there: organisation administrator, case manager or national
  coordinator. Network administrators may write in every group. A national coordinator whose office is
  not a member reads the groups of their country but does not write in them: the minutes are the
  members' record. Caseworkers, analysts and viewers never write a group's record.
- **Task progress** (a comment, a status change) may be added by the group writers of the task's group
  and by the people of the organisation the task is assigned to, except analysts and viewers, who only
  read. That organisation need not be a member of the group: a group gives tasks to any organisation.
- The person a task names must work for the organisation it is assigned to, in a role that may report
  progress on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from concord.accounts.models import Role

if TYPE_CHECKING:
    from concord.accounts.models import User
    from concord.coordination.models import Meeting, Task
    from concord.network.models import CooperationGroup, Organisation


GROUP_WRITER_ROLES = frozenset({Role.ORG_ADMIN, Role.CASE_MANAGER, Role.NATIONAL_COORDINATOR})
# Roles that only read: they never write anything in coordination.
READ_ONLY_ROLES = frozenset({Role.ANALYST, Role.VIEWER})
TASK_PROGRESS_ROLES = frozenset(set(Role) - READ_ONLY_ROLES)


def _acting(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def groups_written_by(user: User) -> models.QuerySet[CooperationGroup]:
    """Groups in which the user may record meetings and decisions and create tasks (see module rules)."""
    from concord.network.models import CooperationGroup

    if not _acting(user):
        return CooperationGroup.objects.none()
    if user.has_role(Role.NETWORK_ADMIN):
        return CooperationGroup.objects.worked_in_by(user)
    writing_for = user.active_memberships().filter(role__in=GROUP_WRITER_ROLES).values("organisation_id")
    return CooperationGroup.objects.worked_in_by(user).filter(
        pk__in=CooperationGroup.objects.filter(
            memberships__organisation_id__in=writing_for, memberships__left_at__isnull=True
        ).values("pk")
    )


def can_write_for_group(user: User, group: CooperationGroup) -> bool:
    """Whether the user may record meetings and decisions and create tasks for this group."""
    return groups_written_by(user).filter(pk=group.pk).exists()


def can_edit_meeting(user: User, meeting: Meeting) -> bool:
    return can_write_for_group(user, meeting.group)


def can_edit_task(user: User, task: Task) -> bool:
    """Title, due date and who is responsible are the group's decision: group writers only."""
    return can_write_for_group(user, task.group)


def can_report_progress(user: User, task: Task) -> bool:
    """Whether the user may comment on the task and change its status."""
    if not _acting(user):
        return False
    if (
        user.active_memberships()
        .filter(organisation_id=task.assigned_organisation_id, role__in=TASK_PROGRESS_ROLES)
        .exists()
    ):
        return True
    return can_write_for_group(user, task.group)


def assignable_people(organisation: Organisation) -> models.QuerySet[User]:
    """People a task for `organisation` may name: its active members in a role that reports progress."""
    from concord.accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__is_active=True,
        memberships__role__in=TASK_PROGRESS_ROLES,
    ).distinct()
