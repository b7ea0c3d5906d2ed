"""Input of the records pages (events, services, support plans, proceedings, documents, notes).

Forms parse and keep what was typed; the rules (dates not in the future, outcome valid for the stage, file
type and size...) live in `cases/services/records.py`, whose ValidationError the views put back on the
fields. The document form also checks size and type itself, so that a refused file is never read twice.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from concord.cases import documents
from concord.cases.models import (
    CaseDocument,
    CaseNote,
    LegalProceeding,
    Referral,
    ReferralService,
    ServiceDelivery,
    SupportPlan,
    TraffickingEvent,
)
from concord.common.forms import VersionedForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(forms.ModelForm):
    class Meta:
        model = TraffickingEvent
        fields = ["event_type", "date", "country", "state", "city", "description"]
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"country": _("Two-letter ISO code, such as AL or IT.")}


class ServiceForm(forms.ModelForm):
    service = forms.ChoiceField(label=_("Service"), choices=ReferralService.choices)
    referral: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Referral"),
        queryset=Referral.objects.none(),
        required=False,
        help_text=_("The referral this service answers."),
    )

    class Meta:
        model = ServiceDelivery
        fields = ["service", "referral", "started_on", "ended_on", "outcome", "notes"]
        widgets = {"started_on": DATE, "ended_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, referrals: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["referral"])
        field.queryset = referrals
        field.label_from_instance = _referral_label  # type: ignore[method-assign,assignment]


def _referral_label(referral: Referral) -> str:
    return f"{referral.from_organisation} → {referral.to_organisation} ({referral.get_state_display()})"


class SupportPlanForm(VersionedForm):
    class Meta:
        model = SupportPlan
        fields = [
            "plan_type",
            "objectives",
            "action_plan",
            "planned_end_date",
            "actual_end_date",
            "review_on",
        ]
        widgets = {
            "planned_end_date": DATE,
            "actual_end_date": DATE,
            "review_on": DATE,
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "action_plan": forms.Textarea(attrs={"rows": 5}),
        }


class ProceedingForm(VersionedForm):
    protection_measures = forms.MultipleChoiceField(
        label=_("Protection measures"),
        choices=LegalProceeding.ProtectionMeasure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LegalProceeding
        fields = [
            "stage",
            "outcome",
            "reference",
            "offence",
            "opened_on",
            "closed_on",
            "defendants",
            "sentence_months",
            "compensation_claimed",
            "compensation_awarded_eur",
            "statement_given",
            "joint_interview",
            "protection_measures",
            "notes",
        ]
        widgets = {
            "opened_on": DATE,
            "closed_on": DATE,
            "reference": forms.TextInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "outcome": _(
                "Charges filed or discontinued: investigation. Indicted or dropped: prosecution. "
                "Convicted, acquitted or under appeal: court."
            ),
            "reference": _("Police or court file number. Stored encrypted."),
        }


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseDocument.Kind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("Stored encrypted. The file's own name is not kept.")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, plain text, Word (DOCX) or Excel (XLSX). Stored encrypted."),
    )

    def clean_file(self) -> documents.CheckedUpload:
        uploaded = self.cleaned_data["file"]
        try:
            return documents.check_upload(documents.read_limited(uploaded, declared_size=uploaded.size))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["file"]) from error


class NoteForm(forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
