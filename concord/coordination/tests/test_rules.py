"""Who sees the group's work and who may write it (querysets.py and rules.py)."""

import pytest
from django.utils import timezone

from concord.accounts.models import Role
from concord.accounts.tests.factories import MembershipFactory
from concord.coordination import rules
from concord.coordination.models import Decision, Meeting, Task, TaskUpdate
from concord.coordination.tests.factories import TaskUpdateFactory


def test_meetings_are_seen_by_members_coordinator_and_admin(meeting, anna, ben, vera, olga, nikola, nadia):
    for user in (anna, ben, vera, olga, nikola, nadia):
        assert meeting in Meeting.objects.visible_to(user), user


def test_meetings_are_hidden_from_other_groups_and_outsiders(meeting, carla, dora):
    assert not Meeting.objects.visible_to(carla).exists()
    assert not Meeting.objects.visible_to(dora).exists()


def test_task_given_to_an_outside_organisation_is_seen_by_it_but_not_its_meeting(
    clinic_task, task, carla, decision
):
    assert set(Task.objects.visible_to(carla)) == {clinic_task}
    assert not Decision.objects.visible_to(carla).exists()


def test_task_updates_follow_their_task(clinic_task, task, carla, ben):
    on_clinic = TaskUpdateFactory(task=clinic_task, author=carla)
    on_police = TaskUpdateFactory(task=task, author=ben)
    assert set(TaskUpdate.objects.visible_to(carla)) == {on_clinic}
    assert {on_clinic, on_police} <= set(TaskUpdate.objects.visible_to(ben))


@pytest.mark.parametrize(
    ("name", "may_write"),
    [
        ("olga", True),  # organisation administrator of a member
        ("anna", True),  # case manager of a member
        ("nadia", True),  # network administrator
        ("ben", False),  # caseworker of a member
        ("vera", False),  # viewer of a member
        ("nikola", False),  # national coordinator, office not a member: reads only
        ("carla", False),  # another group
        ("dora", False),  # no organisation
    ],
)
def test_who_writes_for_the_korce_group(request, korce_group, name, may_write):
    user = request.getfixturevalue(name)
    assert rules.can_write_for_group(user, korce_group) is may_write


def test_national_coordinator_whose_office_is_a_member_writes(korce_group, coordinator_office, nikola):
    korce_group.memberships.create(organisation=coordinator_office)
    assert rules.can_write_for_group(nikola, korce_group)


def test_analyst_of_a_member_does_not_write(korce_group, shelter_north):
    analyst = MembershipFactory(organisation=shelter_north, role=Role.ANALYST).user
    assert not rules.can_write_for_group(analyst, korce_group)


def test_organisation_that_left_the_group_no_longer_writes(korce_group, shelter_north, olga):
    korce_group.memberships.filter(organisation=shelter_north).update(left_at=timezone.localdate())
    assert not rules.can_write_for_group(olga, korce_group)


def test_ended_membership_no_longer_writes(korce_group, olga):
    olga.memberships.update(is_active=False)
    assert not rules.can_write_for_group(olga, korce_group)


@pytest.mark.parametrize(
    ("name", "may_report"),
    [("carla", True), ("olga", True), ("nadia", True), ("ben", False), ("vera", False), ("dora", False)],
)
def test_who_reports_progress_on_a_task_given_to_legal_clinic_south(request, clinic_task, name, may_report):
    assert rules.can_report_progress(request.getfixturevalue(name), clinic_task) is may_report


def test_caseworker_reports_progress_on_own_organisations_task_but_viewer_does_not(task, ben, vera):
    assert rules.can_report_progress(ben, task)
    assert not rules.can_report_progress(vera, task)


def test_only_group_writers_edit_a_task(clinic_task, olga, carla):
    assert rules.can_edit_task(olga, clinic_task)
    assert not rules.can_edit_task(carla, clinic_task)


def test_people_who_may_be_named_exclude_viewers_and_other_organisations(police_east, ben, vera, anna):
    assert set(rules.assignable_people(police_east)) == {ben}
