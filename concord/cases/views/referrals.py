"""Pages of consent, referrals (inbox, outbox, the referral itself), the referral directory and notices.

Cases come through `get_case` (404 if not visible); referrals through `Referral.objects.visible_to`.
A referral waiting for an answer shows its receiver the card only: case code, services, urgency,
language, sex, age band, region and the risks. Every write goes through cases/services/.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.accounts.http import AuthenticatedHttpRequest
from concord.cases.forms_referrals import (
    ConsentForm,
    DirectoryForm,
    PlanForm,
    ReasonForm,
    ReferralForm,
    ReferralListFilter,
)
from concord.cases.models import ACCESS_STATES, Case, Consent, Notification, Referral
from concord.cases.querysets import case_roles
from concord.cases.services import consent as consent_services
from concord.cases.services import notifications as notification_services
from concord.cases.services import referrals as services
from concord.cases.views.common import get_case
from concord.common.concurrency import StaleVersionError
from concord.common.forms import add_service_errors

PAGE_SIZE = 50


# --- Consent --------------------------------------------------------------------------------------------


@login_required
@require_GET
def consents(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.owner_side:
        raise PermissionDenied
    rows = Consent.objects.visible_to(request.user).filter(case=ctx.case).select_related("recipient")
    return render(request, "cases/consents.html", {"case": ctx.case, "access": ctx.access, "consents": rows})


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.can_edit:
        raise PermissionDenied
    form = ConsentForm(request.POST or None, case=ctx.case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_services.record_consent(
                case=ctx.case,
                by=request.user,
                purpose=data["purpose"],
                recipient=data["recipient"],
                method=data["method"],
                witness=data["witness"],
                given_on=data["given_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("cases:consents", code=ctx.case.code)
    return render(request, "cases/consent_form.html", {"case": ctx.case, "access": ctx.access, "form": form})


@login_required
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.owner_side:
        raise PermissionDenied
    consent = get_object_or_404(Consent.objects.visible_to(request.user).filter(case=ctx.case), pk=pk)
    try:
        consent_services.withdraw_consent(consent=consent, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent was withdrawn. Sharing that rested on it has stopped."))
    return redirect("cases:consents", code=ctx.case.code)


# --- Referrals of a case --------------------------------------------------------------------------------


@login_required
@require_GET
def case_referrals(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    rows = Referral.objects.visible_to(request.user).filter(case=ctx.case)
    if not ctx.access.owner_side:
        rows = rows.filter(to_organisation_id__in=ctx.access.acting_organisation_ids)
    rows = rows.select_related("from_organisation", "to_organisation")
    return render(
        request, "cases/referrals_of_case.html", {"case": ctx.case, "access": ctx.access, "referrals": rows}
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ctx = get_case(request, code)
    if not ctx.access.can_refer:
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if request.GET.get("to", "").isdigit():
        initial["to_organisation"] = int(request.GET["to"])
    if request.GET.get("service"):
        initial["services"] = [request.GET["service"]]
    form = ReferralForm(request.POST or None, case=ctx.case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.create_referral(
                case=ctx.case,
                by=request.user,
                to_organisation=data["to_organisation"],
                services=data["services"],
                urgency=data["urgency"],
                language=data["language"],
                reason=data["reason"],
                details=data["details"],
                shared_sections=data["shared_sections"],
                consent=data["consent"],
                consent_override_reason=data["consent_override_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The referral was drafted. Check it, then send it."))
            return redirect(referral)
    return render(request, "cases/referral_form.html", {"case": ctx.case, "access": ctx.access, "form": form})


# --- One referral ---------------------------------------------------------------------------------------


def _referral(request: AuthenticatedHttpRequest, pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "case", "case__region", "from_organisation", "to_organisation", "consent", "consent__recipient"
        ),
        pk=pk,
    )


def _referral_context(request: AuthenticatedHttpRequest, referral: Referral, **extra: Any) -> dict[str, Any]:
    sender = services.is_sender(request.user, referral)
    receiver = not sender and services.is_receiver(request.user, referral)
    # After acceptance, and only while the consent (or its recorded override) stands.
    accepted = referral.state in ACCESS_STATES and services.consent_covers(referral)
    # The receiver reads the case only while the rule lets it (accepted and consent standing).
    case_link = None
    if (sender or (receiver and accepted)) and (
        Case.objects.visible_to(request.user).filter(pk=referral.case_id).exists()
    ):
        case_link = referral.case.get_absolute_url()
    actions = services.allowed_actions(request.user, referral)
    context = {
        "referral": referral,
        "case": referral.case,
        "is_sender": sender,
        "is_receiver": receiver,
        "full": sender,
        "show_details": sender or (receiver and accepted),
        "show_risks": sender or receiver,
        "case_link": case_link,
        "actions": [
            (slug, services.ACTION_LABELS[slug], slug in services.ACTIONS_NEEDING_REASON) for slug in actions
        ],
        "events": referral.events.select_related("by", "organisation") if sender else None,
        "may_plan": (sender or receiver) and accepted,
        "plan_form": extra.pop("plan_form", None)
        or PlanForm(
            initial={"plan": referral.plan, "plan_status": referral.plan_status, "version": referral.version}
        ),
        "consent_ok": services.consent_covers(referral),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    return render(request, "cases/referral.html", _referral_context(request, referral))


@login_required
@require_POST
def referral_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    referral = _referral(request, pk)
    if action == "plan":
        return _plan(request, referral)
    if action not in services.TRANSITIONS:
        raise Http404
    form = ReasonForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.transition(
            referral=referral,
            action=action,
            by=request.user,
            reason=data.get("reason") or "",
            expected_version=data.get("version"),
        )
    except services.InvalidTransitionError as error:
        messages.error(request, str(error.message))
        return render(request, "cases/referral.html", _referral_context(request, referral), status=409)
    except StaleVersionError:
        messages.error(request, str(StaleVersionError.message))
        return render(request, "cases/referral.html", _referral_context(request, referral), status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render(request, "cases/referral.html", _referral_context(request, referral), status=400)
    messages.success(
        request, _("Done: the referral is now %(state)s.") % {"state": referral.get_state_display().lower()}
    )
    return redirect(referral)


def _plan(request: AuthenticatedHttpRequest, referral: Referral) -> HttpResponse:
    if not (services.is_sender(request.user, referral) or services.is_receiver(request.user, referral)):
        raise PermissionDenied
    form = PlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_plan(
                referral=referral,
                by=request.user,
                plan=data["plan"],
                plan_status=data["plan_status"],
                expected_version=data["version"],
            )
        except services.InvalidTransitionError as error:
            messages.error(request, str(error.message))
            return render(
                request,
                "cases/referral.html",
                _referral_context(request, referral, plan_form=form),
                status=409,
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
            return render(
                request,
                "cases/referral.html",
                _referral_context(request, referral, plan_form=form),
                status=409,
            )
        messages.success(request, _("The plan was saved."))
        return redirect(referral)
    return render(
        request, "cases/referral.html", _referral_context(request, referral, plan_form=form), status=400
    )


# --- Inbox and outbox -----------------------------------------------------------------------------------


def _filtered(
    request: AuthenticatedHttpRequest, rows: QuerySet[Referral]
) -> tuple[QuerySet[Referral], ReferralListFilter]:
    form = ReferralListFilter(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["state"]:
            rows = rows.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["overdue"]:
            rows = rows.overdue()  # type: ignore[attr-defined]
    return rows, form


def _box(request: AuthenticatedHttpRequest, box: str) -> HttpResponse:
    roles = case_roles(request.user)
    visible = Referral.objects.visible_to(request.user)
    if roles.any:
        organisations = roles.managed | roles.worked
        rows = visible.inbox_of(organisations) if box == "inbox" else visible.outbox_of(organisations)
    elif request.user.coordinated_country_codes():
        rows = visible.filter(is_transnational=True) if box == "inbox" else visible.none()
    else:
        raise PermissionDenied
    rows = rows.select_related("case", "from_organisation", "to_organisation").order_by(
        "due_at", "-created_at"
    )
    filtered, form = _filtered(request, rows)
    page = Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/referral_box.html", {"box": box, "page_obj": page, "filter_form": form})


@login_required
@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _box(request, "inbox")


@login_required
@require_GET
def outbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _box(request, "outbox")


# --- Directory ------------------------------------------------------------------------------------------


@login_required
@require_GET
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not case_roles(request.user).any:
        raise PermissionDenied
    case = None
    code = request.GET.get("case", "")
    if code:
        case = Case.objects.owned_for(request.user).select_related("region").filter(code=code).first()
        if case is None:
            raise Http404
    data = request.GET.copy()
    if case is not None:
        if not data.get("region") and case.region_id:
            data["region"] = str(case.region_id)
        if not data.get("language") and case.primary_language:
            data["language"] = case.primary_language
    form = DirectoryForm(data)
    suggestions: list[services.Suggestion] = []
    if form.is_valid():
        region = form.cleaned_data["region"]
        suggestions = services.suggest_organisations(
            user=request.user,
            service=form.cleaned_data["service"],
            region_id=region.pk if region else None,
            language=form.cleaned_data["language"],
            exclude_organisation_ids=[case.owner_id] if case else [],
        )
    return render(
        request,
        "cases/referral_directory.html",
        {"form": form, "case": case, "suggestions": suggestions, "service": form.data.get("service", "")},
    )


# --- Notifications --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = Notification.objects.visible_to(request.user).select_related("referral__case")
    if request.method == "POST":
        if request.POST.get("all"):
            notification_services.mark_all_read(by=request.user)
        else:
            raw = request.POST.get("notification", "")
            notice = get_object_or_404(rows, pk=int(raw)) if raw.isdigit() else None
            if notice is None:
                raise Http404
            notification_services.mark_read(notification=notice, by=request.user)
            if notice.referral_id and request.POST.get("open"):
                return redirect(reverse("cases:referral", kwargs={"pk": notice.referral_id}))
        return redirect("cases:notifications")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/notifications.html", {"page_obj": page})
