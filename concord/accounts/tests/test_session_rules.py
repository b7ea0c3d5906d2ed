"""Rules every request obeys: two-factor for sensitive roles, idle timeout, absolute lifetime, headers."""

import time
from datetime import datetime, timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from concord.accounts.middleware import ACTIVITY_KEY
from concord.accounts.models import Role
from concord.accounts.tests.conftest import current_code, mark_recently_authenticated, sign_in_with_code
from concord.accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_manager_without_totp(shelter_north):
    return MembershipFactory(organisation=shelter_north, role=Role.CASE_MANAGER, two_factor=False).user


# --- two-factor -------------------------------------------------------------------------------------

PAGES = ["/", "/team/members/", "/team/audit/", "/team/api-token/", "/network/organisations/"]


@pytest.mark.parametrize("path", PAGES)
def test_case_manager_without_totp_is_sent_to_set_it_up_from_every_page(
    client, case_manager_without_totp, path
):
    client.force_login(case_manager_without_totp)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_case_manager_without_totp_gets_403_from_the_api(client, case_manager_without_totp):
    client.force_login(case_manager_without_totp)
    response = client.get("/api/me/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Two-factor sign-in must be set up first."


def test_setting_up_totp_is_reachable_and_csp_safe(client, case_manager_without_totp):
    client.force_login(case_manager_without_totp)
    mark_recently_authenticated(client, case_manager_without_totp)
    response = client.get(reverse("mfa_activate_totp"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Set up two-factor sign-in" in html
    assert 'src="data:image/svg+xml;base64,' in html  # allowed by img-src 'self' data:
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    assert "<script>" not in html
    assert 'id="authenticator_secret"' in html


def test_activating_totp_leads_to_recovery_codes_then_everything_opens(client, case_manager_without_totp):
    user = case_manager_without_totp
    client.force_login(user)
    mark_recently_authenticated(client, user)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    assert secret

    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    codes_page = client.get(response.url)
    assert codes_page.status_code == 200
    assert "Recovery codes" in codes_page.content.decode()
    assert "<script" not in codes_page.content.decode().split("</main>")[0]
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/").status_code == 200


def test_roles_without_personal_data_need_no_totp(client, shelter_north):
    viewer = MembershipFactory(organisation=shelter_north, role=Role.VIEWER, two_factor=False).user
    client.force_login(viewer)
    assert client.get("/").status_code == 200


def test_deactivating_totp_sends_the_user_back_to_set_it_up(client, anna):
    client.force_login(anna)
    Authenticator.objects.filter(user=anna).delete()
    assert client.get("/").url == reverse("mfa_activate_totp")


# --- idle timeout and lifetime ----------------------------------------------------------------------


def _age_activity(client, seconds):
    session = client.session
    session[ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_idle_session_is_signed_out(client, anna):
    client.force_login(anna)
    client.get("/")
    _age_activity(client, settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get("/team/api-token/")

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=/team/api-token/"
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "signed out after a period of inactivity" in page


def test_recently_active_session_stays(client, anna):
    client.force_login(anna)
    client.get("/")
    _age_activity(client, settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get("/").status_code == 200


def test_idle_api_session_answers_403(client, anna):
    client.force_login(anna)
    client.get("/")
    _age_activity(client, settings.SESSION_IDLE_TIMEOUT + 1)
    assert client.get("/api/me/").status_code == 403


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client, anna):
    client.force_login(anna)
    client.get("/")
    session = Session.objects.get(session_key=client.session.session_key)
    signed_in_for = session.expire_date - timezone.now()
    assert timedelta(hours=11, minutes=59) < signed_in_for <= timedelta(hours=12)

    # Activity saves the session again; the end stays where it was.
    _age_activity(client, 120)
    client.get("/")
    assert Session.objects.get(session_key=client.session.session_key).expire_date == session.expire_date

    stored = client.session
    stored["_session_expiry"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    stored.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_fixed_expiry_is_an_iso_datetime():
    # The middleware relies on Django storing a datetime expiry as text it can read back.
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store.set_expiry(timezone.now() + timedelta(hours=1))
    assert isinstance(datetime.fromisoformat(store["_session_expiry"]), datetime)


# --- your sessions ----------------------------------------------------------------------------------


def test_your_sessions_lists_and_ends_other_sessions(client, anna):
    from django.core.cache import cache
    from django.test import Client

    other = Client(HTTP_USER_AGENT="Other browser")
    other_key = sign_in_with_code(other, anna)
    cache.clear()  # allauth refuses a code used once; the second sign-in falls in the same 30 seconds
    sign_in_with_code(client, anna)

    page = client.get(reverse("usersessions_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Your sessions" in html
    assert "Other browser" in html
    assert "This browser" in html

    client.post(reverse("usersessions_list"))

    assert not Session.objects.filter(session_key=other_key).exists()
    assert UserSession.objects.filter(user=anna).count() == 1
    assert other.get("/").status_code == 302


def test_reauthentication_page_is_concord_styled(client, anna):
    client.force_login(anna)
    response = client.get(reverse("account_reauthenticate"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-control' in html
    assert "<title>" in html
    assert "Concord</title>" in html


# --- headers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/team/members/", "/"])
def test_pages_carry_the_security_headers(client, olga, path):
    client.force_login(olga)
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "unsafe-eval" not in csp
    assert "unsafe-inline" not in csp
    assert "object-src 'none'" in csp
    assert "'nonce'" not in csp  # django-csp adds 'nonce-...' itself, when a page uses the nonce
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_argon2_hashes_passwords_in_production():
    # The test run swaps in a fast hasher (conftest); the project's own setting must lead with Argon2.
    from concord.config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_signed_in_pages_are_not_stored_by_any_cache(client, olga):
    client.force_login(olga)
    for path in ["/team/members/", "/", "/api/me/"]:
        cache_control = client.get(path)["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control


# --- allauth's other pages, in Concord's layout ---------------------------------------------------

ALLAUTH_PAGES = [
    "mfa_index",
    "mfa_deactivate_totp",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "account_logout",
    "account_change_password",
]


@pytest.mark.parametrize("name", ALLAUTH_PAGES)
def test_allauth_pages_render_in_concords_layout_without_inline_script(client, anna, name):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(anna)
    client.force_login(anna)
    mark_recently_authenticated(client, anna)
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="navbar' in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "data-allauth-onload" not in html


@pytest.mark.parametrize("name", ["account_reset_password", "account_signup"])
def test_anonymous_allauth_pages_render_in_concords_layout(client, name):
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="navbar' in html
    assert "<script>" not in html


def test_first_authenticator_setup_right_after_sign_in_does_not_ask_the_password_again(client, shelter_north):
    user = MembershipFactory(organisation=shelter_north, role=Role.CASEWORKER, two_factor=False).user
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct horse battery staple"}
    )
    assert client.get(response.url).url == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_recovery_codes_after_fresh_sign_in_do_not_ask_the_password_again(client, anna):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(anna)
    sign_in_with_code(client, anna)
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200


def test_two_factor_changes_ask_the_password_again_once_the_sign_in_is_old(client, anna):
    sign_in_with_code(client, anna)
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1
    session.save()
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_an_old_password_entry_does_not_count_for_setup(client, shelter_north):
    user = MembershipFactory(organisation=shelter_north, role=Role.CASEWORKER, two_factor=False).user
    client.post("/accounts/login/", {"login": user.email, "password": "correct horse battery staple"})
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1
    session.save()
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
