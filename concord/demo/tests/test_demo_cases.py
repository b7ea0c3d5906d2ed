import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from concord.accounts.models import Membership, Role
from concord.cases.models import Case, Referral, ReferralState, Screening
from concord.common.encryption import blind_index
from concord.demo.people import USERS


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_holds_about_three_hundred_cases(demo):
    assert 280 <= Case.objects.count() <= 330


def test_referrals_occur_in_every_state_some_transnational_overdue_or_without_consent(demo):
    assert set(Referral.objects.values_list("state", flat=True)) == set(ReferralState.values)
    assert Referral.objects.filter(is_transnational=True).exists()
    assert Referral.objects.overdue().exists()
    overrides = Referral.objects.filter(consent__isnull=True)
    assert overrides.exists()
    assert not overrides.filter(consent_override_reason="").exists()
    with_consent = Referral.objects.filter(consent__isnull=False).select_related("consent")
    assert all(referral.consent.recipient_id == referral.to_organisation_id for referral in with_consent)


def test_every_demo_case_manager_and_caseworker_sees_cases(demo):
    handles = [spec.handle for spec in USERS if spec.role in (Role.CASE_MANAGER, Role.CASEWORKER)]
    assert len(handles) >= 4
    for membership in Membership.objects.filter(
        user__email__in=[f"{handle}@demo.concord.example" for handle in handles]
    ).select_related("user"):
        assert Case.objects.visible_to(membership.user).exists(), membership.user.email


def test_only_case_roles_see_cases(demo):
    for membership in Membership.objects.exclude(role__in=[Role.CASE_MANAGER, Role.CASEWORKER]):
        assert not Case.objects.visible_to(membership.user).exists()


def test_identity_fields_are_fake_and_consistent(demo):
    for case in Case.objects.all():
        assert case.first_name
        assert case.second_name
        born = datetime.date.fromisoformat(case.birth_date)
        identified = case.identified_on
        age = identified.year - born.year - ((identified.month, identified.day) < (born.month, born.day))
        assert age == case.age_at_identification
        if case.identity_number:
            assert case.identity_number_bidx == blind_index(case.identity_number, purpose="identity_number")
        assert " 000 " in case.mobile_phone


def test_some_cases_are_closed_and_some_began_with_a_screening(demo):
    assert Case.objects.filter(status="Closed", closed_on__isnull=False).exists()
    assert Screening.objects.filter(case__isnull=False).exists()
    assert Screening.objects.filter(case__isnull=True).exists()


def test_the_cases_are_the_same_on_every_load(demo):
    before = sorted(Case.objects.values_list("code", "owner__email", "age_at_identification"))
    call_command("seed_demo", "--reset", stdout=StringIO())
    assert sorted(Case.objects.values_list("code", "owner__email", "age_at_identification")) == before
