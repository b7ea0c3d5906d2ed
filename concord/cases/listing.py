"""One page of the case list, fast at 100,000 cases, and still through `Case.objects.visible_to`.

`visible_to` is one OR over the owner side and the receiving side; PostgreSQL answers it by reading every
case row (about 300 ms at 100,000 cases). So the list asks each part of that OR on its own, where an index
serves it (an organisation's own cases by `(owner, status, -created_at)`, assignments and referrals by
theirs), keeps the newest (page x size + 1) ids of each, merges them, and reads the page's rows through
`Case.objects.visible_to(user)` again: the union of the parts is the rule itself, and the final read
makes sure that no row outside it is ever shown. No COUNT: one more row than shown tells whether a next
page exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from concord.cases import vocabulary as v
from concord.cases.models import IDENTITY_FIELDS, Case
from concord.cases.querysets import case_roles, owner_side_q, receiving_side_q

MAX_PAGE = 200
# Not on a list row: deferring them skips decrypting 14 identity fields per row.
DEFERRED = (*IDENTITY_FIELDS, "risk_summary", "best_interests_decision", "closure_details")

Filters = Callable[[QuerySet[Case]], QuerySet[Case]]


@dataclass
class CasePage:
    number: int
    object_list: list[Case] = field(default_factory=list)
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(raw: Any) -> int:
    try:
        return max(1, min(int(raw), MAX_PAGE))
    except (TypeError, ValueError):
        return 1


def _disjuncts(q: Q) -> list[Q]:
    """The parts of an OR, flattened; anything else is one part."""
    if q.connector == Q.OR and not q.negated and len(q.children) > 1:
        parts: list[Q] = []
        for child in q.children:
            parts.extend(_disjuncts(child if isinstance(child, Q) else Q(child)))
        return parts
    return [q]


def _split(part: Q) -> list[Q]:
    """An organisation's own cases, one organisation and status at a time: each is an index range."""
    if len(part.children) == 1 and not part.negated and not isinstance(part.children[0], Q):
        lookup, value = part.children[0]  # type: ignore[misc]
        if lookup == "owner_id__in":
            return [
                Q(owner_id=owner, status=status) for owner in sorted(value) for status in v.CaseStatus.values
            ]
    return [part]


def case_page(
    user: Any, *, number: int, size: int, filters: Filters | None = None, among: set[int] | None = None
) -> CasePage:
    """Page `number` (from 1) of the cases `user` may open, newest first, with owner and region.
    `among`: only these case ids (a filter already narrowed to a set, e.g. by referral state); then the
    rule is asked at once, which the primary key index serves."""
    filters = filters or (lambda queryset: queryset)
    roles = case_roles(user)
    if not roles.any or (among is not None and not among):
        return CasePage(number=number)
    rule = owner_side_q(user, roles) | receiving_side_q(user, roles)
    wanted = number * size + 1
    newest: dict[int, Any] = {}
    pieces = [rule] if among is not None else [piece for part in _disjuncts(rule) for piece in _split(part)]
    for piece in pieces:
        queryset = filters(Case.objects.filter(piece))
        if among is not None:
            queryset = queryset.filter(pk__in=among)
        newest.update(queryset.order_by("-created_at", "-pk").values_list("pk", "created_at")[:wanted])
    ordered = sorted(newest, key=lambda pk: (newest[pk], pk), reverse=True)
    window = ordered[(number - 1) * size : number * size + 1]
    shown = window[:size]
    cases = {
        case.pk: case
        for case in filters(Case.objects.visible_to(user))
        .filter(pk__in=shown)
        .select_related("owner", "region")
        .defer(*DEFERRED)
    }
    return CasePage(
        number=number, object_list=[cases[pk] for pk in shown if pk in cases], has_next=len(window) > size
    )


def narrowing_ids(user: Any, *, service: str = "", referral_state: str = "") -> set[int] | None:
    """The case ids a service filter (delivered, or asked in a referral) and a referral-state filter
    leave, each read once through the visibility rule of its own rows; None when neither is set."""
    from concord.cases.models import Referral, ServiceDelivery

    among: set[int] | None = None
    if service:
        delivered = ServiceDelivery.objects.visible_to(user).filter(service=service)
        asked = Referral.objects.visible_to(user).filter(services__icontains=f'"{service}"')
        among = set(delivered.values_list("case_id", flat=True)) | set(
            asked.values_list("case_id", flat=True)
        )
    if referral_state:
        referrals = Referral.objects.visible_to(user).filter(state=referral_state)
        in_state = set(referrals.values_list("case_id", flat=True))
        among = in_state if among is None else among & in_state
    return among


def mark_referred(user: Any, cases: list[Case]) -> set[int]:
    """The ids among `cases` the user sees whole (owner side); the others were referred to them. Cases of
    an organisation the user manages cases for are owner side without asking; the rest are asked."""
    managed = case_roles(user).managed
    owned = {case.pk for case in cases if case.owner_id in managed}
    others = [case.pk for case in cases if case.pk not in owned]
    if others:
        owned |= set(Case.objects.owned_for(user).filter(pk__in=others).values_list("pk", flat=True))
    return owned


# Labels of the coded columns, looked up once per page rather than through get_FOO_display per row.
LABELS = {
    "status": v.CaseStatus,
    "sex": v.Sex,
    "trafficking_status": v.TraffickingStatus,
}


def label_rows(cases: list[Case]) -> None:
    """Set `<field>_label` on each case for the list's coded columns."""
    lookups = {
        name: {value: str(label) for value, label in choices.choices} for name, choices in LABELS.items()
    }
    for case in cases:
        for name, labels in lookups.items():
            value = getattr(case, name)
            setattr(case, f"{name}_label", labels.get(value, value))
