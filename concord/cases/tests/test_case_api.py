"""The case API: scoped like the pages, reduced like the pages, writing through the same services."""

# ruff: noqa: F811  (fixtures imported from case_fixtures are parameters of the tests)
import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from concord.audit.models import AuditEvent
from concord.cases.models import Case, CaseAssignment
from concord.cases.services.cases import OWNER_FIELDS, PROFILE_FIELDS
from concord.cases.tests.case_fixtures import (  # noqa: F401
    api,
    reauthenticate,
    referral,
    shelter_case,
)
from concord.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def as_user(api, request):
    def sign_in(name):
        api.force_login(request.getfixturevalue(name))
        return api

    return sign_in


def detail(case, suffix=""):
    return f"/api/cases/{case.code}/{suffix}"


def codes(response):
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def test_list_is_scoped_and_carries_no_names(as_user, shelter_case, police_east, paul):
    other = CaseFactory(owner=police_east, created_by=paul)
    response = as_user("anna").get("/api/cases/")
    assert codes(response) == {shelter_case.code}
    assert "Elira" not in response.content.decode()
    assert "first_name" not in response.json()["results"][0]
    assert codes(as_user("paul").get("/api/cases/")) == {other.code}


@pytest.mark.parametrize("name", ["carla", "olga", "nadia", "nikola", "vera", "dora", "alma"])
def test_others_list_nothing_and_get_404(as_user, shelter_case, name):
    assert codes(as_user(name).get("/api/cases/")) == set()
    assert as_user(name).get(detail(shelter_case)).status_code == 404


def test_list_filters(as_user, shelter_case, referral, shelter_north, anna):
    closed = CaseFactory(owner=shelter_north, created_by=anna, status="Closed")
    client = as_user("anna")
    assert codes(client.get("/api/cases/", {"status": "Closed"})) == {closed.code}
    assert codes(client.get("/api/cases/", {"code": shelter_case.code.lower()})) == {shelter_case.code}
    assert codes(client.get("/api/cases/", {"referral_state": "accepted"})) == {shelter_case.code}
    assert codes(client.get("/api/cases/", {"service": "shelter"})) == {shelter_case.code}
    assert client.get("/api/cases/", {"status": "Nonsense"}).status_code == 400


def test_list_marks_referred_cases(as_user, shelter_case, referral):
    rows = as_user("paul").get("/api/cases/").json()["results"]
    assert rows[0]["referred_to_us"] is True
    assert as_user("anna").get("/api/cases/").json()["results"][0]["referred_to_us"] is False


def test_retrieve_owner_side_reads_everything_but_identity(as_user, shelter_case):
    body = as_user("anna").get(detail(shelter_case)).json()
    assert set(OWNER_FIELDS) <= set(body)
    assert set(PROFILE_FIELDS) <= set(body)
    assert "first_name" not in body
    assert AuditEvent.objects.filter(action="cases.viewed", target_id=str(shelter_case.pk)).count() == 1


def test_retrieve_receiving_side_is_reduced_like_the_page(as_user, shelter_case, referral):
    body = as_user("paul").get(detail(shelter_case)).json()
    assert body["risk_summary"] == shelter_case.risk_summary
    assert "country_of_exploitation" in body  # profile shared
    assert not set(OWNER_FIELDS) & set(body)
    referral.share_profile = False
    referral.save()
    body = as_user("paul").get(detail(shelter_case)).json()
    assert not set(PROFILE_FIELDS) & set(body)
    assert set(body) == {
        "code",
        "status",
        "owner",
        "region",
        "sex",
        "age_band",
        "trafficking_status",
        "referred_to_us",
        "risk_level",
        "risk_summary",
    }


def test_create(as_user, sara, shelter_north):
    response = as_user("sara").post(
        "/api/cases/",
        {"owner": shelter_north.pk, "sex": "Male", "first_name": "Arben", "citizenship": ["AL", "XK"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(code=response.json()["code"])
    assert case.first_name == "Arben"
    assert "first_name" not in response.json()
    assert CaseAssignment.objects.filter(case=case, user=sara).exists()
    assert AuditEvent.objects.filter(action="cases.created", target_id=str(case.pk)).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"birth_date": "12.04.2001"},
        {"identified_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
        {"citizenship": ["ZZ"]},
        {"methods_of_control": ["Magic"]},
        {"birth_date": "2001-04-12", "identified_on": "2020-01-01", "age_at_identification": 30},
    ],
)
def test_create_refuses_bad_input(as_user, shelter_north, payload):
    response = as_user("anna").post("/api/cases/", {"owner": shelter_north.pk, **payload}, format="json")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_create_for_another_organisation_is_refused(as_user, police_east):
    response = as_user("anna").post("/api/cases/", {"owner": police_east.pk}, format="json")
    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("name", ["vera", "nadia", "dora"])
def test_create_by_other_roles_is_refused(as_user, shelter_north, name):
    response = as_user(name).post("/api/cases/", {"owner": shelter_north.pk}, format="json")
    assert response.status_code in (400, 403)
    assert not Case.objects.exists()


def test_partial_update_with_version(as_user, shelter_case):
    client = as_user("anna")
    response = client.patch(detail(shelter_case), {"risk_level": "high", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    response = client.patch(detail(shelter_case), {"risk_level": "low", "version": 1}, format="json")
    assert response.status_code == 409
    shelter_case.refresh_from_db()
    assert shelter_case.risk_level == "high"
    assert client.patch(detail(shelter_case), {"risk_level": "low"}, format="json").status_code == 400


def test_partial_update_by_receiver_is_403(as_user, shelter_case, referral):
    response = as_user("paul").patch(
        detail(shelter_case), {"risk_level": "high", "version": 1}, format="json"
    )
    assert response.status_code == 403
    shelter_case.refresh_from_db()
    assert shelter_case.version == 1


def test_identity_over_session_needs_reauthentication(as_user, shelter_case, anna):
    client = as_user("anna")
    response = client.get(detail(shelter_case, "identity/"))
    assert response.status_code == 403
    assert "Elira" not in response.content.decode()
    reauthenticate(client, anna)
    response = client.get(detail(shelter_case, "identity/"))
    assert response.status_code == 200
    assert response.json()["first_name"] == "Elira"
    assert AuditEvent.objects.filter(action="cases.identity_viewed", actor=anna).count() == 1


def test_identity_over_token_is_audited_each_time(api, shelter_case, anna):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=anna).key}")
    assert api.get(detail(shelter_case, "identity/")).json()["first_name"] == "Elira"
    api.get(detail(shelter_case, "identity/"))
    assert AuditEvent.objects.filter(action="cases.identity_viewed", actor=anna).count() == 2


def test_identity_not_shared_is_403(api, shelter_case, referral, paul):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=paul).key}")
    assert api.get(detail(shelter_case, "identity/")).status_code == 403
    referral.share_identity = True
    referral.save()
    assert api.get(detail(shelter_case, "identity/")).status_code == 200


def test_put_is_not_allowed(as_user, shelter_case):
    assert as_user("anna").put(detail(shelter_case), {}, format="json").status_code == 405
