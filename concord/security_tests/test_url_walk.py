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
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from concord.accounts.models import Invitation, Membership, Role
from concord.accounts.services import invite_member
from concord.accounts.tests.factories import MembershipFactory
from concord.audit.models import AuditEvent
from concord.cases.access import case_access
from concord.cases.models import IDENTITY_FIELDS, Case, Notification, ScreeningTool, SharedSection
from concord.cases.services.screening import load_screening_tools
from concord.cases.tests.factories import (
    CaseAssignmentFactory,
    CaseDocumentFactory,
    CaseFactory,
    CaseNoteFactory,
    ConsentFactory,
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

# Shelter North's case: a marker in every identity field and in every record hanging from it.
IDENTITY = {field: f"ZZSECRET-ID-{field.upper().replace('_', '-')}" for field in IDENTITY_FIELDS}
RISK = "ZZSECRET-RISK"  # the risk section travels with every accepted referral
EVENT = "ZZSECRET-EVENT"
NOTE = "ZZSECRET-NOTE"
PLAN = "ZZSECRET-PLAN"
SERVICE = "ZZSECRET-SERVICE"
PROCEEDING = "ZZSECRET-PROCEEDING"
DOCUMENT = "ZZSECRET-DOCUMENT"
WITNESS = "ZZSECRET-WITNESS"
REFERRAL = "ZZSECRET-REFERRAL"
SCREENING = "ZZSECRET-SCREENING"
CASE_RECORDS = {
    f"{EVENT}-DESCRIPTION",
    f"{NOTE}-TEXT",
    f"{PLAN}-OBJECTIVES",
    f"{PLAN}-ACTION",
    f"{SERVICE}-NOTES",
    f"{PROCEEDING}-REFERENCE",
    f"{PROCEEDING}-NOTES",
    f"{DOCUMENT}-TITLE",
    f"{WITNESS}-NAME",
    f"{REFERRAL}-DETAILS",
    f"{SCREENING}-ALIAS",
    f"{SCREENING}-NOTES",
}
CASE_SECRETS = set(IDENTITY.values()) | CASE_RECORDS | {RISK}

GROUP_WORK = {MEETING, DECISION, TASK, PROGRESS}
SHELTER_PRIVATE = {CONTACT, NOTES}


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    params: tuple[str, ...]
    is_api: bool
    module: str = ""

    @property
    def api_prefix(self) -> str:
        """The router prefix of an API route ("case-notes" for `api/^case-notes/...`), else ""."""
        return self.pattern.removeprefix("api/").lstrip("^").split("/")[0] if self.is_api else ""

    @property
    def in_cases_app(self) -> bool:
        return self.module.startswith("concord.cases.")


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
        routes.append(Route(pattern, name, params, is_api=pattern.startswith("api/"), module=module))
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


def plant_case(shelter_north, anna, korce) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Shelter North's case with a marker in every identity field and in each record hanging from it,
    referred (with consent) to Clinic West, an organisation none of the outsiders belongs to."""
    case = CaseFactory(owner=shelter_north, created_by=anna, case_owner=anna, risk_summary=RISK, **IDENTITY)
    caseworker = MembershipFactory(organisation=shelter_north, role=Role.CASEWORKER).user
    clinic_west = OrganisationFactory(name="Clinic West", region=korce)
    consent = ConsentFactory(
        case=case,
        recipient=clinic_west,
        organisation=shelter_north,
        method="oral_witnessed",
        witness=f"{WITNESS}-NAME",
        recorded_by=anna,
    )
    referral = ReferralFactory(
        case=case,
        to_organisation=clinic_west,
        consent=consent,
        state="accepted",
        details=f"{REFERRAL}-DETAILS",
        created_by=anna,
        **{f"share_{section}": True for section in SharedSection.values},
    )
    return {
        "case": case,
        "assignment": CaseAssignmentFactory(
            case=case, user=caseworker, organisation=shelter_north, assigned_by=anna
        ),
        "event": TraffickingEventFactory(case=case, description=f"{EVENT}-DESCRIPTION", recorded_by=anna),
        "note": CaseNoteFactory(case=case, text=f"{NOTE}-TEXT", author=anna),
        "plan": SupportPlanFactory(
            case=case, objectives=f"{PLAN}-OBJECTIVES", action_plan=f"{PLAN}-ACTION", created_by=anna
        ),
        "service": ServiceDeliveryFactory(case=case, notes=f"{SERVICE}-NOTES", recorded_by=anna),
        "proceeding": LegalProceedingFactory(
            case=case,
            reference=f"{PROCEEDING}-REFERENCE",
            notes=f"{PROCEEDING}-NOTES",
            recorded_by=anna,
        ),
        "document": CaseDocumentFactory(
            case=case,
            title=f"{DOCUMENT}-TITLE",
            uploaded_by=anna,
            file__data=b"ZZSECRET-DOCUMENT-CONTENT",
        ),
        "consent": consent,
        "referral": referral,
        "notification": Notification.objects.create(
            recipient=anna, kind=Notification.Kind.REFERRAL_ACCEPTED, referral=referral
        ),
        "screening": ScreeningFactory(
            tool=_real_screening_tool(),
            organisation=shelter_north,
            screened_by=anna,
            person_alias=f"{SCREENING}-ALIAS",
            notes=f"{SCREENING}-NOTES",
            case=case,
        ),
        "clinic_west": clinic_west,
    }


def _real_screening_tool() -> ScreeningTool:
    """The first-contact checklist as the project ships it (pages compute its rule)."""
    load_screening_tools()
    return ScreeningTool.objects.get(slug="first-contact", is_current=True)


@pytest.fixture
def planted(
    korce_group, shelter_north, police_east, legal_clinic_south, anna, olga, ben, korce, settings, tmp_path
):
    """The secrets: the Korçë group's internal work, Shelter North's private data and its case."""
    settings.MEDIA_ROOT = str(tmp_path)  # the planted document's file
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
    return {
        "meeting": meeting,
        "decision": decision,
        "task": task,
        "update": update,
        "contact": contact,
        "invitation": invitation,
        "activity": ActivityFactory(),
        "membership": Membership.objects.get(user=anna, organisation=shelter_north),
        **plant_case(shelter_north, anna, korce),
    }


# Which planted object a `pk` stands for: case pages by URL name, API routes by router prefix (longest
# prefix first, so that a route added later is filled as soon as its name starts like one of these).
CASE_PAGE_OBJECTS = {
    "unassign": "assignment",
    "assign": "assignment",
    "event": "event",
    "support_plan": "plan",
    "service": "service",
    "proceeding": "proceeding",
    "document": "document",
    "note": "note",
    "consent": "consent",
    "referral": "referral",
    "notification": "notification",
    "screening": "screening",
}
CASE_API_OBJECTS = {
    "cases": "case",
    "case-assignments": "assignment",
    "assignments": "assignment",
    "case-events": "event",
    "events": "event",
    "support-plans": "plan",
    "case-services": "service",
    "services": "service",
    "proceedings": "proceeding",
    "case-notes": "note",
    "notes": "note",
    "case-documents": "document",
    "documents": "document",
    "consents": "consent",
    "referrals": "referral",
    "notifications": "notification",
    "screenings": "screening",
}
# Reference data of the cases app, not bound to any case.
CASES_REFERENCE_API = {"screening-tools": "tool", "referral-directory": "organisation"}


def _by_prefix(name: str, table: dict[str, str]) -> str | None:
    return next((table[k] for k in sorted(table, key=len, reverse=True) if name.startswith(k)), None)


def case_object_of(route: Route) -> str | None:
    """The planted case-bound object a cases-app route with a `pk` (or code) shows, if any."""
    if route.is_api:
        if route.api_prefix in CASES_REFERENCE_API or _by_prefix(route.api_prefix, CASES_REFERENCE_API):
            return None
        return _by_prefix(route.api_prefix, CASE_API_OBJECTS)
    return _by_prefix(route.name.split(":")[-1], CASE_PAGE_OBJECTS)


def is_case_scoped(route: Route) -> bool:
    """A URL that names the planted case or something hanging from it: nobody outside the case may get
    anything but 404 (or 405) from it."""
    if not route.params:
        return False
    if route.in_cases_app:
        if not route.is_api and "code" in route.params:
            return True
        return any(p != "tool" for p in route.params) and case_object_of(route) is not None
    return False


def _case_value(route: Route, param: str, planted: dict[str, Any]) -> Any:
    """The value of a parameter of a cases-app route, or None when this test cannot fill it."""
    case = planted["case"]
    if param in ("code", "case_code") or (param.endswith("code") and "case" in param):
        return case.code
    if param in ("case_pk", "case_id", "case"):
        return case.pk
    if param in ("action",):
        return "accept"
    if param in ("tool", "slug", "tool_slug"):
        return planted["screening"].tool.slug
    if route.is_api:
        reference = _by_prefix(route.api_prefix, CASES_REFERENCE_API)
        if reference == "tool":
            return planted["screening"].tool.pk
        if reference == "organisation":
            return planted["clinic_west"].pk
    kind = case_object_of(route)
    return planted[kind].pk if kind is not None else None


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
    }
    values: dict[str, Any] = {}
    for param in route.params:
        if route.in_cases_app:
            value = _case_value(route, param, planted)
            if value is None:
                return None
            values[param] = value
        elif param == "code":
            values[param] = planted["case"].code
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


# --- Shelter North's case: the need-to-know rule, walked ------------------------------------------------

CASE_OUTSIDERS = {
    "ben": "caseworker of another organisation in the group",
    "carla": "caseworker in another group",
    "vera": "viewer",
    "olga": "organisation administrator of the owner",
    "nikola": "national coordinator",
    "alma": "analyst",
    "nadia": "network administrator",
    "dora": "no organisation",
    "paul": "case manager of another organisation",
    "sara": "caseworker of the owner, not assigned",
}


def _case_rows() -> dict[str, int]:
    """Rows of every model of the cases app (history tables included)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("cases").get_models()
    }


def _path(route: Route, planted: dict[str, Any], korce_group, shelter_north, korce) -> str:  # type: ignore[no-untyped-def]
    values = objects_for(route, planted, korce_group, shelter_north, korce)
    assert values is not None, f"{route.pattern}: parameters not filled"
    return _fill(route, values)


def test_nobody_outside_the_case_reads_anything_of_it(
    client, request, planted, korce_group, shelter_north, korce
):
    """Every page and endpoint, GET, by everyone with no reason to see the case: no marker anywhere,
    and 404 from every URL that names the case or something hanging from it."""
    routes = project_routes()
    problems: list[str] = []
    for username, why in CASE_OUTSIDERS.items():
        client.force_login(request.getfixturevalue(username))
        for route in routes:
            path = _path(route, planted, korce_group, shelter_north, korce)
            response = client.get(path)
            leaked = sorted(s for s in CASE_SECRETS if s in _body(response))
            if leaked:
                problems.append(f"{username} ({why}): GET {path} shows {leaked}")
            if response.status_code >= 500 or (
                is_case_scoped(route) and response.status_code not in {404, 405}
            ):
                problems.append(f"{username} ({why}): GET {path} answered {response.status_code}")
        client.logout()
    assert problems == []


def test_nobody_outside_the_case_writes_to_it(client, request, planted, korce_group, shelter_north, korce):
    """POST, PUT, PATCH and DELETE to every URL of the case, and creations through the API naming the
    case, by everyone with no reason to see it: refused, and not one row of the cases app changes."""
    case = planted["case"]
    routes = [r for r in project_routes() if is_case_scoped(r)]
    api_lists = [r for r in project_routes() if r.in_cases_app and r.is_api and not r.params]
    naming_the_case = [
        {"case": case.code, "text": "x", "title": "x", "description": "x", "to_organisation": 1},
        {"case": case.pk, "case_id": case.pk, "text": "x", "title": "x", "description": "x"},
    ]
    before = _case_rows()
    problems: list[str] = []
    for username, why in CASE_OUTSIDERS.items():
        client.force_login(request.getfixturevalue(username))
        for route in routes:
            path = _path(route, planted, korce_group, shelter_north, korce)
            for method in ("post", "put", "patch", "delete"):
                if route.is_api:
                    response = getattr(client, method)(path, data={}, content_type="application/json")
                else:
                    response = getattr(client, method)(path)
                if response.status_code not in {403, 404, 405}:
                    problems.append(
                        f"{username} ({why}): {method.upper()} {path} answered {response.status_code}"
                    )
                leaked = sorted(s for s in CASE_SECRETS if s in _body(response))
                if leaked:
                    problems.append(f"{username} ({why}): {method.upper()} {path} shows {leaked}")
        for route in api_lists:
            path = _path(route, planted, korce_group, shelter_north, korce)
            for data in naming_the_case:
                response = client.post(path, data=data, content_type="application/json")
                if response.status_code in {200, 201, 202, 204} or response.status_code >= 500:
                    problems.append(f"{username} ({why}): POST {path} {data} answered {response.status_code}")
                leaked = sorted(s for s in CASE_SECRETS if s in _body(response))
                if leaked:
                    problems.append(f"{username} ({why}): POST {path} shows {leaked}")
        client.logout()
    assert problems == []
    assert _case_rows() == before


def test_a_receiver_of_the_profile_sees_the_summary_and_nothing_else(
    client, planted, police_east, paul, anna, korce_group, shelter_north, korce
):
    """Police Unit East accepted a referral of the case that shares the profile only: paul (its case
    manager) opens the case, and reads the risk section and the profile, but no identity, event, note,
    plan, service, proceeding, document, consent or screening, and not the referral to Clinic West."""
    case = planted["case"]
    referral = ReferralFactory(
        case=case,
        to_organisation=police_east,
        consent=ConsentFactory(
            case=case, recipient=police_east, organisation=shelter_north, recorded_by=anna
        ),
        state="accepted",
        created_by=anna,
        **{f"share_{section}": section == "profile" for section in SharedSection.values},
    )
    # The rule itself: paul sees the case on the receiving side, with the profile only.
    assert Case.objects.visible_to(paul).filter(pk=case.pk).exists()
    assert not Case.objects.owned_for(paul).filter(pk=case.pk).exists()
    access = case_access(paul, case)
    assert access.sees("profile")
    assert not access.owner_side
    assert not any(access.sees(section) for section in SharedSection.values if section != "profile")

    forbidden = CASE_SECRETS - {RISK}
    client.force_login(paul)
    problems: list[str] = []
    routes = project_routes()
    own_referral = {**planted, "referral": referral}
    for route in routes:
        paths = {_path(route, planted, korce_group, shelter_north, korce)}
        if case_object_of(route) == "referral":
            paths.add(_path(route, own_referral, korce_group, shelter_north, korce))
        for path in sorted(paths):
            response = client.get(path)
            leaked = sorted(s for s in forbidden if s in _body(response))
            if leaked:
                problems.append(f"paul: GET {path} shows {leaked}")
            if response.status_code >= 500:
                problems.append(f"paul: GET {path} answered {response.status_code}")
    assert problems == []

    # And he opens the summary page.
    response = client.get(reverse("cases:detail", kwargs={"code": case.code}))
    assert response.status_code == 200
    assert case.code in _body(response)
