"""Pages of a cooperation group's work: meetings and decisions, tasks and their progress, action plans.

Every object comes through the user's scope (404 otherwise); every write goes through services.py, which
checks `rules.py`. A user who may see a page but not write there gets 403 from the write.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from concord.accounts.http import AuthenticatedHttpRequest
from concord.accounts.models import User
from concord.common.concurrency import StaleVersionError
from concord.coordination import rules, selectors, services
from concord.coordination.filters import TaskFilter
from concord.coordination.forms import ActivityTaskForm, DecisionForm, MeetingForm, ProgressForm, TaskForm
from concord.coordination.models import ActionPlan, Activity, Decision, Meeting, Task
from concord.network.models import CooperationGroup, Organisation

PAGE_SIZE = 50


def _group_worked_in(request: AuthenticatedHttpRequest, pk: int) -> CooperationGroup:
    return get_object_or_404(CooperationGroup.objects.worked_in_by(request.user), pk=pk)


def _meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("group"), pk=pk)


def _task(request: AuthenticatedHttpRequest, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "group", "assigned_organisation", "assigned_person", "decision__meeting", "activity__objective"
        ),
        pk=pk,
    )


# --- Group work ----------------------------------------------------------------------------------------


@login_required
@require_GET
def group_meetings(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    group = _group_worked_in(request, group_pk)
    meetings = Meeting.objects.visible_to(request.user).filter(group=group).order_by("-starts_at")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/group_meetings.html",
        {"group": group, "page_obj": page, "may_write": rules.can_write_for_group(request.user, group)},
    )


@login_required
def meeting_create(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    group = _group_worked_in(request, group_pk)
    if not rules.can_write_for_group(request.user, group):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, group=group, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = services.record_meeting(
            group=group,
            by=request.user,
            title=data["title"],
            starts_at=data["starts_at"],
            place=data["place"],
            agenda=data["agenda"],
            minutes=data["minutes"],
            attending_organisations=data["attending_organisations"],
            attending_people=data["attending_people"],
        )
        messages.success(request, _("The meeting was recorded."))
        return redirect(meeting)
    return render(request, "coordination/meeting_form.html", {"form": form, "group": group})


@login_required
@require_GET
def group_overdue(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    group = _group_worked_in(request, group_pk)
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(group=group)
        .overdue()
        .select_related("assigned_organisation", "assigned_person")
        .order_by("due_on", "pk")
    )
    return render(request, "coordination/group_overdue.html", {"group": group, "tasks": tasks})


@login_required
@require_GET
def group_progress(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    group = _group_worked_in(request, group_pk)
    progress = selectors.group_progress(group=group, user=request.user)
    return render(request, "coordination/group_progress.html", {"group": group, "progress": progress})


# --- Meetings and decisions -----------------------------------------------------------------------------


def _meeting_context(request: AuthenticatedHttpRequest, meeting: Meeting, **extra: object) -> dict:
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(decision__meeting=meeting)
        .select_related("assigned_organisation")
        .order_by("due_on", "pk")
    )
    by_decision: dict[int, list[Task]] = {}
    for task in tasks:
        by_decision.setdefault(task.decision_id or 0, []).append(task)
    decisions = list(meeting.decisions.all())
    for decision in decisions:
        decision.task_list = by_decision.get(decision.pk, [])
    may_write = rules.can_edit_meeting(request.user, meeting)
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "decisions": decisions,
        "may_write": may_write,
        "decision_form": DecisionForm() if may_write else None,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(request, "coordination/meeting_detail.html", _meeting_context(request, meeting))


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not rules.can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, instance=meeting, group=meeting.group, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_meeting(
                meeting=meeting,
                by=request.user,
                expected_version=data["version"],
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                agenda=data["agenda"],
                minutes=data["minutes"],
                attending_organisations=data["attending_organisations"],
                attending_people=data["attending_people"],
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect(meeting)
    return render(
        request, "coordination/meeting_form.html", {"form": form, "group": meeting.group, "meeting": meeting}
    )


@login_required
@require_POST
def decision_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a decision in place (htmx re-renders the decisions partial); without JavaScript, the page."""
    meeting = _meeting(request, pk)
    if not rules.can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        services.record_decision(meeting=meeting, by=request.user, text=form.cleaned_data["text"])
        if not request.htmx:
            messages.success(request, _("The decision was recorded."))
            return redirect(meeting.get_absolute_url() + "#decisions")
        form = DecisionForm()
    template = "coordination/meeting_detail.html"
    context = _meeting_context(request, meeting, decision_form=form)
    return render(request, f"{template}#decisions" if request.htmx else template, context)


# --- Tasks ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def our_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Tasks given to the user's organisation(s), by any group."""
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(assigned_organisation_id__in=request.user.organisation_ids())
        .select_related("group", "assigned_organisation", "assigned_person")
        .order_by("due_on", "pk")
    )
    task_filter = TaskFilter(request.GET or None, queryset=tasks, request=request)
    page = Paginator(task_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coordination/our_tasks.html", {"filter": task_filter, "page_obj": page})


def _task_context(request: AuthenticatedHttpRequest, task: Task, **extra: object) -> dict:
    may_report = rules.can_report_progress(request.user, task)
    decision_visible = (
        task.decision is not None
        and Meeting.objects.visible_to(request.user).filter(pk=task.decision.meeting_id).exists()
    )
    context = {
        "task": task,
        "updates": task.updates.select_related("author"),
        "may_report": may_report,
        "may_edit": rules.can_edit_task(request.user, task),
        "decision_visible": decision_visible,
        "progress_form": ProgressForm(initial={"version": task.version}) if may_report else None,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    return render(request, "coordination/task_detail.html", _task_context(request, task))


@login_required
@require_POST
def task_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a progress note, optionally changing the status. htmx re-renders the progress partial."""
    task = _task(request, pk)
    if not rules.can_report_progress(request.user, task):
        raise PermissionDenied
    form = ProgressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_task_progress(
                task=task,
                by=request.user,
                comment=data["comment"],
                status=data["status"] or None,
                expected_version=data["version"],
            )
        except StaleVersionError:
            # Show the task as it now stands, keep what the user typed, and let them resubmit
            # against the current version once they have seen the other change.
            task = _task(request, pk)
            fresh = request.POST.copy()
            fresh["version"] = str(task.version)
            form = ProgressForm(fresh)
            form.is_valid()
            form.add_error(None, StaleVersionError.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not request.htmx:
                messages.success(request, _("Progress was recorded."))
                return redirect(task)
            task = _task(request, pk)
            form = ProgressForm(initial={"version": task.version})
    template = "coordination/task_detail.html"
    context = _task_context(request, task, progress_form=form)
    return render(request, f"{template}#progress" if request.htmx else template, context)


@login_required
def task_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not rules.can_edit_task(request.user, task):
        raise PermissionDenied
    form = TaskForm(request.POST or None, instance=task, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_task(
                task=task,
                by=request.user,
                expected_version=data["version"],
                title=data["title"],
                description=data["description"],
                due_on=data["due_on"],
                assigned_organisation=data["assigned_organisation"],
                assigned_person=data["assigned_person"],
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The task was saved."))
            return redirect(task)
    return render(request, "coordination/task_form.html", {"form": form, "group": task.group, "task": task})


@login_required
def task_create_from_decision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related("meeting__group"), pk=pk
    )
    group = decision.meeting.group
    if not rules.can_write_for_group(request.user, group):
        raise PermissionDenied
    form = TaskForm(request.POST or None, user=request.user, initial={"title": decision.text[:300]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                group=group,
                by=request.user,
                title=data["title"],
                description=data["description"],
                assigned_organisation=data["assigned_organisation"],
                assigned_person=data["assigned_person"],
                due_on=data["due_on"],
                decision=decision,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The task was created."))
            return redirect(task)
    return render(
        request, "coordination/task_form.html", {"form": form, "group": group, "decision": decision}
    )


@login_required
def task_create_from_activity(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.filter(
            objective__plan__in=ActionPlan.objects.visible_to(request.user).values("pk")
        ).select_related("objective__plan"),
        pk=pk,
    )
    if not rules.groups_written_by(request.user).exists():
        raise PermissionDenied
    initial = {"title": activity.title[:300], "group": activity.objective.plan.group_id}
    form = ActivityTaskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                group=data["group"],
                by=request.user,
                title=data["title"],
                description=data["description"],
                assigned_organisation=data["assigned_organisation"],
                assigned_person=data["assigned_person"],
                due_on=data["due_on"],
                activity=activity,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The task was created."))
            return redirect(task)
    return render(request, "coordination/task_form.html", {"form": form, "activity": activity})


@login_required
@require_GET
def person_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The <option>s of people a task for the chosen organisation may name (htmx, task forms)."""
    if not rules.groups_written_by(request.user).exists():
        raise Http404
    people: QuerySet[User] = User.objects.none()
    raw = request.GET.get("assigned_organisation", "")
    if raw.isdigit():
        organisation = Organisation.objects.visible_to(request.user).active().filter(pk=int(raw)).first()
        if organisation is not None:
            people = rules.assignable_people(organisation).order_by("full_name")
    return render(request, "coordination/_person_options.html", {"people": people})


# --- Action plans ---------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "coordination/plan_list.html", {"plans": selectors.plans_with_progress(request.user)}
    )


@login_required
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        ActionPlan.objects.visible_to(request.user).select_related("country", "group"), pk=pk
    )
    objectives = selectors.objectives_with_progress(plan)
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(activity__objective__plan=plan)
        .select_related("group", "assigned_organisation")
        .order_by("due_on", "pk")
    )
    by_activity: dict[int, list[Task]] = {}
    for task in tasks:
        by_activity.setdefault(task.activity_id or 0, []).append(task)
    for objective in objectives:
        for activity in objective.activity_list:  # type: ignore[attr-defined]
            activity.visible_tasks = by_activity.get(activity.pk, [])
    return render(
        request,
        "coordination/plan_detail.html",
        {
            "plan": plan,
            "objectives": objectives,
            "may_create_tasks": rules.groups_written_by(request.user).exists(),
        },
    )
