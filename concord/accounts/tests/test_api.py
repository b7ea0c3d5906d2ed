"""The accounts API: `me`, memberships for administrators, and tokens that obey the sign-in rules."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from concord.accounts.models import Role
from concord.accounts.tests.factories import MembershipFactory
from concord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_login(user)
    return api


def _with_token(api, user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


# --- me ---------------------------------------------------------------------------------------------


def test_me_describes_the_user_and_their_roles(api, olga, shelter_north):
    body = _as(api, olga).get("/api/me/").json()
    assert body["email"] == olga.email
    assert body["requires_two_factor"] is True
    assert body["has_two_factor"] is True
    assert [(m["organisation_name"], m["role"]) for m in body["memberships"]] == [
        ("Shelter North", "org_admin")
    ]


def test_me_for_someone_without_membership(api, dora):
    body = _as(api, dora).get("/api/me/").json()
    assert body["memberships"] == []
    assert body["requires_two_factor"] is False


def test_me_requires_authentication(api):
    assert api.get("/api/me/").status_code in {401, 403}


# --- memberships ------------------------------------------------------------------------------------


def test_org_admin_lists_their_organisations_memberships(api, olga, anna, ben):
    body = _as(api, olga).get("/api/memberships/").json()
    assert {row["user_email"] for row in body["results"]} == {olga.email, anna.email}


def test_org_admin_gets_404_for_another_organisations_membership(api, olga, ben):
    response = _as(api, olga).get(f"/api/memberships/{ben.memberships.get().pk}/")
    assert response.status_code == 404


def test_network_admin_lists_and_filters_every_membership(api, nadia, anna, ben, police_east):
    body = _as(api, nadia).get("/api/memberships/", {"organisation": police_east.pk}).json()
    assert [row["user_email"] for row in body["results"]] == [ben.email]


@pytest.mark.parametrize("who", ["anna", "ben", "vera", "dora", "nikola"])
def test_people_who_administer_nothing_see_no_memberships(request, api, who, olga):
    user = request.getfixturevalue(who)
    body = _as(api, user).get("/api/memberships/").json()
    assert body["results"] == []
    assert _as(api, user).get(f"/api/memberships/{olga.memberships.get().pk}/").status_code == 404


def test_org_admin_changes_a_role_through_the_api(api, olga, anna):
    membership = anna.memberships.get()
    response = _as(api, olga).post(
        f"/api/memberships/{membership.pk}/role/", {"role": "caseworker"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["role"] == "caseworker"
    assert AuditEvent.objects.get(action="accounts.role_changed").detail == {
        "old_role": "case_manager",
        "new_role": "caseworker",
    }


def test_api_role_change_obeys_the_service(api, olga, anna, ben):
    api = _as(api, olga)
    membership = anna.memberships.get()
    assert api.post(f"/api/memberships/{membership.pk}/role/", {"role": "network_admin"}).status_code == 403
    assert api.post(f"/api/memberships/{membership.pk}/role/", {"role": "emperor"}).status_code == 400
    own = olga.memberships.get()
    response = api.post(f"/api/memberships/{own.pk}/role/", {"role": "viewer"})
    assert response.status_code == 400
    assert "own membership" in response.json()["role"][0]
    other = ben.memberships.get()
    assert api.post(f"/api/memberships/{other.pk}/role/", {"role": "viewer"}).status_code == 404
    assert not AuditEvent.objects.filter(action="accounts.role_changed").exists()


def test_memberships_are_read_only_otherwise(api, olga, anna):
    membership = anna.memberships.get()
    api = _as(api, olga)
    assert api.delete(f"/api/memberships/{membership.pk}/").status_code == 405
    assert api.patch(f"/api/memberships/{membership.pk}/", {"role": "viewer"}).status_code == 405


# --- tokens -----------------------------------------------------------------------------------------


def test_a_token_works_for_someone_with_two_factor(api, olga):
    assert _with_token(api, olga).get("/api/me/").status_code == 200


def test_a_token_does_not_work_while_required_two_factor_is_missing(api, shelter_north):
    user = MembershipFactory(organisation=shelter_north, role=Role.CASE_MANAGER, two_factor=False).user
    response = _with_token(api, user).get("/api/me/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Two-factor sign-in must be set up first."


def test_a_token_works_for_a_viewer_without_two_factor(api, shelter_north):
    viewer = MembershipFactory(organisation=shelter_north, role=Role.VIEWER, two_factor=False).user
    assert _with_token(api, viewer).get("/api/me/").status_code == 200


def test_a_deactivated_users_token_fails(api, ben):
    api = _with_token(api, ben)
    ben.is_active = False
    ben.save(update_fields=["is_active"])
    response = api.get("/api/me/")
    # 403 rather than 401: session authentication comes first, and it sends no WWW-Authenticate header.
    assert response.status_code == 403
    assert response.json()["detail"] == "User inactive or deleted."


def test_ending_the_last_membership_kills_the_token(api, olga, anna):
    from concord.accounts.services import end_membership

    api = _with_token(api, anna)
    end_membership(membership=anna.memberships.get(), by=olga)
    response = api.get("/api/me/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Invalid token."


def test_api_responses_are_not_cached(api, olga):
    assert "no-store" in _with_token(api, olga).get("/api/me/")["Cache-Control"]
