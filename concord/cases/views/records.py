"""The record tabs of a case: trafficking events, services delivered, support plan, legal proceedings,
documents and notes.

Every page starts from `get_case` (404 when the case is not visible), answers 404 for a tab the user may
not open (`services.records.sees_tab`), lists rows through `<Model>.objects.visible_to(user)` (section-aware)
and writes only through `cases/services/records.py`. A user who sees the tab but may not write there
gets 403. Opening the events, documents and notes tabs is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from concord.accounts.http import AuthenticatedHttpRequest
from concord.cases import documents
from concord.cases.forms_records import (
    DocumentForm,
    EventForm,
    NoteForm,
    ProceedingForm,
    ServiceForm,
    SupportPlanForm,
)
from concord.cases.models import (
    CaseDocument,
    CaseNote,
    LegalProceeding,
    ReferralService,
    ServiceDelivery,
    SupportPlan,
    TraffickingEvent,
)
from concord.cases.services import records as services
from concord.cases.views.common import CaseContext, get_case
from concord.common.concurrency import StaleVersionError
from concord.common.forms import add_service_errors


def _tab(request: AuthenticatedHttpRequest, code: str, tab: str) -> CaseContext:
    ctx = get_case(request, code)
    if not services.sees_tab(ctx.access, tab):
        raise Http404
    return ctx


def _rows(request: AuthenticatedHttpRequest, model: type[Model], ctx: CaseContext) -> QuerySet:
    return model.objects.visible_to(request.user).filter(case=ctx.case)  # type: ignore[attr-defined]


def _list(request: AuthenticatedHttpRequest, ctx: CaseContext, template: str, **extra: Any) -> HttpResponse:
    return render(request, f"cases/{template}", {"case": ctx.case, "access": ctx.access, **extra})


def _form_page(
    request: AuthenticatedHttpRequest,
    ctx: CaseContext,
    *,
    form: BaseForm,
    heading: str,
    back: str,
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "cases/records_form.html",
        {
            "case": ctx.case,
            "access": ctx.access,
            "form": form,
            "heading": heading,
            "back": reverse(back, args=[ctx.case.code]),
            "multipart": multipart,
        },
    )


# --- Trafficking events ---------------------------------------------------------------------------------


@login_required
@require_GET
def events(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "events")
    rows = _rows(request, TraffickingEvent, ctx)
    services.record_tab_view(case=ctx.case, by=request.user, tab="events", access=ctx.access)
    return _list(request, ctx, "records_events.html", rows=rows, may_add=ctx.access.can_edit)


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "events")
    if not ctx.access.can_edit:
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_event(
                case=ctx.case,
                by=request.user,
                event_type=data["event_type"],
                date=data["date"],
                country=data["country"],
                state=data["state"],
                city=data["city"],
                description=data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was recorded."))
            return redirect("cases:events", code=ctx.case.code)
    return _form_page(request, ctx, form=form, heading=_("Record an event"), back="cases:events")


# --- Services delivered ---------------------------------------------------------------------------------


@login_required
@require_GET
def services_delivered(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "services")
    rows = list(_rows(request, ServiceDelivery, ctx).select_related("organisation"))
    labels = dict(ReferralService.choices)
    for row in rows:
        row.service_label = labels.get(row.service, row.service)
    return _list(request, ctx, "records_services.html", rows=rows, may_add=ctx.access.can_add_own_records)


@login_required
@require_http_methods(["GET", "POST"])
def service_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "services")
    if not ctx.access.can_add_own_records:
        raise PermissionDenied
    referrals = services.linkable_referrals(case=ctx.case, by=request.user, access=ctx.access)
    form = ServiceForm(request.POST or None, referrals=referrals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_service(
                case=ctx.case,
                by=request.user,
                service=data["service"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                outcome=data["outcome"],
                notes=data["notes"],
                referral=data["referral"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The service was recorded."))
            return redirect("cases:services", code=ctx.case.code)
    return _form_page(request, ctx, form=form, heading=_("Record a service"), back="cases:services")


# --- Support plan ---------------------------------------------------------------------------------------


@login_required
@require_GET
def support_plan(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "support_plan")
    rows = list(_rows(request, SupportPlan, ctx).select_related("organisation"))
    for plan in rows:
        plan.may_edit = services.can_edit_support_plan(ctx.access, plan)
    return _list(request, ctx, "records_support_plan.html", rows=rows, may_add=ctx.access.can_add_own_records)


@login_required
@require_http_methods(["GET", "POST"])
def support_plan_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "support_plan")
    if not ctx.access.can_add_own_records:
        raise PermissionDenied
    form = SupportPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_support_plan(
                case=ctx.case,
                by=request.user,
                plan_type=data["plan_type"],
                objectives=data["objectives"],
                action_plan=data["action_plan"],
                planned_end_date=data["planned_end_date"],
                actual_end_date=data["actual_end_date"],
                review_on=data["review_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The support plan was added."))
            return redirect("cases:support_plan", code=ctx.case.code)
    return _form_page(request, ctx, form=form, heading=_("Add a support plan"), back="cases:support_plan")


@login_required
@require_http_methods(["GET", "POST"])
def support_plan_edit(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ctx = _tab(request, code, "support_plan")
    plan = get_object_or_404(_rows(request, SupportPlan, ctx), pk=pk)
    if not services.can_edit_support_plan(ctx.access, plan):
        raise PermissionDenied
    form = SupportPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_support_plan(
                plan=plan,
                by=request.user,
                expected_version=data["version"],
                plan_type=data["plan_type"],
                objectives=data["objectives"],
                action_plan=data["action_plan"],
                planned_end_date=data["planned_end_date"],
                actual_end_date=data["actual_end_date"],
                review_on=data["review_on"],
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The support plan was saved."))
            return redirect("cases:support_plan", code=ctx.case.code)
    return _form_page(request, ctx, form=form, heading=_("Edit the support plan"), back="cases:support_plan")


# --- Legal proceedings ----------------------------------------------------------------------------------


def _proceeding_values(data: dict[str, Any]) -> dict[str, Any]:
    names = [
        "stage",
        "outcome",
        "reference",
        "offence",
        "opened_on",
        "closed_on",
        "defendants",
        "sentence_months",
        "compensation_claimed",
        "compensation_awarded_eur",
        "statement_given",
        "joint_interview",
        "protection_measures",
        "notes",
    ]
    return {name: data[name] for name in names}


@login_required
@require_GET
def proceedings(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "proceedings")
    rows = list(_rows(request, LegalProceeding, ctx).select_related("organisation"))
    editable = set(services.proceeding_organisation_ids(ctx.access))
    for row in rows:
        row.may_edit = row.organisation_id in editable
        row.measure_labels = [
            LegalProceeding.ProtectionMeasure(m).label
            for m in row.protection_measures
            if m in LegalProceeding.ProtectionMeasure.values
        ]
    return _list(
        request, ctx, "records_proceedings.html", rows=rows, may_add=ctx.access.can_record_proceedings
    )


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "proceedings")
    if not ctx.access.can_record_proceedings:
        raise PermissionDenied
    form = ProceedingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_proceeding(
                case=ctx.case, by=request.user, **_proceeding_values(form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The proceeding was recorded."))
            return redirect("cases:proceedings", code=ctx.case.code)
    return _form_page(request, ctx, form=form, heading=_("Record a proceeding"), back="cases:proceedings")


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_edit(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ctx = _tab(request, code, "proceedings")
    proceeding = get_object_or_404(_rows(request, LegalProceeding, ctx), pk=pk)
    if not services.can_edit_proceeding(ctx.access, proceeding):
        raise PermissionDenied
    form = ProceedingForm(request.POST or None, instance=proceeding)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proceeding(
                proceeding=proceeding,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **_proceeding_values(form.cleaned_data),
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The proceeding was saved."))
            return redirect("cases:proceedings", code=ctx.case.code)
    return _form_page(request, ctx, form=form, heading=_("Edit the proceeding"), back="cases:proceedings")


# --- Documents ------------------------------------------------------------------------------------------


@login_required
@require_GET
def documents_list(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "documents")
    rows = _rows(request, CaseDocument, ctx).select_related("organisation")
    services.record_tab_view(case=ctx.case, by=request.user, tab="documents", access=ctx.access)
    return _list(request, ctx, "records_documents.html", rows=rows, may_add=ctx.access.can_add_own_records)


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "documents")
    if not ctx.access.can_add_own_records:
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.upload_document(
                case=ctx.case, by=request.user, kind=data["kind"], title=data["title"], data=data["file"].data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document was stored."))
            return redirect("cases:documents", code=ctx.case.code)
    return _form_page(
        request, ctx, form=form, heading=_("Upload a document"), back="cases:documents", multipart=True
    )


def document_response(document: CaseDocument, data: bytes) -> HttpResponse:
    """The decrypted file as an attachment with a generic name; browsers must not guess its type."""
    response = HttpResponse(data, content_type=document.content_type)
    filename = documents.download_filename(
        case_code=document.case.code, document_id=document.pk, content_type=document.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(data))
    return response


@login_required
@require_GET
def document_download(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ctx = _tab(request, code, "documents")
    document = get_object_or_404(_rows(request, CaseDocument, ctx).select_related("case"), pk=pk)
    try:
        data = services.download_document(document=document, by=request.user)
    except services.DocumentUnavailableError:
        return render(
            request,
            "cases/records_document_unavailable.html",
            {"case": ctx.case, "access": ctx.access},
            status=410,
        )
    return document_response(document, data)


# --- Notes ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def notes(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "notes")
    rows = _rows(request, CaseNote, ctx).select_related("organisation", "author")
    services.record_tab_view(case=ctx.case, by=request.user, tab="notes", access=ctx.access)
    return _list(
        request,
        ctx,
        "records_notes.html",
        rows=rows,
        may_add=ctx.access.can_add_own_records,
        form=NoteForm() if ctx.access.can_add_own_records else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = _tab(request, code, "notes")
    if not ctx.access.can_add_own_records:
        raise PermissionDenied
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_note(case=ctx.case, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The note was added."))
            return redirect("cases:notes", code=ctx.case.code)
    return _form_page(request, ctx, form=form, heading=_("Add a note"), back="cases:notes")
