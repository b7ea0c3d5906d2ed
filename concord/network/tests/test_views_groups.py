import pytest
from django.urls import reverse

from concord.accounts.models import Role
from concord.accounts.tests.factories import MembershipFactory
from concord.audit.models import AuditEvent
from concord.coordination.tests.factories import TaskFactory
from concord.network.models import CooperationGroup, GroupMembership, ServiceKind
from concord.network.tests.factories import (
    CooperationGroupFactory,
    CountryFactory,
    OrganisationServiceFactory,
)

GROUPS = reverse("network:group-list")


@pytest.fixture
def police_admin(police_east):
    """Organisation administrator of the Korçë group's chair."""
    return MembershipFactory(organisation=police_east, role=Role.ORG_ADMIN).user


def _group_data(group, **changes):
    data = {
        "name": group.name,
        "level": group.level,
        "country": group.country_id or "",
        "region": group.region_id or "",
        "chair": group.chair_id or "",
        "terms_of_reference": group.terms_of_reference,
        "is_active": "on",
        "version": group.version,
    }
    data.update(changes)
    return data


def test_groups_are_listed_and_filtered(client, carla, korce_group, vlore_group):
    national = CooperationGroupFactory(name="National body", level=CooperationGroup.Level.NATIONAL)
    client.force_login(carla)
    names = {g.name for g in client.get(GROUPS).context["page_obj"]}
    assert names == {korce_group.name, vlore_group.name, national.name}
    names = {g.name for g in client.get(GROUPS, {"level": "national"}).context["page_obj"]}
    assert names == {national.name}
    CountryFactory(code="XK", name="Kosovo")
    assert client.get(GROUPS, {"country": "XK"}).context["page_obj"].paginator.count == 0


def test_user_of_no_organisation_sees_no_group(client, dora, korce_group):
    client.force_login(dora)
    assert korce_group.name not in client.get(GROUPS).text
    assert client.get(korce_group.get_absolute_url()).status_code == 404


def test_group_page_is_public_to_the_network_but_its_work_is_not(client, carla, anna, korce_group):
    client.force_login(carla)
    response = client.get(korce_group.get_absolute_url())
    assert response.status_code == 200
    assert "Shelter North" in response.text
    assert response.context["shows_group_work"] is False
    client.force_login(anna)
    assert client.get(korce_group.get_absolute_url()).context["shows_group_work"] is True


def test_group_page_offers_management_only_to_its_administrators(client, olga, nadia, korce_group):
    edit_url = reverse("network:group-edit", args=[korce_group.pk])
    client.force_login(olga)
    response = client.get(korce_group.get_absolute_url())
    assert edit_url not in response.text
    assert response.context["add_form"] is None
    client.force_login(nadia)
    assert edit_url in client.get(korce_group.get_absolute_url()).text


@pytest.mark.parametrize("who", ["olga", "anna", "carla", "nikola", "dora"])
def test_only_network_admins_set_up_groups(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("network:group-create")).status_code == 404


def test_nadia_sets_up_a_group(client, nadia, albania, korce, shelter_north, police_east):
    client.force_login(nadia)
    response = client.post(
        reverse("network:group-create"),
        {
            "name": "Korçë referral table",
            "level": "regional",
            "country": albania.pk,
            "region": korce.pk,
            "chair": shelter_north.pk,
            "members": [police_east.pk],
            "is_active": "on",
        },
    )
    group = CooperationGroup.objects.get(name="Korçë referral table")
    assert response.status_code == 302
    assert group.current_member_ids() == {shelter_north.pk, police_east.pk}


def test_invalid_group_shows_field_errors_and_keeps_input(client, nadia, albania):
    client.force_login(nadia)
    response = client.post(
        reverse("network:group-create"),
        {
            "name": "Typed name",
            "level": "regional",
            "country": albania.pk,
            "terms_of_reference": "Typed terms",
        },
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert 'value="Typed name"' in response.text
    assert "Typed terms" in response.text


def test_chair_organisations_admin_edits_the_group(client, police_admin, korce_group):
    client.force_login(police_admin)
    url = reverse("network:group-edit", args=[korce_group.pk])
    response = client.post(url, _group_data(korce_group, terms_of_reference="We meet monthly."))
    assert response.status_code == 302
    korce_group.refresh_from_db()
    assert korce_group.terms_of_reference == "We meet monthly."


def test_chair_field_is_fixed_for_the_chair_organisations_admin(
    client, police_admin, korce_group, shelter_north
):
    client.force_login(police_admin)
    url = reverse("network:group-edit", args=[korce_group.pk])
    client.post(url, _group_data(korce_group, chair=shelter_north.pk))
    korce_group.refresh_from_db()
    assert korce_group.chair_id != shelter_north.pk


@pytest.mark.parametrize("who", ["olga", "anna", "carla", "dora"])
def test_others_cannot_edit_the_group(client, request, who, korce_group):
    client.force_login(request.getfixturevalue(who))
    url = reverse("network:group-edit", args=[korce_group.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _group_data(korce_group, name="Taken over")).status_code == 404
    korce_group.refresh_from_db()
    assert korce_group.name == "Korçë cooperation group"


def test_stale_group_edit_shows_the_message(client, nadia, korce_group):
    client.force_login(nadia)
    url = reverse("network:group-edit", args=[korce_group.pk])
    client.post(url, _group_data(korce_group, name="First"))
    response = client.post(url, _group_data(korce_group, name="Second", version=1))
    assert "Someone else saved this record" in response.text
    assert 'value="Second"' in response.text


def test_nadia_adds_and_removes_a_member(client, nadia, korce_group, legal_clinic_south):
    client.force_login(nadia)
    add = reverse("network:group-member-add", args=[korce_group.pk])
    remove = reverse("network:group-member-remove", args=[korce_group.pk])
    assert client.post(add, {"organisation": legal_clinic_south.pk}).status_code == 302
    assert legal_clinic_south.pk in korce_group.current_member_ids()
    assert client.post(remove, {"organisation": legal_clinic_south.pk}).status_code == 302
    assert legal_clinic_south.pk not in korce_group.current_member_ids()
    assert GroupMembership.objects.get(group=korce_group, organisation=legal_clinic_south).left_at is not None
    actions = set(AuditEvent.objects.for_target(korce_group).values_list("action", flat=True))
    assert actions == {"network.group_member_added", "network.group_member_removed"}


def test_adding_without_an_organisation_shows_the_error_on_the_page(client, nadia, korce_group):
    client.force_login(nadia)
    response = client.post(
        reverse("network:group-member-add", args=[korce_group.pk]), {"joined_at": "not a date"}
    )
    assert response.status_code == 200
    assert response.context["add_form"].errors.keys() == {"organisation", "joined_at"}


def test_removing_the_chair_is_refused_with_a_message(client, nadia, korce_group, police_east):
    client.force_login(nadia)
    response = client.post(
        reverse("network:group-member-remove", args=[korce_group.pk]),
        {"organisation": police_east.pk},
        follow=True,
    )
    assert "cannot leave" in response.text
    assert police_east.pk in korce_group.current_member_ids()


@pytest.mark.parametrize("who", ["olga", "anna", "carla", "dora"])
def test_others_cannot_change_members(client, request, who, korce_group, shelter_north, legal_clinic_south):
    client.force_login(request.getfixturevalue(who))
    add = client.post(
        reverse("network:group-member-add", args=[korce_group.pk]), {"organisation": legal_clinic_south.pk}
    )
    remove = client.post(
        reverse("network:group-member-remove", args=[korce_group.pk]), {"organisation": shelter_north.pk}
    )
    assert (add.status_code, remove.status_code) == (404, 404)
    assert korce_group.current_member_ids() == {shelter_north.pk, korce_group.chair_id}


def test_member_changes_need_post(client, nadia, korce_group):
    client.force_login(nadia)
    assert client.get(reverse("network:group-member-add", args=[korce_group.pk])).status_code == 405


# --- Map and coverage ------------------------------------------------------------------------------------


def test_map_draws_ties_as_svg_with_a_table(client, ben, korce_group, legal_clinic_south):
    TaskFactory(group=korce_group, assigned_organisation=legal_clinic_south)
    client.force_login(ben)
    response = client.get(reverse("network:map"))
    assert response.status_code == 200
    page = response.text
    assert "<svg" in page
    assert "<title>" in page
    assert "style=" not in page
    assert len(response.context["graph"].edges) == 3
    assert "Legal Clinic South" in page
    assert reverse("network:coverage") in page


def test_map_filters_by_group_and_country(client, ben, korce_group, vlore_group):
    client.force_login(ben)
    assert client.get(reverse("network:map"), {"group": vlore_group.pk}).context["graph"].edges == []
    CountryFactory(code="XK", name="Kosovo")
    assert client.get(reverse("network:map"), {"country": "XK"}).context["graph"].nodes == []
    assert len(client.get(reverse("network:map"), {"country": "AL"}).context["graph"].edges) == 1


def test_map_shows_nothing_to_a_user_of_no_organisation(client, dora, korce_group):
    client.force_login(dora)
    response = client.get(reverse("network:map"))
    assert response.status_code == 200
    assert "Shelter North" not in response.text


def test_coverage_lists_missing_essential_services(client, carla, shelter_north, legal_clinic_south, vlore):
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.SHELTER)
    OrganisationServiceFactory(organisation=legal_clinic_south, kind=ServiceKind.LEGAL_AID)
    client.force_login(carla)
    response = client.get(reverse("network:coverage"), {"country": "AL"})
    assert response.status_code == 200
    rows = {row.region.name: row for row in response.context["rows"]}
    assert ServiceKind.SHELTER in rows["Vlorë"].missing()
    assert "no shelter" in response.text


def test_coverage_shows_nothing_to_a_user_of_no_organisation(client, dora, korce):
    client.force_login(dora)
    assert client.get(reverse("network:coverage")).context["rows"] == []


def test_group_page_shows_the_group_work_to_members_only(client, anna, carla, korce_group):
    from concord.coordination.tests.factories import MeetingFactory

    MeetingFactory(group=korce_group, title="Spring coordination meeting")
    client.force_login(anna)
    assert "Spring coordination meeting" in client.get(korce_group.get_absolute_url()).text
    client.force_login(carla)
    assert "Spring coordination meeting" not in client.get(korce_group.get_absolute_url()).text
