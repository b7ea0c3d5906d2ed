"""Fixtures shared by the screening tests (imported by test_screening_*.py)."""

import pytest
from rest_framework.test import APIClient

from concord.cases.models import ScreeningTool
from concord.cases.services.screening import load_screening_tools, record_screening

# Enough "yes" answers for a possible victim on the adults-labour list (see test_screening_scoring.py).
ADULT_VICTIM = {
    "dr_job": "yes",
    "dr_wages": "yes",
    "ec_hours": "yes",
    "ec_salary": "yes",
    "cd_debt": "yes",
    "cd_documents": "yes",
}


@pytest.fixture
def tools(db):
    load_screening_tools()
    return {tool.slug: tool for tool in ScreeningTool.objects.filter(is_current=True)}


@pytest.fixture
def adults_labour(tools):
    return tools["adults-labour"]


@pytest.fixture
def anna_screening(anna, shelter_north, adults_labour):
    """A screening anna (case manager, Shelter North) made: a possible victim."""
    return record_screening(
        by=anna,
        organisation=shelter_north,
        tool=adults_labour,
        answers=ADULT_VICTIM,
        person_alias="Drita",
        place="Bus station",
        age_estimate=24,
    )


@pytest.fixture
def sara_screening(sara, shelter_north, adults_labour):
    """A screening sara (caseworker, Shelter North) made."""
    return record_screening(
        by=sara, organisation=shelter_north, tool=adults_labour, answers={}, age_estimate=16
    )


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def as_user(api_client, request):
    def sign_in(name):
        api_client.force_login(request.getfixturevalue(name))
        return api_client

    return sign_in
