"""Identification screening pages: the screenings the user may see, a new screening with the current
version of a tool, one screening with its computed profile and suggestion, and opening a case from it.

Screenings come through `Screening.objects.visible_to` (404 otherwise); writes go through
cases/services/screening.py, which checks who may act (403 for a visible screening the user may not act on).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from concord.accounts.http import AuthenticatedHttpRequest
from concord.cases import scoring
from concord.cases.forms_screening import OpenCaseForm, ScreeningForm
from concord.cases.models import Case, Screening, ScreeningTool
from concord.cases.services import screening as services
from concord.common.forms import add_service_errors

PAGE_SIZE = 50


def _screening(request: AuthenticatedHttpRequest, pk: int) -> Screening:
    return get_object_or_404(
        Screening.objects.visible_to(request.user).select_related("tool", "organisation", "screened_by"),
        pk=pk,
    )


@login_required
@require_GET
def screening_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not services.can_screen(request.user):
        raise Http404
    screenings = Screening.objects.visible_to(request.user).select_related(
        "tool", "organisation", "screened_by", "case"
    )
    page = Paginator(screenings, PAGE_SIZE).get_page(request.GET.get("page"))
    case_ids = [s.case_id for s in page if s.case_id]
    visible_cases = set(
        Case.objects.visible_to(request.user).filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    # The first-contact list first, then the full lists by population and form of exploitation.
    tools = sorted(
        ScreeningTool.objects.filter(is_current=True),
        key=lambda tool: (
            tool.population != ScreeningTool.Population.ANY,
            tool.population,
            tool.exploitation,
        ),
    )
    return render(
        request,
        "cases/screening_list.html",
        {"page_obj": page, "visible_cases": visible_cases, "tools": tools},
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_new(request: AuthenticatedHttpRequest, tool: str) -> HttpResponse:
    current = get_object_or_404(ScreeningTool, slug=tool, is_current=True)
    organisation_ids = services.screening_organisation_ids(request.user)
    if not organisation_ids:
        raise PermissionDenied
    form = ScreeningForm(request.POST or None, tool=current, organisation_ids=organisation_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            screening = services.record_screening(
                by=request.user,
                organisation=data["organisation"],
                tool=current,
                answers=form.answers(),
                person_alias=data["person_alias"],
                place=data["place"],
                interpreter_used=data["interpreter_used"],
                age_estimate=data["age_estimate"],
                notes=data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The screening was recorded."))
            return redirect(screening)
    # A form sent back with errors is a 400, so that clients (and the URL walk) can tell it wrote nothing.
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/screening_form.html", {"form": form, "tool": current}, status=status)


@login_required
@require_GET
def screening_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    screening = _screening(request, pk)
    services.record_screening_viewed(screening=screening, by=request.user)
    definition = screening.tool.definition
    assessment = scoring.assess(definition, screening.answers)
    answer_labels = {scoring.YES: _("Yes"), scoring.NO: _("No"), scoring.UNKNOWN: _("Unknown")}
    groups = []
    for result in assessment.dimensions:
        rows = [
            {
                "text": indicator["text"],
                "strength": scoring.STRENGTH_LABELS.get(indicator["strength"], ""),
                "answer": screening.answers.get(indicator["id"], scoring.UNKNOWN),
                "answer_label": answer_labels.get(
                    screening.answers.get(indicator["id"], scoring.UNKNOWN), _("Unknown")
                ),
            }
            for indicator in definition["indicators"]
            if indicator["dimension"] == result.id
        ]
        groups.append({"result": result, "rows": rows})
    case_visible = (
        screening.case_id is not None
        and Case.objects.visible_to(request.user).filter(pk=screening.case_id).exists()
    )
    under_18_with_adult_tool = (
        screening.tool.population == ScreeningTool.Population.ADULT
        and screening.age_estimate is not None
        and screening.age_estimate < 18
    )
    return render(
        request,
        "cases/screening_detail.html",
        {
            "screening": screening,
            "assessment": assessment,
            "groups": groups,
            "case_visible": case_visible,
            "may_open_case": services.can_open_case(request.user, screening),
            "under_18_with_adult_tool": under_18_with_adult_tool,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_open_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    screening = _screening(request, pk)
    if screening.case_id is not None:
        messages.info(request, _("This screening has already become a case."))
        return redirect(screening)
    if not services.can_open_case(request.user, screening):
        raise PermissionDenied
    form = OpenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case_from_screening(
                screening=screening,
                by=request.user,
                consent_method=data["consent_method"],
                consent_given_on=data["consent_given_on"],
                consent_witness=data["consent_witness"],
                sex=data["sex"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was opened with the person's consent to assistance."))
            return redirect(reverse("cases:detail", kwargs={"code": case.code}))
    return render(request, "cases/screening_open_case.html", {"form": form, "screening": screening})
