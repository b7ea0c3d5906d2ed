"""Who sees a case, and everything hanging from it. The one place the need-to-know rule lives.

For each of the user's active memberships:

- a **case manager** sees every case their organisation owns, and the cases referred to their
  organisation while the referral is accepted, in progress or completed and its consent stands;
- a **caseworker** sees the cases they are assigned to for that organisation, while that organisation
  owns the case or holds such a referral;
- every other role (organisation and network administrators, national coordinators, analysts, viewers)
  sees no case at all: they work with the registry, the coordination work and pooled statistics.

"Owner side" (the owning organisation's case managers and assigned caseworkers) sees the whole case.
"Receiving side" sees the referral card, the risk section, and the sections the sender chose to share
(`Referral.share_*`); rows the receiving organisation wrote itself are its own. A referral waiting for an
answer shows the receiver only its card (`ReferralQuerySet`), never the case. Anything else fails
closed: no membership, an ended membership or an anonymous user sees nothing.

`cases/access.py` turns the same rule into what one page may show and do for one case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from concord.accounts.models import User


@dataclass(frozen=True)
class CaseRoles:
    """The organisations in which the user manages cases, and those in which the user is a caseworker."""

    managed: frozenset[int]
    worked: frozenset[int]

    @property
    def any(self) -> bool:
        return bool(self.managed or self.worked)


def case_roles(user: Any) -> CaseRoles:
    from concord.accounts.models import Role

    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return CaseRoles(frozenset(), frozenset())
    cached: CaseRoles | None = getattr(user, "_case_roles_cache", None)
    if cached is None:
        managed: set[int] = set()
        worked: set[int] = set()
        for organisation_id, role, _country in user.membership_roles():
            if role == Role.CASE_MANAGER:
                managed.add(organisation_id)
            elif role == Role.CASEWORKER:
                worked.add(organisation_id)
        cached = CaseRoles(frozenset(managed), frozenset(worked))
        user._case_roles_cache = cached
    return cached


def _open_assignments(user: User, organisation_ids: frozenset[int]) -> models.QuerySet:
    from concord.cases.models import CaseAssignment

    return CaseAssignment.objects.filter(
        user=user, organisation_id__in=organisation_ids, ended_at__isnull=True
    )


def _live_referrals() -> models.QuerySet:
    """Referrals that give the receiver a reason to read the case: accepted, in progress or completed, and
    covered by a consent that has not been withdrawn (or by a recorded override)."""
    from concord.cases.models import ACCESS_STATES, Referral

    # A consent counts only if it is this case's consent to a referral to this receiver.
    return Referral.objects.filter(state__in=ACCESS_STATES).filter(
        models.Q(consent__isnull=True, consent_override_reason__gt="")
        | models.Q(
            consent__isnull=False,
            consent__withdrawn_on__isnull=True,
            consent__purpose="referral",
            consent__case_id=models.F("case_id"),
            consent__recipient_id=models.F("to_organisation_id"),
        )
    )


def owner_side_q(user: User, roles: CaseRoles) -> models.Q:
    """Cases the user sees whole: owned by an organisation they manage cases for, or assigned to them for
    the owning organisation."""
    q = models.Q(owner_id__in=roles.managed) if roles.managed else models.Q(pk__in=[])
    if roles.worked:
        q |= models.Q(
            pk__in=_open_assignments(user, roles.worked)
            .filter(organisation_id=models.F("case__owner_id"))
            .values("case_id")
        )
    return q


def receiving_side_q(user: User, roles: CaseRoles, *, section: str | None = None) -> models.Q:
    """Cases referred to the user's organisation (see the module docstring). With `section`, only the
    referrals that share that section."""
    referrals = _live_referrals()
    if section is not None:
        referrals = referrals.filter(**{f"share_{section}": True})
    q = models.Q(pk__in=[])
    if roles.managed:
        q |= models.Q(pk__in=referrals.filter(to_organisation_id__in=roles.managed).values("case_id"))
    if roles.worked:
        assigned_to_receiver = _open_assignments(user, roles.worked).filter(
            case_id=models.OuterRef("case_id"), organisation_id=models.OuterRef("to_organisation_id")
        )
        q |= models.Q(
            pk__in=referrals.filter(to_organisation_id__in=roles.worked)
            .filter(models.Exists(assigned_to_receiver))
            .values("case_id")
        )
    return q


def _receiving_through(user: User, roles: CaseRoles) -> models.QuerySet:
    """For a related row (as OuterRef): a live referral of the row's case to the row's organisation, which
    the user acts for (as its case manager, or as its caseworker assigned to the case)."""
    referrals = _live_referrals().filter(
        case_id=models.OuterRef("case_id"), to_organisation_id=models.OuterRef("organisation_id")
    )
    assigned = _open_assignments(user, roles.worked).filter(
        case_id=models.OuterRef("case_id"), organisation_id=models.OuterRef("to_organisation_id")
    )
    return referrals.filter(
        models.Q(to_organisation_id__in=roles.managed)
        | models.Q(models.Q(to_organisation_id__in=roles.worked), models.Exists(assigned))
    )


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CaseQuerySet:
        """Every case the user may open: owner side or receiving side. Fails closed."""
        roles = case_roles(user)
        if not roles.any:
            return self.none()
        return self.filter(owner_side_q(user, roles) | receiving_side_q(user, roles))

    def owned_for(self, user: Any) -> CaseQuerySet:
        """The cases the user sees whole (owner side)."""
        roles = case_roles(user)
        if not roles.any:
            return self.none()
        return self.filter(owner_side_q(user, roles))

    def open(self) -> CaseQuerySet:
        return self.exclude(status__in=["Closed", "ClosedReferred"])


class CaseRelatedQuerySet(models.QuerySet):
    """Rows hanging from a case (events, plans, services, notes, documents, consents, proceedings).

    Visible whole on the owner side; on the receiving side when the referral shares the model's section,
    or when the row was written by the receiving organisation itself."""

    def visible_to(self, user: Any) -> CaseRelatedQuerySet:
        from concord.cases.models import Case

        roles = case_roles(user)
        if not roles.any:
            return self.none()
        section = SECTION_OF_MODEL.get(self.model._meta.model_name)
        owner_side = Case.objects.filter(owner_side_q(user, roles)).values("pk")
        q = models.Q(case__in=owner_side)
        if section is not None:
            shared = Case.objects.filter(receiving_side_q(user, roles, section=section)).values("pk")
            q |= models.Q(case__in=shared)
        if "organisation" in {f.name for f in self.model._meta.fields}:
            # Rows written by an organisation through which the user receives this very case.
            q |= models.Q(models.Exists(_receiving_through(user, roles)))
        return self.filter(q)


# Which shared section lets the receiving side read each related model (None: owner side only).
SECTION_OF_MODEL: dict[str, str | None] = {
    "traffickingevent": "events",
    "supportplan": "support_plan",
    "servicedelivery": "services",
    "legalproceeding": "proceedings",
    "casedocument": "documents",
    "casenote": "notes",
    "consent": None,
    "caseassignment": None,
}


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ReferralQuerySet:
        """Referrals the user may see (as a card at least):

        - sent by an organisation whose side of the case the user works on (its case managers, its
          caseworkers assigned to the case);
        - received by an organisation the user manages cases for or is a caseworker of, in any state but
          draft (its inbox: a card without identities; the one who accepts is assigned to the case);
        - transnational referrals touching a country the user is national coordinator for, as a card
          without identities (the coordinators of both countries are informed)."""
        roles = case_roles(user)
        active = getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
        coordinated = user.coordinated_country_codes() if active else set()
        if not roles.any and not coordinated:
            return self.none()
        q = models.Q(pk__in=[])
        if roles.managed:
            q |= models.Q(from_organisation_id__in=roles.managed)
            q |= models.Q(to_organisation_id__in=roles.managed) & ~models.Q(state="draft")
        if roles.worked:
            assigned = _open_assignments(user, roles.worked).filter(
                case_id=models.OuterRef("case_id"), organisation_id=models.OuterRef("from_organisation_id")
            )
            q |= models.Q(models.Q(from_organisation_id__in=roles.worked), models.Exists(assigned))
            q |= models.Q(to_organisation_id__in=roles.worked) & ~models.Q(state="draft")
        if coordinated:
            q |= (
                models.Q(is_transnational=True)
                & ~models.Q(state="draft")
                & (
                    models.Q(from_organisation__country_id__in=coordinated)
                    | models.Q(to_organisation__country_id__in=coordinated)
                )
            )
        return self.filter(q)

    def inbox_of(self, organisation_ids: set[int] | frozenset[int]) -> ReferralQuerySet:
        return self.filter(to_organisation_id__in=organisation_ids).exclude(state="draft")

    def outbox_of(self, organisation_ids: set[int] | frozenset[int]) -> ReferralQuerySet:
        return self.filter(from_organisation_id__in=organisation_ids)

    def overdue(self) -> ReferralQuerySet:
        from django.utils import timezone

        from concord.cases.models import OPEN_STATES

        return self.filter(state__in=OPEN_STATES, due_at__lt=timezone.now())


class ScreeningQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ScreeningQuerySet:
        """Screenings of the organisations the user manages cases for, and the user's own screenings for an
        organisation they still work in. Once a screening became a case, the case's owner side too."""
        roles = case_roles(user)
        if not roles.any:
            return self.none()
        from concord.cases.models import Case

        q = models.Q(organisation_id__in=roles.managed) | models.Q(
            screened_by=user, organisation_id__in=roles.worked
        )
        q |= models.Q(case__in=Case.objects.filter(owner_side_q(user, roles)).values("pk"))
        return self.filter(q)


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)
