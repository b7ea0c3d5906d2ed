"""The coordination loop of a cooperation group, in a real browser.

Olga (organisation administrator at Shelter North, a member of the Korçë group) signs in with two-factor,
opens the group, records a meeting with a decision and gives a task to Legal Clinic South, which is not
a member. Carla (caseworker at Legal Clinic South) finds it on her organisation's task page and marks it
done; the group's progress page changes from one open task to one done on time.
"""

import datetime

import pytest
from django.utils import timezone

from concord.browser_tests.conftest import RecordingPage, sign_in

PASSWORD = "correct horse battery staple"


def progress_row(page, organisation: str) -> list[str]:
    row = page.locator("table tbody tr", has=page.locator("th", has_text=organisation))
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


@pytest.mark.django_db(transaction=True)
def test_meeting_decision_becomes_another_organisations_task_and_progress_follows(
    open_browser, olga, carla, korce_group, legal_clinic_south
):
    olga_tab: RecordingPage = open_browser()
    page = olga_tab.page
    sign_in(page, email=olga.email, password=PASSWORD, totp_secret=olga.totp_secret)

    # Open the group from the navigation, then record a meeting.
    page.get_by_role("link", name="Groups", exact=True).first.click()
    page.get_by_role("link", name="Korçë cooperation group").click()
    olga_tab.screenshot("01-group-page")
    page.get_by_role("link", name="Record a meeting").first.click()
    page.get_by_label("Title").fill("Spring coordination meeting")
    page.get_by_label("Date and time").fill(timezone.localtime().strftime("%Y-%m-%dT09:30"))
    page.get_by_label("Place").fill("Korçë prefecture")
    page.get_by_label("Agenda").fill("1. Awareness in vocational schools")
    page.get_by_role("checkbox", name="Shelter North", exact=True).check()
    page.get_by_role("checkbox", name="Olga Dervishi (Shelter North)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Spring coordination meeting").is_visible()

    # Record a decision in place (htmx), then give a task arising from it to another organisation.
    page.get_by_role("textbox", name="Decision").fill(
        "Legal Clinic South runs a rights session in the vocational school."
    )
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Legal Clinic South runs a rights session").wait_for()
    olga_tab.screenshot("02-meeting-with-decision")
    page.get_by_role("link", name="Create task").click()
    page.get_by_label("Title").fill("Rights session in the vocational school")
    page.get_by_label("Organisation responsible").select_option(label="Legal Clinic South")
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Due").fill(due.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    page.goto(f"/coordination/groups/{korce_group.pk}/progress/")
    before = progress_row(page, "Legal Clinic South")
    olga_tab.screenshot("03-group-progress-before")

    # Carla, at the organisation given the task, sees it on her task page and marks it done.
    carla_tab: RecordingPage = open_browser()
    other = carla_tab.page
    sign_in(other, email=carla.email, password=PASSWORD, totp_secret=carla.totp_secret)
    other.get_by_role("link", name="Our tasks").first.click()
    other.get_by_role("link", name="Rights session in the vocational school").click()
    carla_tab.screenshot("04-task-seen-by-assignee")
    other.get_by_role("textbox", name="Progress").fill("Session held with 32 students.")
    other.get_by_role("combobox", name="Status").select_option(label="Done")
    other.get_by_role("button", name="Record progress").click()
    other.get_by_text("Session held with 32 students.").wait_for()
    assert "Done" in other.locator("#task-progress").inner_text()
    carla_tab.screenshot("05-task-done")

    page.reload()
    after = progress_row(page, "Legal Clinic South")
    olga_tab.screenshot("06-group-progress-after")
    # Columns: done on time, done late, open, overdue, dropped, total.
    assert before == ["0", "0", "1", "0", "0", "1"]
    assert after == ["1", "0", "0", "0", "0", "1"]

    assert olga_tab.external_requests() == []
    assert carla_tab.external_requests() == []
