import pytest

from concord.accounts.models import Role
from concord.accounts.tests.factories import MembershipFactory
from concord.coordination.models import Task
from concord.coordination.tests.factories import TaskFactory
from concord.network import graph
from concord.network.models import Sector, ServiceKind
from concord.network.selectors import (
    TieKind,
    network_ties,
    reached_by_generic_contact,
    service_coverage,
    tied_organisations,
)
from concord.network.tests.factories import (
    CooperationGroupFactory,
    CountryFactory,
    OrganisationFactory,
    OrganisationServiceFactory,
    RegionFactory,
)


def _pairs(ties):
    return {(tie.first_id, tie.second_id, tie.kind, tie.group.pk, tie.count) for tie in ties}


def test_members_of_a_group_are_tied_once_per_group(
    carla, korce_group, vlore_group, shelter_north, police_east
):
    first, second = sorted([shelter_north.pk, police_east.pk])
    assert _pairs(network_ties(user=carla)) == {(first, second, TieKind.GROUP, korce_group.pk, 1)}


def test_tasks_given_outside_the_group_tie_the_assignee_to_each_member(
    nadia, korce_group, shelter_north, police_east, legal_clinic_south
):
    TaskFactory.create_batch(2, group=korce_group, assigned_organisation=legal_clinic_south)
    TaskFactory(group=korce_group, assigned_organisation=legal_clinic_south, status=Task.Status.DROPPED)
    TaskFactory(group=korce_group, assigned_organisation=shelter_north)  # a member: no extra tie
    task_ties = {t for t in _pairs(network_ties(user=nadia)) if t[2] == TieKind.TASK}
    assert task_ties == {
        (*sorted([legal_clinic_south.pk, shelter_north.pk]), TieKind.TASK, korce_group.pk, 2),
        (*sorted([legal_clinic_south.pk, police_east.pk]), TieKind.TASK, korce_group.pk, 2),
    }


def test_task_ties_only_from_tasks_the_user_may_see(vlore_group, korce_group, legal_clinic_south, vlore):
    outsider_org = OrganisationFactory(name="Vlorë Municipality", region=vlore)
    vlore_group.memberships.create(organisation=outsider_org)
    outsider = MembershipFactory(organisation=outsider_org, role=Role.CASEWORKER).user
    TaskFactory(group=korce_group, assigned_organisation=legal_clinic_south)
    kinds = {tie.kind for tie in network_ties(user=outsider)}
    assert kinds == {TieKind.GROUP}


def test_country_filter_keeps_ties_inside_the_country(
    nadia, korce_group, albania, shelter_north, police_east
):
    kosovo_org = OrganisationFactory(region=RegionFactory(country=CountryFactory(code="XK", name="Kosovo")))
    korce_group.memberships.create(organisation=kosovo_org)
    assert len(network_ties(user=nadia)) == 3
    ties = network_ties(user=nadia, country=albania)
    assert {(t.first_id, t.second_id) for t in ties} == {tuple(sorted([shelter_north.pk, police_east.pk]))}


def test_group_filter_keeps_that_groups_ties_and_draws_all_its_members(nadia, korce_group, vlore_group):
    ties = network_ties(user=nadia, group=vlore_group)
    assert ties == []
    drawn = tied_organisations(user=nadia, ties=ties, group=vlore_group)
    assert [o.name for o in drawn] == ["Legal Clinic South"]


def test_inactive_groups_tie_nobody(nadia, korce_group):
    korce_group.is_active = False
    korce_group.save(update_fields=["is_active"])
    assert network_ties(user=nadia) == []


def test_user_of_no_organisation_sees_no_ties(dora, korce_group):
    assert network_ties(user=dora) == []


def test_drawing_is_deterministic_and_merges_ties_between_the_same_pair(
    nadia, korce_group, shelter_north, police_east
):
    second_group = CooperationGroupFactory(member_organisations=[shelter_north, police_east])
    ties = network_ties(user=nadia)
    organisations = tied_organisations(user=nadia, ties=ties)
    first, again = graph.draw(organisations, ties), graph.draw(list(reversed(organisations)), ties)
    assert {(n.organisation.pk, n.x, n.y) for n in first.nodes} == {
        (n.organisation.pk, n.x, n.y) for n in again.nodes
    }
    assert len(first.edges) == 1
    assert korce_group.name in first.edges[0].title
    assert second_group.name in first.edges[0].title
    assert len(first.rows) == 2
    colours = {n.organisation.pk: n.colour for n in first.nodes}
    assert colours[shelter_north.pk] == graph.SECTOR_COLOURS[Sector.SHELTER]
    assert {label for _, label in first.legend()} == {"Shelter", "Law enforcement"}


def test_organisations_get_distinct_positions(nadia, albania, korce):
    group = CooperationGroupFactory(member_organisations=OrganisationFactory.create_batch(12, region=korce))
    ties = network_ties(user=nadia, group=group)
    drawn = graph.draw(tied_organisations(user=nadia, ties=ties, group=group), ties)
    assert len({(n.x, n.y) for n in drawn.nodes}) == 12
    assert all(0 <= n.x <= drawn.width and 0 <= n.y <= drawn.height for n in drawn.nodes)


# --- Coverage --------------------------------------------------------------------------------------------


@pytest.fixture
def offers(shelter_north, legal_clinic_south, korce):
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.SHELTER)
    OrganisationServiceFactory(organisation=legal_clinic_south, kind=ServiceKind.LEGAL_AID)
    legal_clinic_south.areas_covered.add(korce)


def test_coverage_counts_organisations_based_in_or_covering_a_region(carla, offers, korce, vlore):
    rows = {row.region.name: row for row in service_coverage(user=carla)}
    assert rows["Korçë"].providers == {"shelter": 1, "legal_aid": 1}
    assert rows["Vlorë"].providers == {"legal_aid": 1}
    assert rows["Vlorë"].missing()[:2] == [ServiceKind.SHELTER, ServiceKind.MEDICAL]
    assert ServiceKind.LEGAL_AID not in rows["Vlorë"].missing()


def test_an_organisation_based_in_and_covering_its_region_counts_once(
    carla, offers, legal_clinic_south, vlore
):
    legal_clinic_south.areas_covered.add(vlore)
    rows = {row.region.name: row for row in service_coverage(user=carla)}
    assert rows["Vlorë"].providers == {"legal_aid": 1}


def test_dormant_organisations_do_not_cover_anything(carla, offers, shelter_north):
    shelter_north.is_active = False
    shelter_north.save(update_fields=["is_active"])
    rows = {row.region.name: row for row in service_coverage(user=carla)}
    assert "shelter" not in rows["Korçë"].providers


def test_coverage_filters_by_country(carla, offers):
    other = RegionFactory(country=CountryFactory(code="MK", name="North Macedonia"), name="Skopje")
    regions = [row.region for row in service_coverage(user=carla, country=other.country)]
    assert regions == [other]


def test_coverage_is_empty_outside_the_network(dora, offers):
    assert service_coverage(user=dora) == []


# --- Generic contacts ------------------------------------------------------------------------------------


def test_organisation_whose_contacts_are_hidden_is_reached_by_generic_contact(
    ben, private_contact, shelter_north
):
    assert shelter_north in reached_by_generic_contact(user=ben)


def test_organisation_with_a_shared_contact_is_not_listed_for_generic_contact(
    ben, shared_contact, shelter_north
):
    assert shelter_north not in reached_by_generic_contact(user=ben)


def test_own_organisations_private_contacts_count_as_seen(anna, private_contact, shelter_north):
    assert shelter_north not in reached_by_generic_contact(user=anna)
