"""The Korçë group's work, on top of the shared cast (concord/conftest.py).

- meeting:     a Korçë group meeting, with decision no. 1
- task:        a Korçë task for Police Unit East (ben's and vera's organisation)
- clinic_task: a Korçë task for Legal Clinic South, which is not a member of the Korçë group (carla's)
- plan:        a national action plan with one objective and one activity
"""

import pytest
from rest_framework.test import APIClient

from concord.coordination.tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    DecisionFactory,
    MeetingFactory,
    ObjectiveFactory,
    TaskFactory,
)


@pytest.fixture
def meeting(korce_group, olga):
    return MeetingFactory(group=korce_group, created_by=olga, title="Korçë quarterly meeting")


@pytest.fixture
def decision(meeting):
    return DecisionFactory(meeting=meeting, number=1, text="Hold a legal-aid session for returnees.")


@pytest.fixture
def task(korce_group, police_east, olga, decision):
    return TaskFactory(
        group=korce_group,
        assigned_organisation=police_east,
        created_by=olga,
        decision=decision,
        title="Brief border police on indicators",
    )


@pytest.fixture
def clinic_task(korce_group, legal_clinic_south, olga, decision):
    return TaskFactory(
        group=korce_group,
        assigned_organisation=legal_clinic_south,
        created_by=olga,
        decision=decision,
        title="Legal-aid session for returnees",
    )


@pytest.fixture
def plan(albania):
    return ActionPlanFactory(title="National action plan 2025-2027", country=albania)


@pytest.fixture
def objective(plan):
    return ObjectiveFactory(plan=plan, code="P1", pillar="protection")


@pytest.fixture
def activity(objective):
    return ActivityFactory(objective=objective, code="P1.1")


@pytest.fixture
def api_client():
    return APIClient()
