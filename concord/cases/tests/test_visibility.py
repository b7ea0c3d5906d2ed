"""The need-to-know rule, stated case by case with the shared cast (cases/querysets.py)."""

import pytest
from django.utils import timezone

from concord.cases.access import case_access
from concord.cases.models import Case, Referral
from concord.cases.tests.factories import CaseAssignmentFactory, CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_case(police_east, paul):
    return CaseFactory(owner=police_east, created_by=paul)


def visible(user, case) -> bool:
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def test_case_managers_see_their_organisations_cases(police_case, paul, anna):
    assert visible(paul, police_case)
    assert not visible(anna, police_case)


def test_caseworkers_see_only_cases_assigned_to_them(police_case, ben, paul):
    assert not visible(ben, police_case)
    CaseAssignmentFactory(case=police_case, user=ben, organisation=police_case.owner, assigned_by=paul)
    assert visible(ben, police_case)
    assert case_access(ben, police_case).owner_side


def test_an_ended_assignment_ends_access(police_case, ben, paul):
    assignment = CaseAssignmentFactory(
        case=police_case, user=ben, organisation=police_case.owner, assigned_by=paul
    )
    assignment.ended_at = timezone.now()
    assignment.save()
    assert not visible(ben, police_case)


@pytest.mark.parametrize("role_holder", ["olga", "nadia", "nikola", "vera", "dora", "alma", "carla"])
def test_other_roles_see_no_case(police_case, role_holder, request):
    assert not visible(request.getfixturevalue(role_holder), police_case)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", False),
        ("sent", False),
        ("accepted", True),
        ("in_progress", True),
        ("completed", True),
        ("declined", False),
        ("revoked", False),
        ("given_up", False),
    ],
)
def test_receiving_case_managers_see_the_case_only_while_the_referral_gives_a_reason(
    police_case, shelter_north, anna, sara, state, expected
):
    ReferralFactory(case=police_case, to_organisation=shelter_north, state=state)
    assert visible(anna, police_case) is expected
    # A caseworker of the receiver needs an assignment as well.
    assert not visible(sara, police_case)


def test_receivers_see_only_the_sections_shared(police_case, shelter_north, anna):
    ReferralFactory(case=police_case, to_organisation=shelter_north, state="accepted", share_events=True)
    access = case_access(anna, police_case)
    assert not access.owner_side
    assert access.sees("events")
    assert not access.sees_identity


def test_withdrawn_consent_stops_the_sharing(police_case, shelter_north, anna):
    referral = ReferralFactory(case=police_case, to_organisation=shelter_north, state="accepted")
    referral.consent.withdrawn_on = timezone.localdate()
    referral.consent.save()
    assert not visible(anna, police_case)


def test_a_pending_referral_shows_the_receiver_the_card_not_the_case(police_case, shelter_north, anna):
    referral = ReferralFactory(case=police_case, to_organisation=shelter_north, state="sent")
    assert Referral.objects.visible_to(anna).filter(pk=referral.pk).exists()
    assert not visible(anna, police_case)


def test_coordinators_see_transnational_cards_of_their_country_only(
    police_case, shelter_belgrade, nikola, sonja
):
    referral = ReferralFactory(
        case=police_case, to_organisation=shelter_belgrade, state="sent", is_transnational=True
    )
    assert Referral.objects.visible_to(nikola).filter(pk=referral.pk).exists()
    assert Referral.objects.visible_to(sonja).filter(pk=referral.pk).exists()
    assert not visible(nikola, police_case)
    assert not visible(sonja, police_case)
