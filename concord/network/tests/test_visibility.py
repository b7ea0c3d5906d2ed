from concord.network.models import ContactPerson, CooperationGroup, Organisation
from concord.network.tests.factories import ContactPersonFactory


def test_user_of_no_organisation_sees_no_organisation(dora, shelter_north):
    assert not Organisation.objects.visible_to(dora).exists()


def test_registry_entries_are_public_to_the_network(carla, shelter_north, police_east):
    visible = set(Organisation.objects.visible_to(carla))
    assert {shelter_north, police_east} <= visible


def test_internal_notes_only_for_own_organisation(anna, carla, shelter_north):
    assert shelter_north in Organisation.objects.internal_to(anna)
    assert shelter_north not in Organisation.objects.internal_to(carla)


def test_network_admin_reads_every_organisations_internal_notes(nadia, shelter_north, legal_clinic_south):
    assert {shelter_north, legal_clinic_south} <= set(Organisation.objects.internal_to(nadia))


def test_contact_without_consent_is_seen_only_inside_its_organisation(anna, ben, shelter_north):
    private = ContactPersonFactory(organisation=shelter_north, shared_with_network=False)
    shared = ContactPersonFactory(organisation=shelter_north, shared_with_network=True)
    assert set(ContactPerson.objects.visible_to(anna)) == {private, shared}
    assert set(ContactPerson.objects.visible_to(ben)) == {shared}


def test_contacts_hidden_from_user_of_no_organisation(dora, shelter_north):
    ContactPersonFactory(organisation=shelter_north, shared_with_network=True)
    assert not ContactPerson.objects.visible_to(dora).exists()


def test_group_work_is_for_members_coordinators_and_admins(
    anna, carla, nikola, nadia, korce_group, vlore_group
):
    assert set(CooperationGroup.objects.worked_in_by(anna)) == {korce_group}
    assert set(CooperationGroup.objects.worked_in_by(carla)) == {vlore_group}
    assert set(CooperationGroup.objects.worked_in_by(nikola)) == {korce_group, vlore_group}
    assert set(CooperationGroup.objects.worked_in_by(nadia)) == {korce_group, vlore_group}


def test_deactivated_user_sees_nothing(anna, shelter_north):
    anna.is_active = False
    anna.save(update_fields=["is_active"])
    assert not Organisation.objects.visible_to(anna).exists()
