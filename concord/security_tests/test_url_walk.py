"""Every URL of the project, walked by everyone who has no reason to see the Korçë group's internal work
or Shelter North's private data.

The test finds the URL patterns itself, so a new page or endpoint is walked as soon as it exists; a new
URL whose parameters this test cannot fill fails `test_every_parameterised_url_is_walked` until it is
added to `objects_for`. Secrets are planted as marker strings: a response that contains one, for a person
who may not see it, is a leak whatever its status code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from concord.accounts.models import Invitation, Membership
from concord.accounts.services import invite_member
from concord.audit.models import AuditEvent
from concord.cases.models import CaseDocument, Notification, ScreeningTool
from concord.cases.services.screening import load_screening_tools
from concord.cases.tests.factories import (
    CaseFactory,
    CaseNoteFactory,
    LegalProceedingFactory,
    ReferralFactory,
    ScreeningFactory,
    ServiceDeliveryFactory,
    SupportPlanFactory,
    TraffickingEventFactory,
)
from concord.coordination.models import Task, TaskUpdate
from concord.coordination.tests.factories import (
    ActivityFactory,
    DecisionFactory,
    MeetingFactory,
    TaskFactory,
)
from concord.network.tests.factories import ContactPersonFactory, OrganisationFactory

MEETING = "ZZSECRET-MEETING"
DECISION = "ZZSECRET-DECISION"
TASK = "ZZSECRET-TASK"
PROGRESS = "ZZSECRET-PROGRESS"
CONTACT = "ZZSECRET-CONTACT"
NOTES = "ZZSECRET-NOTES"
INVITEE = "zzsecret-invitee@example.org"
CASE_IDENTITY = "ZZSECRET-CASE-IDENTITY"
SCREENING = "ZZSECRET-SCREENING"

GROUP_WORK = {MEETING, DECISION, TASK, PROGRESS}
SHELTER_PRIVATE = {CONTACT, NOTES, SCREENING}


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    params: tuple[str, ...]
    is_api: bool


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}", entry.callback


def project_routes() -> list[Route]:
    """Concord's own pages and API routes (not allauth's or the admin's), without format suffixes."""
    routes = []
    for pattern, name, callback in _walk(get_resolver().url_patterns):
        module = getattr(callback, "__module__", "")
        if not module.startswith("concord.") or "format" in pattern:
            continue
        params = tuple(_params(pattern))
        routes.append(Route(pattern, name, params, is_api=pattern.startswith("api/")))
    return routes


def _params(pattern: str) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern)]


def _fill(route: Route, values: dict[str, Any]) -> str:
    if route.is_api:
        path = route.pattern.replace("^", "").replace("$", "")
        for param in route.params:
            path = re.sub(rf"\(\?P<{param}>[^)]*\)", str(values[param]), path)
        return "/" + path
    path = route.pattern
    for param in route.params:
        path = re.sub(rf"<(?:\w+:)?{param}>", str(values[param]), path)
    return "/" + path


@pytest.fixture
def planted(korce_group, shelter_north, police_east, legal_clinic_south, anna, olga, ben):
    """The secrets: the Korçë group's internal work and Shelter North's private data."""
    shelter_north.internal_notes = f"{NOTES} the safe-house address is kept here"
    shelter_north.save(update_fields=["internal_notes"])
    meeting = MeetingFactory(group=korce_group, title=MEETING, minutes=MEETING, created_by=olga)
    decision = DecisionFactory(meeting=meeting, text=DECISION)
    task = TaskFactory(
        group=korce_group, title=TASK, assigned_organisation=police_east, decision=decision, created_by=olga
    )
    update = TaskUpdate.objects.create(task=task, author=ben, comment=PROGRESS)
    contact = ContactPersonFactory(organisation=shelter_north, full_name=CONTACT, shared_with_network=False)
    invitation = invite_member(
        organisation=shelter_north, email=INVITEE, full_name="Invited Person", role="caseworker", by=olga
    )
    case = CaseFactory(owner=shelter_north, created_by=anna, first_name=CASE_IDENTITY)
    # Referred to an organisation none of the outsiders belongs to: its own people are not outsiders.
    referral = ReferralFactory(
        case=case,
        to_organisation=OrganisationFactory(name="Shelter Elsewhere"),
        created_by=anna,
        details=NOTES,
    )
    # One row of each record of the case, by the basename of its API route (the document's file is
    # deliberately missing: its download must still answer below 500).
    records = {
        "case-event": TraffickingEventFactory(case=case),
        "case-service": ServiceDeliveryFactory(case=case),
        "support-plan": SupportPlanFactory(case=case),
        "proceeding": LegalProceedingFactory(case=case),
        "case-note": CaseNoteFactory(case=case),
        "case-document": CaseDocument.objects.create(
            case=case,
            organisation=shelter_north,
            kind=CaseDocument.Kind.OTHER,
            title="t",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            file="case-documents/missing.bin",
            uploaded_by=anna,
        ),
    }
    return {
        "records": records,
        "meeting": meeting,
        "decision": decision,
        "task": task,
        "update": update,
        "contact": contact,
        "invitation": invitation,
        "activity": ActivityFactory(),
        "membership": Membership.objects.get(user=anna, organisation=shelter_north),
        "screening": _planted_screening(shelter_north, anna),
        "case": case,
        "referral": referral,
        "notification": Notification.objects.create(
            recipient=anna, kind="referral_received", referral=referral
        ),
    }


def _planted_screening(shelter_north, anna):  # type: ignore[no-untyped-def]
    load_screening_tools()
    tool = ScreeningTool.objects.get(slug="adults-labour", is_current=True)
    return ScreeningFactory(
        tool=tool, organisation=shelter_north, screened_by=anna, person_alias=SCREENING, notes=SCREENING
    )


def objects_for(
    route: Route, planted: dict[str, Any], korce_group, shelter_north, korce
) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    """The value of each parameter of a route: always the most private object the route can show."""
    name = route.name.split(":")[-1]
    by_name: dict[str, Any] = {
        "organisation": shelter_north.pk,
        "contact": planted["contact"].pk,
        "directory": planted["contact"].pk,
        "group": korce_group.pk,
        "meeting": planted["meeting"].pk,
        "decision": planted["decision"].pk,
        "task-update": planted["update"].pk,
        "task": planted["task"].pk,
        "activity": planted["activity"].pk,
        "plan": planted["activity"].objective.plan.pk,
        "action-plan": planted["activity"].objective.plan.pk,
        "membership": planted["membership"].pk,
        "invitation-revoke": planted["invitation"].pk,
        "invitation-accept": "not-a-real-invitation-token",
        "region": korce.pk,
        "country": "AL",
        "member-invite": shelter_north.pk,
        "screening-tool": "adults-labour",
        "screening": planted["screening"].pk,
        "referral": planted["referral"].pk,
        "consent": planted["referral"].consent.pk,
        "notification": planted["notification"].pk,
        **{basename: row.pk for basename, row in planted["records"].items()},
    }
    values: dict[str, Any] = {}
    for param in route.params:
        if param == "code":
            values[param] = planted["case"].code
        elif param == "pk" and route.name.startswith("cases:screening"):
            values[param] = planted["screening"].pk
        elif param == "pk" and route.name in ("cases:referral", "cases:referral_action"):
            values[param] = planted["referral"].pk
        elif param == "pk" and route.name == "cases:consent_withdraw":
            values[param] = planted["referral"].consent.pk
        elif param == "pk" and route.name.startswith("cases:"):
            values[param] = 999999  # placeholder pages (not_built) until the protection pages land
        elif param in ("action", "tool"):
            values[param] = "accept"
        elif param == "group_pk":
            values[param] = korce_group.pk
        elif param == "organisation_pk":
            values[param] = shelter_north.pk
        else:
            key = next((k for k in sorted(by_name, key=len, reverse=True) if name.startswith(k)), None)
            if key is None:
                return None
            values[param] = by_name[key]
    return values


def test_every_parameterised_url_is_walked(planted, korce_group, shelter_north, korce):
    unfilled = [
        r.pattern
        for r in project_routes()
        if objects_for(r, planted, korce_group, shelter_north, korce) is None
    ]
    assert unfilled == []


def _outsiders(request: pytest.FixtureRequest) -> dict[str, tuple[Any, set[str]]]:
    """Each outsider, and the secrets they must never be shown."""
    return {
        "dora (no organisation)": (request.getfixturevalue("dora"), GROUP_WORK | SHELTER_PRIVATE | {INVITEE}),
        "carla (another group)": (request.getfixturevalue("carla"), GROUP_WORK | SHELTER_PRIVATE | {INVITEE}),
        "ben (same group, other organisation)": (request.getfixturevalue("ben"), SHELTER_PRIVATE | {INVITEE}),
        "vera (viewer, same group)": (request.getfixturevalue("vera"), SHELTER_PRIVATE | {INVITEE}),
        "anna (case manager, not administrator)": (request.getfixturevalue("anna"), {INVITEE}),
    }


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def test_anonymous_visitor_is_sent_to_sign_in_or_refused_everywhere(
    client, planted, korce_group, shelter_north, korce
):
    for route in project_routes():
        path = _fill(route, objects_for(route, planted, korce_group, shelter_north, korce) or {})
        response = client.get(path)
        body = _body(response)
        leaked = [s for s in GROUP_WORK | SHELTER_PRIVATE | {INVITEE} if s in body]
        assert not leaked, f"{path} shows {leaked} to an anonymous visitor"
        if route.is_api:
            assert response.status_code in {401, 403}, f"{path}: {response.status_code}"
        elif route.name in {"healthz"}:
            assert response.status_code == 200
        elif route.name.endswith("invitation-accept"):
            assert response.status_code == 404
        else:
            assert response.status_code == 302, path
            assert "/accounts/login/" in response["Location"], path


def test_outsiders_see_no_secret_on_any_page_or_endpoint(
    client, request, planted, korce_group, shelter_north, korce
):
    routes = project_routes()
    for who, (user, forbidden) in _outsiders(request).items():
        client.force_login(user)
        for route in routes:
            path = _fill(route, objects_for(route, planted, korce_group, shelter_north, korce) or {})
            response = client.get(path)
            assert response.status_code < 500, f"{who}: GET {path} answered {response.status_code}"
            body = _body(response)
            leaked = sorted(s for s in forbidden if s in body)
            assert not leaked, f"{who}: GET {path} shows {leaked}"
        client.logout()


def test_group_work_urls_answer_404_to_people_outside_the_group(
    client, carla, dora, planted, korce_group, shelter_north, korce
):
    """Not allowed looks exactly like does not exist."""
    group_work = ("meeting", "decision", "task", "group-meetings", "group-overdue", "group-progress")
    for user in (carla, dora):
        client.force_login(user)
        for route in project_routes():
            name = route.name.split(":")[-1]
            if not route.params or not name.startswith(group_work) or name == "task-list":
                continue
            path = _fill(route, objects_for(route, planted, korce_group, shelter_north, korce) or {})
            response = client.get(path)
            assert response.status_code in {404, 405}, f"{user}: GET {path} answered {response.status_code}"
        client.logout()


def test_outsiders_cannot_write_anything_anywhere(
    client, request, planted, korce_group, shelter_north, korce
):
    """POST, PUT, PATCH and DELETE to every route, by every outsider: nothing is written."""
    task = planted["task"]
    writes_before = AuditEvent.objects.exclude(action__startswith="accounts.sign").count()
    routes = project_routes()
    accepted: list[str] = []
    for who, (user, _forbidden) in _outsiders(request).items():
        if who.startswith(("ben", "vera", "anna")):
            # Members of the group may write some group work; those rules are tested in each app.
            continue
        client.force_login(user)
        for route in routes:
            path = _fill(route, objects_for(route, planted, korce_group, shelter_north, korce) or {})
            for method in ("post", "put", "patch", "delete"):
                response = (
                    getattr(client, method)(path, data={}, content_type="application/json")
                    if route.is_api
                    else getattr(client, method)(path)
                )
                assert response.status_code < 500, (
                    f"{who}: {method.upper()} {path} answered {response.status_code}"
                )
                if response.status_code in {200, 201, 204} and not route.name.endswith(("api-token",)):
                    accepted.append(f"{who}: {method.upper()} {path} answered {response.status_code}")
        client.logout()
    assert accepted == []
    writes_after = (
        AuditEvent.objects.exclude(action__startswith="accounts.sign")
        .exclude(action__startswith="accounts.api_token")
        .count()
    )
    assert writes_after == writes_before
    task.refresh_from_db()
    assert task.title == TASK
    assert task.status == Task.Status.OPEN
    assert Invitation.objects.filter(pk=planted["invitation"].pk, revoked_at__isnull=True).exists()
