"""REST endpoints: scoped like the pages, writing through the same services."""

import datetime

import pytest
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.coordination.models import Decision, Meeting, Task, TaskUpdate
from concord.coordination.tests.factories import TaskFactory

DUE = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()


@pytest.fixture
def as_user(api_client, request):
    def sign_in(name):
        api_client.force_login(request.getfixturevalue(name))
        return api_client

    return sign_in


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Meetings and decisions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sees"), [("ben", True), ("vera", True), ("nikola", True), ("carla", False)]
)
def test_meeting_list_is_scoped_to_the_groups_worked_in(as_user, meeting, name, sees):
    assert (meeting.pk in _ids(as_user(name).get("/api/meetings/"))) is sees


@pytest.mark.parametrize("name", ["carla", "dora"])
def test_meeting_outside_the_group_is_404(as_user, meeting, name):
    assert as_user(name).get(f"/api/meetings/{meeting.pk}/").status_code == 404


def test_meeting_carries_its_decisions_read_only(as_user, meeting, decision):
    body = as_user("vera").get(f"/api/meetings/{meeting.pk}/").json()
    assert body["decisions"] == [
        {
            "id": decision.pk,
            "number": 1,
            "text": decision.text,
            "created_at": body["decisions"][0]["created_at"],
        }
    ]


def test_anonymous_caller_is_refused(api_client, meeting):
    assert api_client.get("/api/meetings/").status_code in {401, 403}


def _meeting_payload(group, **extra):
    return {"group": group.pk, "title": "Spring meeting", "starts_at": "2026-03-10T10:00:00+01:00", **extra}


def test_group_writer_records_a_meeting(as_user, korce_group, shelter_north):
    response = as_user("olga").post(
        "/api/meetings/",
        _meeting_payload(korce_group, attending_organisations=[shelter_north.pk]),
        format="json",
    )
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get()
    assert response.json()["attending_organisations"] == [shelter_north.pk]
    assert AuditEvent.objects.filter(
        action="coordination.meeting_recorded", target_id=str(meeting.pk)
    ).exists()


@pytest.mark.parametrize(("name", "status"), [("vera", 403), ("ben", 403), ("carla", 400), ("dora", 400)])
def test_others_may_not_record_meetings(as_user, korce_group, name, status):
    response = as_user(name).post("/api/meetings/", _meeting_payload(korce_group), format="json")
    assert response.status_code == status
    assert not Meeting.objects.exists()


def test_meeting_edit_needs_the_current_version(as_user, meeting):
    client = as_user("anna")
    url = f"/api/meetings/{meeting.pk}/"
    assert client.patch(url, {"minutes": "x"}, format="json").status_code == 400
    assert client.patch(url, {"minutes": "First", "version": 1}, format="json").json()["version"] == 2
    stale = client.patch(url, {"minutes": "Second", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    meeting.refresh_from_db()
    assert meeting.minutes == "First"


@pytest.mark.parametrize(("name", "status"), [("vera", 403), ("carla", 404)])
def test_others_may_not_edit_meetings(as_user, meeting, name, status):
    response = as_user(name).patch(
        f"/api/meetings/{meeting.pk}/", {"minutes": "x", "version": 1}, format="json"
    )
    assert response.status_code == status


def test_group_writer_records_a_decision(as_user, meeting, decision):
    response = as_user("olga").post("/api/decisions/", {"meeting": meeting.pk, "text": "Meet in June."})
    assert response.status_code == 201
    assert response.json()["number"] == 2
    assert AuditEvent.objects.filter(action="coordination.decision_recorded").exists()


@pytest.mark.parametrize(("name", "status"), [("vera", 403), ("carla", 400), ("dora", 400)])
def test_others_may_not_record_decisions(as_user, meeting, name, status):
    response = as_user(name).post("/api/decisions/", {"meeting": meeting.pk, "text": "x"})
    assert response.status_code == status
    assert not Decision.objects.exists()


def test_decisions_are_listed_only_for_visible_meetings(as_user, meeting, decision):
    assert _ids(as_user("ben").get("/api/decisions/", {"meeting": meeting.pk})) == {decision.pk}
    assert _ids(as_user("carla").get("/api/decisions/")) == set()
    assert as_user("carla").get(f"/api/decisions/{decision.pk}/").status_code == 404


def test_filtering_by_an_unseen_meeting_answers_like_a_missing_one(as_user, meeting):
    client = as_user("carla")
    assert client.get("/api/decisions/", {"meeting": meeting.pk}).status_code == 400
    assert client.get("/api/decisions/", {"meeting": 999999}).status_code == 400


# --- Tasks ----------------------------------------------------------------------------------------------


def test_task_list_for_an_outside_organisation_holds_only_its_task(as_user, task, clinic_task):
    assert _ids(as_user("carla").get("/api/tasks/")) == {clinic_task.pk}


def test_task_list_filters_like_the_page(as_user, task, clinic_task, korce_group, police_east):
    late = TaskFactory(
        group=korce_group,
        assigned_organisation=police_east,
        due_on=timezone.localdate() - datetime.timedelta(1),
    )
    client = as_user("ben")
    assert _ids(client.get("/api/tasks/")) == {task.pk, clinic_task.pk, late.pk}
    assert _ids(client.get("/api/tasks/", {"ours": "true"})) == {task.pk, late.pk}
    assert _ids(client.get("/api/tasks/", {"overdue": "true"})) == {late.pk}
    assert _ids(client.get("/api/tasks/", {"status": "done"})) == set()
    assert client.get("/api/tasks/", {"status": "nonsense"}).status_code == 400


@pytest.mark.parametrize(("name", "status"), [("carla", 404), ("dora", 404), ("vera", 200), ("nikola", 200)])
def test_who_retrieves_a_korce_task(as_user, task, name, status):
    assert as_user(name).get(f"/api/tasks/{task.pk}/").status_code == status


def test_carla_retrieves_the_task_given_to_her_organisation(as_user, clinic_task):
    body = as_user("carla").get(f"/api/tasks/{clinic_task.pk}/").json()
    assert (body["status"], body["version"], body["is_overdue"]) == ("open", 1, False)


def _task_payload(group, organisation, **extra):
    return {
        "group": group.pk,
        "title": "Legal-aid session",
        "assigned_organisation": organisation.pk,
        "due_on": DUE,
        **extra,
    }


def test_group_writer_gives_a_task_to_another_organisation(
    as_user, korce_group, legal_clinic_south, carla, decision
):
    response = as_user("olga").post(
        "/api/tasks/",
        _task_payload(korce_group, legal_clinic_south, assigned_person=carla.pk, decision=decision.pk),
        format="json",
    )
    assert response.status_code == 201, response.content
    task = Task.objects.get(pk=response.json()["id"])
    assert (task.assigned_person, task.decision, task.created_by.email) == (
        carla,
        decision,
        "olga@shelter-north.example",
    )


def test_task_naming_someone_of_another_organisation_is_a_400(as_user, korce_group, legal_clinic_south, ben):
    response = as_user("olga").post(
        "/api/tasks/", _task_payload(korce_group, legal_clinic_south, assigned_person=ben.pk), format="json"
    )
    assert response.status_code == 400
    assert "assigned_person" in response.json()


@pytest.mark.parametrize(("name", "status"), [("vera", 403), ("ben", 403), ("carla", 400)])
def test_others_may_not_create_tasks(as_user, korce_group, police_east, name, status):
    response = as_user(name).post("/api/tasks/", _task_payload(korce_group, police_east), format="json")
    assert response.status_code == status
    assert not Task.objects.exists()


def test_status_change_by_the_assigned_organisation(as_user, clinic_task):
    response = as_user("carla").post(
        f"/api/tasks/{clinic_task.pk}/status/",
        {"status": "done", "version": 1, "comment": "Held."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("done", 2)
    assert response.json()["completed_on"] == timezone.localdate().isoformat()
    assert AuditEvent.objects.filter(action="coordination.task_status_changed").exists()


def test_stale_status_change_is_a_409(as_user, clinic_task):
    client = as_user("carla")
    url = f"/api/tasks/{clinic_task.pk}/status/"
    assert client.post(url, {"status": "in_progress", "version": 1}, format="json").status_code == 200
    assert client.post(url, {"status": "done", "version": 1}, format="json").status_code == 409
    clinic_task.refresh_from_db()
    assert clinic_task.status == Task.Status.IN_PROGRESS


@pytest.mark.parametrize(("name", "status"), [("vera", 403), ("ben", 403), ("dora", 404)])
def test_others_may_not_change_the_clinics_task(as_user, clinic_task, name, status):
    response = as_user(name).post(
        f"/api/tasks/{clinic_task.pk}/status/", {"status": "done", "version": 1}, format="json"
    )
    assert response.status_code == status


def test_carla_may_not_change_a_korce_task_of_another_organisation(as_user, task, clinic_task):
    response = as_user("carla").post(f"/api/tasks/{task.pk}/status/", {"status": "done", "version": 1})
    assert response.status_code == 404


def test_group_writer_edits_a_task_with_its_version(as_user, task):
    client = as_user("olga")
    url = f"/api/tasks/{task.pk}/"
    assert (
        client.patch(url, {"title": "Brief every crossing", "version": 1}, format="json").status_code == 200
    )
    assert client.patch(url, {"title": "Again", "version": 1}, format="json").status_code == 409
    assert client.patch(url, {"title": "No version"}, format="json").status_code == 400
    task.refresh_from_db()
    assert (task.title, task.version) == ("Brief every crossing", 2)


@pytest.mark.parametrize(("name", "status"), [("ben", 403), ("carla", 404)])
def test_others_may_not_edit_a_task(as_user, task, name, status):
    response = as_user(name).patch(f"/api/tasks/{task.pk}/", {"title": "x", "version": 1}, format="json")
    assert response.status_code == status


def test_task_cannot_be_replaced_or_deleted(as_user, task):
    client = as_user("olga")
    assert client.put(f"/api/tasks/{task.pk}/", {}, format="json").status_code == 405
    assert client.delete(f"/api/tasks/{task.pk}/").status_code == 405


# --- Task updates ---------------------------------------------------------------------------------------


def test_progress_note_by_the_assigned_organisation(as_user, clinic_task):
    response = as_user("carla").post(
        "/api/task-updates/", {"task": clinic_task.pk, "comment": "Venue booked."}
    )
    assert response.status_code == 201, response.content
    assert TaskUpdate.objects.get().comment == "Venue booked."
    assert AuditEvent.objects.filter(action="coordination.task_progress_added").exists()


def test_progress_note_may_change_status_with_the_version(as_user, clinic_task):
    client = as_user("carla")
    body = {"task": clinic_task.pk, "status": "done", "version": 1}
    assert client.post("/api/task-updates/", body).json()["new_status"] == "done"
    assert client.post("/api/task-updates/", {**body, "status": "open"}).status_code == 409


def test_empty_progress_note_is_a_400(as_user, clinic_task):
    assert as_user("carla").post("/api/task-updates/", {"task": clinic_task.pk}).status_code == 400


@pytest.mark.parametrize(("name", "status"), [("vera", 403), ("carla", 400)])
def test_others_may_not_note_progress_on_the_polices_task(as_user, task, clinic_task, name, status):
    response = as_user(name).post("/api/task-updates/", {"task": task.pk, "comment": "x"})
    assert response.status_code == status
    assert not TaskUpdate.objects.exists()


def test_progress_notes_are_listed_with_their_task(as_user, task, clinic_task):
    as_user("carla").post("/api/task-updates/", {"task": clinic_task.pk, "comment": "Mine"})
    as_user("ben").post("/api/task-updates/", {"task": task.pk, "comment": "Theirs"})
    carla_sees = as_user("carla").get("/api/task-updates/").json()["results"]
    assert [row["comment"] for row in carla_sees] == ["Mine"]


# --- Action plans ---------------------------------------------------------------------------------------


def test_action_plans_carry_objectives_activities_and_progress(
    as_user, plan, objective, activity, korce_group
):
    TaskFactory(activity=activity, group=korce_group, status=Task.Status.DONE)
    TaskFactory(activity=activity, group=korce_group, status=Task.Status.DROPPED)
    TaskFactory(activity=activity, group=korce_group)
    client = as_user("carla")
    listed = client.get("/api/action-plans/").json()["results"]
    assert listed[0]["progress"] == {"done": 1, "counted": 2, "percent": 50}
    body = client.get(f"/api/action-plans/{plan.pk}/").json()
    [found] = body["objectives"]
    assert (found["code"], found["progress"]["percent"]) == ("P1", 50)
    assert found["activities"] == [{"id": activity.pk, "code": "P1.1", "title": activity.title}]


def test_action_plans_are_hidden_from_someone_of_no_organisation(as_user, plan):
    client = as_user("dora")
    assert _ids(client.get("/api/action-plans/")) == set()
    assert client.get(f"/api/action-plans/{plan.pk}/").status_code == 404


def test_action_plans_are_read_only(as_user, plan):
    assert as_user("nadia").post("/api/action-plans/", {"title": "x"}).status_code == 405
