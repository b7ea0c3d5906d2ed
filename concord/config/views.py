from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from concord.accounts.http import AuthenticatedHttpRequest
from concord.coordination.models import Meeting, Task
from concord.network.models import CooperationGroup


@require_safe
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the user's organisation has to do next: its open tasks, its groups, upcoming meetings."""
    user = request.user
    org_ids = user.organisation_ids()
    our_tasks = (
        Task.objects.visible_to(user)
        .open()
        .filter(assigned_organisation_id__in=org_ids)
        .select_related("group", "assigned_organisation")
        .order_by("due_on")[:10]
    )
    groups = CooperationGroup.objects.worked_in_by(user).filter(is_active=True).order_by("name")
    meetings = Meeting.objects.visible_to(user).select_related("group")
    now = timezone.now()
    return render(
        request,
        "home.html",
        {
            "our_tasks": our_tasks,
            "groups": groups,
            "upcoming_meetings": meetings.filter(starts_at__gte=now).order_by("starts_at")[:5],
            "recent_meetings": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:5],
        },
    )


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
