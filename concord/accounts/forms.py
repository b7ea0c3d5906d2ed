"""Input for the members, invitation, audit and token pages. Permissions live in the services."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Role, User
from concord.accounts.querysets import administered_organisations
from concord.accounts.services import grantable_roles
from concord.audit.models import AuditEvent


def _role_choices(user: User) -> list[tuple[str, str]]:
    return [(role.value, str(role.label)) for role in grantable_roles(user)]


class OrganisationChoiceForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Organisation"), empty_label=None
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = administered_organisations(user).only("pk", "name").order_by("name")
        field.widget.attrs["data-autosubmit"] = ""


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    # The least surprising default: a caseworker, not an administrator.
    role = forms.ChoiceField(label=_("Role"), initial=Role.CASEWORKER)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(user)  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role_choices = _role_choices(user)
        self.fields["role"].choices = self.role_choices  # type: ignore[attr-defined]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password, not only digits, not like your name."),
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class AuditEventFilter(django_filters.FilterSet):
    """Filters of the audit log. The organisation filter offers only organisations the user
    administers; the rows themselves always come from `AuditEvent.objects.visible_to(user)`."""

    organisation = django_filters.ModelChoiceFilter(queryset=None, label=_("Organisation"))
    action = django_filters.CharFilter(
        label=_("Action"),
        lookup_expr="startswith",
        help_text=_("For example accounts.role_changed, or accounts. for every account event."),
    )
    actor = django_filters.CharFilter(
        label=_("Done by"), method="filter_actor", help_text=_("Name or e-mail.")
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["organisation", "action", "actor", "since", "until"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = administered_organisations(user).only("pk", "name").order_by("name")
        self.filters["organisation"].queryset = organisations

    def filter_actor(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(actor__full_name__icontains=value) | Q(actor__email__icontains=value))
