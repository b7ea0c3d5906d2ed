import pytest

from concord.audit.models import AuditEvent
from concord.network.models import Organisation, ServiceKind
from concord.network.tests.factories import (
    ContactPersonFactory,
    CountryFactory,
    OrganisationServiceFactory,
    RegionFactory,
)

ORGANISATIONS = "/api/organisations/"
GROUPS = "/api/groups/"
DIRECTORY = "/api/directory/"


def _as(api, user):
    api.force_authenticate(user)
    return api


def _names(response):
    return {row.get("name") or row.get("full_name") for row in response.json()["results"]}


def _new_payload(albania, vlore, **changes):
    payload = {
        "name": "Vlorë Women's Shelter",
        "org_type": "NGO",
        "sector": "shelter",
        "country": albania.pk,
        "region": vlore.pk,
        "languages": ["sq", "en"],
        "services": [{"kind": "shelter", "capacity": 8}],
    }
    payload.update(changes)
    return payload


# --- Reading ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ORGANISATIONS, GROUPS, DIRECTORY, "/api/countries/", "/api/regions/"])
def test_anonymous_callers_are_refused(api, url):
    assert api.get(url).status_code in {401, 403}


@pytest.mark.parametrize("url", [ORGANISATIONS, GROUPS, DIRECTORY, "/api/regions/"])
def test_user_of_no_organisation_gets_empty_lists(api, dora, shared_contact, korce_group, url):
    response = _as(api, dora).get(url)
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_user_of_no_organisation_gets_no_countries_and_404_for_entries(api, dora, shelter_north, korce_group):
    _as(api, dora)
    assert api.get("/api/countries/").json() == []
    assert api.get(f"{ORGANISATIONS}{shelter_north.pk}/").status_code == 404
    assert api.get(f"{GROUPS}{korce_group.pk}/").status_code == 404


def test_registry_is_listed_with_services(api, carla, shelter_north, police_east, legal_clinic_south):
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.SHELTER, capacity=12)
    response = _as(api, carla).get(ORGANISATIONS)
    assert _names(response) == {"Shelter North", "Police Unit East", "Legal Clinic South"}
    entry = api.get(f"{ORGANISATIONS}{shelter_north.pk}/").json()
    assert entry["services"] == [{"kind": "shelter", "capacity": 12, "description": ""}]
    assert entry["version"] == 1


def test_internal_notes_only_for_own_members(api, anna, carla, shelter_north):
    shelter_north.internal_notes = "Confidential"
    shelter_north.save(update_fields=["internal_notes"])
    assert (
        _as(api, anna).get(f"{ORGANISATIONS}{shelter_north.pk}/").json()["internal_notes"] == "Confidential"
    )
    assert _as(api, carla).get(f"{ORGANISATIONS}{shelter_north.pk}/").json()["internal_notes"] is None
    listed = {row["name"]: row for row in api.get(ORGANISATIONS).json()["results"]}
    assert listed["Shelter North"]["internal_notes"] is None


def test_organisation_filters_match_the_page(api, carla, shelter_north, police_east, korce_group, vlore):
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.SHELTER)
    _as(api, carla)
    assert _names(api.get(ORGANISATIONS, {"search": "north"})) == {"Shelter North"}
    assert _names(api.get(ORGANISATIONS, {"service": "shelter"})) == {"Shelter North"}
    assert _names(api.get(ORGANISATIONS, {"group": korce_group.pk})) == {"Shelter North", "Police Unit East"}
    assert _names(api.get(ORGANISATIONS, {"region": vlore.pk})) == {"Legal Clinic South"}
    assert _names(api.get(ORGANISATIONS, {"status": "dormant"})) == set()


def test_bad_filter_value_is_400(api, carla, shelter_north):
    assert _as(api, carla).get(ORGANISATIONS, {"country": "ZZ"}).status_code == 400


def test_groups_nest_their_current_members(
    api, carla, korce_group, shelter_north, police_east, legal_clinic_south
):
    korce_group.memberships.create(organisation=legal_clinic_south, left_at="2025-01-01")
    response = _as(api, carla).get(f"{GROUPS}{korce_group.pk}/").json()
    assert {m["name"] for m in response["members"]} == {"Shelter North", "Police Unit East"}
    assert _names(api.get(GROUPS, {"level": "national"})) == set()
    assert len(api.get(GROUPS, {"level": "regional"}).json()["results"]) == 2


def test_contact_without_consent_is_absent_from_bens_directory(api, ben, private_contact, shared_contact):
    response = _as(api, ben).get(DIRECTORY)
    assert _names(response) == {shared_contact.full_name}
    assert api.get(f"{DIRECTORY}{private_contact.pk}/").status_code == 404


def test_own_organisation_reads_its_private_contacts(api, anna, private_contact, shared_contact):
    assert _names(_as(api, anna).get(DIRECTORY)) == {private_contact.full_name, shared_contact.full_name}


def test_directory_filters_match_the_page(api, nadia, shared_contact, police_east):
    other = ContactPersonFactory(
        organisation=police_east, full_name="Officer Dritan", shared_with_network=True
    )
    _as(api, nadia)
    assert _names(api.get(DIRECTORY, {"organisation": police_east.pk})) == {other.full_name}
    assert _names(api.get(DIRECTORY, {"search": "Sokol"})) == {shared_contact.full_name}


def test_regions_filter_by_country(api, carla, korce, vlore):
    RegionFactory(country=CountryFactory(code="XK", name="Kosovo"), name="Prizren")
    _as(api, carla)
    assert {r["name"] for r in api.get("/api/regions/", {"country": "AL"}).json()["results"]} == {
        "Korçë",
        "Vlorë",
    }
    assert [c["code"] for c in api.get("/api/countries/").json()] == ["AL", "XK"]
    assert api.get("/api/countries/XK/").json() == {"code": "XK", "name": "Kosovo"}


# --- Writing ---------------------------------------------------------------------------------------------


def test_nadia_creates_an_organisation_through_the_service(api, nadia, albania, vlore):
    response = _as(api, nadia).post(ORGANISATIONS, _new_payload(albania, vlore), format="json")
    assert response.status_code == 201, response.json()
    organisation = Organisation.objects.get(pk=response.json()["id"])
    assert organisation.services.get().capacity == 8
    assert response.json()["internal_notes"] == ""
    assert AuditEvent.objects.for_target(organisation).filter(action="network.organisation_created").exists()


@pytest.mark.parametrize("who", ["olga", "carla", "dora"])
def test_others_cannot_create_organisations(api, request, who, albania, vlore):
    response = _as(api, request.getfixturevalue(who)).post(
        ORGANISATIONS, _new_payload(albania, vlore), format="json"
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Vlorë Women's Shelter").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"org_type": "Pirates"}, "org_type"),
        ({"country": "ZZ"}, "country"),
        ({"languages": ["xx1"]}, "languages"),
        ({"services": [{"kind": "shelter"}, {"kind": "shelter"}]}, "services"),
        ({"services": [{"kind": "spaceflight"}]}, "services"),
        ({"website": "not a url"}, "website"),
        ({"languages": "sq"}, "languages"),
    ],
)
def test_bad_payload_is_400_with_field_messages(api, nadia, albania, vlore, changes, field):
    response = _as(api, nadia).post(ORGANISATIONS, _new_payload(albania, vlore, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_region_of_another_country_is_400(api, nadia, albania, vlore):
    prizren = RegionFactory(country=CountryFactory(code="XK", name="Kosovo"), name="Prizren")
    response = _as(api, nadia).post(
        ORGANISATIONS, _new_payload(albania, vlore, region=prizren.pk), format="json"
    )
    assert response.status_code == 400
    assert "region" in response.json()


def test_olga_updates_shelter_north_with_its_version(api, olga, shelter_north, vlore):
    url = f"{ORGANISATIONS}{shelter_north.pk}/"
    response = _as(api, olga).patch(
        url, {"version": 1, "phone": "+355 1", "areas_covered": [vlore.pk], "is_active": False}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["version"], response.json()["phone"], response.json()["is_active"]) == (
        2,
        "+355 1",
        False,
    )
    assert response.json()["areas_covered"] == [vlore.pk]


def test_update_without_version_is_400(api, olga, shelter_north):
    response = _as(api, olga).patch(f"{ORGANISATIONS}{shelter_north.pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_stale_update_is_409(api, olga, nadia, shelter_north):
    url = f"{ORGANISATIONS}{shelter_north.pk}/"
    assert _as(api, nadia).patch(url, {"version": 1, "phone": "nadia"}, format="json").status_code == 200
    response = _as(api, olga).patch(url, {"version": 1, "phone": "olga"}, format="json")
    assert response.status_code == 409
    shelter_north.refresh_from_db()
    assert shelter_north.phone == "nadia"


@pytest.mark.parametrize("who", ["carla", "anna", "dora"])
def test_carla_and_others_cannot_update_shelter_north(api, request, who, shelter_north):
    response = _as(api, request.getfixturevalue(who)).patch(
        f"{ORGANISATIONS}{shelter_north.pk}/", {"version": 1, "phone": "1"}, format="json"
    )
    assert response.status_code == 404
    shelter_north.refresh_from_db()
    assert shelter_north.phone == ""


def test_full_update_replaces_services(api, nadia, shelter_north, albania, korce):
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.HOTLINE)
    payload = _new_payload(albania, korce, name="Shelter North", version=1)
    response = _as(api, nadia).put(f"{ORGANISATIONS}{shelter_north.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    assert [s["kind"] for s in response.json()["services"]] == ["shelter"]


def test_patch_with_a_service_missing_its_kind_is_a_field_error(api, nadia, shelter_north):
    """Found by schemathesis: a PATCH skipped the nested required `kind` and the server answered 500."""
    OrganisationServiceFactory(organisation=shelter_north, kind=ServiceKind.HOTLINE)
    response = _as(api, nadia).patch(
        f"{ORGANISATIONS}{shelter_north.pk}/",
        {"version": 1, "services": [{"capacity": 0, "description": ""}]},
        format="json",
    )
    assert response.status_code == 400
    assert "services" in response.json()
    assert list(shelter_north.services.values_list("kind", flat=True)) == [ServiceKind.HOTLINE]


def test_groups_and_directory_are_read_only(api, nadia, korce_group):
    assert _as(api, nadia).post(GROUPS, {"name": "x"}, format="json").status_code == 405
    assert api.post(DIRECTORY, {"full_name": "x"}, format="json").status_code == 405
    assert api.delete(f"{ORGANISATIONS}{korce_group.chair_id}/").status_code == 405


def test_schema_builds(api, nadia):
    response = _as(api, nadia).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/organisations/" in response.content
