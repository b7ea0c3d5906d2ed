"""cases/listing.py asks the visibility rule part by part: its pages must hold exactly what
`Case.objects.visible_to` holds, newest first, whoever asks."""

import pytest
from django.utils import timezone

from concord.cases.listing import case_page
from concord.cases.models import Case
from concord.cases.tests.factories import CaseAssignmentFactory, CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(shelter_north, police_east, legal_clinic_south, anna, paul, ben, sara):
    shelter = [
        CaseFactory(owner=shelter_north, created_by=anna, status=s) for s in ("Active", "Closed", "FollowUp")
    ]
    police = [CaseFactory(owner=police_east, created_by=paul) for _ in range(4)]
    CaseAssignmentFactory(case=police[0], user=ben, organisation=police_east, assigned_by=paul)
    CaseAssignmentFactory(case=shelter[0], user=sara, organisation=shelter_north, assigned_by=anna)
    ReferralFactory(case=police[1], to_organisation=shelter_north, state="accepted")
    ReferralFactory(case=police[2], to_organisation=shelter_north, state="sent")
    withdrawn = ReferralFactory(case=police[3], to_organisation=shelter_north, state="accepted")
    withdrawn.consent.withdrawn_on = timezone.localdate()
    withdrawn.consent.save()
    referred_to_police = ReferralFactory(case=shelter[1], to_organisation=police_east, state="in_progress")
    CaseAssignmentFactory(case=shelter[1], user=ben, organisation=police_east, assigned_by=paul)
    CaseFactory(owner=legal_clinic_south, created_by=anna)
    return referred_to_police


def all_pages(user, size):
    codes, number = [], 1
    while True:
        page = case_page(user, number=number, size=size)
        codes.extend(case.code for case in page)
        if not page.has_next:
            return codes
        number += 1


@pytest.mark.parametrize("name", ["anna", "sara", "paul", "ben", "carla", "vera", "nadia", "dora"])
@pytest.mark.parametrize("size", [1, 2, 50])
def test_pages_hold_exactly_the_visible_cases_newest_first(network, request, name, size):
    user = request.getfixturevalue(name)
    expected = list(
        Case.objects.visible_to(user).order_by("-created_at", "-pk").values_list("code", flat=True)
    )
    assert all_pages(user, size) == expected


def test_filters_apply_to_every_part(network, anna):
    page = case_page(anna, number=1, size=50, filters=lambda cases: cases.filter(status="Closed"))
    assert {case.status for case in page} == {"Closed"}
    assert len(page) == 1
