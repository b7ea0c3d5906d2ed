"""Input validation for the coordination pages. Choices come from the user's scope; the services decide
who may write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Membership, User
from concord.common.forms import VersionedForm
from concord.coordination import rules
from concord.coordination.models import Decision, Meeting, Task
from concord.network.models import CooperationGroup, Organisation


class MeetingForm(VersionedForm):
    """A meeting of `group`. Attendance is chosen among the group's current members (and whoever is
    already recorded as attending, so that editing an old meeting keeps its record)."""

    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "place",
            "agenda",
            "attending_organisations",
            "attending_people",
            "minutes",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
            "attending_organisations": forms.CheckboxSelectMultiple,
            "attending_people": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, group: CooperationGroup, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = group.memberships.filter(left_at__isnull=True).values("organisation_id")
        organisations = Q(pk__in=members)
        people = Q(memberships__organisation_id__in=members, memberships__is_active=True, is_active=True)
        if self.instance.pk:
            organisations |= Q(pk__in=self.instance.attending_organisations.values("pk"))
            people |= Q(pk__in=self.instance.attending_people.values("pk"))
        self.fields["attending_organisations"].queryset = Organisation.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            organisations
        )
        current = Membership.objects.filter(is_active=True).select_related("organisation")
        self.fields["attending_people"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(people)
            .distinct()
            .order_by("full_name")
            .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
        )
        self.fields["attending_people"].label_from_instance = _person_label  # type: ignore[attr-defined]


def _person_label(user: User) -> str:
    organisations = ", ".join(m.organisation.name for m in getattr(user, "current_memberships", []))
    return f"{user} ({organisations})" if organisations else str(user)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class TaskForm(VersionedForm):
    """A task for any active organisation of the network, optionally naming one of its people.

    The person list follows the organisation chosen: htmx reloads it from `coordination:person-options`;
    without JavaScript it lists the people of the organisation last submitted."""

    class Meta:
        model = Task
        fields = ["title", "description", "assigned_organisation", "assigned_person", "due_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field = self.fields["assigned_organisation"]
        organisation_field.queryset = Organisation.objects.visible_to(user).active()  # type: ignore[attr-defined]
        organisation_field.widget.attrs.update(
            {
                "hx-get": reverse("coordination:person-options"),
                "hx-target": "#id_assigned_person",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        chosen = self._chosen_organisation(user)
        person_field = self.fields["assigned_person"]
        person_field.queryset = (  # type: ignore[attr-defined]
            rules.assignable_people(chosen).order_by("full_name")
            if chosen is not None
            else User.objects.none()
        )
        person_field.help_text = _("Optional. The people listed work for the organisation responsible.")

    def _chosen_organisation(self, user: User) -> Organisation | None:
        if self.is_bound:
            raw = self.data.get(self.add_prefix("assigned_organisation"))
        else:
            raw = self.initial.get("assigned_organisation") or self.instance.assigned_organisation_id
        try:
            pk = int(str(raw))
        except ValueError:
            return None
        return Organisation.objects.visible_to(user).filter(pk=pk).first()


class ActivityTaskForm(TaskForm):
    """A task carrying out an action-plan activity: the user chooses which of their groups gives it."""

    group: forms.ModelChoiceField[CooperationGroup] = forms.ModelChoiceField(
        label=_("Group giving the task"), queryset=CooperationGroup.objects.none()
    )

    field_order = ["group", "title", "description", "assigned_organisation", "assigned_person", "due_on"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["group"].queryset = rules.groups_written_by(user).filter(is_active=True)  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    comment = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("No change")), *Task.Status.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("comment", "").strip() and not cleaned.get("status"):
            raise forms.ValidationError(_("Write a comment or choose a new status."))
        return cleaned
