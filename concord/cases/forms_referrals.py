"""Forms of the consent and referral pages. They check input; the services check who may act and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.cases import vocabulary as v
from concord.cases.models import Case, Consent, ReferralService, ReferralState, SharedSection, Urgency
from concord.cases.services.consent import active_referral_consents
from concord.network.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    recipient: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation (for a referral)"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The organisation the person agreed to be referred to."),
    )
    method = forms.ChoiceField(label=_("How was it given?"), choices=Consent.Method.choices)
    witness = forms.CharField(
        label=_("Witness"), required=False, max_length=200, help_text=_("Required for oral consent.")
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["recipient"].queryset = Organisation.objects.active().exclude(pk=case.owner_id)  # type: ignore[attr-defined]

    def clean_given_on(self) -> Any:
        value = self.cleaned_data["given_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(org)s, given on %(date)s") % {"org": obj.recipient, "date": obj.given_on}


class ReferralForm(forms.Form):
    to_organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.none()
    )
    services = forms.MultipleChoiceField(
        label=_("Services asked for"), choices=ReferralService.choices, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    language = forms.CharField(
        label=_("Language"), max_length=3, required=False, help_text=_("ISO 639 code, e.g. sq.")
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=v.ReferralReason.choices, initial=v.ReferralReason.ADDITIONAL_SERVICES
    )
    details = forms.CharField(
        label=_("Details for the receiver"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Seen by the receiver only after acceptance. Do not write names here."),
    )
    shared_sections = forms.MultipleChoiceField(
        label=_("Share after acceptance"),
        choices=SharedSection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[SharedSection.PROFILE],
        help_text=_("Only what the receiver needs. The card and the risks always travel."),
    )
    consent = ConsentChoiceField(
        label=_("Consent"),
        queryset=Consent.objects.none(),
        required=False,
        help_text=_("An active referral consent naming the organisation."),
    )
    consent_override_reason = forms.CharField(
        label=_("Legal basis for referring without consent"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only when the law allows it (e.g. a child at risk). This is audited."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["to_organisation"].queryset = Organisation.objects.active().exclude(pk=case.owner_id)  # type: ignore[attr-defined]
        self.fields["consent"].queryset = active_referral_consents(case)  # type: ignore[attr-defined]
        if case.primary_language and not self.is_bound:
            self.initial.setdefault("language", case.primary_language)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        consent, override = data.get("consent"), (data.get("consent_override_reason") or "").strip()
        organisation = data.get("to_organisation")
        if consent is not None and organisation is not None and consent.recipient_id != organisation.pk:
            self.add_error("consent", _("This consent names another organisation."))
        if consent is not None and override:
            self.add_error("consent_override_reason", _("Give either a consent or a legal basis, not both."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanForm(forms.Form):
    plan = forms.CharField(
        label=_("Return or assistance plan"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    plan_status = forms.CharField(label=_("Plan status"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReferralListFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *list(ReferralState.choices)], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class DirectoryForm(forms.Form):
    case = forms.CharField(required=False, widget=forms.HiddenInput)
    service = forms.ChoiceField(
        label=_("Service"), choices=[("", _("Any")), *list(ReferralService.choices)], required=False
    )
    region: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Region"), queryset=Organisation.objects.none(), required=False
    )
    language = forms.CharField(label=_("Language"), max_length=3, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from concord.network.models import Region

        self.fields["region"].queryset = Region.objects.select_related("country").order_by("country", "name")  # type: ignore[attr-defined]
