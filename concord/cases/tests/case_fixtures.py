"""Fixtures of the case tests (test_case_*.py import them), on top of the shared cast.

- shelter_case: owned by Shelter North (anna manages it; sara is not assigned unless a test assigns her)
- referred_case: shelter_case referred to Police Unit East and accepted (paul reads the shared part)
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from concord.cases.tests.factories import CaseFactory, ReferralFactory


def reauthenticate(client, user) -> None:  # type: ignore[no-untyped-def]
    """What allauth records when someone re-enters their password."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def age_on(birth: str, day: datetime.date) -> int:
    born = datetime.date.fromisoformat(birth)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@pytest.fixture
def shelter_case(shelter_north, anna, korce):
    identified = timezone.localdate() - datetime.timedelta(days=30)
    return CaseFactory(
        owner=shelter_north,
        created_by=anna,
        case_owner=anna,
        region=korce,
        identified_on=identified,
        age_at_identification=age_on("2001-04-12", identified),
    )


@pytest.fixture
def referral(shelter_case, police_east):
    return ReferralFactory(
        case=shelter_case, to_organisation=police_east, state="accepted", share_profile=True
    )


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(client, request):
    def sign_in(name: str):  # type: ignore[no-untyped-def]
        client.force_login(request.getfixturevalue(name))
        return client

    return sign_in
