import pytest
from django.urls import reverse

from concord.network.models import ContactPerson
from concord.network.tests.factories import ContactPersonFactory, CountryFactory

DIRECTORY = reverse("network:directory")


def _people(response):
    return {contact.full_name for contact in response.context["page_obj"]}


def _generic(response):
    return {organisation.name for organisation in response.context["generic_page"]}


def test_contact_without_consent_is_absent_from_bens_directory(
    client, ben, shelter_north, private_contact, shared_contact
):
    client.force_login(ben)
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert shared_contact.full_name in response.text
    assert private_contact.full_name not in response.text


def test_own_organisation_sees_its_contacts_without_consent(client, anna, private_contact):
    client.force_login(anna)
    assert private_contact.full_name in _people(client.get(DIRECTORY))


def test_organisation_with_no_visible_contact_shows_its_generic_contact(
    client, ben, shelter_north, private_contact
):
    client.force_login(ben)
    response = client.get(DIRECTORY)
    assert "Shelter North" in _generic(response)
    assert shelter_north.email in response.text


def test_user_of_no_organisation_sees_nobody(client, dora, shared_contact):
    client.force_login(dora)
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert shared_contact.full_name not in response.text
    assert not _generic(response)


def test_directory_filters_by_organisation_country_and_search(client, nadia, shared_contact, police_east):
    other = ContactPersonFactory(
        organisation=police_east, full_name="Officer Dritan", shared_with_network=True
    )
    client.force_login(nadia)
    assert _people(client.get(DIRECTORY, {"organisation": police_east.pk})) == {other.full_name}
    assert _people(client.get(DIRECTORY, {"search": "Sokol"})) == {shared_contact.full_name}
    assert _people(client.get(DIRECTORY, {"search": "police"})) == {other.full_name}
    assert _people(client.get(DIRECTORY, {"country": "AL"})) == {shared_contact.full_name, other.full_name}
    CountryFactory(code="XK", name="Kosovo")
    assert _people(client.get(DIRECTORY, {"country": "XK"})) == set()


def test_directory_htmx_request_gets_only_the_results(client, ben, shared_contact):
    client.force_login(ben)
    response = client.get(DIRECTORY, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert shared_contact.full_name in response.text


# --- Adding and editing contacts -------------------------------------------------------------------------


def test_olga_adds_a_contact_with_consent(client, olga, shelter_north):
    client.force_login(olga)
    url = reverse("network:contact-create", args=[shelter_north.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "Mira Gjoni", "email": "mira@shelter.example", "consent": "on"})
    assert response.status_code == 302
    contact = ContactPerson.objects.get(full_name="Mira Gjoni")
    assert contact.shared_with_network
    assert contact.consent_recorded_by == olga


def test_nadia_adds_a_contact_to_any_organisation(client, nadia, police_east):
    client.force_login(nadia)
    response = client.post(
        reverse("network:contact-create", args=[police_east.pk]), {"full_name": "Officer Dritan"}
    )
    assert response.status_code == 302
    assert ContactPerson.objects.get(full_name="Officer Dritan").organisation == police_east


@pytest.mark.parametrize("who", ["anna", "ben", "carla", "vera", "dora"])
def test_others_cannot_add_or_edit_contacts(client, request, who, shelter_north, shared_contact):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("network:contact-create", args=[shelter_north.pk])).status_code == 404
    assert (
        client.post(
            reverse("network:contact-create", args=[shelter_north.pk]), {"full_name": "X"}
        ).status_code
        == 404
    )
    assert client.get(reverse("network:contact-edit", args=[shared_contact.pk])).status_code == 404
    assert not ContactPerson.objects.filter(full_name="X").exists()


def test_olga_cannot_edit_another_organisations_contact(client, olga, police_east):
    contact = ContactPersonFactory(organisation=police_east, shared_with_network=True)
    client.force_login(olga)
    assert client.get(reverse("network:contact-edit", args=[contact.pk])).status_code == 404


def test_withdrawing_consent_on_the_page_hides_the_person_from_ben(client, olga, ben, shared_contact):
    client.force_login(olga)
    response = client.post(
        reverse("network:contact-edit", args=[shared_contact.pk]),
        {"full_name": shared_contact.full_name, "version": 1},
    )
    assert response.status_code == 302
    client.force_login(ben)
    assert shared_contact.full_name not in client.get(DIRECTORY).text


def test_invalid_contact_shows_field_errors_and_keeps_input(client, olga, shelter_north):
    client.force_login(olga)
    response = client.post(
        reverse("network:contact-create", args=[shelter_north.pk]),
        {"full_name": "", "email": "not-an-address", "position": "Typed position"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"full_name", "email"}
    assert 'value="Typed position"' in response.text


def test_stale_contact_edit_shows_the_message(client, olga, shared_contact):
    client.force_login(olga)
    url = reverse("network:contact-edit", args=[shared_contact.pk])
    client.post(url, {"full_name": "First", "version": 1, "consent": "on"})
    response = client.post(url, {"full_name": "Second", "version": 1, "consent": "on"})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.text
    assert 'value="Second"' in response.text
