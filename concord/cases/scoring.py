"""The screening rule engine: a tool's definition (cases/screening_tools/*.json) and a person's answers in,
a suggestion with its reasons out. Pure: no database, no clock, no user.

The rule lives in the definition, not here. A definition holds:

- `dimensions`: `[{"id", "phase", "label"}]` (the six ILO/EC dimensions);
- `indicators`: `[{"id", "dimension", "strength": "strong" | "medium" | "weak", "text"}]`;
- `rule.dimension.positive_when_any`: conditions on how many indicators of each strength were answered
  "yes" (keys `strong`, `medium`, `weak`, `medium_or_weak`; each a minimum); a dimension is positive when
  any condition holds;
- `rule.possible_victim_when_any`: clauses, each `{"id", "label", "all": [requirement, ...]}`, where a
  requirement is `{"positive": [dimension ids]}` (one of them positive) or `{"any_yes": [dimension ids]}`
  (at least one of their indicators answered "yes");
- `rule.incomplete.unknown_more_than`: `[numerator, denominator]`; when more than that share of the
  indicators is unknown and no clause holds, the suggestion is "incomplete" rather than "no indication".

Only "yes" counts. "unknown" (and an indicator left unanswered) never counts as "yes", and every condition
is a minimum, so answering one more "yes" can never take a "possible victim" away.

The result is a suggestion for the person screening, never a decision: the trafficking status of a case is
decided by the competent authority (`Case.trafficking_status`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

YES, NO, UNKNOWN = "yes", "no", "unknown"
ANSWER_VALUES = (YES, NO, UNKNOWN)
STRENGTHS = ("strong", "medium", "weak")
CONDITION_KEYS = ("strong", "medium", "weak", "medium_or_weak")

POSSIBLE_VICTIM, NO_INDICATION, INCOMPLETE = "possible_victim", "no_indication", "incomplete"

# The six ILO/EC dimensions, translated here because the JSON definitions cannot carry gettext markers.
DIMENSION_LABELS = {
    "deceptive_recruitment": gettext_lazy("Deceptive recruitment"),
    "coercive_recruitment": gettext_lazy("Coercive recruitment"),
    "recruitment_abuse_of_vulnerability": gettext_lazy("Recruitment by abuse of vulnerability"),
    "exploitative_conditions": gettext_lazy("Exploitative conditions"),
    "coercion_at_destination": gettext_lazy("Coercion at destination"),
    "abuse_of_vulnerability_at_destination": gettext_lazy("Abuse of vulnerability at destination"),
}
STRENGTH_LABELS = {
    "strong": gettext_lazy("strong"),
    "medium": gettext_lazy("medium"),
    "weak": gettext_lazy("weak"),
}


@dataclass(frozen=True)
class DimensionResult:
    id: str
    label: str
    positive: bool
    yes: tuple[str, ...]  # ids of the indicators answered "yes"
    counts: dict[str, int]  # "yes" answers per strength
    unknown: int
    total: int
    reason: str


@dataclass(frozen=True)
class Assessment:
    suggestion: str
    dimensions: tuple[DimensionResult, ...]
    met_clauses: tuple[str, ...]
    reasons: tuple[str, ...]
    unknown: int
    total: int

    @property
    def positive_dimensions(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions if d.positive)

    def dimension(self, dimension_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def as_profile(self) -> dict[str, Any]:
        """What `Screening.profile` stores: ids and counts only, so the reasons can be shown again in any
        language from the same answers and tool version."""
        return {
            "dimensions": {
                d.id: {"positive": d.positive, "yes": list(d.yes), "counts": d.counts, "unknown": d.unknown}
                for d in self.dimensions
            },
            "met_clauses": list(self.met_clauses),
            "unknown": self.unknown,
            "total": self.total,
        }


class DefinitionError(ValueError):
    """A tool definition that does not follow the format above."""


def validate_definition(definition: Mapping[str, Any]) -> list[str]:
    """Everything wrong with a definition, in plain words (empty when it can be used)."""
    problems: list[str] = []
    dimensions = definition.get("dimensions")
    indicators = definition.get("indicators")
    rule = definition.get("rule")
    if not isinstance(dimensions, list) or not dimensions:
        return ["`dimensions` must be a non-empty list."]
    if not isinstance(indicators, list) or not indicators:
        return ["`indicators` must be a non-empty list."]
    if not isinstance(rule, dict):
        return ["`rule` must be an object."]
    dimension_ids = [d.get("id") for d in dimensions if isinstance(d, dict)]
    if len(dimension_ids) != len(dimensions) or len(set(dimension_ids)) != len(dimension_ids):
        problems.append("Every dimension needs a unique `id`.")
    seen: set[str] = set()
    for indicator in indicators:
        if not isinstance(indicator, dict) or not isinstance(indicator.get("id"), str):
            problems.append("Every indicator needs an `id`.")
            continue
        if indicator["id"] in seen:
            problems.append(f"Indicator id {indicator['id']!r} is used twice.")
        seen.add(indicator["id"])
        if indicator.get("dimension") not in dimension_ids:
            problems.append(f"Indicator {indicator['id']!r} names an unknown dimension.")
        if indicator.get("strength") not in STRENGTHS:
            problems.append(f"Indicator {indicator['id']!r} needs a strength: strong, medium or weak.")
        if not indicator.get("text"):
            problems.append(f"Indicator {indicator['id']!r} needs a text.")
    conditions = (rule.get("dimension") or {}).get("positive_when_any")
    if not isinstance(conditions, list) or not conditions:
        problems.append("`rule.dimension.positive_when_any` must be a non-empty list.")
    else:
        for condition in conditions:
            if (
                not isinstance(condition, dict)
                or not condition
                or any(k not in CONDITION_KEYS for k in condition)
                or any(not isinstance(n, int) or n < 1 for n in condition.values())
            ):
                problems.append(f"Dimension condition {condition!r} must map strengths to positive counts.")
    clauses = rule.get("possible_victim_when_any")
    if not isinstance(clauses, list) or not clauses:
        problems.append("`rule.possible_victim_when_any` must be a non-empty list.")
    else:
        for clause in clauses:
            requirements = clause.get("all") if isinstance(clause, dict) else None
            if not isinstance(requirements, list) or not requirements:
                problems.append("Every clause needs `all`: a non-empty list of requirements.")
                continue
            for requirement in requirements:
                if not isinstance(requirement, dict) or len(requirement) != 1:
                    problems.append(f"Requirement {requirement!r} must have exactly one key.")
                    continue
                ((kind, ids),) = requirement.items()
                if kind not in ("positive", "any_yes"):
                    problems.append(f"Requirement kind {kind!r} is unknown (positive, any_yes).")
                elif not isinstance(ids, list) or not ids or any(i not in dimension_ids for i in ids):
                    problems.append(f"Requirement {requirement!r} must list known dimensions.")
    share = (rule.get("incomplete") or {}).get("unknown_more_than")
    if not (isinstance(share, list) and len(share) == 2 and all(isinstance(n, int) and n > 0 for n in share)):
        problems.append("`rule.incomplete.unknown_more_than` must be [numerator, denominator].")
    return problems


def indicator_ids(definition: Mapping[str, Any]) -> list[str]:
    return [indicator["id"] for indicator in definition["indicators"]]


def dimension_label(dimension: Mapping[str, Any]) -> str:
    return str(DIMENSION_LABELS.get(dimension["id"], dimension.get("label", dimension["id"])))


def _condition_holds(condition: Mapping[str, int], counts: Mapping[str, int]) -> bool:
    available = {**counts, "medium_or_weak": counts["medium"] + counts["weak"]}
    return all(available[key] >= minimum for key, minimum in condition.items())


def _describe_condition(condition: Mapping[str, int]) -> str:
    parts = []
    for key, minimum in condition.items():
        if key == "medium_or_weak":
            parts.append(ngettext("%(n)d medium or weak", "%(n)d medium or weak", minimum) % {"n": minimum})
        else:
            parts.append(f"{minimum} {STRENGTH_LABELS[key]}")
    return " + ".join(parts)


def _describe_counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{counts[s]} {STRENGTH_LABELS[s]}" for s in STRENGTHS if counts[s])


def assess(definition: Mapping[str, Any], answers: Mapping[str, str]) -> Assessment:
    """Apply the definition's rule to `answers` ({indicator id: "yes" | "no" | "unknown"}). Indicators
    missing from `answers`, and values other than "yes"/"no", count as unknown."""
    rule = definition["rule"]
    conditions = rule["dimension"]["positive_when_any"]
    indicators = definition["indicators"]

    def answer(indicator_id: str) -> str:
        value = answers.get(indicator_id, UNKNOWN)
        return value if value in (YES, NO) else UNKNOWN

    results: list[DimensionResult] = []
    for dimension in definition["dimensions"]:
        own = [i for i in indicators if i["dimension"] == dimension["id"]]
        yes = tuple(i["id"] for i in own if answer(i["id"]) == YES)
        counts = {s: sum(1 for i in own if i["strength"] == s and answer(i["id"]) == YES) for s in STRENGTHS}
        unknown = sum(1 for i in own if answer(i["id"]) == UNKNOWN)
        met = next((c for c in conditions if _condition_holds(c, counts)), None)
        label = dimension_label(dimension)
        if met is not None:
            reason = _("%(dimension)s is present: %(counts)s answered yes, which meets %(rule)s.") % {
                "dimension": label,
                "counts": _describe_counts(counts),
                "rule": _describe_condition(met),
            }
        elif yes:
            reason = _("%(dimension)s is not present: %(counts)s answered yes, which meets no condition.") % {
                "dimension": label,
                "counts": _describe_counts(counts),
            }
        else:
            reason = _("%(dimension)s is not present: no indicator answered yes.") % {"dimension": label}
        results.append(
            DimensionResult(
                id=dimension["id"],
                label=label,
                positive=met is not None,
                yes=yes,
                counts=counts,
                unknown=unknown,
                total=len(own),
                reason=reason,
            )
        )

    by_id = {d.id: d for d in results}
    labels = {d.id: d.label for d in results}

    def requirement_holds(requirement: Mapping[str, list[str]]) -> bool:
        ((kind, ids),) = requirement.items()
        if kind == "positive":
            return any(by_id[i].positive for i in ids)
        return any(by_id[i].yes for i in ids)  # "any_yes"

    def describe_requirement(requirement: Mapping[str, list[str]]) -> str:
        ((kind, ids),) = requirement.items()
        names = _(" or ").join(labels[i] for i in ids)
        if kind == "positive":
            return _("%(names)s present") % {"names": names}
        return _("at least one indicator of %(names)s answered yes") % {"names": names}

    reasons: list[str] = []
    met_clauses: list[str] = []
    for clause in rule["possible_victim_when_any"]:
        requirements = clause["all"]
        holding = [requirement_holds(r) for r in requirements]
        if all(holding):
            met_clauses.append(clause["id"])
            reasons.append(
                _("The rule is met: %(parts)s.")
                % {"parts": _("; ").join(describe_requirement(r) for r in requirements)}
            )
    total = len(indicators)
    unknown = sum(1 for i in indicators if answer(i["id"]) == UNKNOWN)
    numerator, denominator = rule["incomplete"]["unknown_more_than"]
    if met_clauses:
        suggestion = POSSIBLE_VICTIM
    else:
        for clause in rule["possible_victim_when_any"]:
            missing = [describe_requirement(r) for r in clause["all"] if not requirement_holds(r)]
            reasons.append(_("The rule is not met: missing %(parts)s.") % {"parts": _("; ").join(missing)})
        if unknown * denominator > total * numerator:
            suggestion = INCOMPLETE
            reasons.append(
                _(
                    "%(unknown)d of %(total)d indicators are unknown, more than %(numerator)d in "
                    "%(denominator)d: too little is known to say there is no indication."
                )
                % {"unknown": unknown, "total": total, "numerator": numerator, "denominator": denominator}
            )
        else:
            suggestion = NO_INDICATION
    reasons.extend(d.reason for d in results if d.positive)
    return Assessment(
        suggestion=suggestion,
        dimensions=tuple(results),
        met_clauses=tuple(met_clauses),
        reasons=tuple(reasons),
        unknown=unknown,
        total=total,
    )
