"""Pages of the case itself: the list, opening a case, its summary, identity, history and who viewed it,
and the actions on it (status decision, assignments, closing, reopening, transfer).

Every case comes through `get_case` (`Case.objects.visible_to`, 404 otherwise); `access` decides what the
page shows, and every write goes through `services/cases.py`, which checks it again (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.accounts.http import AuthenticatedHttpRequest
from concord.audit.models import AuditEvent
from concord.cases import vocabulary as v
from concord.cases.forms import (
    AssignForm,
    CaseCreateForm,
    CaseFilterForm,
    CaseForm,
    CloseForm,
    IdentityForm,
    StatusForm,
    TransferForm,
)
from concord.cases.listing import case_page, label_rows, mark_referred, narrowing_ids, page_number
from concord.cases.models import IDENTITY_FIELDS, Case, CaseAssignment
from concord.cases.querysets import case_roles
from concord.cases.reauth import recently_reauthenticated
from concord.cases.services import cases as services
from concord.cases.views.common import CaseContext, get_case
from concord.common.concurrency import StaleVersionError
from concord.common.forms import add_service_errors

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 50
VIEW_ACTIONS = ("cases.viewed", "cases.identity_viewed")


class Page:
    """A page of rows without counting every row: one more row than shown tells whether there is a next
    page (a COUNT over 100,000 visible cases would cost more than the page itself)."""

    def __init__(self, rows: list[Any], number: int, size: int) -> None:
        self.has_next = len(rows) > size
        self.object_list = rows[:size]
        self.number = number
        self.has_previous = number > 1
        self.previous_page_number = number - 1
        self.next_page_number = number + 1

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _page(queryset: QuerySet, request: AuthenticatedHttpRequest, size: int) -> Page:
    try:
        number = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        number = 1
    start = (number - 1) * size
    return Page(list(queryset[start : start + size + 1]), number, size)


def _status(request: AuthenticatedHttpRequest) -> int:
    """A form sent back with errors answers 400 (nothing was written); shown afresh, 200."""
    return 400 if request.method == "POST" else 200


def case_filters(request: AuthenticatedHttpRequest, form: CaseFilterForm) -> tuple[Any, set[int] | None]:
    """The list's filters: a function applied to each query of `listing.case_page`, and the case ids
    the service and referral-state filters leave (None: no such filter)."""
    if not form.is_valid():
        if form.is_bound and form.errors:
            return (lambda cases: cases.none()), None
        return (lambda cases: cases), None
    data = form.cleaned_data
    user = request.user
    among = narrowing_ids(user, service=data["service"], referral_state=data["referral_state"])

    def apply(cases: QuerySet[Case]) -> QuerySet[Case]:
        if data["code"]:
            cases = cases.filter(code=data["code"].strip().upper())
        if data["status"]:
            cases = cases.filter(status=data["status"])
        if data["region"]:
            cases = cases.filter(region=data["region"])
        return cases

    return apply, among


@login_required
@require_GET
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases the user may open, newest first; never a name on it."""
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters, among = case_filters(request, form)
    page = case_page(
        request.user,
        number=page_number(request.GET.get("page")),
        size=PAGE_SIZE,
        filters=filters,
        among=among,
    )
    owned = mark_referred(request.user, page.object_list)
    label_rows(page.object_list)
    for case in page:
        case.referred_to_us = case.pk not in owned
    query = request.GET.copy()
    query.pop("page", None)
    roles = case_roles(request.user)
    return render(
        request,
        "cases/case_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "may_create": bool(roles.managed | roles.worked),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = services.creatable_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = CaseCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_case(
                by=request.user,
                owner=form.cleaned_data["owner"],
                values=form.case_values(),
                identity=form.identity_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was opened."))
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form}, status=_status(request))


def _label(name: str) -> Any:
    return Case._meta.get_field(name).verbose_name  # type: ignore[union-attr]


def display_value(case: Case, name: str) -> Any:
    """A field as people read it: choice labels, list values joined; never an identity field."""
    assert name not in IDENTITY_FIELDS
    field = Case._meta.get_field(name)
    value = getattr(case, name)
    if getattr(field, "choices", None) and value:
        return getattr(case, f"get_{name}_display")()
    if isinstance(value, list):
        vocabulary = services.LIST_VOCABULARIES.get(name)
        labels = dict(vocabulary.choices) if vocabulary else {}
        return ", ".join(str(labels.get(item, item)) for item in value)
    return value


def _fields(case: Case, names: tuple[str, ...]) -> list[tuple[Any, Any]]:
    return [(_label(name), display_value(case, name)) for name in names]


def _summary_context(request: AuthenticatedHttpRequest, ctx: CaseContext, **extra: Any) -> dict[str, Any]:
    case, access = ctx.case, ctx.access
    assignments = CaseAssignment.objects.filter(case=case, ended_at__isnull=True).select_related(
        "user", "organisation"
    )
    if not access.owner_side:
        assignments = assignments.filter(organisation_id__in=access.acting_organisation_ids)
    memberships = services.assignable_memberships(request.user, case, access)
    context: dict[str, Any] = {
        "case": case,
        "access": access,
        "sees_profile": access.sees("profile"),
        "profile": _fields(case, services.PROFILE_FIELDS) if access.sees("profile") else [],
        "assignments": list(assignments),
        "assigning_ids": services.assigning_organisation_ids(request.user, case, access),
        "assign_form": AssignForm(memberships=memberships) if memberships.exists() else None,
        "status_choices": [
            (value, label)
            for value, label in v.TraffickingStatus.choices
            if services.may_decide_status(access, value)
        ],
        "status_form": StatusForm(initial={"status": case.trafficking_status}),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def case_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    services.record_view(case=ctx.case, by=request.user, access=ctx.access)
    return render(request, "cases/case_detail.html", _summary_context(request, ctx))


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.can_edit:
        raise PermissionDenied
    form = CaseForm(request.POST or None, instance=ctx.case)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(
                case=ctx.case,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                values=form.case_values(),
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was saved."))
            return redirect(ctx.case)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "case": ctx.case, "access": ctx.access},
        status=_status(request),
    )


def _reauth_page(request: AuthenticatedHttpRequest, ctx: CaseContext) -> HttpResponse:
    url = reverse("account_reauthenticate") + "?" + urlencode({"next": request.get_full_path()})
    return render(
        request, "cases/case_reauth.html", {"case": ctx.case, "access": ctx.access, "reauth_url": url}
    )


@login_required
@require_GET
def case_identity(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.sees_identity:
        raise PermissionDenied
    if not recently_reauthenticated(request):
        return _reauth_page(request, ctx)
    services.record_view(case=ctx.case, by=request.user, access=ctx.access, identity=True)
    fields = [(_label(name), getattr(ctx.case, name)) for name in IDENTITY_FIELDS]
    return render(
        request, "cases/case_identity.html", {"case": ctx.case, "access": ctx.access, "fields": fields}
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_identity_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not (ctx.access.sees_identity and ctx.access.can_edit):
        raise PermissionDenied
    if not recently_reauthenticated(request):
        # Nothing is shown or saved without a fresh re-authentication; the page links back here.
        return _reauth_page(request, ctx)
    form = IdentityForm(request.POST or None, instance=ctx.case)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_identity(
                case=ctx.case,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                values=form.identity_values(),
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The identity details were saved."))
            return redirect("cases:identity", code=ctx.case.code)
    else:
        # Showing the form reveals the identity: audited as a view.
        services.record_view(case=ctx.case, by=request.user, access=ctx.access, identity=True)
    return render(
        request,
        "cases/case_identity_form.html",
        {"form": form, "case": ctx.case, "access": ctx.access},
        status=_status(request),
    )


def _summary_with_error(
    request: AuthenticatedHttpRequest, ctx: CaseContext, error: ValidationError, **forms: Any
) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return render(request, "cases/case_detail.html", _summary_context(request, ctx, **forms), status=400)


@login_required
@require_POST
def case_status(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    form = StatusForm(request.POST)
    if not form.is_valid():
        status = request.POST.get("status", "")
        if status in v.TraffickingStatus.values and not services.may_decide_status(ctx.access, status):
            raise PermissionDenied
        return _summary_with_error(request, ctx, ValidationError(_("Check the decision.")), status_form=form)
    try:
        services.decide_trafficking_status(
            case=ctx.case,
            by=request.user,
            status=form.cleaned_data["status"],
            decided_on=form.cleaned_data["decided_on"],
        )
    except ValidationError as error:
        return _summary_with_error(request, ctx, error, status_form=form)
    messages.success(request, _("The trafficking status was recorded."))
    return redirect(ctx.case)


@login_required
@require_POST
def case_assign(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not services.assigning_organisation_ids(request.user, ctx.case, ctx.access):
        raise PermissionDenied
    form = AssignForm(request.POST, memberships=services.assignable_memberships(request.user, ctx.case))
    if not form.is_valid():
        return _summary_with_error(
            request, ctx, ValidationError(_("Choose a caseworker of your organisation.")), assign_form=form
        )
    membership = form.cleaned_data["membership"]
    try:
        services.assign(
            case=ctx.case, by=request.user, user=membership.user, organisation=membership.organisation
        )
    except ValidationError as error:
        return _summary_with_error(request, ctx, error, assign_form=form)
    messages.success(request, _("The caseworker was assigned."))
    return redirect(ctx.case)


@login_required
@require_POST
def case_unassign(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ctx = get_case(request, code)
    assignment = get_object_or_404(
        CaseAssignment.objects.select_related("case"), pk=pk, case=ctx.case, ended_at__isnull=True
    )
    services.unassign(assignment=assignment, by=request.user)
    messages.success(request, _("The assignment was ended."))
    return redirect(ctx.case)


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.can_manage:
        raise PermissionDenied
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_case(case=ctx.case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was closed."))
            return redirect(ctx.case)
    return render(
        request,
        "cases/case_close.html",
        {"form": form, "case": ctx.case, "access": ctx.access},
        status=_status(request),
    )


@login_required
@require_POST
def case_reopen(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.can_manage:
        raise PermissionDenied
    try:
        services.reopen_case(case=ctx.case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case was reopened."))
    return redirect(ctx.case)


@login_required
@require_http_methods(["GET", "POST"])
def case_transfer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.can_manage:
        raise PermissionDenied
    form = TransferForm(request.POST or None, organisations=services.transfer_targets(request.user, ctx.case))
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_case(
                case=ctx.case,
                by=request.user,
                to=form.cleaned_data["organisation"],
                confirmed=form.cleaned_data["confirm"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was transferred."))
            if Case.objects.visible_to(request.user).filter(pk=ctx.case.pk).exists():
                return redirect(ctx.case)
            return redirect("cases:list")
    return render(
        request,
        "cases/case_transfer.html",
        {"form": form, "case": ctx.case, "access": ctx.access},
        status=_status(request),
    )


# Fields whose history is not worth a line (bookkeeping).
HISTORY_IGNORED = {
    "version",
    "identity_number_bidx",
    "history_id",
    "history_date",
    "history_user",
    "history_type",
}


def history_rows(records: list[Any], size: int) -> list[dict[str, Any]]:
    """Who changed what when, newest first: field names only (identity values never leave the record).
    `records` holds one row more than shown when there is one: the previous state of the last row."""
    tracked = [f.name for f in Case._meta.fields if f.name not in HISTORY_IGNORED and f.name != "updated_at"]
    rows = []
    for index, record in enumerate(records[:size]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changed = (
            []
            if previous is None
            else [
                str(_label(name))
                for name in tracked
                if getattr(record, name, None) != getattr(previous, name, None)
            ]
        )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "type": record.history_type,
                "fields": changed,
            }
        )
    return rows


@login_required
@require_GET
def case_history(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.owner_side:
        raise PermissionDenied
    records = ctx.case.history.select_related("history_user").order_by("-history_date", "-history_id")
    page = _page(records, request, HISTORY_PAGE_SIZE)
    start = (page.number - 1) * HISTORY_PAGE_SIZE
    # The shown rows and the one before the last of them (to tell what that one changed).
    window = list(records[start : start + HISTORY_PAGE_SIZE + 1])
    return render(
        request,
        "cases/case_history.html",
        {
            "case": ctx.case,
            "access": ctx.access,
            "rows": history_rows(window, HISTORY_PAGE_SIZE),
            "page_obj": page,
        },
    )


def viewer_events(case: Case) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.for_target(case)
        .filter(Q(action__in=VIEW_ACTIONS) | Q(action__startswith="cases.export"))
        .select_related("actor", "organisation")
    )


@login_required
@require_GET
def case_viewers(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.owner_side:
        raise PermissionDenied
    page = _page(viewer_events(ctx.case), request, PAGE_SIZE)
    return render(
        request, "cases/case_viewers.html", {"case": ctx.case, "access": ctx.access, "page_obj": page}
    )
