"""Writes of identification screening: loading the versioned tools, recording a screening, and turning a
screening into a case with the person's consent.

A screening suggests (cases/scoring.py); it never decides. Nothing here sets `Case.trafficking_status`
beyond the default "possible victim" a new case starts with.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.models import AuditEvent
from concord.cases import scoring
from concord.cases.models import Case, CaseAssignment, Consent, Screening, ScreeningTool
from concord.cases.querysets import case_roles
from concord.cases.vocabulary import Sex

if TYPE_CHECKING:
    from concord.accounts.models import User
    from concord.network.models import Organisation

TOOLS_DIR = Path(__file__).resolve().parent.parent / "screening_tools"

# The parts of a JSON file that make up one tool version; any change to them is a new version.
_TOOL_FIELDS = ("name", "population", "exploitation", "source")
_DEFINITION_KEYS = ("dimensions", "indicators", "rule", "i18n")


# --- Tools ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedTool:
    tool: ScreeningTool
    created: bool


@transaction.atomic
def load_screening_tools(directory: Path | None = None) -> list[LoadedTool]:
    """Load every `*.json` tool definition in `directory` (cases/screening_tools by default).

    Idempotent: an unchanged definition is left alone; a changed one becomes a new version of its slug,
    which is marked current while older versions are not. Screenings keep pointing at the version they
    were made with. A definition the rule engine cannot use is refused before anything is written."""
    loaded: list[LoadedTool] = []
    for path in sorted((directory or TOOLS_DIR).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        problems = scoring.validate_definition(data)
        if problems:
            raise ValueError(f"{path.name}: " + " ".join(problems))
        slug = data["slug"]
        fields = {name: data.get(name, "") for name in _TOOL_FIELDS}
        definition = {key: data[key] for key in _DEFINITION_KEYS if key in data}
        versions = ScreeningTool.objects.select_for_update().filter(slug=slug).order_by("-version")
        latest = versions.first()
        if (
            latest is not None
            and latest.definition == definition
            and all(getattr(latest, name) == value for name, value in fields.items())
        ):
            if not latest.is_current:
                versions.update(is_current=False)
                ScreeningTool.objects.filter(pk=latest.pk).update(is_current=True)
                latest.is_current = True
            loaded.append(LoadedTool(latest, created=False))
            continue
        versions.update(is_current=False)
        tool = ScreeningTool.objects.create(
            slug=slug,
            version=(latest.version + 1) if latest else 1,
            definition=definition,
            is_current=True,
            **fields,
        )
        AuditEvent.record(
            action="cases.screening_tool_loaded", target=tool, detail={"slug": slug, "version": tool.version}
        )
        loaded.append(LoadedTool(tool, created=True))
    return loaded


# --- Who may screen -------------------------------------------------------------------------------------


def screening_organisation_ids(user: Any) -> frozenset[int]:
    """Organisations for which the user may screen: those they are a case manager or caseworker of."""
    roles = case_roles(user)
    return roles.managed | roles.worked


def can_screen(user: Any) -> bool:
    return bool(screening_organisation_ids(user))


def can_open_case(user: Any, screening: Screening) -> bool:
    """Case managers of the screening's organisation, and the caseworker who screened (the screenings a
    caseworker sees are their own). Only while the screening has not become a case."""
    roles = case_roles(user)
    if screening.case_id is not None:
        return False
    if screening.organisation_id in roles.managed:
        return True
    return screening.organisation_id in roles.worked and screening.screened_by_id == user.pk


def clean_answers(tool: ScreeningTool, answers: Mapping[str, Any]) -> dict[str, str]:
    """Every indicator of the tool answered: the given answers, and "unknown" for the rest. Ids the tool
    does not have and values other than yes/no/unknown are refused."""
    known = scoring.indicator_ids(tool.definition)
    unknown_ids = sorted(str(key) for key in answers if key not in known)
    if unknown_ids:
        raise ValidationError(
            {
                "answers": _("%(tool)s (version %(version)s) has no indicator %(ids)s.")
                % {"tool": tool.slug, "version": tool.version, "ids": ", ".join(unknown_ids)}
            }
        )
    bad = sorted(key for key, value in answers.items() if value not in scoring.ANSWER_VALUES)
    if bad:
        raise ValidationError(
            {"answers": _("Answer yes, no or unknown for %(ids)s.") % {"ids": ", ".join(bad)}}
        )
    return {indicator_id: str(answers.get(indicator_id, scoring.UNKNOWN)) for indicator_id in known}


# --- Screenings -----------------------------------------------------------------------------------------


@transaction.atomic
def record_screening(
    *,
    by: User,
    organisation: Organisation,
    tool: ScreeningTool,
    answers: Mapping[str, Any],
    person_alias: str = "",
    place: str = "",
    interpreter_used: bool = False,
    age_estimate: int | None = None,
    notes: str = "",
) -> Screening:
    """Record a screening made for `organisation` with the current version of `tool`. Case managers and
    caseworkers of that organisation only. The profile and the suggestion are computed here."""
    if organisation.pk not in screening_organisation_ids(by):
        raise PermissionDenied
    if not tool.is_current:
        raise ValidationError(
            {"tool": _("This version of the tool has been replaced; start again with the current one.")}
        )
    if age_estimate is not None and not 0 <= age_estimate <= 120:
        raise ValidationError({"age_estimate": _("Enter an age between 0 and 120.")})
    cleaned = clean_answers(tool, answers)
    assessment = scoring.assess(tool.definition, cleaned)
    screening = Screening.objects.create(
        tool=tool,
        organisation=organisation,
        screened_by=by,
        person_alias=person_alias,
        place=place,
        interpreter_used=interpreter_used,
        age_estimate=age_estimate,
        answers=cleaned,
        profile=assessment.as_profile(),
        suggestion=assessment.suggestion,
        notes=notes,
    )
    AuditEvent.record(
        action="cases.screening_recorded",
        actor=by,
        target=screening,
        organisation=organisation,
        detail={"tool": tool.slug, "version": tool.version, "suggestion": assessment.suggestion},
    )
    return screening


def record_screening_viewed(*, screening: Screening, by: User) -> None:
    """A screening page or record was read (it carries the person's alias)."""
    AuditEvent.record(
        action="cases.screening_viewed",
        actor=by,
        target=screening,
        organisation=screening.organisation,
        detail={"screening": screening.pk},
    )


CONSENT_METHODS_NEEDING_A_NAME = (Consent.Method.ORAL_WITH_WITNESS, Consent.Method.GUARDIAN)


@transaction.atomic
def open_case_from_screening(
    *,
    screening: Screening,
    by: User,
    consent_method: str,
    consent_given_on: datetime.date | None,
    consent_witness: str = "",
    sex: str = "Unknown",
) -> Case:
    """Turn a screening into a case, with the person's consent to assistance: the case (owned by the
    screening's organisation, status "possible victim"), the consent, the link from the screening, and
    the screener's assignment when a caseworker. Refused without a complete consent."""
    # Lock the screening so that two people cannot open two cases from it at once.
    locked = Screening.objects.select_for_update().filter(pk=screening.pk).values_list("case_id", flat=True)
    screening.case_id = locked.first()
    if not can_open_case(by, screening):
        if screening.case_id is not None:
            raise ValidationError(_("This screening has already become a case."))
        raise PermissionDenied
    errors: dict[str, str] = {}
    if consent_method not in Consent.Method.values:
        errors["consent_method"] = _("Record how the person gave consent to assistance.")
    if consent_given_on is None:
        errors["consent_given_on"] = _("Record when the person gave consent to assistance.")
    elif consent_given_on > timezone.localdate():
        errors["consent_given_on"] = _("The date cannot be in the future.")
    if consent_method in CONSENT_METHODS_NEEDING_A_NAME and not consent_witness.strip():
        errors["consent_witness"] = _("Name the witness or the guardian.")
    if sex not in Sex.values:
        errors["sex"] = _("Choose a value from the list.")
    if errors or consent_given_on is None:
        raise ValidationError(errors)
    organisation = screening.organisation
    roles = case_roles(by)
    case = Case.objects.create(
        owner=organisation,
        case_owner=by if organisation.pk in roles.managed else None,
        region=organisation.region,
        created_by=by,
        sex=sex,
        age_at_identification=screening.age_estimate,
        identified_on=timezone.localdate(screening.screened_at),
    )
    consent = Consent.objects.create(
        case=case,
        purpose=Consent.Purpose.ASSISTANCE,
        method=consent_method,
        witness=consent_witness.strip(),
        given_on=consent_given_on,
        recorded_by=by,
        organisation=organisation,
    )
    screening.case = case
    screening.save(update_fields=["case"])
    assigned = False
    if organisation.pk in roles.worked and organisation.pk not in roles.managed:
        CaseAssignment.objects.create(case=case, user=by, organisation=organisation, assigned_by=by)
        assigned = True
    AuditEvent.record(
        action="cases.case_opened_from_screening",
        actor=by,
        target=case,
        organisation=organisation,
        detail={"screening": screening.pk, "consent": consent.pk, "assigned_screener": assigned},
    )
    return case
