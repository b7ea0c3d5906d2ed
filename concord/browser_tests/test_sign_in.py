"""Signing in through the real pages, with two-factor, loads nothing from outside the server."""

import pytest

from concord.browser_tests.conftest import sign_in

PASSWORD = "correct horse battery staple"


@pytest.mark.django_db(transaction=True)
def test_case_manager_signs_in_with_two_factor_and_sees_home(recording_page, anna):
    page = recording_page.page
    sign_in(page, email=anna.email, password=PASSWORD, totp_secret=anna.totp_secret)
    assert page.url == recording_page.base_url + "/"
    assert "Shelter North" in page.content()
    recording_page.screenshot("home-after-two-factor-sign-in")
    assert recording_page.external_requests() == []


@pytest.mark.django_db(transaction=True)
def test_wrong_two_factor_code_keeps_user_signed_out(recording_page, anna):
    page = recording_page.page
    page.goto("/accounts/login/")
    page.fill("input[name=login]", anna.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.fill("input[name=code]", "000000")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto("/")
    # Still at a sign-in step (allauth keeps the half-done sign-in pending), never on the home page.
    assert page.url.split(recording_page.base_url, 1)[1].startswith(("/accounts/login/", "/accounts/2fa/"))
    assert "Shelter North" not in page.content()
