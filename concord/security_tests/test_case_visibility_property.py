"""The need-to-know rule, checked against an independent statement of it on random small networks.

Hypothesis draws a network (organisations in two countries, people with active and ended memberships in
every role, cases, assignments open and ended, referrals in every state with consent present, withdrawn,
replaced by a recorded legal basis, or missing, notes and events), writes it to the database, and
compares what `Case.objects.visible_to`, `Case.objects.owned_for`, `Referral.objects.visible_to` and the
`visible_to` of notes, events and consents return for every person with the rule stated below in plain
Python over the drawn data. Nothing here calls
`cases/querysets.py` or `cases/access.py` to compute the expectation: if both said the same wrong thing,
this test would not notice, so the statement is written out from the rule's text, not from its code.

Each example runs in a savepoint that is rolled back, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord.accounts.models import Membership, Role, User
from concord.cases.models import (
    Case,
    CaseAssignment,
    CaseNote,
    Consent,
    Referral,
    ReferralState,
    TraffickingEvent,
)
from concord.network.models import Country, Organisation, OrgType, Sector

pytestmark = pytest.mark.django_db

COUNTRIES = ("AL", "RS")
ROLES = tuple(Role.values)
STATES = tuple(ReferralState.values)
CONSENT_MODES = ("present", "withdrawn", "override", "neither")
# The states in which a referral gives the receiver a reason to read the case (written out, not imported).
READING_STATES = {"accepted", "in_progress", "completed"}
OVERRIDE = "Child at immediate risk; guardian not reachable (art. 12)."


@dataclass(frozen=True)
class MembershipSpec:
    org: int
    role: str
    active: bool


@dataclass(frozen=True)
class UserSpec:
    active: bool
    memberships: tuple[MembershipSpec, ...]


@dataclass(frozen=True)
class AssignmentSpec:
    case: int
    user: int
    org: int
    ended: bool


@dataclass(frozen=True)
class ReferralSpec:
    case: int
    from_org: int
    to_org: int
    state: str
    consent: str  # one of CONSENT_MODES
    override_text: bool  # a legal basis written as well (it must not rescue a withdrawn consent)
    share_events: bool = False
    share_notes: bool = False


@dataclass(frozen=True)
class Network:
    countries: tuple[str, ...]
    users: tuple[UserSpec, ...]
    case_owners: tuple[int, ...]
    assignments: tuple[AssignmentSpec, ...]
    referrals: tuple[ReferralSpec, ...]
    notes: tuple[tuple[int, int], ...] = ()  # (case, organisation that wrote it)
    events: tuple[int, ...] = ()  # case


# Case managers and caseworkers are the interesting roles; draw them more often than the others.
roles = st.one_of(st.sampled_from([Role.CASE_MANAGER.value, Role.CASEWORKER.value]), st.sampled_from(ROLES))


@st.composite
def networks(draw: Any) -> Network:
    n_orgs = draw(st.integers(2, 5))
    countries = tuple(draw(st.lists(st.sampled_from(COUNTRIES), min_size=n_orgs, max_size=n_orgs)))
    org = st.integers(0, n_orgs - 1)

    users = []
    for _ in range(draw(st.integers(3, 8))):
        memberships = []
        active_orgs: set[int] = set()
        drawn = draw(st.lists(st.tuples(org, roles, st.integers(0, 3).map(bool)), max_size=3))
        for o, role, active in drawn:  # three in four memberships active
            # At most one active membership per organisation (a database constraint).
            active = active and o not in active_orgs
            if active:
                active_orgs.add(o)
            memberships.append(MembershipSpec(o, role, active))
        # Mostly active people; now and then a deactivated account.
        users.append(UserSpec(active=draw(st.integers(0, 7)) > 0, memberships=tuple(memberships)))

    case_owners = tuple(draw(st.lists(org, min_size=1, max_size=8)))
    case = st.integers(0, len(case_owners) - 1)

    assignments = []
    open_keys: set[tuple[int, int, int]] = set()
    for _ in range(draw(st.integers(0, 10))):
        c = draw(case)
        u = draw(st.integers(0, len(users) - 1))
        # An organisation the assignment is likely to matter for: the user's, the owner's, or any.
        candidates = sorted({m.org for m in users[u].memberships} | {case_owners[c], draw(org)})
        o = draw(st.sampled_from(candidates))
        ended = draw(st.booleans()) or (c, u, o) in open_keys  # one open assignment per (case, user, org)
        if not ended:
            open_keys.add((c, u, o))
        assignments.append(AssignmentSpec(c, u, o, ended))

    # Organisations where someone may read cases: referrals go there more often than chance would send them.
    working = sorted(
        {m.org for u in users for m in u.memberships if m.active and m.role in ("case_manager", "caseworker")}
    )
    receiver = st.one_of(st.sampled_from(working), org) if working else org
    # The states that open the case to the receiver are drawn more often than the others.
    states = st.one_of(st.sampled_from(sorted(READING_STATES)), st.sampled_from(STATES))
    referrals = []
    for _ in range(draw(st.integers(0, 8))):
        c = draw(case)
        # Mostly sent by the owner; now and then onward by another organisation.
        from_org = draw(st.one_of(st.just(case_owners[c]), org))
        to_org = draw(receiver)
        if to_org == from_org:
            to_org = (to_org + 1) % n_orgs
        referrals.append(
            ReferralSpec(
                case=c,
                from_org=from_org,
                to_org=to_org,
                state=draw(states),
                consent=draw(st.sampled_from(CONSENT_MODES)),
                override_text=draw(st.booleans()),
                share_events=draw(st.booleans()),
                share_notes=draw(st.booleans()),
            )
        )
    # Notes written by the owner, by a receiver, or by anyone; events (no organisation of their own).
    notes = draw(st.lists(st.tuples(case, org), max_size=6))
    events = draw(st.lists(case, max_size=4))
    return Network(
        countries,
        tuple(users),
        case_owners,
        tuple(assignments),
        tuple(referrals),
        tuple(notes),
        tuple(events),
    )


# --- The rule, stated independently over the drawn data -------------------------------------------------


def _active_memberships(net: Network, u: int) -> list[MembershipSpec]:
    user = net.users[u]
    return [m for m in user.memberships if m.active] if user.active else []


def _consent_stands(r: ReferralSpec) -> bool:
    """Consent present and not withdrawn; or no consent at all but a recorded legal basis."""
    if r.consent == "present":
        return True
    if r.consent == "withdrawn":
        return False
    return r.consent == "override"  # no consent: only a written legal basis lets it through


def _gives_reason(net: Network, c: int, o: int) -> bool:
    """Organisation `o` holds a referral of case `c` that lets it read the case."""
    return any(
        r.case == c and r.to_org == o and r.state in READING_STATES and _consent_stands(r)
        for r in net.referrals
    )


def _open_assignment(net: Network, c: int, u: int, o: int) -> bool:
    return any(a.case == c and a.user == u and a.org == o and not a.ended for a in net.assignments)


def expected_visible(net: Network, u: int, c: int) -> bool:
    for m in _active_memberships(net, u):
        holds = net.case_owners[c] == m.org or _gives_reason(net, c, m.org)
        if m.role == Role.CASE_MANAGER and holds:
            return True
        if m.role == Role.CASEWORKER and holds and _open_assignment(net, c, u, m.org):
            return True
    return False


def expected_owned(net: Network, u: int, c: int) -> bool:
    for m in _active_memberships(net, u):
        if net.case_owners[c] != m.org:
            continue
        if m.role == Role.CASE_MANAGER:
            return True
        if m.role == Role.CASEWORKER and _open_assignment(net, c, u, m.org):
            return True
    return False


def _acts_as_receiver(net: Network, u: int, c: int, o: int) -> bool:
    """The user reads case `c` for organisation `o`, which holds a referral of it that gives a reason:
    as its case manager, or as its caseworker assigned to the case for it."""
    if not _gives_reason(net, c, o):
        return False
    return any(
        m.org == o
        and (m.role == Role.CASE_MANAGER or (m.role == Role.CASEWORKER and _open_assignment(net, c, u, o)))
        for m in _active_memberships(net, u)
    )


def expected_row_visible(net: Network, u: int, c: int, section: str | None, org: int | None) -> bool:
    """A row of case `c` (of a model shared as `section`, written by `org`): the owner side sees it; a
    receiver sees it when a referral it reads the case through shares the section, or when it wrote the
    row itself."""
    if expected_owned(net, u, c):
        return True
    receiving = [o for o in range(len(net.countries)) if _acts_as_receiver(net, u, c, o)]
    if section is not None and any(
        r.case == c
        and r.to_org in receiving
        and r.state in READING_STATES
        and _consent_stands(r)
        and getattr(r, f"share_{section}")
        for r in net.referrals
    ):
        return True
    return org is not None and org in receiving


def expected_referral_visible(net: Network, u: int, r: ReferralSpec) -> bool:
    """From the docstring of `ReferralQuerySet.visible_to`:

    - sent by an organisation whose side of the case the user works on (its case managers, its
      caseworkers assigned to the case);
    - received by an organisation the user manages cases for or is a caseworker of, in any state but
      draft (its inbox);
    - transnational referrals touching a country the user is national coordinator for (not drafts)."""
    memberships = _active_memberships(net, u)
    managed = {m.org for m in memberships if m.role == Role.CASE_MANAGER}
    worked = {m.org for m in memberships if m.role == Role.CASEWORKER}
    coordinated = {net.countries[m.org] for m in memberships if m.role == Role.NATIONAL_COORDINATOR}
    sent = r.state != "draft"
    transnational = net.countries[r.from_org] != net.countries[r.to_org]
    return (
        r.from_org in managed
        or (r.from_org in worked and _open_assignment(net, r.case, u, r.from_org))
        or (sent and r.to_org in managed)
        or (sent and r.to_org in worked)
        or (
            sent
            and transnational
            and bool({net.countries[r.from_org], net.countries[r.to_org]} & coordinated)
        )
    )


# --- Writing the network ---------------------------------------------------------------------------------


@dataclass
class Written:
    users: list[User]
    cases: list[Case]
    referrals: list[Referral]
    notes: list[CaseNote]
    events: list[TraffickingEvent]
    consents: list[tuple[Consent, ReferralSpec]]


def write(net: Network) -> Written:
    """The network in the database, in a few bulk inserts (each example is rolled back)."""
    countries = {
        code: Country.objects.get_or_create(code=code, defaults={"name": code})[0] for code in COUNTRIES
    }
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisation {i}", org_type=OrgType.NGO, sector=Sector.NGO, country=countries[code]
        )
        for i, code in enumerate(net.countries)
    )
    recorder, *users = User.objects.bulk_create(
        [User(email="recorder@example.org", full_name="Recorder")]
        + [
            User(email=f"person{i}@example.org", full_name=f"Person {i}", is_active=spec.active)
            for i, spec in enumerate(net.users)
        ]
    )
    now = timezone.now()
    Membership.objects.bulk_create(
        Membership(
            user=users[u],
            organisation=orgs[m.org],
            role=m.role,
            is_active=m.active,
            ended_at=None if m.active else now,
        )
        for u, spec in enumerate(net.users)
        for m in spec.memberships
    )
    cases = Case.objects.bulk_create(
        Case(owner=orgs[o], created_by=recorder, first_name=f"Person {i}")
        for i, o in enumerate(net.case_owners)
    )
    CaseAssignment.objects.bulk_create(
        CaseAssignment(
            case=cases[a.case],
            user=users[a.user],
            organisation=orgs[a.org],
            assigned_by=recorder,
            ended_at=now if a.ended else None,
        )
        for a in net.assignments
    )
    consents = Consent.objects.bulk_create(
        Consent(
            case=cases[r.case],
            purpose=Consent.Purpose.REFERRAL,
            recipient=orgs[r.to_org],
            method=Consent.Method.WRITTEN,
            given_on=datetime.date(2026, 1, 5),
            recorded_by=recorder,
            organisation=orgs[r.from_org],
            withdrawn_on=datetime.date(2026, 2, 1) if r.consent == "withdrawn" else None,
            withdrawn_by=recorder if r.consent == "withdrawn" else None,
        )
        for r in net.referrals
        if r.consent in ("present", "withdrawn")
    )
    consent_of = iter(consents)
    referrals = Referral.objects.bulk_create(
        Referral(
            case=cases[r.case],
            from_organisation=orgs[r.from_org],
            to_organisation=orgs[r.to_org],
            state=r.state,
            consent=next(consent_of) if r.consent in ("present", "withdrawn") else None,
            consent_override_reason=(
                OVERRIDE if r.consent == "override" or (r.consent != "neither" and r.override_text) else ""
            ),
            is_transnational=net.countries[r.from_org] != net.countries[r.to_org],
            share_events=r.share_events,
            share_notes=r.share_notes,
            created_by=recorder,
        )
        for r in net.referrals
    )
    notes = CaseNote.objects.bulk_create(
        CaseNote(case=cases[c], organisation=orgs[o], author=recorder, text="n") for c, o in net.notes
    )
    events = TraffickingEvent.objects.bulk_create(
        TraffickingEvent(case=cases[c], event_type="Recruitment", recorded_by=recorder) for c in net.events
    )
    with_consent = [r for r in net.referrals if r.consent in ("present", "withdrawn")]
    return Written(users, cases, referrals, notes, events, list(zip(consents, with_consent, strict=True)))


def _fresh(user: User) -> User:
    """The user as a request would load it: no cached roles from an earlier query."""
    return User.objects.get(pk=user.pk)


# --- The properties --------------------------------------------------------------------------------------

# Sized to run each property in well under a minute: PostgreSQL pays a round trip per query, so it draws
# fewer networks than SQLite (CI runs both, so the rule meets 350 networks per property and commit).
ON_SQLITE = django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
PROPERTY_SETTINGS = settings(
    max_examples=250 if ON_SQLITE else 100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _explain(net: Network) -> str:
    return f"\n{net!r}"


@PROPERTY_SETTINGS
@given(net=networks())
def test_cases_visible_to_everyone_follow_the_rule(net: Network) -> None:
    with transaction.atomic():
        written = write(net)
        for u, user in enumerate(written.users):
            visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
            owned = set(Case.objects.owned_for(user).values_list("pk", flat=True))
            expected_v = {case.pk for c, case in enumerate(written.cases) if expected_visible(net, u, c)}
            expected_o = {case.pk for c, case in enumerate(written.cases) if expected_owned(net, u, c)}
            codes = {case.pk: f"case {c}" for c, case in enumerate(written.cases)}
            assert visible == expected_v, (
                f"person {u}: visible_to gives {sorted(codes[p] for p in visible)}, "
                f"the rule {sorted(codes[p] for p in expected_v)}{_explain(net)}"
            )
            assert owned == expected_o, (
                f"person {u}: owned_for gives {sorted(codes[p] for p in owned)}, "
                f"the rule {sorted(codes[p] for p in expected_o)}{_explain(net)}"
            )
            assert owned <= visible
        transaction.set_rollback(True)


@PROPERTY_SETTINGS
@given(net=networks())
def test_referral_cards_visible_to_everyone_follow_the_rule(net: Network) -> None:
    with transaction.atomic():
        written = write(net)
        for u, user in enumerate(written.users):
            visible = set(Referral.objects.visible_to(user).values_list("pk", flat=True))
            expected = {
                referral.pk
                for spec, referral in zip(net.referrals, written.referrals, strict=True)
                if expected_referral_visible(net, u, spec)
            }
            names = {referral.pk: f"referral {i}" for i, referral in enumerate(written.referrals)}
            assert visible == expected, (
                f"person {u}: visible_to gives {sorted(names[p] for p in visible)}, "
                f"the rule {sorted(names[p] for p in expected)}{_explain(net)}"
            )
        transaction.set_rollback(True)


@PROPERTY_SETTINGS
@given(net=networks())
def test_case_rows_visible_to_everyone_follow_the_rule(net: Network) -> None:
    """Notes (shared as "notes", written by one organisation), events (shared as "events") and consents
    (never shared; written by the referring organisation)."""
    with transaction.atomic():
        written = write(net)
        for u, user in enumerate(written.users):
            for label, model, rows in (
                (
                    "note",
                    CaseNote,
                    [(n, c, "notes", o) for n, (c, o) in zip(written.notes, net.notes, strict=True)],
                ),
                (
                    "event",
                    TraffickingEvent,
                    [(e, c, "events", None) for e, c in zip(written.events, net.events, strict=True)],
                ),
                ("consent", Consent, [(k, r.case, None, r.from_org) for k, r in written.consents]),
            ):
                visible = set(model.objects.visible_to(user).values_list("pk", flat=True))
                expected = {
                    row.pk for row, c, section, org in rows if expected_row_visible(net, u, c, section, org)
                }
                names = {row.pk: f"{label} {i}" for i, (row, *_rest) in enumerate(rows)}
                assert visible == expected, (
                    f"person {u}: {model.__name__}.visible_to gives {sorted(names[p] for p in visible)}, "
                    f"the rule {sorted(names[p] for p in expected)}{_explain(net)}"
                )
        transaction.set_rollback(True)


def test_an_anonymous_visitor_sees_nothing(shelter_north, shelter_belgrade) -> None:
    from django.contrib.auth.models import AnonymousUser

    from concord.cases.tests.factories import CaseFactory, ReferralFactory

    case = CaseFactory(owner=shelter_north)
    ReferralFactory(case=case, to_organisation=shelter_belgrade, state="accepted", is_transnational=True)
    assert not Case.objects.visible_to(AnonymousUser()).exists()
    assert not Case.objects.owned_for(AnonymousUser()).exists()
    assert not Referral.objects.visible_to(AnonymousUser()).exists()


# --- Two bugs this test found in the rule, fixed: each test keeps them fixed --------------------------------


def test_a_deactivated_coordinator_sees_no_referral_card(
    shelter_north, shelter_belgrade, nikola, anna
) -> None:
    from concord.cases.tests.factories import CaseFactory, ReferralFactory

    case = CaseFactory(owner=shelter_north, created_by=anna)
    ReferralFactory(case=case, to_organisation=shelter_belgrade, state="sent", is_transnational=True)
    assert Referral.objects.visible_to(_fresh(nikola)).count() == 1  # the coordinator, while active
    nikola.is_active = False
    nikola.save(update_fields=["is_active"])
    assert not Referral.objects.visible_to(_fresh(nikola)).exists()


def test_a_second_membership_does_not_open_the_owners_unshared_rows(
    shelter_north, police_east, anna, paul, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # the document's file
    from concord.accounts.tests.factories import MembershipFactory
    from concord.cases.models import CaseDocument, CaseNote, ServiceDelivery, SupportPlan
    from concord.cases.tests.factories import (
        CaseDocumentFactory,
        CaseFactory,
        CaseNoteFactory,
        ReferralFactory,
        ServiceDeliveryFactory,
        SupportPlanFactory,
    )

    case = CaseFactory(owner=shelter_north, created_by=anna)
    CaseNoteFactory(case=case, organisation=shelter_north, author=anna)
    CaseDocumentFactory(case=case, organisation=shelter_north, uploaded_by=anna)
    ServiceDeliveryFactory(case=case, organisation=shelter_north, recorded_by=anna)
    SupportPlanFactory(case=case, organisation=shelter_north, created_by=anna)
    # Police Unit East receives the case; the referral shares the profile only.
    ReferralFactory(case=case, to_organisation=police_east, state="accepted", share_profile=True)
    # Paul also works a few hours a week as a caseworker at Shelter North, not assigned to this case.
    MembershipFactory(user=paul, organisation=shelter_north, role=Role.CASEWORKER)
    paul = _fresh(paul)
    assert Case.objects.visible_to(paul).filter(pk=case.pk).exists()  # through the referral
    assert not Case.objects.owned_for(paul).filter(pk=case.pk).exists()  # not assigned at the owner
    leaked = [
        model.__name__
        for model in (CaseNote, CaseDocument, ServiceDelivery, SupportPlan, Consent, CaseAssignment)
        if model.objects.visible_to(paul).filter(case=case).exists()
    ]
    assert leaked == []
