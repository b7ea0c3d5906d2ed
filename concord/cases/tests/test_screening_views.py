"""Screening pages: who may screen and see screenings, what a screening page shows, and opening a case
from a screening only with the person's consent.

Cast: anna (case manager) and sara (caseworker) of Shelter North screen for it; paul (case manager,
Police Unit East) and carla (Legal Clinic South) are outsiders to its screenings; olga (org admin),
nadia, nikola, vera and dora hold no case role.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.cases.models import Case, CaseAssignment, Consent, Screening
from concord.cases.tests import screening_fixtures as fx
from concord.cases.tests.screening_fixtures import ADULT_VICTIM

tools, adults_labour, anna_screening, sara_screening = (
    fx.tools,
    fx.adults_labour,
    fx.anna_screening,
    fx.sara_screening,
)

pytestmark = pytest.mark.django_db

NO_CASE_ROLE = ["olga", "nadia", "nikola", "vera", "alma", "dora"]


def _as(client, request, name):
    client.force_login(request.getfixturevalue(name))
    return client


def _screening_post(**overrides):
    data = {"person_alias": "Drita", "age_estimate": "24", "place": "Port", "notes": ""}
    data.update({f"indicator_{key}": value for key, value in ADULT_VICTIM.items()})
    data.update(overrides)
    return data


CONSENT = {
    "consent_given": "on",
    "consent_method": "written",
    "consent_given_on": "",
    "consent_witness": "",
    "sex": "Female",
}


def _consent(**overrides):
    return {**CONSENT, "consent_given_on": timezone.localdate().isoformat(), **overrides}


# --- The list --------------------------------------------------------------------------------------------


def test_a_case_manager_sees_the_organisations_screenings(client, anna, anna_screening, sara_screening):
    client.force_login(anna)
    response = client.get(reverse("cases:screenings"))
    assert response.status_code == 200
    assert {s.pk for s in response.context["page_obj"]} == {anna_screening.pk, sara_screening.pk}
    assert "Drita" not in response.content.decode()  # aliases are shown on the screening page only


def test_a_caseworker_sees_only_their_own_screenings(client, sara, anna_screening, sara_screening):
    client.force_login(sara)
    response = client.get(reverse("cases:screenings"))
    assert {s.pk for s in response.context["page_obj"]} == {sara_screening.pk}


@pytest.mark.parametrize("name", ["paul", "carla", "milan"])
def test_other_organisations_see_none_of_them(client, request, name, anna_screening, sara_screening):
    response = _as(client, request, name).get(reverse("cases:screenings"))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


@pytest.mark.parametrize("name", NO_CASE_ROLE)
def test_people_without_a_case_role_have_no_screening_list(client, request, name, tools):
    assert _as(client, request, name).get(reverse("cases:screenings")).status_code == 404


# --- One screening ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anna", "sara"])
def test_a_screening_opens_for_its_organisation(client, request, name, sara_screening):
    response = _as(client, request, name).get(sara_screening.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["sara", "paul", "ben", "carla", "milan", *NO_CASE_ROLE])
def test_a_screening_is_404_for_everyone_else(client, request, name, anna_screening):
    assert _as(client, request, name).get(anna_screening.get_absolute_url()).status_code == 404


def test_the_screening_page_shows_answers_profile_suggestion_reasons_and_who_decides(
    client, anna, anna_screening
):
    client.force_login(anna)
    page = client.get(anna_screening.get_absolute_url()).content.decode()
    assert "Possible victim: refer for identification" in page
    assert "The rule is met" in page  # the reasons
    assert "Coercion at destination is present" in page  # the profile
    assert "Debt bondage: a debt that grows or cannot be paid off" in page  # the answers
    assert "decided by the competent authority" in page
    assert "Drita" in page
    assert AuditEvent.objects.filter(
        action="cases.screening_viewed", actor=anna, target_id=str(anna_screening.pk)
    ).exists()


def test_a_child_screened_with_the_adult_list_gets_a_warning(client, anna, sara_screening):
    client.force_login(anna)
    page = client.get(sara_screening.get_absolute_url()).content.decode()
    assert "list applies, for which the means" in page


# --- New screening ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anna", "sara"])
def test_case_managers_and_caseworkers_record_a_screening(
    client, request, name, adults_labour, shelter_north
):
    client = _as(client, request, name)
    url = reverse("cases:screening_new", args=["adults-labour"])
    form = client.get(url)
    assert form.status_code == 200
    assert "Coercion at destination" in form.content.decode()
    response = client.post(url, _screening_post())
    screening = Screening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == screening.get_absolute_url()
    assert screening.tool == adults_labour
    assert screening.organisation == shelter_north
    assert screening.screened_by.email.startswith(name)
    assert screening.suggestion == Screening.Suggestion.POSSIBLE_VICTIM
    assert screening.answers["cd_debt"] == "yes"
    assert screening.answers["vd_family"] == "unknown"
    assert screening.profile["dimensions"]["coercion_at_destination"]["positive"] is True
    assert screening.case is None
    event = AuditEvent.objects.get(action="cases.screening_recorded")
    assert event.detail == {"tool": "adults-labour", "version": 1, "suggestion": "possible_victim"}
    assert "Drita" not in str(event.detail)


@pytest.mark.parametrize("name", NO_CASE_ROLE)
def test_people_without_a_case_role_may_not_screen(client, request, name, adults_labour):
    client = _as(client, request, name)
    url = reverse("cases:screening_new", args=["adults-labour"])
    assert client.get(url).status_code == 403
    assert client.post(url, _screening_post()).status_code == 403
    assert not Screening.objects.exists()


def test_an_unknown_tool_is_404(client, anna, tools):
    client.force_login(anna)
    assert client.get(reverse("cases:screening_new", args=["no-such-tool"])).status_code == 404


def test_bad_input_keeps_the_form_and_saves_nothing(client, anna, adults_labour):
    client.force_login(anna)
    url = reverse("cases:screening_new", args=["adults-labour"])
    response = client.post(url, _screening_post(age_estimate="200", indicator_dr_job="perhaps"))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"age_estimate", "indicator_dr_job"}
    assert 'value="Drita"' in response.content.decode()
    assert not Screening.objects.exists()


def test_a_screener_cannot_screen_for_another_organisation(client, anna, adults_labour, police_east):
    client.force_login(anna)
    url = reverse("cases:screening_new", args=["adults-labour"])
    response = client.post(url, _screening_post(organisation=police_east.pk))
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not Screening.objects.exists()


# --- Opening a case --------------------------------------------------------------------------------------


def test_a_case_manager_opens_a_case_with_consent(client, anna, anna_screening, shelter_north):
    client.force_login(anna)
    url = reverse("cases:screening_open_case", args=[anna_screening.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _consent())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"code": case.code})
    assert case.owner == shelter_north
    assert case.case_owner == anna
    assert case.trafficking_status == "PossibleVictimOfTrafficking"
    assert (case.sex, case.age_at_identification) == ("Female", 24)
    consent = Consent.objects.get()
    assert (consent.case, consent.purpose, consent.method) == (case, "assistance", "written")
    anna_screening.refresh_from_db()
    assert anna_screening.case == case
    assert not CaseAssignment.objects.exists()
    event = AuditEvent.objects.get(action="cases.case_opened_from_screening")
    assert event.detail == {"screening": anna_screening.pk, "consent": consent.pk, "assigned_screener": False}


def test_a_caseworker_opening_a_case_is_assigned_to_it(client, sara, sara_screening):
    client.force_login(sara)
    url = reverse("cases:screening_open_case", args=[sara_screening.pk])
    response = client.post(url, _consent(consent_method="oral_witnessed", consent_witness="Mira K."))
    case = Case.objects.get()
    assert response.status_code == 302
    assert CaseAssignment.objects.get().user == sara
    assert case.case_owner is None
    assert Case.objects.visible_to(sara).filter(pk=case.pk).exists()
    assert Consent.objects.get().witness == "Mira K."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent_given": ""}, "consent_given"),
        ({"consent_method": ""}, "consent_method"),
        ({"consent_given_on": ""}, "consent_given_on"),
        ({"consent_method": "oral_witnessed", "consent_witness": " "}, "consent_witness"),
        ({"consent_method": "guardian"}, "consent_witness"),
        (
            {"consent_given_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "consent_given_on",
        ),
    ],
)
def test_without_a_complete_consent_nothing_is_created(client, anna, anna_screening, change, field):
    client.force_login(anna)
    url = reverse("cases:screening_open_case", args=[anna_screening.pk])
    data = _consent()
    data.update(change)
    if data["consent_given"] == "":
        del data["consent_given"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Case.objects.exists()
    assert not Consent.objects.exists()
    anna_screening.refresh_from_db()
    assert anna_screening.case is None
    assert not AuditEvent.objects.filter(action="cases.case_opened_from_screening").exists()


def test_the_service_refuses_without_consent_too(anna, anna_screening):
    from django.core.exceptions import ValidationError

    from concord.cases.services.screening import open_case_from_screening

    with pytest.raises(ValidationError):
        open_case_from_screening(screening=anna_screening, by=anna, consent_method="", consent_given_on=None)
    assert not Case.objects.exists()


def test_a_caseworker_cannot_open_a_case_from_someone_elses_screening(client, sara, anna_screening):
    client.force_login(sara)
    url = reverse("cases:screening_open_case", args=[anna_screening.pk])
    assert client.post(url, _consent()).status_code == 404  # she does not see it
    assert not Case.objects.exists()


@pytest.mark.parametrize("name", ["paul", "carla", "olga", "dora"])
def test_outsiders_cannot_open_a_case(client, request, name, anna_screening):
    url = reverse("cases:screening_open_case", args=[anna_screening.pk])
    assert _as(client, request, name).post(url, _consent()).status_code == 404
    assert not Case.objects.exists()


def test_a_screening_becomes_a_case_only_once(client, anna, anna_screening):
    client.force_login(anna)
    url = reverse("cases:screening_open_case", args=[anna_screening.pk])
    client.post(url, _consent())
    response = client.post(url, _consent())
    assert response.status_code == 302
    assert response["Location"] == anna_screening.get_absolute_url()
    assert Case.objects.count() == 1


def test_someone_screening_for_two_organisations_chooses_one(client, anna, police_east, adults_labour):
    from concord.accounts.models import Role
    from concord.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=anna, organisation=police_east, role=Role.CASEWORKER)
    client.force_login(anna)
    url = reverse("cases:screening_new", args=["adults-labour"])
    assert "Police Unit East" in client.get(url).content.decode()
    assert "organisation" in client.post(url, _screening_post()).context["form"].errors
    response = client.post(url, _screening_post(organisation=police_east.pk))
    assert response.status_code == 302
    assert Screening.objects.get().organisation == police_east
