"""The case the records tests work on, and the ways other organisations come to hold it.

- a case owned by Shelter North (anna manages it; sara is assigned to it);
- `refer_to_police(...)`: an accepted referral to Police Unit East (paul, a law-enforcement case manager),
  sharing the sections named;
- carla (Legal Clinic South), olga (organisation administrator), nikola, dora: never see the case.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from concord.cases.models import Case, Referral
from concord.cases.tests.factories import CaseAssignmentFactory, CaseFactory, ReferralFactory

OUTSIDERS = ["carla", "olga", "nikola", "dora", "alma", "vera"]


def shelter_case(*, anna: Any, sara: Any) -> Case:
    case = CaseFactory(owner=anna.active_membership().organisation, created_by=anna, case_owner=anna)
    CaseAssignmentFactory(case=case, user=sara, organisation=case.owner, assigned_by=anna)
    return case


def refer(case: Case, *, to: Any, **shared: bool) -> Referral:
    """An accepted referral of `case` to `to`, sharing the sections given as `share_<section>=True`."""
    flags = {f"share_{section}": value for section, value in shared.items()}
    return ReferralFactory(
        case=case, to_organisation=to, state="accepted", accepted_at=timezone.now(), **flags
    )
