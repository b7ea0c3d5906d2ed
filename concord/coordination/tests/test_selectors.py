"""Figures computed from many rows: group progress, action-plan progress, the group-page summary."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concord.coordination import selectors
from concord.coordination.models import Task
from concord.coordination.tests.factories import ActivityFactory, MeetingFactory, TaskFactory

TODAY = timezone.localdate()


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _known_tasks(group, police_east, shelter_north, vlore_group):
    for status, due, completed in [
        (Task.Status.DONE, _days(-10), _days(-12)),  # on time
        (Task.Status.DONE, _days(-10), _days(-10)),  # on time: on the due date
        (Task.Status.DONE, _days(-10), _days(-5)),  # late
        (Task.Status.OPEN, _days(5), None),  # open
        (Task.Status.OPEN, _days(0), None),  # open: due today is not overdue
        (Task.Status.OPEN, _days(-1), None),  # overdue
        (Task.Status.IN_PROGRESS, _days(-3), None),  # overdue
        (Task.Status.DROPPED, _days(-3), None),  # dropped, never overdue
    ]:
        TaskFactory(
            group=group, assigned_organisation=police_east, status=status, due_on=due, completed_on=completed
        )
    TaskFactory(group=group, assigned_organisation=shelter_north, status=Task.Status.IN_PROGRESS)
    # Imported as done without a completion date: counted as done on time.
    TaskFactory(group=group, assigned_organisation=shelter_north, status=Task.Status.DONE, completed_on=None)
    # Another group's task never counts.
    TaskFactory(
        group=vlore_group, assigned_organisation=police_east, status=Task.Status.OPEN, due_on=_days(-1)
    )


def test_group_progress_counts_each_organisations_tasks(
    korce_group, vlore_group, police_east, shelter_north, olga
):
    _known_tasks(korce_group, police_east, shelter_north, vlore_group)

    progress = selectors.group_progress(group=korce_group, user=olga)

    rows = {row.organisation_name: row.counts for row in progress.rows}
    assert rows == {
        "Police Unit East": selectors.TaskCounts(done_on_time=2, done_late=1, open=2, overdue=2, dropped=1),
        "Shelter North": selectors.TaskCounts(done_on_time=1, open=1),
    }
    assert [row.organisation_name for row in progress.rows] == ["Police Unit East", "Shelter North"]
    assert progress.totals == selectors.TaskCounts(done_on_time=3, done_late=1, open=3, overdue=2, dropped=1)
    assert (progress.totals.done, progress.totals.total) == (4, 10)


def test_group_progress_takes_the_same_queries_for_many_tasks(korce_group, police_east, olga):
    TaskFactory(group=korce_group, assigned_organisation=police_east)
    selectors.group_progress(group=korce_group, user=olga)  # fills the user's membership caches
    with CaptureQueriesContext(connection) as few:
        selectors.group_progress(group=korce_group, user=olga)
    TaskFactory.create_batch(20, group=korce_group, assigned_organisation=police_east)
    with CaptureQueriesContext(connection) as many:
        selectors.group_progress(group=korce_group, user=olga)
    assert len(many) == len(few)


def test_group_progress_is_empty_for_someone_who_sees_no_tasks(korce_group, police_east, dora):
    TaskFactory(group=korce_group, assigned_organisation=police_east)
    progress = selectors.group_progress(group=korce_group, user=dora)
    assert (progress.rows, progress.totals.total) == ([], 0)


def test_objective_progress_is_done_out_of_tasks_not_dropped(
    plan, objective, activity, korce_group, vlore_group
):
    second = ActivityFactory(objective=objective, code="P1.2")
    TaskFactory(activity=activity, group=korce_group, status=Task.Status.DONE)
    TaskFactory(activity=activity, group=korce_group, status=Task.Status.OPEN)
    TaskFactory(activity=second, group=vlore_group, status=Task.Status.IN_PROGRESS)
    TaskFactory(activity=second, group=vlore_group, status=Task.Status.DROPPED)

    [found] = selectors.objectives_with_progress(plan)

    assert (found.progress.done, found.progress.counted, found.progress.percent) == (1, 3, 33)
    assert [a.pk for a in found.activity_list] == [activity.pk, second.pk]


def test_plan_progress_adds_up_its_objectives(plan, activity, korce_group, anna):
    TaskFactory(activity=activity, group=korce_group, status=Task.Status.DONE)
    TaskFactory(activity=activity, group=korce_group, status=Task.Status.DONE)
    [found] = selectors.plans_with_progress(anna)
    assert (found.progress.done, found.progress.counted, found.progress.percent) == (2, 2, 100)


def test_objective_without_tasks_shows_no_progress(plan, objective):
    [found] = selectors.objectives_with_progress(plan)
    assert (found.progress.counted, found.progress.percent) == (0, 0)


def test_group_work_summary_counts_open_and_overdue(korce_group, police_east, olga, ben):
    TaskFactory(group=korce_group, assigned_organisation=police_east, due_on=_days(-1))
    TaskFactory(group=korce_group, assigned_organisation=police_east, due_on=_days(3))
    TaskFactory(group=korce_group, assigned_organisation=police_east, status=Task.Status.DONE)
    MeetingFactory.create_batch(4, group=korce_group)

    work = selectors.group_work(group=korce_group, user=olga)

    assert work is not None
    assert (work.open_tasks, work.overdue_tasks, len(work.recent_meetings), work.may_write) == (2, 1, 3, True)
    assert selectors.group_work(group=korce_group, user=ben).may_write is False


def test_group_work_summary_is_none_for_people_outside_the_group(korce_group, carla, dora):
    assert selectors.group_work(group=korce_group, user=carla) is None
    assert selectors.group_work(group=korce_group, user=dora) is None
