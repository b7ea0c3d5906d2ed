"""Fixtures of the referral and consent tests (import them by name into a test module).

Shelter North (anna, case manager; sara, caseworker) owns `case`; Police Unit East (paul, case manager;
ben, caseworker) is the usual receiver; Shelter Belgrade (milan) is across the border in Serbia.
"""

import pytest

from concord.cases.models import Consent
from concord.cases.services import referrals as services
from concord.cases.tests.factories import CaseFactory, ConsentFactory

# The identity values CaseFactory writes; none of them may reach a receiver before acceptance.
IDENTITY_VALUES = ["Elira", "Kola", "2001-04-12", "I01234567A", "+355 69 000 0000"]
DETAILS = "Bring her to the Tuesday appointment"


@pytest.fixture
def case(shelter_north, korce, anna):
    return CaseFactory(owner=shelter_north, region=korce, created_by=anna)


@pytest.fixture
def consent(case, police_east, anna):
    return ConsentFactory(case=case, recipient=police_east, organisation=case.owner, recorded_by=anna)


@pytest.fixture
def draft(case, consent, police_east, anna, paul, ben):
    return services.create_referral(
        case=case,
        by=anna,
        to_organisation=police_east,
        services=["shelter", "legal_aid"],
        urgency="urgent",
        language="sq",
        details=DETAILS,
        consent=consent,
    )


@pytest.fixture
def sent(draft, anna):
    return services.transition(referral=draft, action="send", by=anna)


@pytest.fixture
def accepted(sent, paul):
    return services.transition(referral=sent, action="accept", by=paul)


@pytest.fixture
def belgrade_consent(case, shelter_belgrade, anna):
    return ConsentFactory(case=case, recipient=shelter_belgrade, organisation=case.owner, recorded_by=anna)


@pytest.fixture
def transnational(case, belgrade_consent, shelter_belgrade, anna, milan, nikola, sonja):
    referral = services.create_referral(
        case=case,
        by=anna,
        to_organisation=shelter_belgrade,
        services=["return"],
        details=DETAILS,
        consent=belgrade_consent,
    )
    return services.transition(referral=referral, action="send", by=anna)


__all__ = [
    "Consent",
    "accepted",
    "belgrade_consent",
    "case",
    "consent",
    "draft",
    "sent",
    "transnational",
]
