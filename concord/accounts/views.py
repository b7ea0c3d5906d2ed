"""Members and invitations, accepting an invitation, the audit log and the API token page."""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rest_framework.authtoken.models import Token

from concord.accounts import services
from concord.accounts.forms import (
    AcceptInvitationForm,
    AuditEventFilter,
    InviteForm,
    OrganisationChoiceForm,
    RoleForm,
)
from concord.accounts.http import AuthenticatedHttpRequest
from concord.accounts.models import Invitation, Membership
from concord.accounts.querysets import administered_organisations
from concord.audit.models import AuditEvent
from concord.network.models import Organisation

AUDIT_PAGE_SIZE = 50


def _administered_organisation(request: AuthenticatedHttpRequest, pk: Any = None) -> Organisation:
    """The organisation whose members are managed: the one asked for, else the user's own, else the
    first. Someone who administers no organisation (or not the one asked for) gets a 404."""
    organisations = administered_organisations(request.user)
    if pk is not None:
        if not str(pk).isdigit():
            raise Http404
        return get_object_or_404(organisations, pk=pk)
    own = request.user.active_membership()
    if own is not None and organisations.filter(pk=own.organisation_id).exists():
        return own.organisation
    first = organisations.order_by("name").first()
    if first is None:
        raise Http404
    return first


def _members_url(organisation: Organisation) -> str:
    return f"{reverse('accounts:members')}?organisation={organisation.pk}"


def _render_members(
    request: AuthenticatedHttpRequest, organisation: Organisation, invite_form: InviteForm | None = None
) -> HttpResponse:
    user = request.user
    memberships = (
        Membership.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("user", "invited_by")
        .order_by("-is_active", "user__full_name", "-started_at")
    )
    invitations = (
        Invitation.objects.visible_to(user)
        .filter(organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
    )
    chooser = OrganisationChoiceForm(user=user, initial={"organisation": organisation.pk})
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "invitations": invitations,
        "invite_form": invite_form or InviteForm(user=user),
        "role_choices": RoleForm(user=user).role_choices,
        "manageable_roles": {role.value for role in services.grantable_roles(user)},
        "chooser": chooser if administered_organisations(user)[:2].count() > 1 else None,
    }
    status = 400 if invite_form is not None and invite_form.errors else 200
    return render(request, "accounts/members.html", context, status=status)


@login_required
def members(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The members of an organisation the user administers, past and present, and its open invitations."""
    organisation = _administered_organisation(request, request.GET.get("organisation"))
    return _render_members(request, organisation)


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = _administered_organisation(request, organisation_pk)
    form = InviteForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.invite_member(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation was sent."))
            return redirect(_members_url(organisation))
    return _render_members(request, organisation, invite_form=form)


@login_required
@require_POST
def change_role(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("organisation", "user"), pk=pk
    )
    form = RoleForm(request.POST, user=request.user)
    error = None
    if not form.is_valid():
        error = _("Choose one of the roles offered.")
    else:
        try:
            membership = services.change_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        context = {
            "membership": membership,
            "role_choices": form.role_choices,
            "manageable_roles": {role.value for role in services.grantable_roles(request.user)},
            "row_message": error or _("Saved."),
            "row_error": bool(error),
        }
        return render(request, "accounts/members.html#member-row", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("The role of %(name)s is now %(role)s.")
            % {"name": membership.user, "role": membership.get_role_display()},
        )
    return redirect(_members_url(membership.organisation))


@login_required
@require_http_methods(["GET", "POST"])
def end_membership(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask, then end a membership. Ending keeps it in the list as history."""
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("organisation", "user"), pk=pk
    )
    if request.method == "POST":
        try:
            services.end_membership(membership=membership, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The membership of %(name)s has ended.") % {"name": membership.user})
        return redirect(_members_url(membership.organisation))
    others = membership.user.memberships.filter(is_active=True).exclude(pk=membership.pk).exists()
    return render(
        request, "accounts/membership_end.html", {"membership": membership, "has_other_memberships": others}
    )


@login_required
@require_POST
def revoke_invitation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )
    try:
        services.revoke_invitation(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation was revoked."))
    return redirect(_members_url(invitation.organisation))


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to. Only an open invitation is found: expired, revoked and
    used links are a 404, like any unknown one."""
    invitation = services.find_open_invitation(token)
    if invitation is None:
        raise Http404
    if request.user.is_authenticated:
        messages.info(request, _("Sign out first to accept an invitation for another account."))
        return redirect("home")
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation}
            )
            # Signed in through allauth, so its stages run: someone who already has an authenticator is
            # asked for a code; the two-factor middleware sends everyone else to set one up if needed.
            # The password just chosen counts as typed at sign-in, so setting up the authenticator
            # straight after does not ask for it again (see the adapter's is_reauthentication_required).
            record_authentication(request, user, method="password", email=user.email)
            return perform_login(request, user, redirect_url=reverse("home"))
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})


@require_safe
@login_required
def audit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The audit log of the organisations the user administers (all of it for network administrators)."""
    if not administered_organisations(request.user).exists():
        raise Http404
    events = AuditEvent.objects.visible_to(request.user).select_related("actor", "organisation")
    filters = AuditEventFilter(request.GET or None, queryset=events, user=request.user)
    page = Paginator(filters.qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/audit.html", {"filters": filters, "page_obj": page})


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def api_token(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create, replace or revoke one's own API token. A new key is shown once, on this response only;
    creating one asks for the password again if the user has not entered it recently."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_api_token(user=request.user)
            messages.success(request, _("Your API token was revoked."))
            return redirect("accounts:api-token")
        new_key = services.create_api_token(user=request.user).key
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/api_token.html", {"token": token, "new_key": new_key})


@require_safe
@login_required
def email_managed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sign-in addresses are not self-service: the address is the one an administrator invited, so a
    person who leaves an organisation cannot keep a second address that outlives the invitation."""
    return render(request, "accounts/email_managed.html", status=403)
