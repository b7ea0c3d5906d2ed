"""Writes the demo's organisations (with their services and areas), contact people and groups."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from concord.accounts.models import User
from concord.demo.data.groups import GROUPS
from concord.demo.data.organisations import (
    CONTACT_NAMES,
    LANGUAGES,
    ORGANISATIONS,
    PHONE_PREFIX,
    POSITIONS,
)
from concord.demo.jurisdictions import Jurisdictions
from concord.demo.marks import demo_email
from concord.demo.specs import GroupSpec
from concord.network.models import (
    ContactPerson,
    CooperationGroup,
    GroupMembership,
    Organisation,
    OrganisationService,
    ServiceKind,
)


@dataclass
class Registry:
    """The demo's organisations and groups, by their key in concord/demo/data/."""

    organisations: dict[str, Organisation]
    groups: dict[str, CooperationGroup] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Organisation:
        return self.organisations[key]


def _phone(country: str, number: int) -> str:
    return f"{PHONE_PREFIX[country]} {number:04d}"


def load_organisations(places: Jurisdictions) -> Registry:
    organisations: dict[str, Organisation] = {}
    services: list[OrganisationService] = []
    for number, spec in enumerate(ORGANISATIONS, start=1):
        country = places.countries[spec.country]
        organisation = Organisation.objects.create(
            name=spec.name,
            name_en=spec.name,
            name_sq=spec.name_sq or None,
            short_name=spec.short_name,
            org_type=spec.org_type,
            sector=spec.sector,
            country=country,
            region=places.region(spec.country, spec.region) if spec.region else None,
            municipality=places.municipality(spec.country, spec.municipality) if spec.municipality else None,
            description=spec.description,
            description_en=spec.description,
            email=demo_email(spec.key),
            phone=_phone(spec.country, 100 + number),
            address=f"{spec.municipality or spec.region}, {country.name}",
            website=f"https://{spec.key}.example" if spec.website else "",
            languages=[*LANGUAGES[spec.country], *spec.extra_languages],
            is_active=spec.is_active,
            internal_notes="Seen only by this organisation's members: review the entry every quarter.",
        )
        covered = ({spec.region} if spec.region else set()) | set(spec.covers)
        if "*" in covered:
            organisation.areas_covered.set(places.regions_of(spec.country))
        else:
            organisation.areas_covered.set([places.region(spec.country, name) for name in sorted(covered)])
        services.extend(
            OrganisationService(
                organisation=organisation,
                kind=kind,
                capacity=capacity,
                description=f"{ServiceKind(kind).label}: {capacity} places" if capacity else "",
            )
            for kind, capacity in spec.services
        )
        organisations[spec.key] = organisation
    OrganisationService.objects.bulk_create(services)
    return Registry(organisations)


def load_contacts(registry: Registry, rng: random.Random, *, consent_by: User) -> None:
    """One or two contact people for each active organisation. About half consented to being shared with
    the network; their consent was recorded by the network administrator."""
    now = timezone.now()
    for spec in ORGANISATIONS:
        if not spec.is_active:
            continue
        organisation = registry[spec.key]
        names = rng.sample(CONTACT_NAMES[spec.country], k=rng.choice([1, 1, 2]))
        for index, full_name in enumerate(names):
            shared = rng.random() < 0.55
            handle = full_name.lower().replace(" ", ".").encode("ascii", "ignore").decode()
            ContactPerson.objects.create(
                organisation=organisation,
                full_name=full_name,
                position=POSITIONS[0] if index == 0 else rng.choice(POSITIONS[1:]),
                email=f"{handle}@{spec.key}.example",
                phone=_phone(spec.country, rng.randrange(2000, 9999)),
                languages=LANGUAGES[spec.country][:2],
                shared_with_network=shared,
                consent_recorded_at=now - datetime.timedelta(days=rng.randrange(30, 400)) if shared else None,
                consent_recorded_by=consent_by if shared else None,
            )


def terms_of_reference(spec: GroupSpec, chair: Organisation) -> str:
    if spec.level == CooperationGroup.Level.REGIONAL:
        scope = f"the {spec.region} region"
    elif spec.level == CooperationGroup.Level.NATIONAL:
        scope = "the country"
    else:
        scope = "the Western Balkans"
    return (
        "Purpose. The group brings together the public bodies, NGOs and international organisations that "
        f"identify, protect and assist victims of trafficking in {scope}, so that every presumed victim is "
        "referred quickly to the services they need.\n\n"
        f"Chair. {chair.name} chairs the group for two years and keeps its records.\n\n"
        "Meetings. The group meets at least every quarter; the chair or any two members may call an "
        "extraordinary meeting. Decisions are taken by consensus and recorded in the minutes, each with "
        "the organisation responsible and a due date.\n\n"
        "Confidentiality. Members never share a victim's identity in a group meeting; cases are discussed "
        "only in aggregated, anonymised form."
    )


def load_groups(registry: Registry, places: Jurisdictions, rng: random.Random) -> None:
    today = timezone.localdate()
    founded = today - datetime.timedelta(days=720)
    memberships: list[GroupMembership] = []
    for spec in GROUPS:
        chair = registry[spec.chair]
        group = CooperationGroup.objects.create(
            name=spec.name,
            name_en=spec.name,
            name_sq=spec.name_sq or None,
            level=spec.level,
            country=places.countries[spec.country] if spec.country else None,
            region=places.region(spec.country, spec.region) if spec.country and spec.region else None,
            chair=chair,
            terms_of_reference=terms_of_reference(spec, chair),
            created_at=timezone.now() - datetime.timedelta(days=720),
        )
        memberships.extend(
            GroupMembership(
                group=group,
                organisation=registry[key],
                joined_at=founded + datetime.timedelta(days=rng.choice([0, 0, 0, 90, 180])),
            )
            for key in spec.members
        )
        memberships.extend(
            GroupMembership(
                group=group,
                organisation=registry[key],
                joined_at=founded,
                left_at=today - datetime.timedelta(days=200),
            )
            for key in spec.former_members
        )
        registry.groups[spec.key] = group
    GroupMembership.objects.bulk_create(memberships)
