import pytest
from django.urls import reverse

from concord.audit.models import AuditEvent
from concord.network.models import Organisation, OrgType, Sector, ServiceKind
from concord.network.tests.factories import (
    CountryFactory,
    OrganisationFactory,
    OrganisationServiceFactory,
    RegionFactory,
)


def _get(client, user, url, **extra):
    if user is not None:
        client.force_login(user)
    return client.get(url, **extra)


def _edit_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "org_type": organisation.org_type,
        "sector": organisation.sector,
        "country": organisation.country_id,
        "region": organisation.region_id or "",
        "email": organisation.email,
        "languages": "sq, en",
        "is_active": "on",
        "version": organisation.version,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Who may see -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "organisation-list",
        "organisation-create",
        "directory",
        "group-list",
        "group-create",
        "map",
        "coverage",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(f"network:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["organisation-detail", "organisation-edit", "group-detail", "group-edit"])
def test_anonymous_visitors_are_sent_to_sign_in_from_single_pages(client, shelter_north, korce_group, name):
    pk = korce_group.pk if name.startswith("group") else shelter_north.pk
    response = client.get(reverse(f"network:{name}", args=[pk]))
    assert response.status_code == 302


def test_user_of_no_organisation_sees_no_organisation(client, dora, shelter_north):
    response = _get(client, dora, reverse("network:organisation-list"))
    assert response.status_code == 200
    assert "Shelter North" not in response.text
    assert _get(client, dora, shelter_north.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["anna", "ben", "carla", "nikola", "vera", "olga", "nadia"])
def test_everyone_in_the_network_reads_the_registry(client, request, who, shelter_north):
    user = request.getfixturevalue(who)
    assert "Shelter North" in _get(client, user, reverse("network:organisation-list")).text
    assert _get(client, user, shelter_north.get_absolute_url()).status_code == 200


def test_missing_organisation_is_404(client, carla):
    assert _get(client, carla, reverse("network:organisation-detail", args=[999999])).status_code == 404


def test_internal_notes_shown_to_own_members_only(client, anna, carla, shelter_north):
    shelter_north.internal_notes = "Safe house address: ask the director."
    shelter_north.save(update_fields=["internal_notes"])
    assert "Safe house address" in _get(client, anna, shelter_north.get_absolute_url()).text
    client.logout()
    assert "Safe house address" not in _get(client, carla, shelter_north.get_absolute_url()).text


def test_detail_lists_services_areas_groups_and_visible_contacts(
    client, ben, shelter_north, korce_group, vlore, private_contact, shared_contact
):
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.SHELTER, capacity=12)
    shelter_north.areas_covered.add(vlore)
    page = _get(client, ben, shelter_north.get_absolute_url()).text
    assert "<td>Shelter</td><td>12</td>" in page
    assert "Vlorë" in page
    assert korce_group.name in page
    assert shared_contact.full_name in page
    assert private_contact.full_name not in page


# --- Who may change --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anna", "ben", "carla", "nikola", "vera", "dora"])
def test_others_cannot_open_the_edit_page(client, request, who, shelter_north, olga):
    response = _get(
        client, request.getfixturevalue(who), reverse("network:organisation-edit", args=[shelter_north.pk])
    )
    assert response.status_code == 404


def test_carla_cannot_edit_shelter_north(client, carla, shelter_north):
    client.force_login(carla)
    url = reverse("network:organisation-edit", args=[shelter_north.pk])
    response = client.post(url, _edit_data(shelter_north, phone="+355 1"))
    assert response.status_code == 404
    shelter_north.refresh_from_db()
    assert shelter_north.phone == ""


def test_olga_edits_shelter_north_and_marks_it_dormant(client, olga, shelter_north, vlore):
    client.force_login(olga)
    url = reverse("network:organisation-edit", args=[shelter_north.pk])
    assert client.get(url).status_code == 200
    data = _edit_data(
        shelter_north,
        phone="+355 82 111",
        is_active=None,
        areas_covered=[vlore.pk],
        offers_shelter="on",
        capacity_shelter="15",
        note_shelter="Women and children",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    shelter_north.refresh_from_db()
    assert (shelter_north.phone, shelter_north.is_active, shelter_north.languages) == (
        "+355 82 111",
        False,
        ["sq", "en"],
    )
    assert list(shelter_north.areas_covered.all()) == [vlore]
    assert [(s.kind, s.capacity, s.description) for s in shelter_north.services.all()] == [
        ("shelter", 15, "Women and children")
    ]
    assert AuditEvent.objects.for_target(shelter_north).filter(action="network.organisation_updated").exists()


def test_olga_cannot_edit_another_organisation(client, olga, police_east):
    assert _get(client, olga, reverse("network:organisation-edit", args=[police_east.pk])).status_code == 404


def test_invalid_edit_shows_field_errors_and_keeps_input(client, olga, shelter_north):
    client.force_login(olga)
    url = reverse("network:organisation-edit", args=[shelter_north.pk])
    response = client.post(url, _edit_data(shelter_north, name="", phone="+355 typed", languages="sq, xx1"))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"name", "languages"}
    assert 'value="+355 typed"' in response.text
    assert "is-invalid" in response.text


def test_capacity_without_the_service_is_a_field_error(client, olga, shelter_north):
    client.force_login(olga)
    url = reverse("network:organisation-edit", args=[shelter_north.pk])
    response = client.post(url, _edit_data(shelter_north, capacity_shelter="3"))
    assert "offers_shelter" in response.context["form"].errors


def test_region_of_another_country_is_a_field_error(client, olga, shelter_north):
    client.force_login(olga)
    other = RegionFactory(country=CountryFactory(code="XK", name="Kosovo"), name="Prizren")
    response = client.post(
        reverse("network:organisation-edit", args=[shelter_north.pk]),
        _edit_data(shelter_north, region=other.pk),
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors


def test_stale_save_shows_the_message_and_keeps_input(client, olga, nadia, shelter_north):
    from concord.network import services

    services.update_organisation(organisation=shelter_north, by=nadia, version=1, fields={"phone": "nadia's"})
    client.force_login(olga)
    response = client.post(
        reverse("network:organisation-edit", args=[shelter_north.pk]),
        _edit_data(shelter_north, phone="olga's", version=1),
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in response.text
    assert 'value="olga&#x27;s"' in response.text
    shelter_north.refresh_from_db()
    assert shelter_north.phone == "nadia's"


@pytest.mark.parametrize("who", ["olga", "anna", "carla", "dora"])
def test_only_network_admins_open_the_create_page(client, request, who):
    assert (
        _get(client, request.getfixturevalue(who), reverse("network:organisation-create")).status_code == 404
    )


def test_nadia_adds_an_organisation(client, nadia, albania, vlore):
    client.force_login(nadia)
    url = reverse("network:organisation-create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Vlorë Women's Shelter",
            "org_type": OrgType.NGO,
            "sector": Sector.SHELTER,
            "country": albania.pk,
            "region": vlore.pk,
            "is_active": "on",
            "offers_shelter": "on",
            "capacity_shelter": "8",
        },
    )
    organisation = Organisation.objects.get(name="Vlorë Women's Shelter")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.services.get().capacity == 8


def test_edit_link_shown_only_to_those_who_may_edit(client, olga, carla, shelter_north):
    edit_url = reverse("network:organisation-edit", args=[shelter_north.pk])
    assert edit_url in _get(client, olga, shelter_north.get_absolute_url()).text
    client.logout()
    assert edit_url not in _get(client, carla, shelter_north.get_absolute_url()).text


# --- List filters ----------------------------------------------------------------------------------------


def _names(response):
    return {organisation.name for organisation in response.context["page_obj"]}


def test_list_filters(
    client, carla, shelter_north, police_east, legal_clinic_south, korce_group, korce, vlore
):
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.SHELTER)
    legal_clinic_south.areas_covered.add(korce)
    police_east.is_active = False
    police_east.save(update_fields=["is_active"])
    url = reverse("network:organisation-list")
    client.force_login(carla)
    assert _names(client.get(url, {"search": "shelter"})) == {"Shelter North"}
    assert _names(client.get(url, {"sector": Sector.LEGAL})) == {"Legal Clinic South"}
    assert _names(client.get(url, {"org_type": OrgType.LAW_ENFORCEMENT})) == {"Police Unit East"}
    assert _names(client.get(url, {"service": ServiceKind.SHELTER})) == {"Shelter North"}
    assert _names(client.get(url, {"group": korce_group.pk})) == {"Shelter North", "Police Unit East"}
    assert _names(client.get(url, {"region": korce.pk})) == {
        "Shelter North",
        "Police Unit East",
        "Legal Clinic South",
    }
    assert _names(client.get(url, {"region": vlore.pk})) == {"Legal Clinic South"}
    assert _names(client.get(url, {"status": "dormant"})) == {"Police Unit East"}
    assert "Police Unit East" not in _names(client.get(url, {"status": "active"}))


def test_country_filter_and_bad_filter_values_do_not_fail(client, carla, shelter_north):
    OrganisationFactory(
        name="Prishtina NGO", region=RegionFactory(country=CountryFactory(code="XK", name="Kosovo"))
    )
    url = reverse("network:organisation-list")
    client.force_login(carla)
    assert _names(client.get(url, {"country": "XK"})) == {"Prishtina NGO"}
    response = client.get(url, {"country": "ZZ", "group": "nonsense", "page": "abc"})
    assert response.status_code == 200


def test_htmx_request_gets_only_the_results(client, carla, shelter_north):
    client.force_login(carla)
    response = client.get(
        reverse("network:organisation-list"), {"search": "North"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="results"' in response.text
    assert "<html" not in response.text
    assert "Shelter North" in response.text


def test_list_is_paginated_by_25(client, carla, korce):
    OrganisationFactory.create_batch(30, region=korce)
    client.force_login(carla)
    response = client.get(reverse("network:organisation-list"))
    assert len(response.context["page_obj"]) == 25
    assert response.context["page_obj"].paginator.num_pages == 2
