"""Reads that combine several models: the ties between organisations, the coverage of services by
region, and the organisations a user reaches through their generic contact.

Every read starts from the user's scope (`visible_to`, `worked_in_by` and the tasks' own `visible_to`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.network.filters import name_matches
from concord.network.models import (
    ESSENTIAL_SERVICES,
    ContactPerson,
    CooperationGroup,
    Country,
    GroupMembership,
    Organisation,
    OrganisationService,
    Region,
    ServiceKind,
)

if TYPE_CHECKING:
    from concord.accounts.models import User


class TieKind(models.TextChoices):
    GROUP = "group", _("Members of the same group")
    TASK = "task", _("Task given across organisations")


@dataclass(frozen=True)
class Tie:
    """One reason two organisations are connected. `first_id` < `second_id`; `count` is the number of
    tasks for a task tie, 1 for a shared group."""

    first_id: int
    second_id: int
    kind: TieKind
    group: CooperationGroup
    count: int = 1


def network_ties(
    *, user: User, country: Country | None = None, group: CooperationGroup | None = None
) -> list[Tie]:
    """Ties between organisations, as far as the user may know them:

    - one tie for every active group two organisations currently both belong to (group membership is
      public to the network);
    - for every task an active group gave to an organisation outside its membership, a tie between
      that organisation and each current member, counting the tasks. Only tasks the user may see
      count (`Task.objects.visible_to`), so the map reveals no group's internal work.

    With `country`, only organisations of that country; with `group`, only that group's ties. Referrals
    between organisations will add a third kind of tie here.
    """
    from concord.coordination.models import Task

    groups = CooperationGroup.objects.visible_to(user).filter(is_active=True)
    if group is not None:
        groups = groups.filter(pk=group.pk)
    groups_by_id = {g.pk: g for g in groups}
    organisations = Organisation.objects.visible_to(user)
    if country is not None:
        organisations = organisations.filter(country=country)
    allowed = set(organisations.values_list("pk", flat=True))

    members: dict[int, set[int]] = defaultdict(set)
    current = GroupMembership.objects.filter(group_id__in=groups_by_id, left_at__isnull=True)
    for group_id, organisation_id in current.values_list("group_id", "organisation_id"):
        members[group_id].add(organisation_id)

    ties: list[Tie] = []
    for group_id in sorted(members):
        for first, second in combinations(sorted(members[group_id] & allowed), 2):
            ties.append(Tie(first, second, TieKind.GROUP, groups_by_id[group_id]))

    tasks = (
        Task.objects.visible_to(user)
        .filter(group_id__in=groups_by_id)
        .exclude(status=Task.Status.DROPPED)
        .values_list("group_id", "assigned_organisation_id")
    )
    for (group_id, assignee), count in sorted(Counter(tasks).items()):
        if assignee in members[group_id] or assignee not in allowed:
            continue
        for member in sorted(members[group_id] & allowed):
            first, second = sorted((assignee, member))
            ties.append(Tie(first, second, TieKind.TASK, groups_by_id[group_id], count))
    return ties


def tied_organisations(
    *, user: User, ties: Iterable[Tie], group: CooperationGroup | None = None, country: Country | None = None
) -> list[Organisation]:
    """The organisations to draw: those with a tie and, for one group, all its current members."""
    ids = {tie.first_id for tie in ties} | {tie.second_id for tie in ties}
    organisations = Organisation.objects.visible_to(user)
    if country is not None:
        organisations = organisations.filter(country=country)
    if group is not None:
        ids |= set(
            organisations.filter(
                pk__in=group.memberships.filter(left_at__isnull=True).values("organisation_id")
            ).values_list("pk", flat=True)
        )
    return list(organisations.filter(pk__in=ids).select_related("country", "region"))


@dataclass
class RegionCoverage:
    """Which kinds of service reach one region, and how many organisations offer each."""

    region: Region
    providers: dict[str, int] = field(default_factory=dict)

    def counts(self) -> list[int]:
        """Number of organisations for each kind of service, in `ServiceKind` order."""
        return [self.providers.get(kind, 0) for kind in ServiceKind.values]

    def missing(self) -> list[ServiceKind]:
        """The essential services no organisation offers here."""
        return [kind for kind in ESSENTIAL_SERVICES if not self.providers.get(kind)]


def service_coverage(*, user: User, country: Country | None = None) -> list[RegionCoverage]:
    """For each region, the organisations offering each kind of service there: those based in the
    region and those that cover it (`areas_covered`). Dormant organisations do not count."""
    regions = Region.objects.visible_to(user).select_related("country")
    if country is not None:
        regions = regions.filter(country=country)
    offered = OrganisationService.objects.filter(
        organisation__in=Organisation.objects.visible_to(user).active().values("pk")
    )
    providers: dict[tuple[int, str], set[int]] = defaultdict(set)
    based = offered.filter(organisation__region__isnull=False).values_list(
        "organisation__region_id", "kind", "organisation_id"
    )
    covering = offered.filter(organisation__areas_covered__isnull=False).values_list(
        "organisation__areas_covered", "kind", "organisation_id"
    )
    for rows in (based, covering):
        for region_id, kind, organisation_id in rows:
            providers[(region_id, kind)].add(organisation_id)
    return [
        RegionCoverage(
            region=region,
            providers={
                kind: len(providers[(region.pk, kind)])
                for kind in ServiceKind.values
                if (region.pk, kind) in providers
            },
        )
        for region in regions.order_by("country__name", "name")
    ]


def reached_by_generic_contact(
    *,
    user: User,
    country: Country | None = None,
    organisation: Organisation | None = None,
    search: str = "",
) -> models.QuerySet[Organisation]:
    """Organisations of which the user sees no contact person: the directory shows their generic
    e-mail and phone instead. It does not tell whether they have contacts the user cannot see."""
    with_contacts = ContactPerson.objects.visible_to(user).values("organisation_id")
    organisations = (
        Organisation.objects.visible_to(user).exclude(pk__in=with_contacts).select_related("country")
    )
    if country is not None:
        organisations = organisations.filter(country=country)
    if organisation is not None:
        organisations = organisations.filter(pk=organisation.pk)
    if search.strip():
        organisations = organisations.filter(name_matches(search.strip()))
    return organisations.order_by("name")
