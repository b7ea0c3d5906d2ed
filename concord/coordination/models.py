"""The work of cooperation groups: meetings and their decisions, tasks for each actor, action plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concord.coordination.querysets import (
    ActionPlanQuerySet,
    DecisionQuerySet,
    MeetingQuerySet,
    TaskQuerySet,
    TaskUpdateQuerySet,
)


class Meeting(models.Model):
    group = models.ForeignKey("network.CooperationGroup", on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attending_organisations = models.ManyToManyField(
        "network.Organisation",
        blank=True,
        related_name="meetings_attended",
        verbose_name=_("organisations attending"),
    )
    attending_people: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meetings_attended",
        verbose_name=_("people attending"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[attending_organisations])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("coordination:meeting-detail", args=[self.pk])


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="unique_decision_number")]

    def __str__(self) -> str:
        return f"{self.meeting.title} #{self.number}"


class ActionPlan(models.Model):
    """A national (or group) strategy's action plan: objectives and the activities that carry them out."""

    title = models.CharField(_("title"), max_length=200)
    country = models.ForeignKey(
        "network.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="action_plans"
    )
    group = models.ForeignKey(
        "network.CooperationGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:plan-detail", args=[self.pk])


class Objective(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("objective"), max_length=300)
    pillar = models.CharField(
        _("pillar"),
        max_length=16,
        blank=True,
        choices=[
            ("partnership", _("Partnership")),
            ("protection", _("Protection")),
            ("prosecution", _("Prosecution")),
            ("prevention", _("Prevention")),
        ],
    )

    class Meta:
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_objective_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Activity(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("activity"), max_length=300)

    class Meta:
        ordering = ["objective", "code"]
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Task(models.Model):
    """Work a group gives one organisation (and optionally one person), arising from a decision or an
    action-plan activity."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    group = models.ForeignKey("network.CooperationGroup", on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    assigned_organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("organisation responsible"),
    )
    assigned_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("person responsible"),
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("action-plan activity"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["assigned_organisation", "status"]),
            models.Index(fields=["group", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:task-detail", args=[self.pk])

    def is_closed(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.DROPPED}

    def is_overdue(self) -> bool:
        return not self.is_closed() and self.due_on < timezone.localdate()

    def was_done_on_time(self) -> bool:
        return (
            self.status == self.Status.DONE
            and self.completed_on is not None
            and self.completed_on <= self.due_on
        )


class TaskUpdate(models.Model):
    """A progress note on a task, optionally changing its status."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    old_status = models.CharField(max_length=16, choices=Task.Status.choices, blank=True)
    new_status = models.CharField(max_length=16, choices=Task.Status.choices, blank=True)

    objects = TaskUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task} @ {self.at:%Y-%m-%d}"
