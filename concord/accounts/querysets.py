"""Who administers whom: the organisations whose members, invitations and audit log a user may manage.

Network administrators administer every organisation; organisation administrators their own. Everyone
else administers nothing, and so sees no one's memberships but their own (through `User.memberships`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from concord.accounts.models import User
    from concord.network.models import Organisation


def is_network_admin(user: User) -> bool:
    from concord.accounts.models import Role

    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.has_role(Role.NETWORK_ADMIN)
    )


def org_admin_organisation_ids(user: User) -> set[int]:
    """Organisations in which the user holds an active organisation-administrator membership."""
    from concord.accounts.models import Role

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return {
        organisation_id
        for organisation_id, role, _country in user.membership_roles()
        if role == Role.ORG_ADMIN
    }


def administered_organisations(user: User) -> models.QuerySet[Organisation]:
    """The organisations whose members the user manages: all of them for network administrators, their
    own for organisation administrators, none for anyone else."""
    from concord.network.models import Organisation

    if is_network_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=org_admin_organisation_ids(user))


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> MembershipQuerySet:
        """Memberships (active and ended) of the organisations the user administers."""
        if is_network_admin(user):
            return self
        return self.filter(organisation_id__in=org_admin_organisation_ids(user))

    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)
