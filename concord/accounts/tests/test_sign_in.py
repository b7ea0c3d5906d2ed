"""Signing in through allauth's pages: two-factor, lockout by username and address, and the audit trail."""

import pytest
from django.urls import reverse

from concord.accounts.tests.conftest import PASSWORD, current_code, sign_in
from concord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

OTHER_ADDRESS = "203.0.113.7"


def test_sign_in_page_is_concord_styled_and_has_no_sign_up_link(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-control' in html
    assert '<label class="form-label" for="id_login">' in html
    assert "sign up" not in html.lower()
    assert "<script>" not in html


def test_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"), {"email": "new@example.org", "password1": "x" * 14, "password2": "x" * 14}
    )
    assert response.status_code == 200
    assert "closed" in response.content.decode().lower()
    assert not AuditEvent.objects.filter(action="accounts.signed_in").exists()


def test_case_manager_signs_in_with_password_then_code(client, anna):
    response = sign_in(client, email=anna.email)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(anna.totp_secret)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(anna.pk)
    assert AuditEvent.objects.filter(action="accounts.signed_in", actor=anna).exists()


def test_code_page_is_concord_styled(client, anna):
    sign_in(client, email=anna.email)
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Two-factor sign-in" in html
    assert 'autocomplete="one-time-code"' in html
    assert "recovery codes" in html


def test_wrong_code_does_not_sign_in(client, anna):
    sign_in(client, email=anna.email)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_failed_sign_in_is_audited_without_the_password(client, anna):
    sign_in(client, email=anna.email, password="wrong password here")
    event = AuditEvent.objects.get(action="accounts.sign_in_failed")
    assert event.detail == {"login": anna.email}
    assert event.ip_address == "127.0.0.1"
    assert "wrong password" not in str(event.detail)


def test_five_failures_lock_the_sixth_attempt_even_with_the_right_password(client, anna):
    for _ in range(5):
        sign_in(client, email=anna.email, password="wrong password here")

    response = sign_in(client, email=anna.email, password=PASSWORD)

    assert response.status_code == 429
    assert "Sign-in locked for now" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not client.session.get("account_login")  # no two-factor stage was started either
    assert AuditEvent.objects.filter(action="accounts.locked_out", detail__login=anna.email).exists()


def test_lockout_is_per_address_so_another_office_can_still_sign_in(client, anna):
    for _ in range(5):
        sign_in(client, email=anna.email, password="wrong password here")

    response = sign_in(client, email=anna.email, password=PASSWORD, REMOTE_ADDR=OTHER_ADDRESS)

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")


def test_lockout_is_per_account_so_colleagues_behind_the_same_address_can_sign_in(client, anna, ben):
    for _ in range(5):
        sign_in(client, email=anna.email, password="wrong password here")

    response = sign_in(client, email=ben.email, password=PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")


def test_four_failures_do_not_lock(client, anna):
    for _ in range(4):
        sign_in(client, email=anna.email, password="wrong password here")
    response = sign_in(client, email=anna.email, password=PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")


def test_lockout_counts_the_address_whatever_its_case(client, anna):
    for _ in range(5):
        sign_in(client, email=anna.email.upper(), password="wrong password here")
    response = sign_in(client, email=anna.email, password=PASSWORD)
    assert response.status_code == 429


def test_signing_out_is_audited(client, anna):
    client.force_login(anna)
    client.post(reverse("account_logout"))
    assert AuditEvent.objects.filter(action="accounts.signed_out", actor=anna).exists()
