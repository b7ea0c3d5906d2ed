import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.audit.models import AuditEvent
from concord.common.concurrency import StaleVersionError
from concord.network import services
from concord.network.models import (
    ContactPerson,
    CooperationGroup,
    GroupMembership,
    Organisation,
    OrgType,
    Sector,
    ServiceKind,
)
from concord.network.services import ServiceOffer
from concord.network.tests.factories import OrganisationServiceFactory


def _events(action, target):
    return AuditEvent.objects.for_target(target).filter(action=action)


# --- Organisations ---------------------------------------------------------------------------------------


def _new_organisation_fields(albania, vlore):
    return {
        "name": "Vlorë Women's Shelter",
        "org_type": OrgType.NGO,
        "sector": Sector.SHELTER,
        "country": albania,
        "region": vlore,
        "email": "office@vlore-shelter.example",
        "languages": ["sq", "en"],
    }


def test_network_admin_adds_an_organisation_with_services_and_areas(nadia, albania, vlore, korce):
    organisation = services.create_organisation(
        by=nadia,
        fields=_new_organisation_fields(albania, vlore),
        areas_covered=[korce],
        services=[ServiceOffer(kind=ServiceKind.SHELTER, capacity=12)],
    )
    assert organisation.region == vlore
    assert list(organisation.areas_covered.all()) == [korce]
    assert [(s.kind, s.capacity) for s in organisation.services.all()] == [(ServiceKind.SHELTER, 12)]
    event = _events("network.organisation_created", organisation).get()
    assert event.actor == nadia
    assert event.detail == {"services": ["shelter"]}


@pytest.mark.parametrize("who", ["olga", "anna", "carla", "dora"])
def test_only_network_admins_add_organisations(request, who, albania, vlore):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.create_organisation(by=user, fields=_new_organisation_fields(albania, vlore))
    assert not Organisation.objects.filter(name="Vlorë Women's Shelter").exists()
    assert not AuditEvent.objects.filter(action="network.organisation_created").exists()


def test_adding_an_organisation_with_a_region_of_another_country_is_refused(nadia, albania, vlore):
    from concord.network.tests.factories import CountryFactory, RegionFactory

    pristina = RegionFactory(country=CountryFactory(code="XK", name="Kosovo"), name="Prishtinë")
    fields = {**_new_organisation_fields(albania, vlore), "region": pristina}
    with pytest.raises(ValidationError) as refused:
        services.create_organisation(by=nadia, fields=fields)
    assert "region" in refused.value.message_dict


def test_org_admin_edits_own_organisation_and_the_change_is_audited(olga, shelter_north):
    services.update_organisation(
        organisation=shelter_north,
        by=olga,
        version=1,
        fields={"phone": "+355 82 000 111", "is_active": False},
    )
    shelter_north.refresh_from_db()
    assert (shelter_north.phone, shelter_north.is_active, shelter_north.version) == (
        "+355 82 000 111",
        False,
        2,
    )
    event = _events("network.organisation_updated", shelter_north).get()
    assert event.actor == olga
    assert event.detail == {"changed": ["is_active", "phone"], "is_active": False}


def test_network_admin_edits_any_organisation(nadia, legal_clinic_south):
    services.update_organisation(
        organisation=legal_clinic_south, by=nadia, version=1, fields={"short_name": "LCS"}
    )
    legal_clinic_south.refresh_from_db()
    assert legal_clinic_south.short_name == "LCS"


@pytest.mark.parametrize("who", ["anna", "carla", "ben", "nikola", "dora"])
def test_others_cannot_edit_an_organisation(request, who, shelter_north, olga):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.update_organisation(organisation=shelter_north, by=user, version=1, fields={"phone": "1"})
    shelter_north.refresh_from_db()
    assert shelter_north.phone == ""
    assert not _events("network.organisation_updated", shelter_north).exists()


def test_org_admin_cannot_edit_another_organisation(olga, police_east):
    with pytest.raises(PermissionDenied):
        services.update_organisation(organisation=police_east, by=olga, version=1, fields={"phone": "1"})


def test_stale_version_is_refused_and_nothing_is_saved(olga, nadia, shelter_north):
    services.update_organisation(organisation=shelter_north, by=nadia, version=1, fields={"phone": "first"})
    stale = Organisation.objects.get(pk=shelter_north.pk)
    with pytest.raises(StaleVersionError):
        services.update_organisation(organisation=stale, by=olga, version=1, fields={"phone": "second"})
    shelter_north.refresh_from_db()
    assert (shelter_north.phone, shelter_north.version) == ("first", 2)
    assert _events("network.organisation_updated", shelter_north).count() == 1


def test_missing_version_counts_as_stale(olga, shelter_north):
    with pytest.raises(StaleVersionError):
        services.update_organisation(organisation=shelter_north, by=olga, version=None, fields={"phone": "1"})


def test_services_offered_are_replaced_as_given(olga, shelter_north):
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.SHELTER, capacity=10)
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.HOTLINE)
    services.update_organisation(
        organisation=shelter_north,
        by=olga,
        version=1,
        fields={},
        services=[
            ServiceOffer(kind=ServiceKind.SHELTER, capacity=14),
            ServiceOffer(kind=ServiceKind.PSYCHOSOCIAL, description="Group sessions"),
        ],
    )
    offered = {s.kind: (s.capacity, s.description) for s in shelter_north.services.all()}
    assert offered == {"shelter": (14, ""), "psychosocial": (None, "Group sessions")}
    assert _events("network.organisation_updated", shelter_north).get().detail == {"changed": ["services"]}


def test_areas_covered_are_recorded_as_a_change(olga, shelter_north, vlore):
    services.update_organisation(
        organisation=shelter_north, by=olga, version=1, fields={}, areas_covered=[vlore]
    )
    assert list(shelter_north.areas_covered.all()) == [vlore]
    assert _events("network.organisation_updated", shelter_north).get().detail == {
        "changed": ["areas_covered"]
    }


def test_the_same_service_twice_is_refused(olga, shelter_north):
    with pytest.raises(ValidationError):
        services.update_organisation(
            organisation=shelter_north,
            by=olga,
            version=1,
            fields={},
            services=[ServiceOffer(kind=ServiceKind.SHELTER), ServiceOffer(kind=ServiceKind.SHELTER)],
        )


def test_fields_outside_the_registry_entry_cannot_be_set(olga, shelter_north):
    with pytest.raises(ValueError, match="version"):
        services.update_organisation(organisation=shelter_north, by=olga, version=1, fields={"version": 9})


# --- Contact people --------------------------------------------------------------------------------------


def test_org_admin_adds_a_contact_with_consent_recorded_by_the_service(olga, shelter_north):
    contact = services.create_contact(
        organisation=shelter_north,
        by=olga,
        fields={"full_name": "Mira Gjoni", "position": "Social worker"},
        shared_with_network=True,
    )
    assert contact.shared_with_network
    assert contact.consent_recorded_by == olga
    assert contact.consent_recorded_at is not None
    assert _events("network.contact_created", contact).get().organisation == shelter_north
    assert _events("network.contact_consent_changed", contact).get().detail == {"shared_with_network": True}


def test_contact_without_consent_records_no_consent(olga, shelter_north):
    contact = services.create_contact(organisation=shelter_north, by=olga, fields={"full_name": "Mira Gjoni"})
    assert not contact.shared_with_network
    assert contact.consent_recorded_at is None
    assert contact.consent_recorded_by is None
    assert not _events("network.contact_consent_changed", contact).exists()


@pytest.mark.parametrize("who", ["anna", "carla", "ben", "dora"])
def test_only_administrators_add_contacts(request, who, shelter_north):
    with pytest.raises(PermissionDenied):
        services.create_contact(
            organisation=shelter_north, by=request.getfixturevalue(who), fields={"full_name": "X"}
        )
    assert not ContactPerson.objects.exists()


def test_withdrawing_consent_hides_the_person_from_other_organisations(olga, ben, shared_contact):
    assert shared_contact in ContactPerson.objects.visible_to(ben)
    services.update_contact(contact=shared_contact, by=olga, version=1, fields={}, shared_with_network=False)
    shared_contact.refresh_from_db()
    assert not shared_contact.shared_with_network
    assert shared_contact.consent_recorded_at is None
    assert shared_contact not in ContactPerson.objects.visible_to(ben)
    event = _events("network.contact_consent_changed", shared_contact).get()
    assert (event.actor, event.detail) == (olga, {"shared_with_network": False})


def test_giving_consent_later_records_who_and_when(nadia, private_contact):
    services.update_contact(contact=private_contact, by=nadia, version=1, fields={}, shared_with_network=True)
    private_contact.refresh_from_db()
    assert private_contact.shared_with_network
    assert private_contact.consent_recorded_by == nadia


def test_editing_a_contact_keeping_consent_writes_no_consent_event(olga, shared_contact):
    services.update_contact(
        contact=shared_contact, by=olga, version=1, fields={"position": "Director"}, shared_with_network=True
    )
    assert _events("network.contact_updated", shared_contact).get().detail == {"changed": ["position"]}
    assert not _events("network.contact_consent_changed", shared_contact).exists()


def test_contact_edit_with_stale_version_is_refused(olga, shared_contact):
    services.update_contact(contact=shared_contact, by=olga, version=1, fields={"phone": "1"})
    with pytest.raises(StaleVersionError):
        services.update_contact(contact=shared_contact, by=olga, version=1, fields={"phone": "2"})


def test_org_admin_cannot_edit_another_organisations_contact(olga, police_east):
    contact = services.create_contact(
        organisation=police_east, by=_network_admin(police_east), fields={"full_name": "Officer Dritan"}
    )
    with pytest.raises(PermissionDenied):
        services.update_contact(contact=contact, by=olga, version=1, fields={"phone": "1"})


def _network_admin(organisation):
    from concord.accounts.models import Role
    from concord.accounts.tests.factories import MembershipFactory

    return MembershipFactory(organisation=organisation, role=Role.NETWORK_ADMIN, two_factor=False).user


# --- Cooperation groups ----------------------------------------------------------------------------------


def test_network_admin_sets_up_a_group_with_the_chair_as_member(nadia, albania, vlore, legal_clinic_south):
    group = services.create_group(
        by=nadia,
        fields={
            "name": "Vlorë task force",
            "level": "regional",
            "country": albania,
            "region": vlore,
            "chair": legal_clinic_south,
        },
    )
    assert group.current_member_ids() == {legal_clinic_south.pk}
    assert _events("network.group_created", group).get().detail == {"members": [legal_clinic_south.pk]}


def test_regional_group_without_region_is_refused(nadia, albania):
    with pytest.raises(ValidationError) as refused:
        services.create_group(by=nadia, fields={"name": "G", "level": "regional", "country": albania})
    assert "region" in refused.value.message_dict


@pytest.mark.parametrize("who", ["olga", "anna", "nikola", "dora"])
def test_only_network_admins_set_up_groups(request, who, albania):
    with pytest.raises(PermissionDenied):
        services.create_group(
            by=request.getfixturevalue(who), fields={"name": "G", "level": "national", "country": albania}
        )
    assert not CooperationGroup.objects.filter(name="G").exists()


def _police_admin(police_east):
    from concord.accounts.models import Role
    from concord.accounts.tests.factories import MembershipFactory

    return MembershipFactory(organisation=police_east, role=Role.ORG_ADMIN, two_factor=False).user


def test_chair_organisations_admin_edits_the_group(korce_group, police_east):
    admin = _police_admin(police_east)
    services.update_group(
        group=korce_group, by=admin, version=1, fields={"terms_of_reference": "Meet monthly."}
    )
    korce_group.refresh_from_db()
    assert (korce_group.terms_of_reference, korce_group.version) == ("Meet monthly.", 2)
    assert _events("network.group_updated", korce_group).get().detail == {"changed": ["terms_of_reference"]}


def test_member_organisations_admin_cannot_edit_the_group(olga, korce_group):
    with pytest.raises(PermissionDenied):
        services.update_group(group=korce_group, by=olga, version=1, fields={"name": "Mine"})


def test_chair_organisations_admin_cannot_hand_over_the_chair(korce_group, police_east, shelter_north):
    admin = _police_admin(police_east)
    with pytest.raises(PermissionDenied):
        services.update_group(group=korce_group, by=admin, version=1, fields={"chair": shelter_north})


def test_chair_must_be_a_member(nadia, korce_group, legal_clinic_south):
    with pytest.raises(ValidationError) as refused:
        services.update_group(group=korce_group, by=nadia, version=1, fields={"chair": legal_clinic_south})
    assert "chair" in refused.value.message_dict


def test_group_edit_with_stale_version_is_refused(nadia, korce_group):
    services.update_group(group=korce_group, by=nadia, version=1, fields={"name": "First"})
    with pytest.raises(StaleVersionError):
        services.update_group(group=korce_group, by=nadia, version=1, fields={"name": "Second"})


def test_adding_a_member_is_audited(nadia, korce_group, legal_clinic_south):
    membership = services.add_group_member(
        group=korce_group, organisation=legal_clinic_south, by=nadia, joined_at=datetime.date(2025, 3, 1)
    )
    assert membership.joined_at == datetime.date(2025, 3, 1)
    assert legal_clinic_south.pk in korce_group.current_member_ids()
    event = _events("network.group_member_added", korce_group).get()
    assert event.detail == {"organisation": legal_clinic_south.pk, "joined_at": "2025-03-01"}


def test_adding_a_current_member_again_is_refused(nadia, korce_group, shelter_north):
    with pytest.raises(ValidationError):
        services.add_group_member(group=korce_group, organisation=shelter_north, by=nadia)


def test_removing_a_member_ends_the_membership_without_deleting_it(nadia, korce_group, shelter_north):
    services.remove_group_member(group=korce_group, organisation=shelter_north, by=nadia)
    membership = GroupMembership.objects.get(group=korce_group, organisation=shelter_north)
    assert membership.left_at is not None
    assert shelter_north.pk not in korce_group.current_member_ids()
    assert (
        _events("network.group_member_removed", korce_group).get().detail["organisation"] == shelter_north.pk
    )


def test_an_organisation_may_rejoin_after_leaving(nadia, korce_group, shelter_north):
    services.remove_group_member(group=korce_group, organisation=shelter_north, by=nadia)
    services.add_group_member(group=korce_group, organisation=shelter_north, by=nadia)
    assert GroupMembership.objects.filter(group=korce_group, organisation=shelter_north).count() == 2
    assert shelter_north.pk in korce_group.current_member_ids()


def test_the_chair_cannot_leave(nadia, korce_group, police_east):
    with pytest.raises(ValidationError):
        services.remove_group_member(group=korce_group, organisation=police_east, by=nadia)
    assert police_east.pk in korce_group.current_member_ids()


@pytest.mark.parametrize("who", ["olga", "anna", "carla", "dora"])
def test_only_group_administrators_change_members(
    request, who, korce_group, shelter_north, legal_clinic_south
):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.add_group_member(group=korce_group, organisation=legal_clinic_south, by=user)
    with pytest.raises(PermissionDenied):
        services.remove_group_member(group=korce_group, organisation=shelter_north, by=user)
    assert korce_group.current_member_ids() == {shelter_north.pk, korce_group.chair_id}
