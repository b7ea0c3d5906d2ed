"""The members, invitation, audit and API-token pages: wiring, and who may and who may not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from concord.accounts.models import Invitation, Membership, Role, User
from concord.accounts.tests.conftest import mark_recently_authenticated
from concord.accounts.tests.factories import InvitationFactory, MembershipFactory
from concord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "a long and unusual passphrase 42"
MEMBERS = reverse("accounts:members")
NOT_ADMINS = ["anna", "ben", "vera", "dora", "nikola"]


def _as(client, user):
    client.force_login(user)
    return client


# --- members page -----------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(MEMBERS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_org_admin_sees_their_organisations_members_past_and_present(client, olga, anna, shelter_north):
    ended = MembershipFactory(
        organisation=shelter_north, role=Role.VIEWER, is_active=False, ended_at=timezone.now()
    )
    response = _as(client, olga).get(MEMBERS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Members of Shelter North" in html
    assert anna.email in html
    assert ended.user.email in html
    assert f'id="membership-{ended.pk}" class="text-muted"' in html
    assert 'name="organisation"' not in html  # one organisation: no chooser


def test_org_admin_gets_404_for_another_organisation(client, olga, police_east):
    response = _as(client, olga).get(MEMBERS, {"organisation": police_east.pk})
    assert response.status_code == 404


def test_members_page_with_a_malformed_organisation_is_404(client, olga):
    assert _as(client, olga).get(MEMBERS, {"organisation": "x"}).status_code == 404


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_people_who_administer_nothing_get_404(request, client, who, shelter_north):
    response = _as(client, request.getfixturevalue(who)).get(MEMBERS, {"organisation": shelter_north.pk})
    assert response.status_code == 404
    assert _as(client, request.getfixturevalue(who)).get(MEMBERS).status_code == 404


def test_network_admin_chooses_any_organisation(client, nadia, ben, police_east, shelter_north):
    response = _as(client, nadia).get(MEMBERS)
    html = response.content.decode()
    assert "Members of Network Secretariat" in html
    assert 'name="organisation"' in html
    assert "Police Unit East" in html

    response = client.get(MEMBERS, {"organisation": police_east.pk})
    assert "Members of Police Unit East" in response.content.decode()
    assert ben.email in response.content.decode()


def test_org_admin_is_not_offered_network_level_roles(client, olga, anna):
    html = _as(client, olga).get(MEMBERS).content.decode()
    assert 'value="case_manager"' in html
    assert 'value="network_admin"' not in html
    assert 'value="national_coordinator"' not in html


# --- inviting ---------------------------------------------------------------------------------------


def _invite_url(organisation):
    return reverse("accounts:member-invite", args=[organisation.pk])


def test_org_admin_invites_someone(
    client, olga, shelter_north, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, olga).post(
            _invite_url(shelter_north),
            {"email": "edi@example.org", "full_name": "Edi Berisha", "role": "caseworker"},
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(organisation=shelter_north, email="edi@example.org").exists()
    assert len(mailoutbox) == 1
    html = client.get(response.url).content.decode()
    assert "edi@example.org" in html
    assert "The invitation was sent." in html


def test_invalid_invitation_keeps_what_was_typed(client, olga, shelter_north):
    response = _as(client, olga).post(
        _invite_url(shelter_north),
        {"email": "not an address", "full_name": "Edi Berisha", "role": "caseworker"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Edi Berisha"' in html
    assert 'id="id_email_error"' in html
    assert not Invitation.objects.exists()


def test_org_admin_cannot_invite_a_network_admin_even_by_crafting_the_form(client, olga, shelter_north):
    response = _as(client, olga).post(
        _invite_url(shelter_north), {"email": "edi@example.org", "full_name": "Edi", "role": "network_admin"}
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_shows_the_reason(client, olga, anna, shelter_north):
    response = _as(client, olga).post(
        _invite_url(shelter_north), {"email": anna.email, "full_name": "Anna", "role": "caseworker"}
    )
    assert response.status_code == 400
    assert "already a member" in response.content.decode()


def test_org_admin_cannot_invite_to_another_organisation(client, olga, police_east):
    response = _as(client, olga).post(
        _invite_url(police_east), {"email": "edi@example.org", "full_name": "Edi", "role": "caseworker"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_people_who_administer_nothing_cannot_invite(request, client, who, shelter_north):
    response = _as(client, request.getfixturevalue(who)).post(
        _invite_url(shelter_north), {"email": "edi@example.org", "full_name": "Edi", "role": "viewer"}
    )
    assert response.status_code == 404


def test_revoking_an_invitation(client, olga, shelter_north):
    invitation = InvitationFactory(organisation=shelter_north)
    response = _as(client, olga).post(reverse("accounts:invitation-revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_org_admin_cannot_revoke_another_organisations_invitation(client, olga, police_east):
    invitation = InvitationFactory(organisation=police_east)
    response = _as(client, olga).post(reverse("accounts:invitation-revoke", args=[invitation.pk]))
    assert response.status_code == 404


# --- changing roles and ending memberships ----------------------------------------------------------


def test_org_admin_changes_a_role(client, olga, anna):
    membership = anna.memberships.get()
    response = _as(client, olga).post(
        reverse("accounts:membership-role", args=[membership.pk]), {"role": "viewer"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    assert AuditEvent.objects.filter(action="accounts.role_changed", actor=olga).exists()


def test_role_change_with_htmx_answers_the_row(client, olga, anna):
    membership = anna.memberships.get()
    response = _as(client, olga).post(
        reverse("accounts:membership-role", args=[membership.pk]), {"role": "viewer"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<tr id="membership-{membership.pk}"')
    assert "Saved." in html
    assert "<html" not in html


def test_role_change_to_an_unknown_role_changes_nothing(client, olga, anna):
    membership = anna.memberships.get()
    _as(client, olga).post(reverse("accounts:membership-role", args=[membership.pk]), {"role": "emperor"})
    membership.refresh_from_db()
    assert membership.role == Role.CASE_MANAGER


def test_org_admin_cannot_change_roles_in_another_organisation(client, olga, ben):
    membership = ben.memberships.get()
    response = _as(client, olga).post(
        reverse("accounts:membership-role", args=[membership.pk]), {"role": "viewer"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_people_who_administer_nothing_cannot_change_roles(request, client, who, anna):
    membership = anna.memberships.get()
    response = _as(client, request.getfixturevalue(who)).post(
        reverse("accounts:membership-role", args=[membership.pk]), {"role": "viewer"}
    )
    assert response.status_code == 404


def test_ending_a_membership_asks_first_then_ends_it(client, olga, anna):
    membership = anna.memberships.get()
    url = reverse("accounts:membership-end", args=[membership.pk])
    response = _as(client, olga).get(url)
    assert response.status_code == 200
    assert "their account is deactivated" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active

    response = client.post(url)
    assert response.status_code == 302
    membership.refresh_from_db()
    anna.refresh_from_db()
    assert not membership.is_active
    assert not anna.is_active
    assert AuditEvent.objects.filter(action="accounts.membership_ended", actor=olga).exists()


def test_nadia_ends_a_membership_anywhere(client, nadia, ben):
    membership = ben.memberships.get()
    response = _as(client, nadia).post(reverse("accounts:membership-end", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active


@pytest.mark.parametrize("who", [*NOT_ADMINS, "olga"])
def test_others_cannot_end_police_memberships(request, client, who, ben):
    membership = ben.memberships.get()
    url = reverse("accounts:membership-end", args=[membership.pk])
    user = request.getfixturevalue(who)
    assert _as(client, user).get(url).status_code == 404
    assert client.post(url).status_code == 404
    membership.refresh_from_db()
    assert membership.is_active


# --- accepting an invitation ------------------------------------------------------------------------


def _accept_url(token):
    return reverse("accounts:invitation-accept", args=[token])


def test_invitation_page_greets_the_invited_person(client, shelter_north):
    InvitationFactory(token="tok-1", organisation=shelter_north, full_name="Edi Berisha")
    response = client.get(_accept_url("tok-1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Join Shelter North" in html
    assert 'value="Edi Berisha"' in html


def test_accepting_creates_the_account_signs_in_and_leads_to_two_factor_setup(client, shelter_north, olga):
    invitation = InvitationFactory(
        token="tok-1", organisation=shelter_north, invited_by=olga, role=Role.CASEWORKER
    )
    response = client.post(
        _accept_url("tok-1"),
        {"full_name": "Edi Berisha", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD},
    )
    user = User.objects.get(email=invitation.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Membership.objects.filter(user=user, organisation=shelter_north, role=Role.CASEWORKER).exists()

    response = client.get(response.url)  # home: the role requires two-factor, which is not set up yet
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    response = client.get(response.url)
    assert response.status_code == 200  # the fresh password counts: no re-authentication asked
    assert "Set up two-factor sign-in" in response.content.decode()


def test_accepting_asks_an_existing_authenticator_user_for_a_code(client, shelter_north, ben):
    InvitationFactory(token="tok-1", organisation=shelter_north, email=ben.email, role=Role.VIEWER)
    response = client.post(
        _accept_url("tok-1"), {"full_name": "Ben", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_mismatched_or_weak_passwords_keep_the_form(client, shelter_north):
    invitation = InvitationFactory(token="tok-1", organisation=shelter_north)
    response = client.post(
        _accept_url("tok-1"), {"full_name": "Edi", "password": "123456789012", "password_again": "x"}
    )
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    response = client.post(
        _accept_url("tok-1"),
        {"full_name": "Edi", "password": "123456789012", "password_again": "123456789012"},
    )
    assert response.status_code == 200
    assert 'id="id_password_error"' in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.parametrize(
    "state",
    [
        {"expires_at": timezone.now() - timedelta(minutes=1)},
        {"revoked_at": timezone.now()},
        {"accepted_at": timezone.now()},
    ],
    ids=["expired", "revoked", "used"],
)
def test_closed_invitations_are_404(client, shelter_north, state):
    InvitationFactory(token="tok-1", organisation=shelter_north, **state)
    assert client.get(_accept_url("tok-1")).status_code == 404
    response = client.post(
        _accept_url("tok-1"), {"full_name": "Edi", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}
    )
    assert response.status_code == 404


def test_an_invitation_link_works_once(client, shelter_north):
    InvitationFactory(token="tok-1", organisation=shelter_north, role=Role.VIEWER)
    data = {"full_name": "Edi", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}
    assert client.post(_accept_url("tok-1"), data).status_code == 302
    client.logout()
    assert client.get(_accept_url("tok-1")).status_code == 404


def test_unknown_token_is_404(client):
    assert client.get(_accept_url("nothing-here")).status_code == 404


# --- audit log --------------------------------------------------------------------------------------


AUDIT = reverse("accounts:audit")


def test_org_admin_reads_their_organisations_audit_log(client, olga, anna, shelter_north, police_east):
    AuditEvent.record(action="test.ours", actor=anna)
    AuditEvent.record(action="test.theirs", organisation=police_east)
    html = _as(client, olga).get(AUDIT).content.decode()
    assert "test.ours" in html
    assert "test.theirs" not in html
    assert 'name="organisation"' not in html


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_audit_log_is_404_for_people_who_administer_nothing(request, client, who):
    assert _as(client, request.getfixturevalue(who)).get(AUDIT).status_code == 404


def test_network_admin_filters_the_audit_log(client, nadia, anna, ben, shelter_north, police_east):
    AuditEvent.record(action="test.first", actor=anna)
    AuditEvent.record(action="test.second", actor=ben)
    AuditEvent.record(action="other.third", actor=ben)

    def listed(**params):
        html = _as(client, nadia).get(AUDIT, params).content.decode()
        return {action for action in ("test.first", "test.second", "other.third") if action in html}

    assert listed() == {"test.first", "test.second", "other.third"}
    assert listed(organisation=police_east.pk) == {"test.second", "other.third"}
    assert listed(action="test.") == {"test.first", "test.second"}
    assert listed(actor="Anna") == {"test.first"}
    assert listed(actor=ben.email) == {"test.second", "other.third"}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert listed(since=tomorrow) == set()
    assert listed(until=tomorrow) == {"test.first", "test.second", "other.third"}
    assert listed(since="not a date") == {"test.first", "test.second", "other.third"}


def test_org_admin_cannot_filter_their_way_into_another_organisation(client, olga, police_east):
    AuditEvent.record(action="test.theirs", organisation=police_east)
    html = _as(client, olga).get(AUDIT, {"organisation": police_east.pk}).content.decode()
    assert "test.theirs" not in html


def test_audit_log_is_paginated(client, nadia):
    for number in range(55):
        AuditEvent.record(action=f"test.event{number:02}")
    first = _as(client, nadia).get(AUDIT).content.decode()
    second = client.get(AUDIT, {"page": 2}).content.decode()
    assert "test.event54" in first
    assert "test.event00" not in first
    assert "test.event00" in second
    assert "Page 1 of 2" in first


# --- API token page ---------------------------------------------------------------------------------


API_TOKEN = reverse("accounts:api-token")


def test_token_page_says_there_is_no_token(client, ben):
    response = _as(client, ben).get(API_TOKEN)
    assert response.status_code == 200
    assert "You have no token." in response.content.decode()


def test_creating_a_token_shows_it_once(client, ben):
    _as(client, ben)
    mark_recently_authenticated(client, ben)
    response = client.post(API_TOKEN, {"action": "create"})
    key = Token.objects.get(user=ben).key
    assert response.status_code == 200
    assert key in response.content.decode()
    assert response["Cache-Control"].count("no-store") == 1
    assert key not in client.get(API_TOKEN).content.decode()
    assert AuditEvent.objects.filter(action="accounts.api_token_created", actor=ben).exists()


def test_creating_a_token_asks_for_the_password_if_not_entered_recently(client, ben):
    response = _as(client, ben).post(API_TOKEN, {"action": "create"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not Token.objects.filter(user=ben).exists()


def test_revoking_a_token(client, ben):
    Token.objects.create(user=ben)
    _as(client, ben)
    mark_recently_authenticated(client, ben)
    response = client.post(API_TOKEN, {"action": "revoke"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=ben).exists()
    assert AuditEvent.objects.filter(action="accounts.api_token_revoked", actor=ben).exists()


def test_token_page_requires_sign_in(client):
    response = client.get(API_TOKEN)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_dora_has_a_token_page_too_but_her_token_reaches_nothing(client, dora):
    # Dora belongs to no organisation: the page is her own, and every scope gives her nothing.
    assert _as(client, dora).get(API_TOKEN).status_code == 200


# --- navigation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "shown"), [("olga", True), ("nadia", True), ("anna", False), ("dora", False)]
)
def test_members_and_audit_links_are_offered_only_to_administrators(request, client, who, shown):
    html = _as(client, request.getfixturevalue(who)).get(reverse("accounts:api-token")).content.decode()
    assert (MEMBERS in html) is shown
    assert (AUDIT in html) is shown


def test_people_cannot_add_sign_in_addresses_themselves(client, anna):
    client.force_login(anna)
    response = client.get("/accounts/email/")
    assert response.status_code == 403
    assert anna.email in response.content.decode()
    response = client.post("/accounts/email/", {"email": "second@example.org", "action_add": ""})
    assert response.status_code == 405
    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.filter(email="second@example.org").exists()
