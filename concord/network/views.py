"""Pages of the network registry: organisations, the people directory, cooperation groups, the map and
the coverage table. Every read starts from the user's scope; every write calls a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from concord.accounts.http import AuthenticatedHttpRequest
from concord.common.concurrency import StaleVersionError
from concord.common.forms import add_service_errors
from concord.network import graph, selectors, services
from concord.network.filters import CooperationGroupFilter, DirectoryFilter, OrganisationFilter
from concord.network.forms import (
    AddMemberForm,
    ContactPersonForm,
    CooperationGroupForm,
    CountryFilterForm,
    MapFilterForm,
    OrganisationForm,
    RemoveMemberForm,
)
from concord.network.models import ContactPerson, CooperationGroup, Organisation, ServiceKind

PAGE_SIZE = 25


def _page(request: AuthenticatedHttpRequest, queryset: QuerySet, param: str = "page") -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))


def _data(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- Organisations ---------------------------------------------------------------------------------------


@require_safe
@login_required
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = (
        Organisation.objects.visible_to(request.user)
        .select_related("country", "region")
        .prefetch_related("services")
    )
    filterset = OrganisationFilter(request.GET, queryset=organisations, request=request)
    context = {
        "filter": filterset,
        "page_obj": _page(request, filterset.qs),
        "can_create": services.can_create_organisation(request.user),
    }
    template = "network/organisation_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@require_safe
@login_required
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = get_object_or_404(
        Organisation.objects.visible_to(user)
        .with_internal_notes_for(user)
        .select_related("country", "region", "municipality"),
        pk=pk,
    )
    groups = CooperationGroup.objects.visible_to(user).filter(
        pk__in=organisation.group_memberships.filter(left_at__isnull=True).values("group_id")
    )
    context = {
        "organisation": organisation,
        "services": organisation.services.all(),
        "areas": organisation.areas_covered.select_related("country"),
        "groups": groups.order_by("name"),
        "contacts": ContactPerson.objects.visible_to(user).filter(organisation=organisation),
        "can_edit": organisation.is_administered_by(user),
    }
    return render(request, "network/organisation_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organisation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not services.can_create_organisation(request.user):
        raise Http404
    form = OrganisationForm(_data(request), user=request.user)
    if form.is_valid():
        try:
            organisation = services.create_organisation(
                by=request.user,
                fields=form.changes(),
                areas_covered=form.cleaned_data["areas_covered"],
                services=form.service_offers(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation was added to the registry."))
            return redirect(organisation)
    return render(request, "network/organisation_form.html", {"form": form, "organisation": None})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organisation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = get_object_or_404(Organisation.objects.visible_to(user).administered_by(user), pk=pk)
    form = OrganisationForm(_data(request), instance=organisation, user=user)
    if form.is_valid():
        try:
            services.update_organisation(
                organisation=organisation,
                by=user,
                version=form.cleaned_data["version"],
                fields=form.changes(),
                areas_covered=form.cleaned_data["areas_covered"],
                services=form.service_offers(),
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The registry entry was saved."))
            return redirect(organisation)
    return render(request, "network/organisation_form.html", {"form": form, "organisation": organisation})


# --- People directory ------------------------------------------------------------------------------------


@require_safe
@login_required
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Contact people the user may see; for organisations with none, their generic contact."""
    user = request.user
    contacts = ContactPerson.objects.visible_to(user).select_related("organisation__country")
    filterset = DirectoryFilter(request.GET, queryset=contacts, request=request)
    page_obj = _page(request, filterset.qs)  # validates the filters first
    chosen = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    generic = selectors.reached_by_generic_contact(
        user=user,
        country=chosen.get("country"),
        organisation=chosen.get("organisation"),
        search=chosen.get("search") or "",
    )
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "generic_page": _page(request, generic, param="generic_page"),
        "administered": set(
            Organisation.objects.visible_to(user).administered_by(user).values_list("pk", flat=True)
        ),
    }
    template = "network/directory.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = get_object_or_404(Organisation.objects.visible_to(user).administered_by(user), pk=pk)
    form = ContactPersonForm(_data(request))
    if form.is_valid():
        try:
            services.create_contact(
                organisation=organisation,
                by=user,
                fields=form.changes(),
                shared_with_network=form.cleaned_data["consent"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact person was added."))
            return redirect(organisation)
    context = {"form": form, "organisation": organisation, "contact": None}
    return render(request, "network/contact_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contact_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contact = get_object_or_404(
        ContactPerson.objects.visible_to(user).administered_by(user).select_related("organisation"), pk=pk
    )
    form = ContactPersonForm(_data(request), instance=contact)
    if form.is_valid():
        try:
            services.update_contact(
                contact=contact,
                by=user,
                version=form.cleaned_data["version"],
                fields=form.changes(),
                shared_with_network=form.cleaned_data["consent"],
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact person was saved."))
            return redirect(contact.organisation)
    context = {"form": form, "organisation": contact.organisation, "contact": contact}
    return render(request, "network/contact_form.html", context)


# --- Cooperation groups ----------------------------------------------------------------------------------


@require_safe
@login_required
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = (
        CooperationGroup.objects.visible_to(request.user)
        .select_related("country", "region", "chair")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
        .order_by("name")
    )
    filterset = CooperationGroupFilter(request.GET, queryset=groups, request=request)
    context = {
        "filter": filterset,
        "page_obj": _page(request, filterset.qs),
        "can_create": services.can_create_group(request.user),
    }
    template = "network/group_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


def _group_page(
    request: AuthenticatedHttpRequest, group: CooperationGroup, add_form: AddMemberForm | None = None
) -> HttpResponse:
    user = request.user
    can_manage = group.is_administered_by(user)
    if can_manage and add_form is None:
        add_form = AddMemberForm(user=user, group=group)
    memberships = group.memberships.select_related("organisation").order_by("organisation__name")
    context = {
        "group": group,
        "members": [m for m in memberships if m.left_at is None],
        "former_members": [m for m in memberships if m.left_at is not None],
        "can_manage": can_manage,
        "add_form": add_form if can_manage else None,
        # The group's internal work (meetings, minutes, tasks) is for those who work in it.
        "shows_group_work": CooperationGroup.objects.worked_in_by(user).filter(pk=group.pk).exists(),
    }
    return render(request, "network/group_detail.html", context)


@require_safe
@login_required
def group_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(
        CooperationGroup.objects.visible_to(request.user).select_related("country", "region", "chair"), pk=pk
    )
    return _group_page(request, group)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def group_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not services.can_create_group(request.user):
        raise Http404
    form = CooperationGroupForm(_data(request), user=request.user, may_change_chair=True)
    if form.is_valid():
        try:
            group = services.create_group(
                by=request.user, fields=form.changes(), members=form.cleaned_data["members"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cooperation group was set up."))
            return redirect(group)
    return render(request, "network/group_form.html", {"form": form, "group": None})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def group_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    group = get_object_or_404(CooperationGroup.objects.visible_to(user).administered_by(user), pk=pk)
    form = CooperationGroupForm(
        _data(request), instance=group, user=user, may_change_chair=services.can_change_chair(user)
    )
    if form.is_valid():
        try:
            services.update_group(
                group=group, by=user, version=form.cleaned_data["version"], fields=form.changes()
            )
        except StaleVersionError:
            form.add_error(None, StaleVersionError.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cooperation group was saved."))
            return redirect(group)
    return render(request, "network/group_form.html", {"form": form, "group": group})


@login_required
@require_POST
def group_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    group = get_object_or_404(CooperationGroup.objects.visible_to(user).administered_by(user), pk=pk)
    form = AddMemberForm(request.POST, user=user, group=group)
    if form.is_valid():
        try:
            services.add_group_member(
                group=group,
                organisation=form.cleaned_data["organisation"],
                by=user,
                joined_at=form.cleaned_data["joined_at"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation joined the group."))
            return redirect(group)
    return _group_page(request, group, add_form=form)


@login_required
@require_POST
def group_member_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    group = get_object_or_404(CooperationGroup.objects.visible_to(user).administered_by(user), pk=pk)
    form = RemoveMemberForm(request.POST, user=user, group=group)
    if not form.is_valid():
        raise Http404
    try:
        services.remove_group_member(group=group, organisation=form.cleaned_data["organisation"], by=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The organisation left the group."))
    return redirect(group)


# --- Map and coverage ------------------------------------------------------------------------------------


@require_safe
@login_required
def network_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MapFilterForm(request.GET, user=request.user)
    chosen = form.cleaned_data if form.is_valid() else {}
    country, group = chosen.get("country"), chosen.get("group")
    ties = selectors.network_ties(user=request.user, country=country, group=group)
    organisations = selectors.tied_organisations(user=request.user, ties=ties, group=group, country=country)
    context = {"form": form, "graph": graph.draw(organisations, ties)}
    return render(request, "network/map.html", context)


@require_safe
@login_required
def coverage(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CountryFilterForm(request.GET, user=request.user)
    chosen = form.cleaned_data if form.is_valid() else {}
    context = {
        "form": form,
        "rows": selectors.service_coverage(user=request.user, country=chosen.get("country")),
        "kinds": ServiceKind.choices,
    }
    return render(request, "network/coverage.html", context)
