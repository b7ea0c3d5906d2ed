"""From a first screening to a shared case, in a real browser: the protection rules a person relies on.

Ben (caseworker, Police Unit East) screens a person, opens a case with her consent, records her consent to
a referral to Shelter North and refers her there, sharing her identity. Sara (caseworker, Shelter North)
first sees only the card, without the name; she accepts and then reads the identity. Carla (Legal Clinic
South, a third organisation) gets a 404 at the case's address. Ben, on the owner side, sees both his and
Sara's views under "Who viewed this".
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from concord.browser_tests.conftest import RecordingPage, sign_in
from concord.cases.services.screening import load_screening_tools

PASSWORD = "correct horse battery staple"
FIRST_NAME = "Drita"

# Answers that make two dimensions positive (first-contact list): a strong and a medium indicator of
# deceptive recruitment, and two strong indicators of coercion at destination.
YES_ANSWERS = [
    "The work or the place is not what the person was promised",
    "The pay is lower than promised",
    "Someone else holds their identity documents",
    "Cannot leave freely, or is watched or locked in",
]


def confirm_identity_if_asked(page: Page) -> None:
    """The identity tab asks for a fresh password (allauth's re-authentication) at most every 15 minutes."""
    confirm = page.get_by_role("link", name="Confirm and show the identity")
    if confirm.count():
        with page.expect_navigation():
            confirm.click()
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("input[name=password]").press("Enter")


@pytest.mark.django_db(transaction=True)
def test_screening_to_referral_shares_only_after_acceptance_and_hides_the_case_from_others(
    open_browser, ben, sara, carla
):
    load_screening_tools()
    today = timezone.localdate().isoformat()

    # 1. Ben screens a person with the first-contact list.
    ben_tab: RecordingPage = open_browser()
    page = ben_tab.page
    sign_in(page, email=ben.email, password=PASSWORD, totp_secret=ben.totp_secret)
    page.get_by_role("link", name="Screenings", exact=True).first.click()
    page.get_by_role("link", name="First-contact indicators (anyone)").click()
    page.get_by_label("Alias or first name").fill("D.")
    page.get_by_label("Age or estimated age").fill("24")
    page.get_by_role("textbox", name="Where").fill("Korçë bus station")
    for indicator in page.get_by_role("radiogroup").all():
        label = indicator.get_attribute("aria-labelledby")
        text = page.locator(f"#{label}").inner_text().strip()
        indicator.get_by_label("Yes" if text in YES_ANSWERS else "No", exact=True).check()
    ben_tab.screenshot("referral-01-screening-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the screening").click()
    suggestion = page.locator("section[aria-labelledby=h-suggestion]")
    expect(suggestion.locator(".fw-bold")).to_contain_text("Possible victim")
    expect(suggestion.locator("li").first).to_be_visible()
    reasons = suggestion.locator("li").all_inner_texts()
    assert any("The rule is met" in reason for reason in reasons), reasons
    ben_tab.screenshot("referral-02-screening-suggestion")

    # 2. With the person's consent to assistance, the screening becomes a case.
    page.get_by_role("link", name="Open a case (with consent)").click()
    page.get_by_label("The person agreed to receive assistance").check()
    page.get_by_label("How consent was given").select_option(label="Written")
    page.get_by_label("Consent given on").fill(today)
    page.get_by_label("Sex").select_option(label="Female")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the case").click()
    code = re.search(r"/(C-[0-9A-Z]{4}-[0-9A-Z]{4})/", page.url)
    assert code, page.url
    case_url = page.url
    expect(page.locator("body")).to_contain_text(code.group(1))
    ben_tab.screenshot("referral-03-case-opened")

    page.get_by_role("link", name="Identity", exact=True).click()
    confirm_identity_if_asked(page)
    page.get_by_role("link", name="Edit identity").click()
    confirm_identity_if_asked(page)
    ben_tab.screenshot("referral-04a-identity-form")
    page.get_by_label("First name:", exact=True).fill(FIRST_NAME)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("main, body").first).to_contain_text(FIRST_NAME)
    ben_tab.screenshot("referral-04-identity")

    # 3. Consent to the referral to Shelter North, then the referral itself, shared with the identity.
    page.get_by_role("link", name="Consent", exact=True).click()
    page.get_by_role("link", name="Record consent").click()
    page.get_by_label("Purpose").select_option(label="Referral to a named organisation")
    page.get_by_label("Organisation (for a referral)").select_option(label="Shelter North")
    page.get_by_label("How was it given?").select_option(label="Written")
    page.get_by_label("Given on").fill(today)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("Shelter North")
    ben_tab.screenshot("referral-05-consent")

    page.get_by_role("link", name="Referrals", exact=True).last.click()
    page.get_by_role("link", name="Refer", exact=True).click()
    page.get_by_label("Refer to").select_option(label="Shelter North")
    page.get_by_label("Shelter", exact=True).check()
    page.get_by_label("Psychosocial support").check()
    page.get_by_label("Identity and contact details").check()
    page.get_by_label("Consent:", exact=True).select_option(index=1)
    ben_tab.screenshot("referral-06-referral-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Save as draft").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#referral-card")).to_contain_text("Sent")
    ben_tab.screenshot("referral-07-referral-sent")

    # 4. Sara sees the card only, accepts, then reads what was shared.
    sara_tab: RecordingPage = open_browser()
    other = sara_tab.page
    sign_in(other, email=sara.email, password=PASSWORD, totp_secret=sara.totp_secret)
    other.get_by_role("link", name=re.compile(r"^Referrals")).first.click()
    other.get_by_role("link", name=code.group(1)).first.click()
    card = other.locator("#referral-card")
    expect(card).to_contain_text(code.group(1))
    expect(card).to_contain_text("Shelter")
    expect(card).to_contain_text("Psychosocial support")
    expect(card).to_contain_text("Female")
    expect(card).to_contain_text("18")  # the age band of a 24-year-old
    assert FIRST_NAME not in other.content()
    sara_tab.screenshot("referral-08-card-before-acceptance")
    with other.expect_navigation():
        other.get_by_role("button", name="Accept").click()
    expect(other.locator("#referral-card")).to_contain_text("Accepted")
    sara_tab.screenshot("referral-09-accepted")
    other.get_by_role("link", name="Open the case").click()
    other.get_by_role("link", name="Identity", exact=True).click()
    confirm_identity_if_asked(other)
    expect(other.locator("dl")).to_contain_text(FIRST_NAME)
    sara_tab.screenshot("referral-10-shared-identity")

    # 5. Carla, at a third organisation, gets a 404 at the case's address, and nothing of it.
    carla_tab: RecordingPage = open_browser()
    third = carla_tab.page
    sign_in(third, email=carla.email, password=PASSWORD, totp_secret=carla.totp_secret)
    response = third.goto(case_url)
    assert response is not None
    assert response.status == 404
    assert FIRST_NAME not in third.content()
    expect(third.get_by_role("heading", name="Page not found")).to_be_visible()
    assert code.group(1) not in third.locator("main").inner_text()
    carla_tab.screenshot("referral-11-third-organisation-404")

    # 6. Ben sees who viewed the case: himself and Sara.
    page.get_by_role("link", name="Cases", exact=True).first.click()
    page.get_by_role("link", name=code.group(1)).first.click()
    page.get_by_role("link", name="Who viewed this").click()
    viewers = page.locator("table")
    expect(viewers).to_contain_text("Ben Leka")
    expect(viewers).to_contain_text("Sara Berisha")
    assert "Shelter North" in viewers.inner_text()
    assert "Carla Meta" not in viewers.inner_text()
    ben_tab.screenshot("referral-12-who-viewed-this")

    assert ben_tab.external_requests() == []
    assert sara_tab.external_requests() == []
    assert carla_tab.external_requests() == []
