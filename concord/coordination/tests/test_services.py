"""Writes: who may, what they leave in the audit log, and how concurrent edits are refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.common.concurrency import StaleVersionError
from concord.coordination import services
from concord.coordination.models import Task
from concord.coordination.tests.factories import DecisionFactory, MeetingFactory

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _actions(target) -> list[str]:
    return list(AuditEvent.objects.for_target(target).order_by("pk").values_list("action", flat=True))


def _record_meeting(group, by, **extra):
    return services.record_meeting(
        group=group, by=by, title="Spring meeting", starts_at=timezone.now(), **extra
    )


def test_recording_a_meeting_keeps_attendance_and_is_audited(korce_group, olga, shelter_north, anna):
    meeting = _record_meeting(
        korce_group, olga, attending_organisations=[shelter_north], attending_people=[anna, olga]
    )
    assert set(meeting.attending_organisations.all()) == {shelter_north}
    assert set(meeting.attending_people.all()) == {anna, olga}
    event = AuditEvent.objects.get(action="coordination.meeting_recorded")
    assert (event.actor, event.target_id, event.organisation) == (olga, str(meeting.pk), shelter_north)


@pytest.mark.parametrize("name", ["ben", "vera", "nikola", "carla", "dora"])
def test_only_group_writers_record_meetings(request, korce_group, name):
    with pytest.raises(PermissionDenied):
        _record_meeting(korce_group, request.getfixturevalue(name))
    assert not AuditEvent.objects.filter(action="coordination.meeting_recorded").exists()


def test_network_admin_records_a_meeting_in_any_group(korce_group, nadia):
    assert _record_meeting(korce_group, nadia).created_by == nadia


def _update_meeting(meeting, by, version, **changes):
    values = {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "attending_organisations": list(meeting.attending_organisations.all()),
        "attending_people": list(meeting.attending_people.all()),
    }
    values.update(changes)
    return services.update_meeting(meeting=meeting, by=by, expected_version=version, **values)


def test_editing_minutes_bumps_the_version_and_audits_the_fields_changed(meeting, anna, police_east):
    _update_meeting(
        meeting, anna, 1, minutes="Agreed on a joint training.", attending_organisations=[police_east]
    )
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.version) == ("Agreed on a joint training.", 2)
    event = AuditEvent.objects.get(action="coordination.meeting_updated")
    assert event.detail == {"fields": ["minutes", "attending_organisations"], "version": 2}


def test_stale_meeting_edit_is_refused_and_changes_nothing(meeting, anna, olga):
    _update_meeting(meeting, olga, 1, minutes="First")
    with pytest.raises(StaleVersionError):
        _update_meeting(meeting, anna, 1, minutes="Second")
    meeting.refresh_from_db()
    assert meeting.minutes == "First"
    assert AuditEvent.objects.filter(action="coordination.meeting_updated").count() == 1


def test_viewer_cannot_edit_a_meeting(meeting, vera):
    with pytest.raises(PermissionDenied):
        _update_meeting(meeting, vera, 1, minutes="Changed")


def test_decisions_are_numbered_in_order_and_audited(meeting, olga, decision):
    second = services.record_decision(meeting=meeting, by=olga, text="Meet again in June.")
    assert second.number == 2
    assert _actions(second) == ["coordination.decision_recorded"]


def test_caseworker_cannot_record_a_decision(meeting, ben):
    with pytest.raises(PermissionDenied):
        services.record_decision(meeting=meeting, by=ben, text="x")


def test_group_gives_a_task_to_an_organisation_outside_it(
    korce_group, olga, legal_clinic_south, carla, decision
):
    task = services.create_task(
        group=korce_group,
        by=olga,
        title="Legal-aid session",
        assigned_organisation=legal_clinic_south,
        assigned_person=carla,
        due_on=TOMORROW,
        decision=decision,
    )
    assert (task.status, task.assigned_person, task.decision) == (Task.Status.OPEN, carla, decision)
    event = AuditEvent.objects.get(action="coordination.task_created")
    assert event.detail["assigned_organisation"] == legal_clinic_south.pk


def test_task_cannot_name_a_person_of_another_organisation(korce_group, olga, legal_clinic_south, ben):
    with pytest.raises(ValidationError) as error:
        services.create_task(
            group=korce_group,
            by=olga,
            title="x",
            assigned_organisation=legal_clinic_south,
            assigned_person=ben,
            due_on=TOMORROW,
        )
    assert "assigned_person" in error.value.message_dict
    assert not Task.objects.exists()


def test_task_cannot_arise_from_another_groups_decision(korce_group, vlore_group, olga, police_east):
    foreign = DecisionFactory(meeting=MeetingFactory(group=vlore_group))
    with pytest.raises(ValidationError):
        services.create_task(
            group=korce_group,
            by=olga,
            title="x",
            assigned_organisation=police_east,
            due_on=TOMORROW,
            decision=foreign,
        )


def test_task_cannot_go_to_a_dormant_organisation(korce_group, olga, police_east):
    police_east.is_active = False
    police_east.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        services.create_task(
            group=korce_group, by=olga, title="x", assigned_organisation=police_east, due_on=TOMORROW
        )


@pytest.mark.parametrize("name", ["ben", "vera", "carla"])
def test_only_group_writers_create_tasks(request, korce_group, police_east, name):
    with pytest.raises(PermissionDenied):
        services.create_task(
            group=korce_group,
            by=request.getfixturevalue(name),
            title="x",
            assigned_organisation=police_east,
            due_on=TOMORROW,
        )


def test_editing_a_task_is_audited_and_checks_the_version(task, olga, shelter_north):
    values = {
        "title": "Brief all border crossings",
        "description": task.description,
        "due_on": task.due_on,
        "assigned_organisation": shelter_north,
        "assigned_person": None,
    }
    services.update_task(task=task, by=olga, expected_version=1, **values)
    assert AuditEvent.objects.get(action="coordination.task_updated").detail == {
        "fields": ["title", "assigned_organisation"],
        "version": 2,
    }
    with pytest.raises(StaleVersionError):
        services.update_task(task=task, by=olga, expected_version=1, **values)


def test_assigned_organisation_cannot_edit_the_task_itself(clinic_task, carla):
    with pytest.raises(PermissionDenied):
        services.update_task(
            task=clinic_task,
            by=carla,
            expected_version=1,
            title="Easier task",
            description="",
            due_on=clinic_task.due_on,
            assigned_organisation=clinic_task.assigned_organisation,
            assigned_person=None,
        )


def test_marking_done_sets_completion_date_and_audits_progress_and_status(clinic_task, carla):
    update = services.add_task_progress(
        task=clinic_task, by=carla, comment="Held on Tuesday.", status=Task.Status.DONE, expected_version=1
    )
    clinic_task.refresh_from_db()
    assert (clinic_task.status, clinic_task.completed_on, clinic_task.version) == (
        Task.Status.DONE,
        timezone.localdate(),
        2,
    )
    assert (update.old_status, update.new_status, update.author) == ("open", "done", carla)
    assert _actions(clinic_task) == ["coordination.task_progress_added", "coordination.task_status_changed"]
    status_event = AuditEvent.objects.get(action="coordination.task_status_changed")
    assert status_event.detail == {"from": "open", "to": "done", "version": 2}


def test_reopening_a_done_task_clears_its_completion_date(clinic_task, carla):
    services.add_task_progress(task=clinic_task, by=carla, status=Task.Status.DONE, expected_version=1)
    services.add_task_progress(task=clinic_task, by=carla, status=Task.Status.IN_PROGRESS, expected_version=2)
    clinic_task.refresh_from_db()
    assert (clinic_task.status, clinic_task.completed_on) == (Task.Status.IN_PROGRESS, None)


def test_a_comment_alone_needs_no_version_and_leaves_the_task_unchanged(clinic_task, carla):
    services.add_task_progress(task=clinic_task, by=carla, comment="Venue booked.")
    clinic_task.refresh_from_db()
    assert (clinic_task.status, clinic_task.version) == (Task.Status.OPEN, 1)
    assert _actions(clinic_task) == ["coordination.task_progress_added"]


def test_stale_status_change_is_refused_and_records_nothing(clinic_task, carla, olga):
    services.add_task_progress(task=clinic_task, by=olga, status=Task.Status.DROPPED, expected_version=1)
    with pytest.raises(StaleVersionError):
        services.add_task_progress(task=clinic_task, by=carla, status=Task.Status.DONE, expected_version=1)
    clinic_task.refresh_from_db()
    assert clinic_task.status == Task.Status.DROPPED
    assert clinic_task.updates.count() == 1


def test_progress_with_neither_comment_nor_new_status_is_refused(clinic_task, carla):
    with pytest.raises(ValidationError):
        services.add_task_progress(task=clinic_task, by=carla, comment="  ", status=Task.Status.OPEN)


def test_unknown_status_is_refused(clinic_task, carla):
    with pytest.raises(ValidationError):
        services.add_task_progress(task=clinic_task, by=carla, status="finished", expected_version=1)


@pytest.mark.parametrize("name", ["vera", "ben", "dora"])
def test_viewers_and_people_of_other_organisations_cannot_report_progress(request, clinic_task, name):
    with pytest.raises(PermissionDenied):
        services.add_task_progress(task=clinic_task, by=request.getfixturevalue(name), comment="Done?")
    assert not clinic_task.updates.exists()
