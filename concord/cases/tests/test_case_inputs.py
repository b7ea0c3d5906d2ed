"""Odd input (as schemathesis sends it) is a 4xx, never a server error, on the case list and case API."""

# ruff: noqa: F811  (fixtures imported from case_fixtures are parameters of the tests)
import pytest

from concord.cases.tests.case_fixtures import api, shelter_case  # noqa: F401

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    "region=1e400",
    "region=99999999999999999999999",
    "region=NaN",
    "region=-1",
    "page=99999999999999999999",
    "page=-5",
    "code=%00",
    "code=" + "x" * 50,
    "status=zzz",
    "service=x",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_list_queries(api, client, anna, shelter_case, query):
    api.force_login(anna)
    assert api.get(f"/api/cases/?{query}").status_code < 500
    client.force_login(anna)
    assert client.get(f"/cases/?{query}").status_code < 500


@pytest.mark.parametrize(
    "payload",
    [
        {"region": 99999999999999999999999},
        {"age_at_identification": 99999999},
        {"number_of_children": -1},
        {"version": 99999999999999999999, "risk_level": "low"},
        {"identified_on": "0001-01-01"},
        {"reflection_period_starts_on": "9999-12-31", "reflection_period_ends_on": "0001-01-01"},
        {"primary_language": "\x00"},
        {"citizenship": "AL"},
        {"birth_date": "9999-99-99"},
    ],
)
def test_odd_payloads(api, anna, shelter_case, payload):
    api.force_login(anna)
    response = api.patch(f"/api/cases/{shelter_case.code}/", {"version": 1, **payload}, format="json")
    assert response.status_code < 500
    response = api.post("/api/cases/", {"owner": shelter_case.owner_id, **payload}, format="json")
    assert response.status_code < 500
