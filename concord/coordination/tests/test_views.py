"""Pages: who may and who may not, and that each page is wired to its service.

Cast (concord/conftest.py): olga and anna write for the Korçë group; ben (caseworker) and vera (viewer)
of Police Unit East see its work; nikola (national coordinator) and nadia (network admin) see all groups;
carla (Legal Clinic South) works in the Vlorë group only; dora belongs to no organisation.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.coordination.models import Decision, Meeting, Task
from concord.coordination.tests.factories import TaskFactory

SEES_KORCE = ["olga", "anna", "ben", "vera", "nikola", "nadia"]
OUTSIDE_KORCE = ["carla", "dora"]
WRITES_KORCE = ["olga", "anna", "nadia"]
READS_ONLY_KORCE = ["ben", "vera", "nikola"]


def _as(client, request, name):
    client.force_login(request.getfixturevalue(name))
    return client


# --- Group work pages -----------------------------------------------------------------------------------


@pytest.fixture(params=["group-meetings", "group-overdue", "group-progress"])
def group_page(request, korce_group, task, meeting):
    return reverse(f"coordination:{request.param}", args=[korce_group.pk])


@pytest.mark.parametrize("name", SEES_KORCE)
def test_group_work_pages_open_for_those_who_work_in_the_group(client, request, group_page, name):
    assert _as(client, request, name).get(group_page).status_code == 200


@pytest.mark.parametrize("name", OUTSIDE_KORCE)
def test_group_work_pages_are_404_outside_the_group(client, request, group_page, name):
    assert _as(client, request, name).get(group_page).status_code == 404


def test_group_work_pages_send_anonymous_visitors_to_sign_in(client, group_page):
    response = client.get(group_page)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_group_meetings_lists_the_groups_meetings(client, olga, meeting, korce_group):
    client.force_login(olga)
    response = client.get(reverse("coordination:group-meetings", args=[korce_group.pk]))
    assert meeting.title in response.content.decode()


def test_overdue_list_shows_only_overdue_tasks(client, ben, korce_group, police_east):
    late = TaskFactory(
        group=korce_group,
        assigned_organisation=police_east,
        due_on=timezone.localdate() - datetime.timedelta(1),
    )
    on_time = TaskFactory(group=korce_group, assigned_organisation=police_east)
    client.force_login(ben)
    response = client.get(reverse("coordination:group-overdue", args=[korce_group.pk]))
    assert list(response.context["tasks"]) == [late]
    assert on_time.title not in response.content.decode()


def test_progress_page_shows_counts_per_organisation(client, vera, korce_group, task, clinic_task):
    client.force_login(vera)
    response = client.get(reverse("coordination:group-progress", args=[korce_group.pk]))
    names = [row.organisation_name for row in response.context["progress"].rows]
    assert names == ["Legal Clinic South", "Police Unit East"]
    assert response.context["progress"].totals.open == 2


# --- Meetings -------------------------------------------------------------------------------------------


def _meeting_form(**changes):
    data = {
        "title": "Spring meeting",
        "starts_at": "2026-03-10T10:00",
        "place": "Prefecture, Korçë",
        "agenda": "Referrals",
        "minutes": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", WRITES_KORCE)
def test_group_writers_open_the_meeting_form(client, request, korce_group, name):
    url = reverse("coordination:meeting-create", args=[korce_group.pk])
    assert _as(client, request, name).get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "status"), [*((n, 403) for n in READS_ONLY_KORCE), ("carla", 404), ("dora", 404)]
)
def test_others_may_not_record_meetings(client, request, korce_group, name, status):
    url = reverse("coordination:meeting-create", args=[korce_group.pk])
    assert _as(client, request, name).post(url, _meeting_form()).status_code == status
    assert not Meeting.objects.exists()


def test_recording_a_meeting_saves_attendance_and_redirects_to_it(
    client, olga, anna, korce_group, shelter_north, police_east
):
    client.force_login(olga)
    response = client.post(
        reverse("coordination:meeting-create", args=[korce_group.pk]),
        _meeting_form(attending_organisations=[shelter_north.pk, police_east.pk], attending_people=[anna.pk]),
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert set(meeting.attending_organisations.all()) == {shelter_north, police_east}
    assert list(meeting.attending_people.all()) == [anna]


def test_meeting_form_keeps_input_and_shows_field_errors(client, olga, korce_group, legal_clinic_south):
    client.force_login(olga)
    response = client.post(
        reverse("coordination:meeting-create", args=[korce_group.pk]),
        _meeting_form(starts_at="not a date", attending_organisations=[legal_clinic_south.pk]),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"starts_at", "attending_organisations"} <= set(form.errors)
    assert 'value="Spring meeting"' in response.content.decode()


@pytest.mark.parametrize("name", SEES_KORCE)
def test_meeting_page_opens_for_the_group(client, request, meeting, decision, name):
    response = _as(client, request, name).get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert decision.text in response.content.decode()


@pytest.mark.parametrize("name", OUTSIDE_KORCE)
def test_meeting_page_is_404_outside_the_group(client, request, meeting, clinic_task, name):
    assert _as(client, request, name).get(meeting.get_absolute_url()).status_code == 404


def test_meeting_page_offers_writing_only_to_writers(client, olga, vera, meeting, decision):
    client.force_login(olga)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("coordination:decision-create", args=[meeting.pk]) in page
    assert reverse("coordination:decision-task-create", args=[decision.pk]) in page
    client.force_login(vera)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("coordination:decision-create", args=[meeting.pk]) not in page
    assert reverse("coordination:meeting-edit", args=[meeting.pk]) not in page


@pytest.mark.parametrize(("name", "status"), [("anna", 200), ("ben", 403), ("vera", 403), ("carla", 404)])
def test_who_opens_the_meeting_edit_form(client, request, meeting, name, status):
    url = reverse("coordination:meeting-edit", args=[meeting.pk])
    assert _as(client, request, name).get(url).status_code == status


def test_editing_a_meeting_saves_minutes(client, anna, meeting):
    client.force_login(anna)
    url = reverse("coordination:meeting-edit", args=[meeting.pk])
    response = client.post(url, _meeting_form(minutes="Agreed.", version=1))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.version) == ("Agreed.", 2)


def test_stale_meeting_edit_shows_the_message_and_keeps_the_input(client, anna, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(version=2)
    client.force_login(anna)
    response = client.post(
        reverse("coordination:meeting-edit", args=[meeting.pk]), _meeting_form(minutes="Mine", version=1)
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert response.context["form"]["minutes"].value() == "Mine"
    meeting.refresh_from_db()
    assert meeting.minutes != "Mine"


def test_decision_added_with_htmx_renders_only_the_decisions(client, olga, meeting, decision):
    client.force_login(olga)
    response = client.post(
        reverse("coordination:decision-create", args=[meeting.pk]),
        {"text": "Meet again in June."},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="decisions"')
    assert "Meet again in June." in html
    assert decision.text in html
    assert "<html" not in html
    assert Decision.objects.get(text="Meet again in June.").number == 2


def test_decision_without_javascript_redirects_to_the_meeting(client, olga, meeting):
    client.force_login(olga)
    response = client.post(reverse("coordination:decision-create", args=[meeting.pk]), {"text": "x"})
    assert response["Location"] == meeting.get_absolute_url() + "#decisions"


def test_empty_decision_shows_a_field_error_in_the_partial(client, olga, meeting):
    client.force_login(olga)
    response = client.post(
        reverse("coordination:decision-create", args=[meeting.pk]),
        {"text": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(("name", "status"), [("vera", 403), ("ben", 403), ("carla", 404), ("dora", 404)])
def test_others_may_not_record_decisions(client, request, meeting, name, status):
    url = reverse("coordination:decision-create", args=[meeting.pk])
    assert _as(client, request, name).post(url, {"text": "x"}).status_code == status
    assert not Decision.objects.exists()


# --- Tasks ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEES_KORCE)
def test_task_page_opens_for_the_group(client, request, task, name):
    assert _as(client, request, name).get(task.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("name", OUTSIDE_KORCE)
def test_task_page_is_404_outside_the_group(client, request, task, clinic_task, name):
    assert _as(client, request, name).get(task.get_absolute_url()).status_code == 404


def test_organisation_given_a_task_sees_it_but_not_the_meeting_behind_it(client, carla, clinic_task):
    client.force_login(carla)
    response = client.get(clinic_task.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert clinic_task.decision.meeting.get_absolute_url() not in html
    assert reverse("coordination:task-progress", args=[clinic_task.pk]) in html


def test_viewer_sees_no_progress_form(client, vera, task):
    client.force_login(vera)
    response = client.get(task.get_absolute_url())
    assert response.context["progress_form"] is None
    assert reverse("coordination:task-progress", args=[task.pk]) not in response.content.decode()


def _progress(client, task, headers=None, **data):
    url = reverse("coordination:task-progress", args=[task.pk])
    return client.post(url, {"version": task.version, **data}, headers=headers or {})


@pytest.mark.parametrize(("name", "status"), [("carla", 302), ("olga", 302), ("vera", 403), ("ben", 403)])
def test_who_reports_progress_on_the_clinics_task(client, request, clinic_task, name, status):
    client = _as(client, request, name)
    assert _progress(client, clinic_task, comment="Venue booked.").status_code == status


@pytest.mark.parametrize(("name", "status"), [("ben", 302), ("vera", 403), ("carla", 404), ("dora", 404)])
def test_who_reports_progress_on_the_polices_task(client, request, task, clinic_task, name, status):
    client = _as(client, request, name)
    assert _progress(client, task, comment="Briefing planned.").status_code == status


def test_progress_with_htmx_re_renders_the_progress_partial(client, carla, clinic_task):
    client.force_login(carla)
    response = _progress(client, clinic_task, headers={"HX-Request": "true"}, comment="Held.", status="done")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="task-progress"')
    assert "Held." in html
    assert 'name="version" value="2"' in html
    clinic_task.refresh_from_db()
    assert clinic_task.status == Task.Status.DONE


def test_empty_progress_shows_an_error_and_saves_nothing(client, carla, clinic_task):
    client.force_login(carla)
    response = _progress(client, clinic_task, headers={"HX-Request": "true"}, comment="", status="")
    assert response.status_code == 200
    assert "Write a comment or choose a new status." in response.content.decode()
    assert not clinic_task.updates.exists()


def test_stale_status_change_shows_the_message_keeps_the_comment_and_the_current_state(
    client, carla, clinic_task
):
    Task.objects.filter(pk=clinic_task.pk).update(version=2, status=Task.Status.IN_PROGRESS)
    client.force_login(carla)
    response = _progress(client, clinic_task, headers={"HX-Request": "true"}, comment="Held.", status="done")
    html = response.content.decode()
    assert "Someone else saved this record" in html
    assert "Held.</textarea>" in html
    assert 'name="version" value="2"' in html
    clinic_task.refresh_from_db()
    assert clinic_task.status == Task.Status.IN_PROGRESS


@pytest.mark.parametrize(("name", "status"), [("olga", 200), ("ben", 403), ("carla", 403), ("dora", 404)])
def test_who_opens_the_task_edit_form(client, request, clinic_task, name, status):
    url = reverse("coordination:task-edit", args=[clinic_task.pk])
    assert _as(client, request, name).get(url).status_code == status


def test_editing_a_task_saves_it(client, olga, task, shelter_north):
    client.force_login(olga)
    response = client.post(
        reverse("coordination:task-edit", args=[task.pk]),
        {
            "title": "New title",
            "description": "",
            "assigned_organisation": shelter_north.pk,
            "due_on": task.due_on.isoformat(),
            "version": 1,
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.assigned_organisation, task.version) == ("New title", shelter_north, 2)


def _task_form(organisation, person=None, **changes):
    data = {
        "title": "Legal-aid session",
        "description": "For returnees.",
        "assigned_organisation": organisation.pk,
        "assigned_person": person.pk if person else "",
        "due_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
    }
    data.update(changes)
    return data


def test_task_from_a_decision_goes_to_any_organisation_of_the_network(
    client, olga, carla, decision, legal_clinic_south
):
    client.force_login(olga)
    response = client.post(
        reverse("coordination:decision-task-create", args=[decision.pk]),
        _task_form(legal_clinic_south, carla),
    )
    task = Task.objects.get()
    assert response["Location"] == task.get_absolute_url()
    assert (task.group, task.decision, task.assigned_person) == (decision.meeting.group, decision, carla)


def test_task_form_refuses_a_person_of_another_organisation(client, olga, ben, decision, legal_clinic_south):
    client.force_login(olga)
    response = client.post(
        reverse("coordination:decision-task-create", args=[decision.pk]), _task_form(legal_clinic_south, ben)
    )
    assert response.status_code == 200
    assert "assigned_person" in response.context["form"].errors
    assert not Task.objects.exists()


@pytest.mark.parametrize(("name", "status"), [("olga", 200), ("vera", 403), ("carla", 404), ("dora", 404)])
def test_who_opens_the_task_form_of_a_decision(client, request, decision, name, status):
    url = reverse("coordination:decision-task-create", args=[decision.pk])
    assert _as(client, request, name).get(url).status_code == status


@pytest.mark.parametrize(("name", "status"), [("olga", 200), ("nadia", 200), ("carla", 403), ("dora", 404)])
def test_who_opens_the_task_form_of_an_activity(client, request, activity, korce_group, name, status):
    url = reverse("coordination:activity-task-create", args=[activity.pk])
    assert _as(client, request, name).get(url).status_code == status


def test_task_from_an_activity_is_given_by_a_group_the_user_writes_for(
    client, anna, activity, korce_group, vlore_group, police_east
):
    client.force_login(anna)
    url = reverse("coordination:activity-task-create", args=[activity.pk])
    refused = client.post(url, _task_form(police_east, group=vlore_group.pk))
    assert "group" in refused.context["form"].errors
    client.post(url, _task_form(police_east, group=korce_group.pk))
    task = Task.objects.get()
    assert (task.group, task.activity) == (korce_group, activity)


def test_person_options_list_the_chosen_organisations_people(client, olga, ben, vera, police_east):
    client.force_login(olga)
    response = client.get(reverse("coordination:person-options"), {"assigned_organisation": police_east.pk})
    html = response.content.decode()
    assert f'value="{ben.pk}"' in html
    assert f'value="{vera.pk}"' not in html


@pytest.mark.parametrize("name", ["carla", "ben", "dora"])
def test_person_options_are_404_for_those_who_create_no_tasks(client, request, police_east, name):
    url = reverse("coordination:person-options")
    response = _as(client, request, name).get(url, {"assigned_organisation": police_east.pk})
    assert response.status_code == 404


def test_our_tasks_lists_the_organisations_tasks_only(client, carla, task, clinic_task):
    client.force_login(carla)
    response = client.get(reverse("coordination:our-tasks"))
    assert list(response.context["page_obj"]) == [clinic_task]


def test_our_tasks_filters_by_status_group_and_overdue(client, ben, korce_group, vlore_group, police_east):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = TaskFactory(group=korce_group, assigned_organisation=police_east, due_on=yesterday)
    done = TaskFactory(group=korce_group, assigned_organisation=police_east, status=Task.Status.DONE)
    other_group = TaskFactory(group=vlore_group, assigned_organisation=police_east)
    client.force_login(ben)
    url = reverse("coordination:our-tasks")
    assert list(client.get(url, {"overdue": "on"}).context["page_obj"]) == [late]
    assert list(client.get(url, {"status": "done"}).context["page_obj"]) == [done]
    assert list(client.get(url, {"group": vlore_group.pk}).context["page_obj"]) == [other_group]


def test_our_tasks_ignores_a_bad_filter_value_without_failing(client, ben, task):
    client.force_login(ben)
    response = client.get(reverse("coordination:our-tasks"), {"status": "nonsense", "group": "x"})
    assert response.status_code == 200


def test_our_tasks_is_empty_for_someone_of_no_organisation(client, dora, task):
    client.force_login(dora)
    assert not list(client.get(reverse("coordination:our-tasks")).context["page_obj"])


# --- Action plans ---------------------------------------------------------------------------------------


def test_plan_pages_open_for_the_network_with_progress(
    client, carla, plan, activity, korce_group, vlore_group
):
    TaskFactory(activity=activity, group=korce_group, status=Task.Status.DONE)
    seen = TaskFactory(activity=activity, group=vlore_group, title="Vlorë training")
    hidden = TaskFactory(activity=activity, group=korce_group, title="Korçë training")
    client.force_login(carla)
    assert plan.title in client.get(reverse("coordination:plan-list")).content.decode()
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "1 of 3 tasks done (33%)" in html
    assert '<progress class="w-100" value="1" max="3"' in html
    assert seen.title in html
    assert hidden.title not in html
    assert reverse("coordination:activity-task-create", args=[activity.pk]) not in html


def test_plan_page_offers_task_creation_to_group_writers(client, olga, plan, activity):
    client.force_login(olga)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("coordination:activity-task-create", args=[activity.pk]) in html


def test_plan_page_is_404_for_someone_of_no_organisation(client, dora, plan):
    client.force_login(dora)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert plan.title not in client.get(reverse("coordination:plan-list")).content.decode()


# --- The group page include -----------------------------------------------------------------------------


def _render_group_work(rf, user, group):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = user
    return render_to_string("coordination/_group_work.html", {"group": group}, request=request)


def test_group_work_include_shows_counts_and_links_to_members(rf, olga, korce_group, task, meeting):
    html = _render_group_work(rf, olga, korce_group)
    assert "1 open task" in html
    assert meeting.title in html
    for name in ("group-meetings", "group-overdue", "group-progress", "meeting-create"):
        assert reverse(f"coordination:{name}", args=[korce_group.pk]) in html


def test_group_work_include_hides_the_record_button_from_viewers(rf, vera, korce_group):
    html = _render_group_work(rf, vera, korce_group)
    assert reverse("coordination:group-meetings", args=[korce_group.pk]) in html
    assert reverse("coordination:meeting-create", args=[korce_group.pk]) not in html


@pytest.mark.parametrize("name", OUTSIDE_KORCE)
def test_group_work_include_renders_nothing_outside_the_group(rf, request, korce_group, meeting, name):
    assert _render_group_work(rf, request.getfixturevalue(name), korce_group).strip() == ""


# --- Audit from pages -----------------------------------------------------------------------------------


def test_pages_write_through_the_audited_services(client, olga, meeting):
    client.force_login(olga)
    client.post(reverse("coordination:decision-create", args=[meeting.pk]), {"text": "x"})
    assert AuditEvent.objects.filter(action="coordination.decision_recorded", actor=olga).exists()


def test_meeting_form_offers_the_members_people_with_their_organisation(
    client, olga, anna, carla, korce_group
):
    client.force_login(olga)
    html = client.get(reverse("coordination:meeting-create", args=[korce_group.pk])).content.decode()
    assert "Anna Hoxha (Shelter North)" in html
    assert "Carla Meta" not in html
