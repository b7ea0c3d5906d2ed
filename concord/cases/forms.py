"""Input of the case pages: the profile, the identity, and the actions on a case.

Values are checked by `services.cases.validate_case_values` (the same check the API runs), and errors are
shown at their field with what the user typed kept. Who may write is decided by the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Membership
from concord.cases import vocabulary as v
from concord.cases.models import IDENTITY_FIELDS, Case, ReferralService, ReferralState
from concord.cases.services import cases as services
from concord.common.forms import VersionedForm, add_service_errors
from concord.network.models import Organisation, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseForm(VersionedForm):
    """The profile and risk of a case (no identity: that has its own tab behind re-authentication)."""

    mailing_country = forms.ChoiceField(label=_("country of residence"), required=False)
    country_of_exploitation = forms.ChoiceField(label=_("country of exploitation"), required=False)
    citizenship = forms.MultipleChoiceField(
        label=_("citizenship"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    recruitment_websites_and_apps = forms.MultipleChoiceField(
        label=_("recruitment websites and apps"),
        required=False,
        choices=v.WebsiteOrApp.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    methods_of_recruitment = forms.MultipleChoiceField(
        label=_("methods of recruitment"),
        required=False,
        choices=v.MethodOfRecruitment.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    methods_of_control = forms.MultipleChoiceField(
        label=_("methods of control"),
        required=False,
        choices=v.MethodOfControl.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    types_of_exploitation = forms.MultipleChoiceField(
        label=_("types of exploitation"),
        required=False,
        choices=v.TypeOfExploitation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    types_of_sex_exploitation = forms.MultipleChoiceField(
        label=_("types of sexual exploitation"),
        required=False,
        choices=v.TypeOfSexExploitation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    exploitation_websites_and_apps = forms.MultipleChoiceField(
        label=_("exploitation websites and apps"),
        required=False,
        choices=v.WebsiteOrApp.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = list(services.EDITABLE_FIELDS)
        widgets = {
            "identified_on": DATE,
            "reflection_period_starts_on": DATE,
            "reflection_period_ends_on": DATE,
            "risk_summary": forms.Textarea(attrs={"rows": 3}),
            "best_interests_decision": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = services.country_choices()
        self.fields["mailing_country"].choices = [("", "—"), *countries]  # type: ignore[attr-defined]
        self.fields["country_of_exploitation"].choices = [("", "—"), *countries]  # type: ignore[attr-defined]
        self.fields["citizenship"].choices = countries  # type: ignore[attr-defined]
        self.fields["region"].queryset = Region.objects.select_related("country")  # type: ignore[attr-defined]
        for name in services.LANGUAGE_FIELDS:
            self.fields[name].help_text = _("ISO 639 code, e.g. sq, en, ron")

    def case_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.EDITABLE_FIELDS}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        values = {name: cleaned[name] for name in services.EDITABLE_FIELDS if name in cleaned}
        values.update(self._extra_values(cleaned))
        try:
            cleaned.update(
                services.validate_case_values(values, case=self.instance if self.instance.pk else None)
            )
        except ValidationError as error:
            add_service_errors(self, error)
        return cleaned

    def _extra_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {}


class CaseCreateForm(CaseForm):
    """A new case: the owning organisation (when the user works for several), identity and profile."""

    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("owning organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    class Meta(CaseForm.Meta):
        fields = [*IDENTITY_FIELDS, *services.EDITABLE_FIELDS]
        widgets = {
            **CaseForm.Meta.widgets,
            "birth_date": forms.TextInput(attrs={"placeholder": "YYYY-MM-DD"}),
        }

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        ).order_by("name")
        self._only = organisations[0] if len(organisations) == 1 else None
        if self._only is not None:
            # One organisation: nothing to choose.
            self.fields["owner"].required = False
            self.fields["owner"].widget = forms.HiddenInput()
        self.order_fields(["owner"])

    def clean_owner(self) -> Organisation | None:
        return self.cleaned_data.get("owner") or self._only

    def _extra_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {name: cleaned[name] for name in IDENTITY_FIELDS if name in cleaned}

    def identity_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in IDENTITY_FIELDS}


class IdentityForm(VersionedForm):
    """The identity and contact details (encrypted; edited behind re-authentication)."""

    class Meta:
        model = Case
        fields = list(IDENTITY_FIELDS)
        # The encrypted fields are text columns; each holds one line (a name, a number, an address line).
        widgets = {
            **{name: forms.TextInput() for name in IDENTITY_FIELDS},
            "birth_date": forms.TextInput(attrs={"placeholder": "YYYY-MM-DD"}),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        values = {name: cleaned[name] for name in IDENTITY_FIELDS if name in cleaned}
        try:
            cleaned.update(services.validate_case_values(values, case=self.instance))
        except ValidationError as error:
            add_service_errors(self, error)
        return cleaned

    def identity_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in IDENTITY_FIELDS}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("trafficking status"), choices=v.TraffickingStatus.choices)
    decided_on = forms.DateField(
        label=_("decided on"),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
        initial=timezone.localdate,
        required=False,
        help_text=_("Today if empty."),
    )

    def clean_decided_on(self) -> Any:
        day = self.cleaned_data["decided_on"] or timezone.localdate()
        if day > timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."))
        return day


class AssignForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("caseworker"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships  # type: ignore[attr-defined]
        self.fields["membership"].label_from_instance = (  # type: ignore[attr-defined]
            lambda m: f"{m.user} · {m.organisation.short_name or m.organisation.name}"
        )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        choices=[
            (value, label) for value, label in v.CaseStatus.choices if value in services.CLOSED_STATUSES
        ],
    )
    closure_reason = forms.ChoiceField(label=_("closure reason"), choices=v.ClosureReason.choices)
    closure_details = forms.CharField(
        label=_("closure details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write names or addresses here."),
    )
    closed_on = forms.DateField(label=_("closed on"), widget=DATE, initial=timezone.localdate)

    def clean_closed_on(self) -> Any:
        day = self.cleaned_data["closed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."))
        return day


class TransferForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("new owning organisation"), queryset=Organisation.objects.none()
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my organisation will no longer see this case unless it is referred to us."
        ),
        required=True,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class CaseFilterForm(forms.Form):
    code = forms.CharField(label=_("case code"), required=False, max_length=20)
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", "—"), *v.CaseStatus.choices])
    service = forms.ChoiceField(
        label=_("service"), required=False, choices=[("", "—"), *ReferralService.choices]
    )
    region: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("region"), required=False, queryset=Region.objects.none()
    )
    referral_state = forms.ChoiceField(
        label=_("referral state"), required=False, choices=[("", "—"), *ReferralState.choices]
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The regions of the user's countries: a national list, not the whole network's.
        countries = {country for _org, _role, country in user.membership_roles()} if user else set()
        self.fields["region"].queryset = (  # type: ignore[attr-defined]
            Region.objects.filter(country__in=countries).select_related("country")
        )
