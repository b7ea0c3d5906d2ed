import datetime

from django.urls import reverse
from django.utils import timezone

from concord.coordination.tests.factories import MeetingFactory, TaskFactory


def test_home_separates_upcoming_from_recent_meetings_of_the_users_groups(client, anna, carla, korce_group):
    MeetingFactory(
        group=korce_group, title="Planned meeting", starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    MeetingFactory(
        group=korce_group, title="Held meeting", starts_at=timezone.now() - datetime.timedelta(days=3)
    )

    client.force_login(anna)
    response = client.get(reverse("home"))
    assert [m.title for m in response.context["upcoming_meetings"]] == ["Planned meeting"]
    assert [m.title for m in response.context["recent_meetings"]] == ["Held meeting"]

    client.force_login(carla)
    html = client.get(reverse("home")).content.decode()
    assert "Planned meeting" not in html
    assert "Held meeting" not in html


def test_home_lists_only_our_organisations_open_tasks(client, anna, shelter_north, police_east, korce_group):
    TaskFactory(group=korce_group, assigned_organisation=shelter_north, title="Ours to do")
    TaskFactory(group=korce_group, assigned_organisation=police_east, title="The police's to do")
    TaskFactory(group=korce_group, assigned_organisation=shelter_north, title="Ours, done", status="done")
    client.force_login(anna)
    response = client.get(reverse("home"))
    assert [t.title for t in response.context["our_tasks"]] == ["Ours to do"]


def test_user_of_no_organisation_is_told_to_ask_for_an_invitation(client, dora):
    client.force_login(dora)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Ask your organisation's administrator for an invitation" in response.content.decode()
