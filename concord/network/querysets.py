"""Who sees what in the network registry.

The registry entry of an organisation and the list of cooperation groups are public to everyone in the
network (anyone with an active membership). What is not public goes through the functions below and
fails closed: no active membership means nothing at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from concord.accounts.models import User


def _in_network(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.organisation_ids())


def _administered_organisation_ids(user: User) -> set[int]:
    """Organisations the user administers as an organisation administrator (network administrators
    are handled by each caller, since they administer everything)."""
    from concord.accounts.models import Role

    return set(
        user.active_memberships().filter(role=Role.ORG_ADMIN).values_list("organisation_id", flat=True)
    )


class JurisdictionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> JurisdictionQuerySet:
        """Countries, regions and municipalities are the network's shared vocabulary: visible to anyone
        in the network, to nobody else."""
        if not _in_network(user):
            return self.none()
        return self


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> OrganisationQuerySet:
        """Every organisation's registry entry, for anyone in the network; nothing for anyone else."""
        if not _in_network(user):
            return self.none()
        return self

    def internal_to(self, user: User) -> OrganisationQuerySet:
        """Organisations whose internal notes the user may read: their own, and all for network
        administrators."""
        from concord.accounts.models import Role

        if not _in_network(user):
            return self.none()
        if user.has_role(Role.NETWORK_ADMIN):
            return self
        return self.filter(pk__in=user.organisation_ids())

    def with_internal_notes_for(self, user: User) -> OrganisationQuerySet:
        """Annotate `visible_internal_notes`: the internal notes where `internal_to(user)` allows them,
        None elsewhere. Pages and the API show notes only through this."""
        readable = OrganisationQuerySet(self.model, using=self.db).internal_to(user).values("pk")
        return self.annotate(
            visible_internal_notes=models.Case(
                models.When(pk__in=readable, then=models.F("internal_notes")),
                default=models.Value(None),
                output_field=models.TextField(null=True),
            )
        )

    def administered_by(self, user: User) -> OrganisationQuerySet:
        """Organisations whose registry entry and contact people the user may edit: those they are
        organisation administrator of; every organisation for network administrators."""
        from concord.accounts.models import Role

        if not _in_network(user):
            return self.none()
        if user.has_role(Role.NETWORK_ADMIN):
            return self
        return self.filter(pk__in=_administered_organisation_ids(user))

    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)


class ContactPersonQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ContactPersonQuerySet:
        """Contact people of the user's own organisations, plus those who consented to be shared with
        the network. Network administrators see all (they keep the directory). Without an active
        membership, nobody."""
        from concord.accounts.models import Role

        if not _in_network(user):
            return self.none()
        if user.has_role(Role.NETWORK_ADMIN):
            return self
        return self.filter(
            models.Q(organisation_id__in=user.organisation_ids()) | models.Q(shared_with_network=True)
        )

    def administered_by(self, user: User) -> ContactPersonQuerySet:
        """Contact people the user may edit: those of the organisations the user administers."""
        from concord.network.models import Organisation

        return self.filter(organisation__in=Organisation.objects.administered_by(user).values("pk"))


class CooperationGroupQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CooperationGroupQuerySet:
        """A group's name, level, members and terms of reference are public to the network."""
        if not _in_network(user):
            return self.none()
        return self

    def worked_in_by(self, user: User) -> CooperationGroupQuerySet:
        """Groups whose internal work (meetings, minutes, decisions, tasks) the user may see:
        groups their organisation currently belongs to; for a national coordinator, also the groups
        of their country; for network administrators, every group."""
        from concord.accounts.models import Role

        if not _in_network(user):
            return self.none()
        if user.has_role(Role.NETWORK_ADMIN):
            return self
        rule = models.Q(
            memberships__organisation_id__in=user.organisation_ids(), memberships__left_at__isnull=True
        )
        countries = user.coordinated_country_codes()
        if countries:
            rule |= models.Q(country_id__in=countries)
        return self.filter(pk__in=self.model._default_manager.filter(rule).values("pk"))

    def administered_by(self, user: User) -> CooperationGroupQuerySet:
        """Groups the user may edit and whose members the user may add or remove: every group for
        network administrators; for an organisation administrator, the groups their organisation
        chairs."""
        from concord.accounts.models import Role

        if not _in_network(user):
            return self.none()
        if user.has_role(Role.NETWORK_ADMIN):
            return self
        return self.filter(chair_id__in=_administered_organisation_ids(user))
