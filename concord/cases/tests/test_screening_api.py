"""Screening endpoints: current tools with their definitions; screenings scoped like the pages, answers
checked against the tool, profile and suggestion computed by the server."""

import pytest

from concord.audit.models import AuditEvent
from concord.cases.models import Screening, ScreeningTool
from concord.cases.tests import screening_fixtures as fx
from concord.cases.tests.screening_fixtures import ADULT_VICTIM

tools, adults_labour, anna_screening, sara_screening = (
    fx.tools,
    fx.adults_labour,
    fx.anna_screening,
    fx.sara_screening,
)
api_client, as_user = fx.api_client, fx.as_user

pytestmark = pytest.mark.django_db


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Tools -----------------------------------------------------------------------------------------------


def test_tools_lists_current_versions_with_definitions(as_user, tools):
    ScreeningTool.objects.filter(slug="first-contact").update(is_current=False)
    response = as_user("vera").get("/api/screening-tools/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["slug"] for row in rows} == set(tools) - {"first-contact"}
    adults = next(row for row in rows if row["slug"] == "adults-labour")
    assert adults["version"] == 1
    assert {"dimensions", "indicators", "rule"} <= set(adults["definition"])


def test_one_tool_by_slug_and_no_writes(as_user, tools):
    client = as_user("anna")
    assert client.get("/api/screening-tools/children-sexual/").json()["population"] == "child"
    assert client.post("/api/screening-tools/", {}, format="json").status_code == 405


def test_anonymous_callers_are_refused(api_client, tools):
    assert api_client.get("/api/screening-tools/").status_code in {401, 403}
    assert api_client.get("/api/screenings/").status_code in {401, 403}


# --- Reading screenings ----------------------------------------------------------------------------------


def test_screenings_are_scoped_like_the_pages(as_user, anna_screening, sara_screening):
    assert _ids(as_user("anna").get("/api/screenings/")) == {anna_screening.pk, sara_screening.pk}
    assert _ids(as_user("sara").get("/api/screenings/")) == {sara_screening.pk}
    for name in ["paul", "carla", "olga", "nikola", "dora"]:
        client = as_user(name)
        assert _ids(client.get("/api/screenings/")) == set()
        assert client.get(f"/api/screenings/{anna_screening.pk}/").status_code == 404


def test_the_list_leaves_out_the_alias_which_one_screening_shows_and_audits(as_user, anna, anna_screening):
    client = as_user("anna")
    (row,) = [r for r in client.get("/api/screenings/").json()["results"] if r["id"] == anna_screening.pk]
    assert "person_alias" not in row
    assert not AuditEvent.objects.filter(action="cases.screening_viewed").exists()
    one = client.get(f"/api/screenings/{anna_screening.pk}/").json()
    assert one["person_alias"] == "Drita"
    assert one["suggestion"] == "possible_victim"
    assert one["tool"] == "adults-labour"
    assert one["tool_version"] == 1
    assert one["reasons"][0].startswith("The rule is met")
    assert one["profile"]["dimensions"]["exploitative_conditions"]["positive"] is True
    assert AuditEvent.objects.filter(action="cases.screening_viewed", actor=anna).count() == 1


# --- Recording screenings --------------------------------------------------------------------------------


def test_a_caseworker_records_a_screening(as_user, sara, shelter_north, adults_labour):
    response = as_user("sara").post(
        "/api/screenings/",
        {"tool": "adults-labour", "answers": ADULT_VICTIM, "age_estimate": 30, "interpreter_used": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    screening = Screening.objects.get(pk=body["id"])
    assert (screening.screened_by, screening.organisation) == (sara, shelter_north)
    assert body["suggestion"] == screening.suggestion == "possible_victim"
    assert screening.answers["vd_family"] == "unknown"
    assert screening.interpreter_used
    assert AuditEvent.objects.filter(action="cases.screening_recorded", actor=sara).exists()


def test_profile_and_suggestion_are_computed_not_taken(as_user, adults_labour):
    response = as_user("anna").post(
        "/api/screenings/",
        {
            "tool": "adults-labour",
            "answers": {key: "no" for key in ADULT_VICTIM},
            "suggestion": "possible_victim",
            "profile": {"forged": True},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    screening = Screening.objects.get()
    assert screening.suggestion != "possible_victim"
    assert "forged" not in screening.profile


def test_unknown_indicator_ids_are_a_400_that_names_them(as_user, adults_labour):
    response = as_user("anna").post(
        "/api/screenings/",
        {"tool": "adults-labour", "answers": {"dr_job": "yes", "made_up": "yes", "fc_debt": "no"}},
        format="json",
    )
    assert response.status_code == 400
    message = " ".join(response.json()["answers"])
    assert "fc_debt, made_up" in message
    assert "adults-labour" in message
    assert not Screening.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"tool": "adults-labour", "answers": {"dr_job": "maybe"}},
        {"tool": "adults-labour", "answers": ["dr_job"]},
        {"tool": "no-such-tool", "answers": {}},
        {"tool": "adults-labour", "answers": {}, "age_estimate": 500},
        {"answers": {}},
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(as_user, adults_labour, payload):
    assert as_user("anna").post("/api/screenings/", payload, format="json").status_code == 400
    assert not Screening.objects.exists()


def test_a_replaced_tool_version_cannot_be_used_for_new_screenings(as_user, adults_labour):
    ScreeningTool.objects.filter(pk=adults_labour.pk).update(is_current=False)
    response = as_user("anna").post(
        "/api/screenings/", {"tool": "adults-labour", "answers": {}}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["olga", "nadia", "nikola", "vera", "dora"])
def test_people_without_a_case_role_may_not_record(as_user, name, adults_labour):
    response = as_user(name).post(
        "/api/screenings/", {"tool": "adults-labour", "answers": ADULT_VICTIM}, format="json"
    )
    assert response.status_code == 403
    assert not Screening.objects.exists()


def test_a_screener_cannot_name_another_organisation(as_user, adults_labour, police_east):
    response = as_user("anna").post(
        "/api/screenings/",
        {"tool": "adults-labour", "answers": {}, "organisation": police_east.pk},
        format="json",
    )
    assert response.status_code == 400
    assert not Screening.objects.exists()


def test_screenings_cannot_be_changed_or_deleted(as_user, anna_screening):
    client = as_user("anna")
    url = f"/api/screenings/{anna_screening.pk}/"
    assert client.patch(url, {"answers": {}}, format="json").status_code == 405
    assert client.delete(url).status_code == 405


def test_someone_screening_for_two_organisations_must_name_one(as_user, anna, police_east, adults_labour):
    from concord.accounts.models import Role
    from concord.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=anna, organisation=police_east, role=Role.CASEWORKER)
    client = as_user("anna")
    payload = {"tool": "adults-labour", "answers": {}}
    response = client.post("/api/screenings/", payload, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    response = client.post("/api/screenings/", {**payload, "organisation": police_east.pk}, format="json")
    assert response.status_code == 201
    assert Screening.objects.get().organisation == police_east
