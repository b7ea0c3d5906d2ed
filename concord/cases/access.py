"""What one user may see and do on one case: the page-level reading of `querysets.py`'s rule.

Views and API endpoints fetch the case through `Case.objects.visible_to(user)` (a 404 otherwise), then ask
`case_access(user, case)` which tabs to show and which actions to offer. Services check the same
predicates again before they write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

from concord.cases.querysets import _live_referrals, case_roles

if TYPE_CHECKING:
    from concord.cases.models import Case


# Organisation types whose people may decide a trafficking status beyond "possible victim" (the
# competent authorities of the national referral mechanism). A deployment may widen it in settings.
DEFAULT_STATUS_DECIDING_ORG_TYPES = (
    "LawEnforcement",
    "CentralGovernmentOrganisation",
    "LocalGovernmentOrganisation",
    "ImmigrationService",
    "LegalService",
)

# Organisation types whose people record investigations, prosecutions and court outcomes.
PROCEEDING_ORG_TYPES = ("LawEnforcement", "LegalService", "CentralGovernmentOrganisation")


@dataclass(frozen=True)
class CaseAccess:
    """`owner_side`: sees and edits the whole case. Otherwise `received_sections` lists what accepted
    referrals share; `acting_organisation_ids` are the user's organisations that hold the case."""

    owner_side: bool = False
    managing: bool = False  # a case manager on the owner side
    received_sections: frozenset[str] = field(default_factory=frozenset)
    acting_organisation_ids: frozenset[int] = field(default_factory=frozenset)
    acting_org_types: frozenset[str] = field(default_factory=frozenset)
    # False once the case is closed (until its owner reopens it) or anonymised (for ever): it is then read
    # only, and every write predicate below answers no.
    writable: bool = True

    @property
    def any(self) -> bool:
        return self.owner_side or bool(self.acting_organisation_ids)

    def sees(self, section: str) -> bool:
        return self.owner_side or section in self.received_sections

    @property
    def sees_identity(self) -> bool:
        return self.sees("identity")

    @property
    def can_edit(self) -> bool:
        return self.owner_side and self.writable

    @property
    def can_manage(self) -> bool:
        """Assign caseworkers, close and reopen, transfer ownership."""
        return self.managing

    @property
    def can_refer(self) -> bool:
        return self.owner_side and self.writable

    @property
    def can_decide_status(self) -> bool:
        deciding = getattr(settings, "STATUS_DECIDING_ORG_TYPES", DEFAULT_STATUS_DECIDING_ORG_TYPES)
        return self.writable and bool(self.acting_org_types & set(deciding))

    @property
    def records_proceedings(self) -> bool:
        """The user acts for an organisation that records proceedings (reads its own, closed case or not)."""
        return bool(self.acting_org_types & set(PROCEEDING_ORG_TYPES))

    @property
    def can_record_proceedings(self) -> bool:
        return self.writable and self.records_proceedings

    @property
    def can_add_own_records(self) -> bool:
        """Services delivered, notes, support plans written by the user's own organisation."""
        return self.any and self.writable


def case_access(user: Any, case: Case) -> CaseAccess:
    from concord.cases.models import CaseAssignment
    from concord.network.models import Organisation

    roles = case_roles(user)
    if not roles.any:
        return CaseAccess()
    assigned_orgs = set(
        CaseAssignment.objects.filter(
            case=case, user=user, organisation_id__in=roles.worked, ended_at__isnull=True
        ).values_list("organisation_id", flat=True)
    )
    managing = case.owner_id in roles.managed
    owner_side = managing or case.owner_id in assigned_orgs
    acting: set[int] = {case.owner_id} if owner_side else set()
    sections: set[str] = set()
    for referral in _live_referrals().filter(case=case):
        to = referral.to_organisation_id
        if to in roles.managed or to in assigned_orgs:
            acting.add(to)
            sections.update(referral.shared_sections)
    org_types = set(Organisation.objects.filter(pk__in=acting).values_list("org_type", flat=True))
    return CaseAccess(
        owner_side=owner_side,
        managing=managing,
        received_sections=frozenset(sections),
        acting_organisation_ids=frozenset(acting),
        acting_org_types=frozenset(org_types),
        writable=case.anonymised_at is None and not case.is_closed,
    )


def ensure_writable(case: Case) -> None:
    """Refuse any write to a closed case (until it is reopened) or an anonymised one (for ever). Services
    call it first, whatever the page offered."""
    if case.anonymised_at is not None or case.is_closed:
        raise PermissionDenied
