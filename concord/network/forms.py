"""Input validation for the registry's pages. Forms validate and describe; services decide and write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.common.forms import VersionedForm
from concord.network.languages import normalise_language_codes, unknown_language_codes
from concord.network.models import (
    ContactPerson,
    CooperationGroup,
    Country,
    Municipality,
    Organisation,
    Region,
    ServiceKind,
)
from concord.network.services import CONTACT_FIELDS, GROUP_FIELDS, ORGANISATION_FIELDS, ServiceOffer

if TYPE_CHECKING:
    from concord.accounts.models import User


class LanguagesField(forms.CharField):
    """ISO 639 codes typed as a comma-separated list ("sq, en, rom"), stored as a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Languages"))
        kwargs.setdefault("help_text", _("ISO 639 codes, separated by commas, for example: sq, en, rom."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return normalise_language_codes(text.replace(";", ",").split(",")) if text else []

    def validate(self, value: Any) -> None:
        super().validate(value)
        unknown = unknown_language_codes(value)
        if unknown:
            raise forms.ValidationError(
                _("Not ISO 639 language codes: %(codes)s"), params={"codes": ", ".join(unknown)}
            )


def _region_label(region: Region) -> str:
    return f"{region.name} ({region.country.name})"


class OrganisationForm(VersionedForm):
    """A registry entry, with the services it offers (one row per kind of service) and the regions it
    covers."""

    languages = LanguagesField()
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "org_type",
            "sector",
            "country",
            "region",
            "municipality",
            "areas_covered",
            "description",
            "email",
            "phone",
            "address",
            "website",
            "languages",
            "is_active",
            "internal_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
            "areas_covered": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.visible_to(user)  # type: ignore[attr-defined]
        regions = Region.objects.visible_to(user).select_related("country")
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["areas_covered"].queryset = regions  # type: ignore[attr-defined]
        self.fields["areas_covered"].label_from_instance = _region_label  # type: ignore[attr-defined]
        self.fields["areas_covered"].help_text = _("Regions the organisation serves besides its own.")
        self.fields["municipality"].queryset = (  # type: ignore[attr-defined]
            Municipality.objects.visible_to(user).select_related("region")
        )
        offered = (
            {service.kind: service for service in self.instance.services.all()} if self.instance.pk else {}
        )
        for kind, label in ServiceKind.choices:
            service = offered.get(kind)
            self.fields[f"offers_{kind}"] = forms.BooleanField(
                label=label, required=False, initial=service is not None
            )
            self.fields[f"capacity_{kind}"] = forms.IntegerField(
                label=_("Capacity"),
                required=False,
                min_value=0,
                initial=service.capacity if service else None,
            )
            self.fields[f"note_{kind}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=300,
                initial=service.description if service else "",
            )

    def registry_fields(self) -> list[forms.BoundField]:
        """The registry entry's own fields, for rendering apart from the services table."""
        return [self[name] for name in self.Meta.fields] + [self["version"]]

    def service_rows(self) -> Iterator[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        for kind in ServiceKind.values:
            yield self[f"offers_{kind}"], self[f"capacity_{kind}"], self[f"note_{kind}"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in ServiceKind.values:
            if data.get(f"capacity_{kind}") is not None and not data.get(f"offers_{kind}"):
                self.add_error(f"offers_{kind}", _("Tick the service to give its capacity."))
        return data

    def service_offers(self) -> list[ServiceOffer]:
        data = self.cleaned_data
        return [
            ServiceOffer(
                kind=kind,
                capacity=data.get(f"capacity_{kind}"),
                description=data.get(f"note_{kind}") or "",
            )
            for kind in ServiceKind.values
            if data.get(f"offers_{kind}")
        ]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ORGANISATION_FIELDS}


class ContactPersonForm(VersionedForm):
    languages = LanguagesField()
    consent = forms.BooleanField(
        label=_("The person agreed to be listed in the network directory"),
        required=False,
        help_text=_(
            "Tick only with the person's consent; it is recorded with your name and the date. Without it, "
            "only your organisation sees this person and others see your generic contact."
        ),
    )

    class Meta:
        model = ContactPerson
        fields = ["full_name", "position", "email", "phone", "languages"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["consent"] = self.instance.shared_with_network

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS}


class CooperationGroupForm(VersionedForm):
    members: forms.ModelMultipleChoiceField[Organisation] = forms.ModelMultipleChoiceField(
        label=_("Founding members"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The chair organisation is always a member."),
    )

    class Meta:
        model = CooperationGroup
        fields = ["name", "level", "country", "region", "chair", "terms_of_reference", "is_active"]
        widgets = {"terms_of_reference": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, user: User, may_change_chair: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.visible_to(user).order_by("name")
        self.fields["country"].queryset = Country.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["region"].queryset = (  # type: ignore[attr-defined]
            Region.objects.visible_to(user).select_related("country")
        )
        self.fields["chair"].queryset = organisations  # type: ignore[attr-defined]
        if self.instance.pk:
            # Members join and leave on the group's page, one at a time, so each change is audited.
            del self.fields["members"]
        else:
            self.fields["members"].queryset = organisations  # type: ignore[attr-defined]
        if not may_change_chair:
            self.fields["chair"].disabled = True
            self.fields["chair"].help_text = _("Only network administrators move the chair.")

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in GROUP_FIELDS}


class AddMemberForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    joined_at = forms.DateField(
        label=_("Joined on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today if left empty."),
    )

    def __init__(self, *args: Any, user: User, group: CooperationGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.visible_to(user).exclude(pk__in=group.current_member_ids()).order_by("name")
        )


class RemoveMemberForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: User, group: CooperationGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.visible_to(user).filter(pk__in=group.current_member_ids())
        )


class CountryFilterForm(forms.Form):
    """The map's and the coverage table's filters (GET)."""

    country: forms.ModelChoiceField[Country] = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.visible_to(user)  # type: ignore[attr-defined]


class MapFilterForm(CountryFilterForm):
    group: forms.ModelChoiceField[CooperationGroup] = forms.ModelChoiceField(
        label=_("Cooperation group"), queryset=CooperationGroup.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["group"].queryset = (  # type: ignore[attr-defined]
            CooperationGroup.objects.visible_to(user).order_by("name")
        )
