import pytest

from concord.accounts.models import Role
from concord.accounts.tests.factories import MembershipFactory
from concord.network.models import ContactPerson, CooperationGroup, Country, Organisation, Region
from concord.network.tests.factories import ContactPersonFactory


def test_org_admin_administers_only_own_organisation(olga, shelter_north, police_east):
    assert set(Organisation.objects.administered_by(olga)) == {shelter_north}


def test_network_admin_administers_every_organisation(nadia, shelter_north, police_east, legal_clinic_south):
    assert {shelter_north, police_east, legal_clinic_south} <= set(
        Organisation.objects.administered_by(nadia)
    )


@pytest.mark.parametrize("who", ["anna", "ben", "carla", "nikola", "vera", "dora"])
def test_other_roles_administer_no_organisation(request, who, shelter_north):
    assert not Organisation.objects.administered_by(request.getfixturevalue(who)).exists()


def test_ended_admin_membership_administers_nothing(olga, shelter_north):
    olga.memberships.update(is_active=False)
    assert not Organisation.objects.administered_by(olga).exists()


def test_internal_notes_are_annotated_only_where_readable(anna, carla, shelter_north):
    shelter_north.internal_notes = "Back door code changes monthly."
    shelter_north.save(update_fields=["internal_notes"])
    for_anna = Organisation.objects.with_internal_notes_for(anna).get(pk=shelter_north.pk)
    for_carla = Organisation.objects.with_internal_notes_for(carla).get(pk=shelter_north.pk)
    assert for_anna.visible_internal_notes == "Back door code changes monthly."
    assert for_carla.visible_internal_notes is None


def test_contacts_administered_are_those_of_administered_organisations(olga, shelter_north, police_east):
    ours = ContactPersonFactory(organisation=shelter_north)
    ContactPersonFactory(organisation=police_east, shared_with_network=True)
    assert list(ContactPerson.objects.administered_by(olga)) == [ours]


def test_chair_organisations_admin_administers_the_group(korce_group, vlore_group, police_east):
    admin = MembershipFactory(organisation=police_east, role=Role.ORG_ADMIN).user
    assert list(CooperationGroup.objects.administered_by(admin)) == [korce_group]


def test_member_organisations_admin_does_not_administer_the_group(olga, korce_group):
    assert not CooperationGroup.objects.administered_by(olga).exists()


def test_network_admin_administers_every_group(nadia, korce_group, vlore_group):
    assert set(CooperationGroup.objects.administered_by(nadia)) == {korce_group, vlore_group}


def test_jurisdictions_are_shared_with_the_network_only(carla, dora, korce):
    assert korce in Region.objects.visible_to(carla)
    assert Country.objects.visible_to(carla).exists()
    assert not Region.objects.visible_to(dora).exists()
    assert not Country.objects.visible_to(dora).exists()
