"""The case pages: who may and who may not, what each page writes, and what it never shows.

Cast: anna manages Shelter North's cases, sara is a Shelter North caseworker; paul manages Police Unit
East's cases (and reads shelter_case once `referral` is accepted), ben is its caseworker; carla, olga,
nadia, nikola, vera, dora, alma see no case."""

# ruff: noqa: F811  (fixtures imported from case_fixtures are parameters of the tests)
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.cases.models import Case, CaseAssignment
from concord.cases.tests.case_fixtures import (  # noqa: F401
    as_user,
    reauthenticate,
    referral,
    shelter_case,
)
from concord.cases.tests.factories import CaseAssignmentFactory, CaseFactory, ServiceDeliveryFactory

pytestmark = pytest.mark.django_db

NO_CASE_ROLE = ["carla", "olga", "nadia", "nikola", "vera", "dora", "alma"]
TODAY = timezone.localdate()


def url(name, case, *args):
    return reverse(f"cases:{name}", args=[case.code, *args])


def events(action, case=None):
    qs = AuditEvent.objects.filter(action=action)
    return qs.filter(target_id=str(case.pk)) if case is not None else qs


# --- List -----------------------------------------------------------------------------------------------


def test_list_shows_the_users_cases_without_names(as_user, shelter_case, police_east, paul):
    other = CaseFactory(owner=police_east, created_by=paul)
    body = as_user("anna").get(reverse("cases:list")).content.decode()
    assert shelter_case.code in body
    assert other.code not in body
    assert "Elira" not in body
    assert "Kola" not in body


@pytest.mark.parametrize("name", NO_CASE_ROLE)
def test_list_is_empty_for_roles_without_cases(as_user, shelter_case, name):
    response = as_user(name).get(reverse("cases:list"))
    assert response.status_code == 200
    assert shelter_case.code not in response.content.decode()


def test_list_marks_cases_referred_to_us(as_user, shelter_case, referral):
    body = as_user("paul").get(reverse("cases:list")).content.decode()
    assert shelter_case.code in body
    assert "badge text-bg-info" in body
    body = as_user("anna").get(reverse("cases:list")).content.decode()
    assert "badge text-bg-info" not in body


def test_list_searches_by_exact_code_and_filters(as_user, shelter_case, shelter_north, anna):
    closed = CaseFactory(owner=shelter_north, created_by=anna, status="Closed")
    client = as_user("anna")
    body = client.get(reverse("cases:list"), {"code": shelter_case.code.lower()}).content.decode()
    assert shelter_case.code in body
    assert closed.code not in body
    body = client.get(reverse("cases:list"), {"code": shelter_case.code[:6]}).content.decode()
    assert shelter_case.code not in body
    body = client.get(reverse("cases:list"), {"status": "Closed"}).content.decode()
    assert closed.code in body
    assert shelter_case.code not in body


def test_list_filters_by_service_and_referral_state(as_user, shelter_case, referral, shelter_north, anna):
    other = CaseFactory(owner=shelter_north, created_by=anna)
    ServiceDeliveryFactory(case=other, service="medical")
    client = as_user("anna")
    body = client.get(reverse("cases:list"), {"service": "shelter"}).content.decode()  # asked in referral
    assert shelter_case.code in body
    assert other.code not in body
    body = client.get(reverse("cases:list"), {"service": "medical"}).content.decode()
    assert other.code in body
    assert shelter_case.code not in body
    body = client.get(reverse("cases:list"), {"referral_state": "accepted"}).content.decode()
    assert shelter_case.code in body
    assert other.code not in body


def test_list_pages_by_fifty_without_counting(as_user, shelter_north, anna, django_assert_max_num_queries):
    for _ in range(51):
        CaseFactory(owner=shelter_north, created_by=anna)
    client = as_user("anna")
    response = client.get(reverse("cases:list"))
    assert response.context["page_obj"].has_next
    assert len(response.context["page_obj"]) == 50
    assert len(client.get(reverse("cases:list"), {"page": 2}).context["page_obj"]) == 1
    with django_assert_max_num_queries(16):
        client.get(reverse("cases:list"))


def test_list_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302


def test_nav_shows_cases_to_case_roles_only(as_user):
    assert reverse("cases:list") in as_user("sara").get(reverse("home")).content.decode()
    assert reverse("cases:list") not in as_user("vera").get(reverse("home")).content.decode()


# --- Create ---------------------------------------------------------------------------------------------


def _create_data(**extra):
    data = {
        "sex": "Female",
        "first_name": "Drita",
        "birth_date": "2000-01-15",
        "identity_number": "X1234",
        "age_at_identification": "25",
        "identified_on": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "citizenship": ["AL"],
        "types_of_exploitation": ["ForcedLabour"],
        "risk_level": "high",
    }
    data.update(extra)
    return data


def _age_today(born: str) -> int:
    birth = datetime.date.fromisoformat(born)
    day = TODAY - datetime.timedelta(days=10)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def test_caseworker_opens_a_case_and_is_assigned(as_user, sara, shelter_north):
    data = _create_data(age_at_identification=str(_age_today("2000-01-15")))
    response = as_user("sara").post(reverse("cases:create"), data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert case.owner == shelter_north
    assert case.created_by == sara
    assert case.first_name == "Drita"
    assert case.identity_number_bidx
    assert case.identity_number_bidx != "X1234"
    assert CaseAssignment.objects.filter(case=case, user=sara, organisation=shelter_north).exists()
    event = events("cases.created", case).get()
    assert "Drita" not in str(event.detail)
    assert "first_name" in event.detail["fields"]


def test_case_manager_opens_a_case(as_user, anna):
    data = _create_data(age_at_identification=str(_age_today("2000-01-15")))
    assert as_user("anna").post(reverse("cases:create"), data).status_code == 302
    assert Case.objects.get().case_owner == anna


@pytest.mark.parametrize("name", [name for name in NO_CASE_ROLE if name != "carla"])
def test_others_may_not_open_a_case(as_user, name):
    assert as_user(name).post(reverse("cases:create"), _create_data()).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", "15/01/2000"),
        ("birth_date", (TODAY + datetime.timedelta(days=3)).isoformat()),
        ("identified_on", (TODAY + datetime.timedelta(days=3)).isoformat()),
        ("age_at_identification", "40"),
        ("citizenship", ["ZZ"]),
        ("types_of_exploitation", ["Smuggling"]),
        ("country_of_exploitation", "XX"),
        ("primary_language", "zzz"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_kept(as_user, field, value):
    data = _create_data(**{"age_at_identification": str(_age_today("2000-01-15")), field: value})
    response = as_user("anna").post(reverse("cases:create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["form"]["first_name"].value() == "Drita"
    assert not Case.objects.exists()


# --- Summary --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anna", "paul"])
def test_case_page_opens_and_is_audited(as_user, shelter_case, referral, name, request):
    response = as_user(name).get(url("detail", shelter_case))
    assert response.status_code == 200
    event = events("cases.viewed", shelter_case).get()
    assert event.actor == request.getfixturevalue(name)


@pytest.mark.parametrize("name", [*NO_CASE_ROLE, "sara", "ben", "paul", "milan"])
def test_case_page_is_404_for_those_who_cannot_see_it(as_user, shelter_case, name):
    assert as_user(name).get(url("detail", shelter_case)).status_code == 404
    assert not events("cases.viewed").exists()


def test_receiving_side_sees_card_risk_and_shared_sections_only(as_user, shelter_case, referral):
    shelter_case.best_interests_decision = "Guardian appointed by the court"
    shelter_case.save()
    body = as_user("paul").get(url("detail", shelter_case)).content.decode()
    assert shelter_case.risk_summary in body
    assert "Elira" not in body
    assert "Guardian appointed" not in body
    assert "Profile" in body  # share_profile
    assert url("edit", shelter_case) not in body
    referral.share_profile = False
    referral.save()
    body = as_user("paul").get(url("detail", shelter_case)).content.decode()
    assert "Country of exploitation" not in body


# --- Edit -----------------------------------------------------------------------------------------------


def _edit_data(case, **extra):
    data = {
        "version": case.version,
        "sex": case.sex,
        "age_at_identification": case.age_at_identification,
        "identified_on": case.identified_on.isoformat(),
        "citizenship": case.citizenship,
        "types_of_exploitation": case.types_of_exploitation,
        "risk_level": "high",
        "risk_summary": "Changed.",
        "primary_language": "sq",
        "country_of_exploitation": "IT",
    }
    data.update(extra)
    return data


def test_owner_side_edits_the_profile(as_user, shelter_case):
    response = as_user("anna").post(url("edit", shelter_case), _edit_data(shelter_case))
    assert response.status_code == 302
    shelter_case.refresh_from_db()
    assert shelter_case.risk_level == "high"
    assert shelter_case.version == 2
    detail = events("cases.updated", shelter_case).get().detail
    assert "risk_level" in detail["fields"]
    assert "Changed." not in str(detail)


def test_assigned_caseworker_edits(as_user, shelter_case, sara, anna):
    CaseAssignmentFactory(case=shelter_case, user=sara, organisation=shelter_case.owner, assigned_by=anna)
    assert as_user("sara").post(url("edit", shelter_case), _edit_data(shelter_case)).status_code == 302


def test_receiving_side_may_not_edit(as_user, shelter_case, referral):
    assert as_user("paul").post(url("edit", shelter_case), _edit_data(shelter_case)).status_code == 403
    shelter_case.refresh_from_db()
    assert shelter_case.version == 1


def test_version_conflict_keeps_the_input(as_user, shelter_case):
    data = _edit_data(shelter_case, risk_summary="Mine.")
    Case.objects.filter(pk=shelter_case.pk).update(version=2)
    response = as_user("anna").post(url("edit", shelter_case), data)
    assert response.status_code == 400
    assert "Someone else saved" in response.content.decode()
    assert response.context["form"]["risk_summary"].value() == "Mine."
    assert not events("cases.updated").exists()


def test_age_must_agree_with_stored_birth_date(as_user, shelter_case):
    response = as_user("anna").post(
        url("edit", shelter_case), _edit_data(shelter_case, age_at_identification=60)
    )
    assert "age_at_identification" in response.context["form"].errors


# --- Identity -------------------------------------------------------------------------------------------


def test_identity_needs_recent_reauthentication(as_user, shelter_case, anna):
    client = as_user("anna")
    response = client.get(url("identity", shelter_case))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Elira" not in body
    assert reverse("account_reauthenticate") in body
    assert "next=" in body
    assert not events("cases.identity_viewed").exists()
    reauthenticate(client, anna)
    body = client.get(url("identity", shelter_case)).content.decode()
    assert "Elira" in body
    assert "I01234567A" in body
    assert events("cases.identity_viewed", shelter_case).get().actor == anna


def test_stale_reauthentication_hides_identity(as_user, shelter_case, anna):
    client = as_user("anna")
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": 1, "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(anna.pk)
    session.save()
    assert "Elira" not in client.get(url("identity", shelter_case)).content.decode()


def test_identity_is_403_when_not_shared(as_user, shelter_case, referral, paul):
    client = as_user("paul")
    reauthenticate(client, paul)
    assert client.get(url("identity", shelter_case)).status_code == 403
    referral.share_identity = True
    referral.save()
    assert "Elira" in client.get(url("identity", shelter_case)).content.decode()
    # Reading is not editing: the receiving side never edits the identity.
    assert client.post(url("identity_edit", shelter_case), {"first_name": "X"}).status_code == 403


def test_identity_edit(as_user, shelter_case, anna):
    client = as_user("anna")
    data = {name: getattr(shelter_case, name) for name in ("first_name", "second_name", "birth_date")}
    data.update(version=shelter_case.version, identity_number="NEW-1", first_name="Elona")
    assert "Elira" not in client.post(url("identity_edit", shelter_case), data).content.decode()
    shelter_case.refresh_from_db()
    assert shelter_case.first_name == "Elira"  # not saved without re-authentication
    reauthenticate(client, anna)
    assert client.post(url("identity_edit", shelter_case), data).status_code == 302
    shelter_case.refresh_from_db()
    assert shelter_case.first_name == "Elona"
    from concord.common.encryption import blind_index

    assert shelter_case.identity_number_bidx == blind_index("NEW-1", purpose="identity_number")
    detail = events("cases.identity_updated", shelter_case).get().detail
    assert set(detail["fields"]) >= {"first_name", "identity_number"}
    assert "Elona" not in str(detail)
    assert "NEW-1" not in str(detail)


def test_identity_edit_rejects_bad_birth_date(as_user, shelter_case, anna):
    client = as_user("anna")
    reauthenticate(client, anna)
    data = {"version": shelter_case.version, "birth_date": "2001-13-01", "first_name": "Elira"}
    response = client.post(url("identity_edit", shelter_case), data)
    assert "birth_date" in response.context["form"].errors


# --- Trafficking status ---------------------------------------------------------------------------------


def test_police_decide_the_status(as_user, shelter_case, referral, police_east):
    response = as_user("paul").post(url("status", shelter_case), {"status": "ActualVictimOfTrafficking"})
    assert response.status_code == 302
    shelter_case.refresh_from_db()
    assert shelter_case.trafficking_status == "ActualVictimOfTrafficking"
    assert shelter_case.trafficking_status_deciding_org_type == "Police"
    assert shelter_case.trafficking_status_decided_by == police_east
    assert shelter_case.trafficking_status_decided_on == TODAY
    detail = events("cases.status_decided", shelter_case).get().detail
    assert detail["old"] == "PossibleVictimOfTrafficking"
    assert detail["new"] == "ActualVictimOfTrafficking"


def test_ngo_case_manager_may_only_mark_possible(as_user, shelter_case):
    client = as_user("anna")
    assert (
        client.post(url("status", shelter_case), {"status": "ActualVictimOfTrafficking"}).status_code == 403
    )
    assert (
        client.post(url("status", shelter_case), {"status": "PossibleVictimOfTrafficking"}).status_code == 302
    )
    shelter_case.refresh_from_db()
    assert shelter_case.trafficking_status_deciding_org_type == "NGO"


def test_status_date_in_future_is_refused(as_user, shelter_case, referral):
    future = (TODAY + datetime.timedelta(days=2)).isoformat()
    data = {"status": "ActualVictimOfTrafficking", "decided_on": future}
    assert as_user("paul").post(url("status", shelter_case), data).status_code == 400
    assert not events("cases.status_decided").exists()


# --- Assignments ----------------------------------------------------------------------------------------


def _membership(user):
    return user.memberships.get().pk


def test_case_manager_assigns_own_caseworker(as_user, shelter_case, sara):
    response = as_user("anna").post(url("assign", shelter_case), {"membership": _membership(sara)})
    assert response.status_code == 302
    assignment = CaseAssignment.objects.get(case=shelter_case, user=sara)
    assert events("cases.assigned", shelter_case).get().detail["user"] == sara.pk
    response = as_user("anna").post(url("unassign", shelter_case, assignment.pk))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert events("cases.unassigned", shelter_case).exists()


def test_no_one_assigns_another_organisations_people(as_user, shelter_case, referral, ben, sara):
    assert (
        as_user("anna").post(url("assign", shelter_case), {"membership": _membership(ben)}).status_code == 400
    )
    assert (
        as_user("paul").post(url("assign", shelter_case), {"membership": _membership(sara)}).status_code
        == 400
    )
    assert not CaseAssignment.objects.exists()
    # The receiver's case manager assigns their own caseworker, who then sees the shared part.
    assert (
        as_user("paul").post(url("assign", shelter_case), {"membership": _membership(ben)}).status_code == 302
    )
    assert as_user("ben").get(url("detail", shelter_case)).status_code == 200


def test_caseworkers_do_not_assign(as_user, shelter_case, sara, anna):
    CaseAssignmentFactory(case=shelter_case, user=sara, organisation=shelter_case.owner, assigned_by=anna)
    assert (
        as_user("sara").post(url("assign", shelter_case), {"membership": _membership(sara)}).status_code
        == 403
    )


def test_unassign_other_organisation_is_403(as_user, shelter_case, referral, ben, paul):
    assignment = CaseAssignmentFactory(
        case=shelter_case, user=ben, organisation=referral.to_organisation, assigned_by=paul
    )
    assert as_user("anna").post(url("unassign", shelter_case, assignment.pk)).status_code == 403
    assignment.refresh_from_db()
    assert assignment.ended_at is None


# --- Close, reopen, transfer ----------------------------------------------------------------------------


def test_close_and_reopen(as_user, shelter_case):
    client = as_user("anna")
    data = {"status": "Closed", "closure_reason": "support_completed", "closed_on": TODAY.isoformat()}
    assert client.post(url("close", shelter_case), data).status_code == 302
    shelter_case.refresh_from_db()
    assert shelter_case.is_closed
    assert shelter_case.closed_on == TODAY
    assert events("cases.closed", shelter_case).exists()
    assert client.post(url("reopen", shelter_case)).status_code == 302
    shelter_case.refresh_from_db()
    assert shelter_case.status == "Active"
    assert shelter_case.closed_on is None
    assert events("cases.reopened", shelter_case).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"status": "Closed", "closure_reason": "", "closed_on": TODAY.isoformat()},
        {"status": "Active", "closure_reason": "other", "closed_on": TODAY.isoformat()},
        {
            "status": "Closed",
            "closure_reason": "other",
            "closed_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
        },
    ],
)
def test_close_refuses_bad_input(as_user, shelter_case, data):
    assert as_user("anna").post(url("close", shelter_case), data).status_code == 400
    shelter_case.refresh_from_db()
    assert not shelter_case.is_closed


@pytest.mark.parametrize("action", ["close", "reopen", "transfer"])
def test_only_owner_case_managers_close_reopen_transfer(as_user, shelter_case, referral, sara, anna, action):
    CaseAssignmentFactory(case=shelter_case, user=sara, organisation=shelter_case.owner, assigned_by=anna)
    assert as_user("sara").post(url(action, shelter_case), {}).status_code == 403
    assert as_user("paul").post(url(action, shelter_case), {}).status_code == 403
    assert as_user("carla").post(url(action, shelter_case), {}).status_code == 404


def test_transfer_needs_confirmation_and_old_owner_keeps_nothing(
    as_user, shelter_case, police_east, sara, anna
):
    CaseAssignmentFactory(case=shelter_case, user=sara, organisation=shelter_case.owner, assigned_by=anna)
    client = as_user("anna")
    response = client.post(url("transfer", shelter_case), {"organisation": police_east.pk})
    assert response.status_code == 400
    shelter_case.refresh_from_db()
    assert shelter_case.owner != police_east
    response = client.post(url("transfer", shelter_case), {"organisation": police_east.pk, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:list")
    shelter_case.refresh_from_db()
    assert shelter_case.owner == police_east
    assert client.get(url("detail", shelter_case)).status_code == 404
    assert as_user("sara").get(url("detail", shelter_case)).status_code == 404
    assert as_user("paul").get(url("detail", shelter_case)).status_code == 200
    assert events("cases.transferred", shelter_case).get().detail["to"] == police_east.pk


def test_transfer_keeps_access_through_a_referral(
    as_user, shelter_case, police_east, shelter_north, legal_clinic_south
):
    from concord.cases.tests.factories import ReferralFactory

    as_user("anna").post(url("transfer", shelter_case), {"organisation": police_east.pk, "confirm": "on"})
    ReferralFactory(
        case=shelter_case, from_organisation=police_east, to_organisation=shelter_north, state="accepted"
    )
    assert as_user("anna").get(url("detail", shelter_case)).status_code == 200


# --- History and viewers --------------------------------------------------------------------------------


def test_history_names_fields_never_identity_values(as_user, shelter_case, anna):
    client = as_user("anna")
    reauthenticate(client, anna)
    data = {"version": 1, "first_name": "Secretname", "birth_date": shelter_case.birth_date}
    client.post(url("identity_edit", shelter_case), data)
    body = client.get(url("history", shelter_case)).content.decode()
    assert "First name" in body or "first name" in body
    assert "Secretname" not in body
    assert "Elira" not in body


def test_viewers_lists_who_opened_the_case(as_user, shelter_case, referral, paul):
    as_user("paul").get(url("detail", shelter_case))
    body = as_user("anna").get(url("viewers", shelter_case)).content.decode()
    assert "Paul Shehu" in body
    assert "Police Unit East" in body


@pytest.mark.parametrize("tab", ["history", "viewers"])
def test_history_and_viewers_are_owner_side_only(as_user, shelter_case, referral, tab):
    assert as_user("paul").get(url(tab, shelter_case)).status_code == 403
    assert as_user("carla").get(url(tab, shelter_case)).status_code == 404


def test_reauthenticating_through_allauth_returns_to_the_identity_tab(as_user, shelter_case):
    from concord.accounts.tests.conftest import PASSWORD

    client = as_user("anna")
    target = url("identity", shelter_case)
    response = client.post(f"{reverse('account_reauthenticate')}?next={target}", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == target
    assert "Elira" in client.get(target).content.decode()
