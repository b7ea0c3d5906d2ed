"""Writes of a cooperation group's work: meetings, decisions, tasks and their progress.

Pages and API endpoints call these functions and nothing else to write. Each one checks who may act
(`coordination/rules.py`), runs in one transaction and leaves an audit event. The audit detail holds ids
and field names, never the text people wrote.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.models import AuditEvent
from concord.common.concurrency import changed_fields, claim_version
from concord.coordination import rules
from concord.coordination.models import Activity, Decision, Meeting, Task, TaskUpdate

if TYPE_CHECKING:
    from concord.accounts.models import User
    from concord.network.models import CooperationGroup, Organisation


@transaction.atomic
def record_meeting(
    *,
    group: CooperationGroup,
    by: User,
    title: str,
    starts_at: datetime.datetime,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    attending_organisations: Iterable[Organisation] = (),
    attending_people: Iterable[User] = (),
) -> Meeting:
    """Record a meeting of the group. Group writers only."""
    if not rules.can_write_for_group(by, group):
        raise PermissionDenied
    meeting = Meeting.objects.create(
        group=group,
        title=title,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        minutes=minutes,
        created_by=by,
    )
    meeting.attending_organisations.set(list(attending_organisations))
    meeting.attending_people.set(list(attending_people))
    AuditEvent.record(
        action="coordination.meeting_recorded", actor=by, target=meeting, detail={"group": group.pk}
    )
    return meeting


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    by: User,
    expected_version: int | None,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    agenda: str,
    minutes: str,
    attending_organisations: Iterable[Organisation],
    attending_people: Iterable[User],
) -> Meeting:
    """Change a meeting's details, attendance or minutes. Group writers only; refused if someone else
    saved the meeting since `expected_version` was read."""
    if not rules.can_edit_meeting(by, meeting):
        raise PermissionDenied
    claim_version(meeting, expected_version=expected_version)
    values: dict[str, Any] = {
        "title": title,
        "starts_at": starts_at,
        "place": place,
        "agenda": agenda,
        "minutes": minutes,
    }
    changed = changed_fields(meeting, values)
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=[*values, "version"])
    organisations, people = list(attending_organisations), list(attending_people)
    if {o.pk for o in organisations} != set(meeting.attending_organisations.values_list("pk", flat=True)):
        changed.append("attending_organisations")
        meeting.attending_organisations.set(organisations)
    if {p.pk for p in people} != set(meeting.attending_people.values_list("pk", flat=True)):
        changed.append("attending_people")
        meeting.attending_people.set(people)
    AuditEvent.record(
        action="coordination.meeting_updated",
        actor=by,
        target=meeting,
        detail={"fields": changed, "version": meeting.version},
    )
    return meeting


@transaction.atomic
def record_decision(*, meeting: Meeting, by: User, text: str) -> Decision:
    """Add the next numbered decision to a meeting. Group writers only."""
    if not rules.can_edit_meeting(by, meeting):
        raise PermissionDenied
    # Lock the meeting so that two decisions recorded at once cannot take the same number.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True).first()
    last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
    decision = Decision.objects.create(meeting=meeting, number=last + 1, text=text)
    AuditEvent.record(
        action="coordination.decision_recorded",
        actor=by,
        target=decision,
        detail={"meeting": meeting.pk, "number": decision.number},
    )
    return decision


def _check_assignment(organisation: Organisation, person: User | None) -> None:
    if not organisation.is_active:
        raise ValidationError(
            {"assigned_organisation": _("This organisation is dormant; choose an active one.")}
        )
    if person is not None and not rules.assignable_people(organisation).filter(pk=person.pk).exists():
        raise ValidationError(
            {"assigned_person": _("Choose a person who works for the organisation responsible.")}
        )


@transaction.atomic
def create_task(
    *,
    group: CooperationGroup,
    by: User,
    title: str,
    assigned_organisation: Organisation,
    due_on: datetime.date,
    description: str = "",
    assigned_person: User | None = None,
    decision: Decision | None = None,
    activity: Activity | None = None,
) -> Task:
    """Give the group's work to one organisation of the network (member of the group or not), arising
    from one of the group's decisions or from an action-plan activity. Group writers only."""
    if not rules.can_write_for_group(by, group):
        raise PermissionDenied
    if decision is not None and decision.meeting.group_id != group.pk:
        raise ValidationError({"decision": _("The decision belongs to another group.")})
    _check_assignment(assigned_organisation, assigned_person)
    task = Task.objects.create(
        group=group,
        title=title,
        description=description,
        assigned_organisation=assigned_organisation,
        assigned_person=assigned_person,
        decision=decision,
        activity=activity,
        due_on=due_on,
        created_by=by,
    )
    AuditEvent.record(
        action="coordination.task_created",
        actor=by,
        target=task,
        detail={
            "group": group.pk,
            "assigned_organisation": assigned_organisation.pk,
            "decision": decision.pk if decision else None,
            "activity": activity.pk if activity else None,
        },
    )
    return task


@transaction.atomic
def update_task(
    *,
    task: Task,
    by: User,
    expected_version: int | None,
    title: str,
    description: str,
    due_on: datetime.date,
    assigned_organisation: Organisation,
    assigned_person: User | None,
) -> Task:
    """Change what a task asks, by when and of whom. Group writers only; refused when stale."""
    if not rules.can_edit_task(by, task):
        raise PermissionDenied
    _check_assignment(assigned_organisation, assigned_person)
    claim_version(task, expected_version=expected_version)
    values: dict[str, Any] = {
        "title": title,
        "description": description,
        "due_on": due_on,
        "assigned_organisation": assigned_organisation,
        "assigned_person": assigned_person,
    }
    changed = changed_fields(task, values)
    for name, value in values.items():
        setattr(task, name, value)
    task.save(update_fields=[*values, "version"])
    AuditEvent.record(
        action="coordination.task_updated",
        actor=by,
        target=task,
        detail={"fields": changed, "version": task.version},
    )
    return task


@transaction.atomic
def add_task_progress(
    *,
    task: Task,
    by: User,
    comment: str = "",
    status: str | None = None,
    expected_version: int | None = None,
) -> TaskUpdate:
    """Note progress on a task: a comment, a new status, or both. The group's writers and the people of
    the organisation responsible may do it (not analysts or viewers). A status change edits the task, so
    it needs the version the user read; done sets the completion date, any other status clears it."""
    if not rules.can_report_progress(by, task):
        raise PermissionDenied
    if status is not None and status not in Task.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    comment = comment.strip()
    old_status = task.status
    changes_status = status is not None and status != old_status
    if not comment and not changes_status:
        raise ValidationError(_("Write a comment or choose a new status."))
    if changes_status:
        claim_version(task, expected_version=expected_version)
        task.status = status  # type: ignore[assignment]
        task.completed_on = timezone.localdate() if status == Task.Status.DONE else None
        task.save(update_fields=["status", "completed_on", "version"])
    update = TaskUpdate.objects.create(
        task=task,
        author=by,
        comment=comment,
        old_status=old_status if changes_status else "",
        new_status=task.status if changes_status else "",
    )
    AuditEvent.record(
        action="coordination.task_progress_added",
        actor=by,
        target=task,
        detail={"update": update.pk, "status_changed": changes_status},
    )
    if changes_status:
        AuditEvent.record(
            action="coordination.task_status_changed",
            actor=by,
            target=task,
            detail={"from": old_status, "to": task.status, "version": task.version},
        )
    return update
