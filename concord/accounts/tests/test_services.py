"""Membership services: who may invite, change roles and end memberships, and what each leaves behind."""

import re

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import Token

from concord.accounts import services
from concord.accounts.models import Invitation, Membership, Role, User, invitation_token_digest
from concord.accounts.tests.conftest import sign_in_with_code
from concord.accounts.tests.factories import InvitationFactory, MembershipFactory, UserFactory
from concord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def request_context(settings):
    """invite_member builds the link from the configured public address, not from any request."""
    settings.CONCORD_BASE_URL = "http://localhost"


def _invite(organisation, by, *, role=Role.CASEWORKER, email="new.person@example.org"):
    return services.invite_member(
        organisation=organisation, email=email, full_name="New Person", role=role, by=by
    )


# --- invite_member ----------------------------------------------------------------------------------


def test_org_admin_invites_to_their_organisation(
    olga, shelter_north, request_context, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(shelter_north, olga, email=" New.Person@Example.org ")

    assert invitation.email == "new.person@example.org"
    assert invitation.is_open()
    event = AuditEvent.objects.get(action="accounts.member_invited")
    assert (event.actor, event.organisation, event.detail) == (olga, shelter_north, {"role": Role.CASEWORKER})
    assert len(mailoutbox) == 1


def test_invitation_email_names_only_the_organisation_and_the_link(
    olga, shelter_north, request_context, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(shelter_north, olga)

    message = mailoutbox[0]
    text = message.subject + message.body
    assert message.to == ["new.person@example.org"]
    assert "Shelter North" in message.subject
    assert "New Person" not in text
    assert olga.full_name not in text
    assert olga.email not in text
    assert "Caseworker" not in text
    token = re.search(r"/team/invitations/([^/]+)/", message.body).group(1)
    assert message.body.count("http://localhost/team/invitations/") == 1
    assert invitation_token_digest(token) == invitation.token_digest
    assert token not in Invitation.objects.values_list("token_digest", flat=True)


def test_no_email_is_sent_if_the_invitation_is_rolled_back(olga, shelter_north, request_context, mailoutbox):
    _invite(shelter_north, olga)  # the test transaction never commits
    assert mailoutbox == []


def test_org_admin_cannot_invite_to_another_organisation(olga, police_east, request_context):
    with pytest.raises(PermissionDenied):
        _invite(police_east, olga)


@pytest.mark.parametrize("role", [Role.NETWORK_ADMIN, Role.NATIONAL_COORDINATOR])
def test_org_admin_cannot_grant_network_level_roles(olga, shelter_north, request_context, role):
    with pytest.raises(PermissionDenied):
        _invite(shelter_north, olga, role=role)


def test_network_admin_grants_network_level_roles_anywhere(nadia, police_east, request_context):
    invitation = _invite(police_east, nadia, role=Role.NATIONAL_COORDINATOR)
    assert invitation.role == Role.NATIONAL_COORDINATOR


@pytest.mark.parametrize("who", ["anna", "ben", "vera", "dora", "nikola"])
def test_people_who_administer_nothing_cannot_invite(request, who, shelter_north, request_context):
    with pytest.raises(PermissionDenied):
        _invite(shelter_north, request.getfixturevalue(who))


def test_current_members_are_not_invited_again(olga, anna, shelter_north, request_context):
    with pytest.raises(ValidationError):
        _invite(shelter_north, olga, email=anna.email.upper())


def test_a_second_open_invitation_for_the_same_person_is_refused(olga, shelter_north, request_context):
    _invite(shelter_north, olga)
    with pytest.raises(ValidationError):
        _invite(shelter_north, olga)


# --- accept_invitation ------------------------------------------------------------------------------


def test_accepting_creates_the_user_and_the_membership(shelter_north, olga):
    invitation = InvitationFactory(organisation=shelter_north, invited_by=olga, role=Role.CASE_MANAGER)

    user = services.accept_invitation(invitation=invitation, full_name="Edi Berisha", password=GOOD_PASSWORD)

    assert user.check_password(GOOD_PASSWORD)
    assert (user.email, user.full_name, user.is_active) == (invitation.email, "Edi Berisha", True)
    membership = user.memberships.get()
    assert (membership.organisation, membership.role, membership.invited_by) == (
        shelter_north,
        Role.CASE_MANAGER,
        olga,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert not invitation.is_open()
    event = AuditEvent.objects.get(action="accounts.invitation_accepted")
    assert (event.actor, event.organisation) == (user, shelter_north)


def test_accepting_reuses_and_reactivates_an_existing_account(shelter_north, olga):
    former = UserFactory(email="former@example.org", is_active=False)
    invitation = InvitationFactory(organisation=shelter_north, invited_by=olga, email="former@example.org")

    user = services.accept_invitation(invitation=invitation, full_name="Ignored", password=GOOD_PASSWORD)

    assert user.pk == former.pk
    assert user.is_active
    assert User.objects.filter(email__iexact="former@example.org").count() == 1


def test_password_validators_apply(shelter_north, olga):
    invitation = InvitationFactory(organisation=shelter_north, invited_by=olga)
    with pytest.raises(ValidationError) as error:
        services.accept_invitation(invitation=invitation, full_name="Edi", password="12345678")
    assert "password" in error.value.message_dict
    assert not Membership.objects.filter(organisation=shelter_north, user__email=invitation.email).exists()


def test_a_used_invitation_cannot_be_accepted_again(shelter_north, olga):
    invitation = InvitationFactory(organisation=shelter_north, invited_by=olga)
    services.accept_invitation(invitation=invitation, full_name="Edi", password=GOOD_PASSWORD)
    with pytest.raises(PermissionDenied):
        services.accept_invitation(invitation=invitation, full_name="Edi", password=GOOD_PASSWORD)


def test_only_open_invitations_are_found_by_their_token(shelter_north, olga):
    from datetime import timedelta

    from django.utils import timezone

    InvitationFactory(token="open-token", organisation=shelter_north)
    InvitationFactory(token="expired-token", expires_at=timezone.now() - timedelta(seconds=1))
    InvitationFactory(token="revoked-token", revoked_at=timezone.now())
    InvitationFactory(token="used-token", accepted_at=timezone.now())

    assert services.find_open_invitation("open-token") is not None
    for token in ("expired-token", "revoked-token", "used-token", "unknown-token"):
        assert services.find_open_invitation(token) is None


# --- revoke_invitation ------------------------------------------------------------------------------


def test_revoking_closes_the_invitation_and_is_audited(olga, shelter_north):
    invitation = InvitationFactory(organisation=shelter_north)
    services.revoke_invitation(invitation=invitation, by=olga)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="accounts.invitation_revoked", actor=olga).exists()


def test_org_admin_cannot_revoke_another_organisations_invitation(olga, police_east):
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(invitation=InvitationFactory(organisation=police_east), by=olga)


# --- change_role ------------------------------------------------------------------------------------


def test_changing_a_role_is_audited_with_old_and_new(olga, anna):
    membership = anna.memberships.get()
    services.change_role(membership=membership, role=Role.CASEWORKER, by=olga)

    membership.refresh_from_db()
    assert membership.role == Role.CASEWORKER
    event = AuditEvent.objects.get(action="accounts.role_changed")
    assert event.detail == {"old_role": Role.CASE_MANAGER, "new_role": Role.CASEWORKER}
    assert (event.actor, event.organisation, event.target_id) == (
        olga,
        membership.organisation,
        str(membership.pk),
    )


def test_org_admin_cannot_change_roles_in_another_organisation(olga, ben):
    with pytest.raises(PermissionDenied):
        services.change_role(membership=ben.memberships.get(), role=Role.VIEWER, by=olga)


def test_org_admin_cannot_promote_to_network_admin(olga, anna):
    with pytest.raises(PermissionDenied):
        services.change_role(membership=anna.memberships.get(), role=Role.NETWORK_ADMIN, by=olga)


def test_org_admin_cannot_touch_a_network_level_membership_in_their_organisation(olga, shelter_north):
    coordinator = MembershipFactory(organisation=shelter_north, role=Role.NATIONAL_COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.change_role(membership=coordinator, role=Role.VIEWER, by=olga)
    with pytest.raises(PermissionDenied):
        services.end_membership(membership=coordinator, by=olga)


def test_nobody_changes_their_own_role(nadia):
    with pytest.raises(ValidationError):
        services.change_role(membership=nadia.memberships.get(), role=Role.VIEWER, by=nadia)


def test_network_admin_changes_roles_anywhere(nadia, ben):
    services.change_role(membership=ben.memberships.get(), role=Role.NATIONAL_COORDINATOR, by=nadia)
    assert ben.memberships.get().role == Role.NATIONAL_COORDINATOR


# --- end_membership ---------------------------------------------------------------------------------


def test_ending_the_only_membership_deactivates_the_account_and_ends_its_sessions(client, olga, anna):
    session_key = sign_in_with_code(client, anna)
    assert UserSession.objects.filter(user=anna).exists()
    Token.objects.create(user=anna)
    membership = anna.memberships.get()

    services.end_membership(membership=membership, by=olga)

    membership.refresh_from_db()
    anna.refresh_from_db()
    assert membership.is_active is False
    assert membership.ended_at is not None
    assert anna.is_active is False
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not Token.objects.filter(user=anna).exists()
    event = AuditEvent.objects.get(action="accounts.membership_ended")
    assert event.detail["account_deactivated"] is True
    assert event.detail["sessions_ended"] == 1


def test_the_ended_member_is_signed_out_on_their_next_request(client, olga, anna):
    client.force_login(anna)
    services.end_membership(membership=anna.memberships.get(), by=olga)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_someone_with_another_membership_keeps_account_and_sessions(client, olga, anna, police_east):
    MembershipFactory(user=anna, organisation=police_east, role=Role.VIEWER)
    session_key = sign_in_with_code(client, anna)

    services.end_membership(membership=anna.memberships.get(organisation__name="Shelter North"), by=olga)

    anna.refresh_from_db()
    assert anna.is_active
    assert Session.objects.filter(session_key=session_key).exists()
    assert AuditEvent.objects.get(action="accounts.membership_ended").detail["account_deactivated"] is False


def test_an_ended_membership_cannot_be_ended_again(olga, anna):
    membership = anna.memberships.get()
    services.end_membership(membership=membership, by=olga)
    with pytest.raises(ValidationError):
        services.end_membership(membership=membership, by=olga)
    with pytest.raises(ValidationError):
        services.change_role(membership=membership, role=Role.VIEWER, by=olga)


def test_org_admin_cannot_end_another_organisations_membership(olga, ben):
    with pytest.raises(PermissionDenied):
        services.end_membership(membership=ben.memberships.get(), by=olga)
    assert ben.memberships.get().is_active


# --- API tokens -------------------------------------------------------------------------------------


def test_creating_a_token_replaces_the_old_one_and_is_audited(anna):
    first = services.create_api_token(user=anna)
    second = services.create_api_token(user=anna)
    assert first.key != second.key
    assert list(Token.objects.filter(user=anna)) == [second]
    events = AuditEvent.objects.filter(action="accounts.api_token_created").order_by("pk")
    assert [event.detail for event in events] == [{"replaced": False}, {"replaced": True}]


def test_revoking_a_token_is_audited_once(anna):
    services.create_api_token(user=anna)
    services.revoke_api_token(user=anna)
    services.revoke_api_token(user=anna)
    assert not Token.objects.filter(user=anna).exists()
    assert AuditEvent.objects.filter(action="accounts.api_token_revoked").count() == 1
