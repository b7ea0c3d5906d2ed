"""Writes to the network registry. Pages and API endpoints call these and nothing else.

Each service checks its own permission (through the `administered_by` scopes in querysets.py), runs in one
transaction, claims the record's version when it edits one, and records an AuditEvent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.audit.models import AuditEvent
from concord.common.concurrency import changed_fields, claim_version
from concord.network.models import (
    ContactPerson,
    CooperationGroup,
    GroupMembership,
    Organisation,
    OrganisationService,
    Region,
)

if TYPE_CHECKING:
    from concord.accounts.models import User

# The fields of a registry entry its administrators edit. Everything else (version, created_at) is ours.
ORGANISATION_FIELDS = frozenset(
    {
        "name",
        "short_name",
        "org_type",
        "sector",
        "country",
        "region",
        "municipality",
        "description",
        "email",
        "phone",
        "address",
        "website",
        "languages",
        "is_active",
        "internal_notes",
    }
)
CONTACT_FIELDS = frozenset({"full_name", "position", "email", "phone", "languages"})
GROUP_FIELDS = frozenset({"name", "level", "country", "region", "chair", "terms_of_reference", "is_active"})


@dataclass(frozen=True)
class ServiceOffer:
    """One service an organisation offers, as a form or an API payload states it."""

    kind: str
    capacity: int | None = None
    description: str = ""


def can_create_organisation(user: User) -> bool:
    """Only network administrators add organisations to the registry."""
    from concord.accounts.models import Role

    return user.has_role(Role.NETWORK_ADMIN)


def can_create_group(user: User) -> bool:
    """Only network administrators set up cooperation groups."""
    from concord.accounts.models import Role

    return user.has_role(Role.NETWORK_ADMIN)


def can_change_chair(user: User) -> bool:
    """The chair decides who administers a group, so only network administrators move it."""
    from concord.accounts.models import Role

    return user.has_role(Role.NETWORK_ADMIN)


def _check_fields(fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Fields that cannot be set here: {sorted(unknown)}")


def _set_services(organisation: Organisation, services: Sequence[ServiceOffer]) -> bool:
    """Make the organisation's services exactly `services`. Returns whether anything changed."""
    kinds = [offer.kind for offer in services]
    if len(kinds) != len(set(kinds)):
        raise ValidationError({"services": _("Each service can be listed only once.")})
    existing = {service.kind: service for service in organisation.services.all()}
    changed = False
    for offer in services:
        current = existing.pop(offer.kind, None)
        if current is None:
            OrganisationService.objects.create(
                organisation=organisation,
                kind=offer.kind,
                capacity=offer.capacity,
                description=offer.description,
            )
            changed = True
        elif (current.capacity, current.description) != (offer.capacity, offer.description):
            current.capacity = offer.capacity
            current.description = offer.description
            current.save(update_fields=["capacity", "description"])
            changed = True
    if existing:
        organisation.services.filter(kind__in=list(existing)).delete()
        changed = True
    return changed


def _set_areas(organisation: Organisation, areas: Iterable[Region]) -> bool:
    wanted = {region.pk for region in areas}
    current = set(organisation.areas_covered.values_list("pk", flat=True))
    if wanted == current:
        return False
    organisation.areas_covered.set(wanted)
    return True


@transaction.atomic
def create_organisation(
    *,
    by: User,
    fields: Mapping[str, Any],
    areas_covered: Iterable[Region] = (),
    services: Sequence[ServiceOffer] = (),
) -> Organisation:
    """Add an organisation to the registry. Network administrators only."""
    if not can_create_organisation(by):
        raise PermissionDenied
    _check_fields(fields, ORGANISATION_FIELDS)
    organisation = Organisation(**fields)
    organisation.full_clean(exclude=["areas_covered"])
    organisation.save()
    _set_areas(organisation, areas_covered)
    _set_services(organisation, services)
    AuditEvent.record(
        action="network.organisation_created",
        actor=by,
        target=organisation,
        detail={"services": sorted(offer.kind for offer in services)},
    )
    return organisation


@transaction.atomic
def update_organisation(
    *,
    organisation: Organisation,
    by: User,
    version: int | None,
    fields: Mapping[str, Any],
    areas_covered: Iterable[Region] | None = None,
    services: Sequence[ServiceOffer] | None = None,
) -> Organisation:
    """Edit a registry entry, including marking it dormant or active again. Network administrators and
    the organisation's own administrators only. Refused if someone saved it since `version`."""
    if not organisation.is_administered_by(by):
        raise PermissionDenied
    _check_fields(fields, ORGANISATION_FIELDS)
    claim_version(organisation, expected_version=version)
    changed = sorted(changed_fields(organisation, fields))
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean(exclude=["areas_covered"])
    organisation.save(update_fields=[*fields, "version"])
    if areas_covered is not None and _set_areas(organisation, areas_covered):
        changed.append("areas_covered")
    if services is not None and _set_services(organisation, services):
        changed.append("services")
    detail: dict[str, Any] = {"changed": changed}
    if "is_active" in changed:
        detail["is_active"] = organisation.is_active
    AuditEvent.record(action="network.organisation_updated", actor=by, target=organisation, detail=detail)
    return organisation


def _record_consent(contact: ContactPerson, *, shared: bool, by: User) -> None:
    # Who recorded the person's consent, and when, is set here and nowhere else. Withdrawing consent
    # clears both: the audit trail keeps the history.
    contact.shared_with_network = shared
    contact.consent_recorded_at = timezone.now() if shared else None
    contact.consent_recorded_by = by if shared else None


@transaction.atomic
def create_contact(
    *,
    organisation: Organisation,
    by: User,
    fields: Mapping[str, Any],
    shared_with_network: bool = False,
) -> ContactPerson:
    """Add a contact person to an organisation. Its administrators and network administrators only.
    `shared_with_network` states that the person consented to be seen by the whole network."""
    if not organisation.is_administered_by(by):
        raise PermissionDenied
    _check_fields(fields, CONTACT_FIELDS)
    contact = ContactPerson(organisation=organisation, **fields)
    _record_consent(contact, shared=shared_with_network, by=by)
    contact.full_clean()
    contact.save()
    AuditEvent.record(
        action="network.contact_created",
        actor=by,
        target=contact,
        organisation=organisation,
        detail={"shared_with_network": shared_with_network},
    )
    if shared_with_network:
        AuditEvent.record(
            action="network.contact_consent_changed",
            actor=by,
            target=contact,
            organisation=organisation,
            detail={"shared_with_network": True},
        )
    return contact


@transaction.atomic
def update_contact(
    *,
    contact: ContactPerson,
    by: User,
    version: int | None,
    fields: Mapping[str, Any],
    shared_with_network: bool | None = None,
) -> ContactPerson:
    """Edit a contact person; giving or withdrawing their consent to be shared with the network is
    recorded with who did it. Withdrawing consent hides the person from other organisations at once."""
    if not contact.organisation.is_administered_by(by):
        raise PermissionDenied
    _check_fields(fields, CONTACT_FIELDS)
    claim_version(contact, expected_version=version)
    stored_sharing = (
        ContactPerson.objects.filter(pk=contact.pk).values_list("shared_with_network", flat=True).get()
    )
    changed = sorted(changed_fields(contact, fields))
    for name, value in fields.items():
        setattr(contact, name, value)
    update_fields = [*fields, "version"]
    consent_changed = shared_with_network is not None and shared_with_network != stored_sharing
    if consent_changed:
        _record_consent(contact, shared=bool(shared_with_network), by=by)
        update_fields += ["shared_with_network", "consent_recorded_at", "consent_recorded_by"]
    contact.full_clean()
    contact.save(update_fields=update_fields)
    AuditEvent.record(
        action="network.contact_updated",
        actor=by,
        target=contact,
        organisation=contact.organisation,
        detail={"changed": changed},
    )
    if consent_changed:
        AuditEvent.record(
            action="network.contact_consent_changed",
            actor=by,
            target=contact,
            organisation=contact.organisation,
            detail={"shared_with_network": contact.shared_with_network},
        )
    return contact


def _check_chair_change(group: CooperationGroup, chair: Organisation | None, by: User) -> None:
    stored_chair = CooperationGroup.objects.filter(pk=group.pk).values_list("chair_id", flat=True).get()
    if (chair.pk if chair else None) == stored_chair:
        return
    if not can_change_chair(by):
        raise PermissionDenied
    if chair is not None and chair.pk not in group.current_member_ids():
        raise ValidationError({"chair": _("The chair must be a current member of the group.")})


@transaction.atomic
def create_group(
    *, by: User, fields: Mapping[str, Any], members: Iterable[Organisation] = ()
) -> CooperationGroup:
    """Set up a cooperation group, with its first members (the chair always among them). Network
    administrators only."""
    if not can_create_group(by):
        raise PermissionDenied
    _check_fields(fields, GROUP_FIELDS)
    group = CooperationGroup(**fields)
    group.full_clean()
    group.save()
    founding = {organisation.pk: organisation for organisation in members}
    if group.chair is not None:
        founding.setdefault(group.chair.pk, group.chair)
    for organisation in founding.values():
        GroupMembership.objects.create(group=group, organisation=organisation)
    AuditEvent.record(
        action="network.group_created",
        actor=by,
        target=group,
        detail={"members": sorted(founding)},
    )
    return group


@transaction.atomic
def update_group(
    *, group: CooperationGroup, by: User, version: int | None, fields: Mapping[str, Any]
) -> CooperationGroup:
    """Edit a group. Network administrators, and the chair organisation's administrators (who may not
    hand the chair to another organisation)."""
    if not group.is_administered_by(by):
        raise PermissionDenied
    _check_fields(fields, GROUP_FIELDS)
    if "chair" in fields:
        _check_chair_change(group, fields["chair"], by)
    claim_version(group, expected_version=version)
    changed = sorted(changed_fields(group, fields))
    for name, value in fields.items():
        setattr(group, name, value)
    group.full_clean()
    group.save(update_fields=[*fields, "version"])
    AuditEvent.record(action="network.group_updated", actor=by, target=group, detail={"changed": changed})
    return group


@transaction.atomic
def add_group_member(
    *, group: CooperationGroup, organisation: Organisation, by: User, joined_at: date | None = None
) -> GroupMembership:
    """An organisation joins the group. Refused if it is already a current member."""
    if not group.is_administered_by(by):
        raise PermissionDenied
    if group.memberships.filter(organisation=organisation, left_at__isnull=True).exists():
        raise ValidationError({"organisation": _("This organisation is already a member of the group.")})
    membership = GroupMembership.objects.create(
        group=group, organisation=organisation, joined_at=joined_at or timezone.localdate()
    )
    AuditEvent.record(
        action="network.group_member_added",
        actor=by,
        target=group,
        detail={"organisation": organisation.pk, "joined_at": membership.joined_at.isoformat()},
    )
    return membership


@transaction.atomic
def remove_group_member(
    *, group: CooperationGroup, organisation: Organisation, by: User, left_at: date | None = None
) -> GroupMembership:
    """An organisation leaves the group. The membership is ended (left_at), never deleted, so the
    group's history stays whole. The chair organisation cannot leave while it chairs."""
    if not group.is_administered_by(by):
        raise PermissionDenied
    membership = (
        group.memberships.select_for_update().filter(organisation=organisation, left_at__isnull=True).first()
    )
    if membership is None:
        raise ValidationError({"organisation": _("This organisation is not a current member of the group.")})
    if group.chair_id == organisation.pk:
        raise ValidationError(
            {"organisation": _("The chair organisation cannot leave. Choose another chair first.")}
        )
    membership.left_at = left_at or timezone.localdate()
    if membership.left_at < membership.joined_at:
        raise ValidationError({"left_at": _("An organisation cannot leave before it joined.")})
    membership.save(update_fields=["left_at"])
    AuditEvent.record(
        action="network.group_member_removed",
        actor=by,
        target=group,
        detail={"organisation": organisation.pk, "left_at": membership.left_at.isoformat()},
    )
    return membership
