"""From a meeting to a task done, through the pages as people use them."""

import datetime

from django.urls import reverse
from django.utils import timezone

from concord.coordination.models import Decision, Meeting, Task


def test_a_decision_becomes_a_task_another_organisation_completes(
    client, olga, carla, korce_group, shelter_north, police_east, legal_clinic_south
):
    # Olga records the Korçë group's meeting, with a decision.
    client.force_login(olga)
    response = client.post(
        reverse("coordination:meeting-create", args=[korce_group.pk]),
        {
            "title": "Korçë quarterly meeting",
            "starts_at": "2026-03-10T10:00",
            "place": "Prefecture, Korçë",
            "agenda": "Returnees",
            "minutes": "Returnees need legal advice.",
            "attending_organisations": [shelter_north.pk, police_east.pk],
            "attending_people": [olga.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    client.post(
        reverse("coordination:decision-create", args=[meeting.pk]),
        {"text": "Ask Legal Clinic South for a legal-aid session."},
        headers={"HX-Request": "true"},
    )
    decision = Decision.objects.get(meeting=meeting)

    # ... and gives the task to Legal Clinic South, which is not a member of the group.
    due = timezone.localdate() + datetime.timedelta(days=14)
    client.post(
        reverse("coordination:decision-task-create", args=[decision.pk]),
        {
            "title": "Legal-aid session for returnees",
            "description": "",
            "assigned_organisation": legal_clinic_south.pk,
            "assigned_person": carla.pk,
            "due_on": due.isoformat(),
        },
    )
    task = Task.objects.get(decision=decision)

    # Carla finds it on her organisation's tasks, but not the meeting, and marks it done.
    client.force_login(carla)
    our_tasks = client.get(reverse("coordination:our-tasks")).content.decode()
    assert task.get_absolute_url() in our_tasks
    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.post(
        reverse("coordination:task-progress", args=[task.pk]),
        {"comment": "Held with twelve returnees.", "status": "done", "version": task.version},
        headers={"HX-Request": "true"},
    )
    task.refresh_from_db()
    assert (task.status, task.completed_on) == (Task.Status.DONE, timezone.localdate())
    assert client.get(reverse("coordination:group-progress", args=[korce_group.pk])).status_code == 404

    # The group's progress page shows one task done, on time, by Legal Clinic South.
    client.force_login(olga)
    progress = client.get(reverse("coordination:group-progress", args=[korce_group.pk])).context["progress"]
    [row] = progress.rows
    assert (row.organisation_name, row.counts.done_on_time, row.counts.total) == ("Legal Clinic South", 1, 1)
    assert progress.totals.done == 1
