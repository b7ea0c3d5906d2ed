"""Input of the screening pages: the screening itself (one yes/no/unknown question per indicator, grouped
by dimension) and the consent that turns a screening into a case. The services decide who may write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.cases import scoring
from concord.cases.models import Consent, ScreeningTool
from concord.cases.services.screening import CONSENT_METHODS_NEEDING_A_NAME
from concord.cases.vocabulary import Sex
from concord.network.models import Organisation

ANSWER_CHOICES = [
    (scoring.YES, _("Yes")),
    (scoring.NO, _("No")),
    (scoring.UNKNOWN, _("Unknown")),
]
INDICATOR_PREFIX = "indicator_"


class ScreeningForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Screening for"), queryset=Organisation.objects.none(), empty_label=None
    )
    person_alias = forms.CharField(
        label=_("Alias or first name"),
        max_length=100,
        required=False,
        help_text=_("Only what the person agreed to give."),
    )
    age_estimate = forms.IntegerField(
        label=_("Age or estimated age"),
        min_value=0,
        max_value=120,
        required=False,
        help_text=_("When in doubt whether the person is under 18, treat them as a child."),
    )
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    interpreter_used = forms.BooleanField(label=_("An interpreter was used"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No names of third persons."),
    )

    def __init__(self, *args: Any, tool: ScreeningTool, organisation_ids: frozenset[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.tool = tool
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=organisation_ids).order_by("name")  # type: ignore[attr-defined]
        self.only_organisation_id = next(iter(organisation_ids)) if len(organisation_ids) == 1 else None
        if self.only_organisation_id is not None:
            field.initial = self.only_organisation_id
            field.required = False
            field.widget = forms.HiddenInput()
        for indicator in tool.definition["indicators"]:
            self.fields[INDICATOR_PREFIX + indicator["id"]] = forms.ChoiceField(
                label=indicator["text"],
                choices=ANSWER_CHOICES,
                initial=scoring.UNKNOWN,
                required=False,  # left out counts as unknown
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                help_text=scoring.STRENGTH_LABELS.get(indicator["strength"], ""),
            )

    def clean_organisation(self) -> Organisation | None:
        organisation = self.cleaned_data.get("organisation")
        if organisation is None and self.only_organisation_id is not None:
            organisation = Organisation.objects.get(pk=self.only_organisation_id)
        return organisation

    def dimension_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The indicator questions under their dimension, in the tool's order."""
        groups = []
        for dimension in self.tool.definition["dimensions"]:
            fields = [
                self[INDICATOR_PREFIX + indicator["id"]]
                for indicator in self.tool.definition["indicators"]
                if indicator["dimension"] == dimension["id"]
            ]
            groups.append((scoring.dimension_label(dimension), fields))
        return groups

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("person_alias", "age_estimate", "place", "interpreter_used", "notes")]

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix(INDICATOR_PREFIX): value or scoring.UNKNOWN
            for name, value in self.cleaned_data.items()
            if name.startswith(INDICATOR_PREFIX)
        }


class OpenCaseForm(forms.Form):
    """The person's consent to assistance, without which no case is opened from a screening."""

    consent_given = forms.BooleanField(
        label=_(
            "The person agreed to receive assistance, after being told what it means in a language "
            "they understand"
        ),
        required=True,
        error_messages={"required": _("A case is opened only with the person's consent to assistance.")},
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"), choices=[("", "---------"), *Consent.Method.choices]
    )
    consent_given_on = forms.DateField(
        label=_("Consent given on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    consent_witness = forms.CharField(
        label=_("Witness or guardian"),
        max_length=200,
        required=False,
        help_text=_("Required for oral consent (the witness) and for a guardian's consent."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_given_on"].initial = timezone.localdate()

    def clean_consent_given_on(self) -> Any:
        value = self.cleaned_data["consent_given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("consent_method") in CONSENT_METHODS_NEEDING_A_NAME
            and not data.get("consent_witness", "").strip()
        ):
            self.add_error("consent_witness", _("Name the witness or the guardian."))
        return data
