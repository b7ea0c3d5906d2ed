"""The shared cast every test draws on.

Two regional cooperation groups in Albania and one national coordinator:

- anna:   case manager at Shelter North (Korçë group)
- ben:    caseworker at Police Unit East (Korçë group, same group as anna)
- carla:  caseworker at Legal Clinic South (Vlorë group: a member of another group)
- dora:   a user of no organisation
- olga:   organisation administrator at Shelter North
- nadia:  network administrator (Network Secretariat, in no group)
- nikola: national coordinator for Albania (National Coordinator's Office, in no group)
- vera:   viewer at Police Unit East

Added for cases (Protection):

- paul:   case manager at Police Unit East (Korçë group)
- sara:   caseworker at Shelter North
- alma:   analyst at the National Coordinator's Office
- milan:  case manager at Shelter Belgrade (Serbia; transnational referrals)
- sonja:  national coordinator for Serbia
"""

import pytest
from django.test import override_settings

from concord.accounts.models import Role
from concord.accounts.tests.factories import MembershipFactory, UserFactory
from concord.network.models import CooperationGroup, OrgType, Sector
from concord.network.tests.factories import (
    CooperationGroupFactory,
    CountryFactory,
    OrganisationFactory,
    RegionFactory,
)


@pytest.fixture(autouse=True, scope="session")
def _test_settings(tmp_path_factory):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from django.conf import settings

    # whitenoise warns on every request when the collected-static folder does not exist yet.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Argon2 costs a third of a second per hash by design; tests do not need that. Static files are
    # served from the source folders, so tests need no collectstatic (production uses the manifest).
    with override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture
def albania(db):
    return CountryFactory(code="AL", name="Albania")


@pytest.fixture
def korce(albania):
    return RegionFactory(country=albania, name="Korçë", code="AL-06")


@pytest.fixture
def vlore(albania):
    return RegionFactory(country=albania, name="Vlorë", code="AL-12")


@pytest.fixture
def shelter_north(korce):
    return OrganisationFactory(
        name="Shelter North", org_type=OrgType.NGO, sector=Sector.SHELTER, region=korce
    )


@pytest.fixture
def police_east(korce):
    return OrganisationFactory(
        name="Police Unit East", org_type=OrgType.LAW_ENFORCEMENT, sector=Sector.LAW_ENFORCEMENT, region=korce
    )


@pytest.fixture
def legal_clinic_south(vlore):
    return OrganisationFactory(
        name="Legal Clinic South", org_type=OrgType.LEGAL, sector=Sector.LEGAL, region=vlore
    )


@pytest.fixture
def secretariat(albania):
    return OrganisationFactory(
        name="Network Secretariat", org_type=OrgType.NGO, sector=Sector.NGO, region=None, country=albania
    )


@pytest.fixture
def coordinator_office(albania):
    return OrganisationFactory(
        name="National Coordinator's Office",
        org_type=OrgType.CENTRAL_GOVERNMENT,
        sector=Sector.LOCAL_GOVERNMENT,
        region=None,
        country=albania,
    )


@pytest.fixture
def korce_group(albania, korce, shelter_north, police_east):
    return CooperationGroupFactory(
        name="Korçë cooperation group",
        level=CooperationGroup.Level.REGIONAL,
        country=albania,
        region=korce,
        chair=police_east,
        member_organisations=[shelter_north, police_east],
    )


@pytest.fixture
def vlore_group(albania, vlore, legal_clinic_south):
    return CooperationGroupFactory(
        name="Vlorë cooperation group",
        level=CooperationGroup.Level.REGIONAL,
        country=albania,
        region=vlore,
        chair=legal_clinic_south,
        member_organisations=[legal_clinic_south],
    )


def _member(name: str, email: str, organisation, role):  # type: ignore[no-untyped-def]
    membership = MembershipFactory(
        user=UserFactory(full_name=name, email=email), organisation=organisation, role=role
    )
    return membership.user


@pytest.fixture
def anna(shelter_north, korce_group):
    return _member("Anna Hoxha", "anna@shelter-north.example", shelter_north, Role.CASE_MANAGER)


@pytest.fixture
def ben(police_east, korce_group):
    return _member("Ben Leka", "ben@police-east.example", police_east, Role.CASEWORKER)


@pytest.fixture
def carla(legal_clinic_south, vlore_group):
    return _member("Carla Meta", "carla@legal-south.example", legal_clinic_south, Role.CASEWORKER)


@pytest.fixture
def dora(db):
    return UserFactory(full_name="Dora Nobody", email="dora@example.org")


@pytest.fixture
def olga(shelter_north, korce_group):
    return _member("Olga Dervishi", "olga@shelter-north.example", shelter_north, Role.ORG_ADMIN)


@pytest.fixture
def nadia(secretariat):
    return _member("Nadia Admin", "nadia@secretariat.example", secretariat, Role.NETWORK_ADMIN)


@pytest.fixture
def nikola(coordinator_office):
    return _member(
        "Nikola Koordinator", "nikola@coordinator.example", coordinator_office, Role.NATIONAL_COORDINATOR
    )


@pytest.fixture
def vera(police_east, korce_group):
    return _member("Vera Viewer", "vera@police-east.example", police_east, Role.VIEWER)


@pytest.fixture
def serbia(db):
    return CountryFactory(code="RS", name="Serbia")


@pytest.fixture
def belgrade(serbia):
    return RegionFactory(country=serbia, name="Belgrade", code="RS-00")


@pytest.fixture
def shelter_belgrade(belgrade):
    return OrganisationFactory(
        name="Shelter Belgrade",
        org_type=OrgType.NGO,
        sector=Sector.SHELTER,
        region=belgrade,
        country=belgrade.country,
    )


@pytest.fixture
def rs_coordinator_office(serbia):
    return OrganisationFactory(
        name="Office for Combating Trafficking (RS)",
        org_type=OrgType.CENTRAL_GOVERNMENT,
        sector=Sector.LOCAL_GOVERNMENT,
        region=None,
        country=serbia,
    )


@pytest.fixture
def paul(police_east, korce_group):
    return _member("Paul Shehu", "paul@police-east.example", police_east, Role.CASE_MANAGER)


@pytest.fixture
def sara(shelter_north, korce_group):
    return _member("Sara Berisha", "sara@shelter-north.example", shelter_north, Role.CASEWORKER)


@pytest.fixture
def alma(coordinator_office):
    return _member("Alma Analiste", "alma@coordinator.example", coordinator_office, Role.ANALYST)


@pytest.fixture
def milan(shelter_belgrade):
    return _member("Milan Jovanović", "milan@shelter-belgrade.example", shelter_belgrade, Role.CASE_MANAGER)


@pytest.fixture
def sonja(rs_coordinator_office):
    return _member(
        "Sonja Koordinatorka",
        "sonja@coordinator-rs.example",
        rs_coordinator_office,
        Role.NATIONAL_COORDINATOR,
    )
