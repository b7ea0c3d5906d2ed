"""The pages a user meets work offline (nothing from another host), with the keyboard alone, and print
without the navigation."""

import pytest

from concord.browser_tests.conftest import sign_in

PASSWORD = "correct horse battery staple"


@pytest.mark.django_db(transaction=True)
def test_main_pages_and_api_docs_load_nothing_from_another_host(
    recording_page, nadia, korce_group, shelter_north
):
    page = recording_page.page
    sign_in(page, email=nadia.email, password=PASSWORD, totp_secret=nadia.totp_secret)
    for path in [
        "/",
        "/network/organisations/",
        f"/network/organisations/{shelter_north.pk}/",
        "/network/groups/",
        f"/network/groups/{korce_group.pk}/",
        "/network/directory/",
        "/network/map/",
        "/network/coverage/",
        "/coordination/tasks/",
        "/coordination/plans/",
        "/team/members/",
        "/team/audit/",
        "/api/docs/",
    ]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    recording_page.screenshot("api-docs-offline")
    # Swagger UI really rendered from our own files (the sidecar), not an empty shell.
    assert page.locator(".swagger-ui").count() == 1
    assert recording_page.external_requests() == []


@pytest.mark.django_db(transaction=True)
def test_keyboard_alone_reaches_the_content_and_the_navigation(recording_page, anna, korce_group):
    page = recording_page.page
    sign_in(page, email=anna.email, password=PASSWORD, totp_secret=anna.totp_secret)
    page.goto("/network/groups/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # From the top, Tab walks the brand and then the navigation links in order.
    page.goto("/network/groups/")
    labels = []
    for _ in range(7):
        page.keyboard.press("Tab")
        labels.append(page.evaluate("document.activeElement.textContent.trim()"))
    # A case manager's menu starts with the protection work.
    assert labels[1:] == ["Concord", "Cases", "Referrals", "Screenings", "Organisations", "Groups"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/network/groups/")


@pytest.mark.django_db(transaction=True)
def test_printing_hides_navigation_and_forms_and_names_the_printer(recording_page, olga, korce_group):
    page = recording_page.page
    sign_in(page, email=olga.email, password=PASSWORD, totp_secret=olga.totp_secret)
    page.goto(f"/network/groups/{korce_group.pk}/")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("#language-switcher").is_visible()
    header = page.locator(".print-header")
    assert header.is_visible()
    assert "Olga Dervishi" in header.inner_text()
    assert page.get_by_role("heading", name="Korçë cooperation group").is_visible()
    recording_page.screenshot("group-page-as-printed")
