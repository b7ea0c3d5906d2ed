"""Filters shared by the task and meeting pages and their API endpoints. They narrow a queryset that is
already scoped to the user; they never widen it."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from concord.coordination.models import Decision, Meeting, Task, TaskUpdate
from concord.network.models import CooperationGroup, Organisation


def _groups(request: HttpRequest | None) -> QuerySet[CooperationGroup]:
    if request is None:
        return CooperationGroup.objects.none()
    return CooperationGroup.objects.visible_to(request.user)


def _organisations(request: HttpRequest | None) -> QuerySet[Organisation]:
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.visible_to(request.user)


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Task.Status.choices, empty_label=_("Any status")
    )
    group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=_groups, empty_label=_("Any group"))
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    assigned_organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation responsible"), queryset=_organisations
    )
    ours = django_filters.BooleanFilter(
        label=_("Assigned to our organisation"), method="filter_ours", widget=forms.CheckboxInput
    )

    class Meta:
        model = Task
        fields = ["status", "group", "overdue", "assigned_organisation", "ours"]

    def filter_overdue(self, queryset: Any, name: str, value: bool | None) -> Any:
        return queryset.overdue() if value else queryset

    def filter_ours(self, queryset: Any, name: str, value: bool | None) -> Any:
        if not value or self.request is None:
            return queryset
        return queryset.filter(assigned_organisation_id__in=self.request.user.organisation_ids())


class MeetingFilter(django_filters.FilterSet):
    group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=_groups)
    starts_after = django_filters.DateFilter(label=_("From"), field_name="starts_at", lookup_expr="date__gte")
    starts_before = django_filters.DateFilter(
        label=_("Until"), field_name="starts_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Meeting
        fields = ["group", "starts_after", "starts_before"]


def _meetings(request: HttpRequest | None) -> QuerySet[Meeting]:
    if request is None:
        return Meeting.objects.none()
    return Meeting.objects.visible_to(request.user)  # type: ignore[arg-type]


def _tasks(request: HttpRequest | None) -> QuerySet[Task]:
    if request is None:
        return Task.objects.none()
    return Task.objects.visible_to(request.user)  # type: ignore[arg-type]


class DecisionFilter(django_filters.FilterSet):
    # Chosen among visible meetings, so an unseen meeting's id reads as one that does not exist.
    meeting = django_filters.ModelChoiceFilter(label=_("Meeting"), queryset=_meetings)

    class Meta:
        model = Decision
        fields = ["meeting"]


class TaskProgressFilter(django_filters.FilterSet):
    task = django_filters.ModelChoiceFilter(label=_("Task"), queryset=_tasks)

    class Meta:
        model = TaskUpdate
        fields = ["task"]
