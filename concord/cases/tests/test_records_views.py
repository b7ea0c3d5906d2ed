"""The record tabs of a case (events, services, support plan, proceedings, notes): who may open and write
them, who may not (404 when the case or tab is out of sight, 403 when visible but not theirs to write,
nothing written either way), the audit trail and the input rules.

Cast: the case is Shelter North's (anna manages, sara is assigned). Police Unit East (paul, a
law-enforcement case manager) holds it through an accepted referral in some tests. See records_cast.py.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.cases.models import CaseNote, LegalProceeding, ServiceDelivery, SupportPlan, TraffickingEvent
from concord.cases.tests.factories import (
    CaseAssignmentFactory,
    CaseFactory,
    CaseNoteFactory,
    LegalProceedingFactory,
    ServiceDeliveryFactory,
    SupportPlanFactory,
    TraffickingEventFactory,
)
from concord.cases.tests.records_cast import OUTSIDERS, refer, shelter_case

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = (TODAY - datetime.timedelta(days=1)).isoformat()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def case(anna, sara):
    return shelter_case(anna=anna, sara=sara)


def _as(client, request, name):
    client.force_login(request.getfixturevalue(name))
    return client


def url(name, case, *args):
    return reverse(f"cases:{name}", args=[case.code, *args])


TABS = ["events", "services", "support_plan", "proceedings", "documents", "notes"]


# --- Opening the tabs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize("name", ["anna", "sara"])
def test_the_owner_side_opens_every_tab(client, request, case, tab, name):
    assert _as(client, request, name).get(url(tab, case)).status_code == 200


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize("name", OUTSIDERS)
def test_those_who_cannot_see_the_case_get_404_on_every_tab(client, request, case, tab, name):
    assert _as(client, request, name).get(url(tab, case)).status_code == 404


@pytest.mark.parametrize("tab", TABS)
def test_a_referral_still_waiting_for_an_answer_opens_no_tab(client, case, paul, police_east, tab):
    referral = refer(case, to=police_east, events=True, notes=True, documents=True)
    referral.state = "sent"
    referral.save()
    client.force_login(paul)
    assert client.get(url(tab, case)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, case):
    response = client.get(url("events", case))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_events_tab_is_404_to_the_receiving_side_unless_events_are_shared(client, case, paul, police_east):
    referral = refer(case, to=police_east)
    client.force_login(paul)
    assert client.get(url("events", case)).status_code == 404
    referral.share_events = True
    referral.save()
    assert client.get(url("events", case)).status_code == 200


def test_proceedings_tab_is_404_to_a_receiver_that_neither_sees_nor_records_them(
    client, paul, police_east, shelter_north, anna
):
    police_owned = CaseFactory(owner=police_east, created_by=paul)
    referral = refer(police_owned, to=shelter_north)
    client.force_login(anna)
    assert client.get(url("proceedings", police_owned)).status_code == 404
    referral.share_proceedings = True
    referral.save()
    assert client.get(url("proceedings", police_owned)).status_code == 200


# --- Trafficking events ---------------------------------------------------------------------------------


def test_events_list_what_happened_and_audit_the_view(client, case, anna):
    TraffickingEventFactory(case=case, description="Met the recruiter at the bus station.")
    client.force_login(anna)
    response = client.get(url("events", case))
    assert "Met the recruiter at the bus station." in response.content.decode()
    event = AuditEvent.objects.get(action="cases.viewed")
    assert event.detail == {"tab": "events"}
    assert event.target_id == str(case.pk)


def test_the_receiving_side_sees_shared_events(client, case, paul, police_east):
    TraffickingEventFactory(case=case, description="Transported by van.")
    refer(case, to=police_east, events=True)
    client.force_login(paul)
    assert "Transported by van." in client.get(url("events", case)).content.decode()


@pytest.mark.parametrize("name", ["anna", "sara"])
def test_the_owner_side_records_an_event(client, request, case, name):
    response = _as(client, request, name).post(
        url("event_add", case),
        {
            "event_type": "Transit",
            "date": YESTERDAY,
            "country": "gr",
            "city": "Thessaloniki",
            "description": "x",
        },
    )
    assert response.status_code == 302
    event = TraffickingEvent.objects.get(case=case)
    assert (event.event_type, event.country, event.description) == ("Transit", "GR", "x")
    audit = AuditEvent.objects.get(action="cases.event_recorded")
    assert audit.detail == {"case": case.pk, "event": event.pk}
    assert audit.organisation == case.owner


def test_the_receiving_side_may_not_record_events(client, case, paul, police_east):
    refer(case, to=police_east, events=True)
    client.force_login(paul)
    assert client.get(url("event_add", case)).status_code == 403
    response = client.post(url("event_add", case), {"event_type": "Transit", "date": YESTERDAY})
    assert response.status_code == 403
    assert not TraffickingEvent.objects.exists()


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_cannot_record_events(client, request, case, name):
    response = _as(client, request, name).post(url("event_add", case), {"event_type": "Transit"})
    assert response.status_code == 404
    assert not TraffickingEvent.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"event_type": "Transit", "date": TOMORROW}, "date"),
        ({"event_type": "Transit", "country": "XX"}, "country"),
        ({"event_type": "Kidnap"}, "event_type"),
    ],
)
def test_bad_event_input_is_a_field_error_and_keeps_the_input(client, case, anna, data, field):
    client.force_login(anna)
    response = client.post(url("event_add", case), {**data, "city": "Kept city"})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Kept city" in response.content.decode()
    assert not TraffickingEvent.objects.exists()


# --- Services delivered ---------------------------------------------------------------------------------


def test_the_owner_side_records_a_service_linked_to_its_referral(client, case, anna, police_east):
    referral = refer(case, to=police_east)
    client.force_login(anna)
    response = client.post(
        url("service_add", case),
        {"service": "shelter", "started_on": YESTERDAY, "outcome": "ongoing", "referral": referral.pk},
    )
    assert response.status_code == 302
    delivery = ServiceDelivery.objects.get(case=case)
    assert (delivery.organisation, delivery.referral) == (case.owner, referral)
    assert AuditEvent.objects.filter(action="cases.service_recorded", target_id=str(delivery.pk)).exists()


def test_the_receiving_side_records_services_for_itself_and_sees_only_its_own(
    client, case, paul, police_east
):
    ServiceDeliveryFactory(case=case, notes="Owner's counselling notes.")
    referral = refer(case, to=police_east)
    client.force_login(paul)
    assert list(client.get(url("services", case)).context["rows"]) == []
    response = client.post(
        url("service_add", case),
        {
            "service": "police_interview",
            "started_on": YESTERDAY,
            "outcome": "completed",
            "ended_on": YESTERDAY,
            "referral": referral.pk,
        },
    )
    assert response.status_code == 302
    mine = ServiceDelivery.objects.get(service="police_interview")
    assert mine.organisation == police_east
    assert list(client.get(url("services", case)).context["rows"]) == [mine]


def test_services_shared_with_the_receiver_are_listed(client, case, paul, police_east):
    delivery = ServiceDeliveryFactory(case=case)
    refer(case, to=police_east, services=True)
    client.force_login(paul)
    assert list(client.get(url("services", case)).context["rows"]) == [delivery]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"service": "shelter", "started_on": TOMORROW}, "started_on"),
        (
            {
                "service": "shelter",
                "started_on": YESTERDAY,
                "ended_on": (TODAY - datetime.timedelta(days=5)).isoformat(),
            },
            "ended_on",
        ),
        ({"service": "massage", "started_on": YESTERDAY}, "service"),
    ],
)
def test_bad_service_input_is_a_field_error(client, case, anna, data, field):
    client.force_login(anna)
    response = client.post(url("service_add", case), {"outcome": "ongoing", **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ServiceDelivery.objects.exists()


def test_a_service_cannot_link_a_referral_of_another_organisation(
    client, case, paul, police_east, legal_clinic_south
):
    refer(case, to=police_east)
    other = refer(case, to=legal_clinic_south)
    client.force_login(paul)
    response = client.post(
        url("service_add", case),
        {"service": "shelter", "started_on": YESTERDAY, "outcome": "ongoing", "referral": other.pk},
    )
    assert response.status_code == 200
    assert "referral" in response.context["form"].errors
    assert not ServiceDelivery.objects.exists()


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_cannot_record_services(client, request, case, name):
    response = _as(client, request, name).post(
        url("service_add", case), {"service": "shelter", "started_on": YESTERDAY, "outcome": "ongoing"}
    )
    assert response.status_code == 404
    assert not ServiceDelivery.objects.exists()


# --- Support plans --------------------------------------------------------------------------------------


PLAN = {"plan_type": "Health", "objectives": "Medical follow-up", "action_plan": "Monthly visits"}


def test_the_owner_side_adds_a_support_plan(client, case, sara):
    client.force_login(sara)
    response = client.post(url("support_plan_add", case), {**PLAN, "planned_end_date": TOMORROW})
    assert response.status_code == 302
    plan = SupportPlan.objects.get(case=case)
    assert (plan.organisation, plan.objectives) == (case.owner, "Medical follow-up")
    assert AuditEvent.objects.get(action="cases.support_plan_added").detail == {
        "case": case.pk,
        "support_plan": plan.pk,
    }


def test_a_support_plan_of_an_unknown_type_or_a_future_actual_end_is_refused(client, case, anna):
    client.force_login(anna)
    response = client.post(url("support_plan_add", case), {**PLAN, "plan_type": "Spa"})
    assert "plan_type" in response.context["form"].errors
    response = client.post(url("support_plan_add", case), {**PLAN, "actual_end_date": TOMORROW})
    assert "actual_end_date" in response.context["form"].errors
    assert not SupportPlan.objects.exists()


def test_editing_a_support_plan_checks_the_version(client, case, anna):
    plan = SupportPlanFactory(case=case)
    client.force_login(anna)
    response = client.post(
        url("support_plan_edit", case, plan.pk), {**PLAN, "objectives": "Changed", "version": plan.version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.objectives, plan.version) == ("Changed", 2)
    audit = AuditEvent.objects.get(action="cases.support_plan_updated")
    assert audit.detail["fields"] == ["plan_type", "objectives", "action_plan"]
    stale = client.post(
        url("support_plan_edit", case, plan.pk), {**PLAN, "objectives": "Late edit", "version": 1}
    )
    assert stale.status_code == 200
    assert "Someone else saved" in stale.content.decode()
    assert "Late edit" in stale.content.decode()
    plan.refresh_from_db()
    assert plan.objectives == "Changed"


def test_the_receiving_side_edits_its_own_plan_only(client, case, paul, police_east):
    owners = SupportPlanFactory(case=case)
    refer(case, to=police_east, support_plan=True)
    client.force_login(paul)
    response = client.post(url("support_plan_add", case), PLAN)
    assert response.status_code == 302
    mine = SupportPlan.objects.get(organisation=police_east)
    assert client.get(url("support_plan_edit", case, mine.pk)).status_code == 200
    assert client.get(url("support_plan_edit", case, owners.pk)).status_code == 403
    response = client.post(url("support_plan_edit", case, owners.pk), {**PLAN, "version": 1})
    assert response.status_code == 403
    owners.refresh_from_db()
    assert owners.plan_type == "SocialCare"


def test_a_plan_not_shared_with_the_receiver_is_404_to_it(client, case, paul, police_east):
    owners = SupportPlanFactory(case=case)
    refer(case, to=police_east)
    client.force_login(paul)
    assert client.get(url("support_plan_edit", case, owners.pk)).status_code == 404
    assert "Safe accommodation" not in client.get(url("support_plan", case)).content.decode()


# --- Legal proceedings ----------------------------------------------------------------------------------

PROCEEDING = {"stage": "investigation", "outcome": "ongoing", "opened_on": YESTERDAY, "reference": "KR-1"}


def test_law_enforcement_holding_the_case_records_a_proceeding(client, case, paul, police_east):
    refer(case, to=police_east)
    client.force_login(paul)
    response = client.post(
        url("proceeding_add", case),
        {
            **PROCEEDING,
            "statement_given": "on",
            "joint_interview": "on",
            "protection_measures": ["video_link", "anonymity"],
        },
    )
    assert response.status_code == 302
    proceeding = LegalProceeding.objects.get(case=case)
    assert proceeding.organisation == police_east
    assert proceeding.joint_interview
    assert proceeding.statement_given
    assert proceeding.protection_measures == ["video_link", "anonymity"]
    audit = AuditEvent.objects.get(action="cases.proceeding_recorded")
    assert "KR-1" not in str(audit.detail)
    assert client.get(url("proceedings", case)).status_code == 200


@pytest.mark.parametrize("name", ["anna", "sara"])
def test_an_ngo_owner_sees_proceedings_but_may_not_record_them(client, request, case, name):
    c = _as(client, request, name)
    assert c.get(url("proceedings", case)).status_code == 200
    assert c.get(url("proceeding_add", case)).status_code == 403
    assert c.post(url("proceeding_add", case), PROCEEDING).status_code == 403
    assert not LegalProceeding.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"stage": "investigation", "outcome": "convicted"}, "outcome"),
        ({"stage": "prosecution", "outcome": "acquitted"}, "outcome"),
        ({"opened_on": TOMORROW}, "opened_on"),
        ({"closed_on": (TODAY - datetime.timedelta(days=3)).isoformat()}, "closed_on"),
        ({"stage": "court", "outcome": "ongoing", "sentence_months": "12"}, "sentence_months"),
    ],
)
def test_bad_proceeding_input_is_a_field_error(client, case, paul, police_east, data, field):
    refer(case, to=police_east)
    client.force_login(paul)
    response = client.post(url("proceeding_add", case), {**PROCEEDING, **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not LegalProceeding.objects.exists()


def test_a_court_outcome_is_accepted_at_court(client, case, paul, police_east):
    refer(case, to=police_east)
    client.force_login(paul)
    response = client.post(
        url("proceeding_add", case),
        {
            **PROCEEDING,
            "stage": "court",
            "outcome": "convicted",
            "sentence_months": "48",
            "closed_on": YESTERDAY,
        },
    )
    assert response.status_code == 302
    assert LegalProceeding.objects.get().outcome == "convicted"


def test_editing_a_proceeding_checks_the_version_and_the_organisation(client, case, paul, ben, police_east):
    refer(case, to=police_east, proceedings=True)
    ours = LegalProceedingFactory(case=case, organisation=police_east, opened_on=TODAY)
    client.force_login(paul)
    data = {**PROCEEDING, "opened_on": TODAY.isoformat(), "stage": "prosecution", "outcome": "indicted"}
    assert client.post(url("proceeding_edit", case, ours.pk), {**data, "version": 1}).status_code == 302
    ours.refresh_from_db()
    assert (ours.stage, ours.version) == ("prosecution", 2)
    audit = AuditEvent.objects.get(action="cases.proceeding_updated")
    assert set(audit.detail["fields"]) >= {"stage", "outcome"}
    stale = client.post(url("proceeding_edit", case, ours.pk), {**data, "outcome": "dropped", "version": 1})
    assert "Someone else saved" in stale.content.decode()
    ours.refresh_from_db()
    assert ours.outcome == "indicted"


def test_another_organisations_proceeding_is_not_editable(client, case, paul, police_east):
    refer(case, to=police_east, proceedings=True)
    owners = LegalProceedingFactory(case=case)
    client.force_login(paul)
    assert client.get(url("proceeding_edit", case, owners.pk)).status_code == 403


# --- Notes ----------------------------------------------------------------------------------------------


def test_notes_are_written_for_ones_own_organisation_and_audited_when_read(client, case, anna):
    client.force_login(anna)
    response = client.post(url("note_add", case), {"text": "Visited at the shelter."})
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.organisation, note.author) == (case.owner, anna)
    assert AuditEvent.objects.get(action="cases.note_added").detail == {"case": case.pk, "note": note.pk}
    page = client.get(url("notes", case))
    assert "Visited at the shelter." in page.content.decode()
    assert AuditEvent.objects.get(action="cases.viewed").detail == {"tab": "notes"}


def test_the_receiver_sees_the_owners_notes_only_when_shared(client, case, paul, police_east):
    CaseNoteFactory(case=case, text="Owner only note.")
    referral = refer(case, to=police_east)
    client.force_login(paul)
    client.post(url("note_add", case), {"text": "Police note."})
    page = client.get(url("notes", case)).content.decode()
    assert "Police note." in page
    assert "Owner only note." not in page
    referral.share_notes = True
    referral.save()
    assert "Owner only note." in client.get(url("notes", case)).content.decode()


def test_the_owner_side_sees_the_notes_a_receiver_wrote(client, case, anna, paul, police_east):
    refer(case, to=police_east)
    CaseNoteFactory(case=case, organisation=police_east, author=paul, text="Police note.")
    client.force_login(anna)
    # The owner side sees every row of its case, the receivers' own included.
    assert "Police note." in client.get(url("notes", case)).content.decode()


def test_an_empty_note_is_refused(client, case, anna):
    client.force_login(anna)
    response = client.post(url("note_add", case), {"text": "   "})
    assert response.status_code == 200
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_cannot_add_notes(client, request, case, name):
    assert _as(client, request, name).post(url("note_add", case), {"text": "x"}).status_code == 404
    assert not CaseNote.objects.exists()


def test_a_receiving_caseworker_assigned_for_the_receiver_writes_for_it(client, case, ben, paul, police_east):
    refer(case, to=police_east)
    client.force_login(ben)
    assert client.get(url("notes", case)).status_code == 404
    CaseAssignmentFactory(case=case, user=ben, organisation=police_east, assigned_by=paul)
    assert client.post(url("note_add", case), {"text": "Interview planned."}).status_code == 302
    assert CaseNote.objects.get().organisation == police_east


def test_withdrawn_consent_ends_the_receivers_writing(client, case, paul, police_east):
    referral = refer(case, to=police_east, notes=True)
    referral.consent.withdrawn_on = TODAY
    referral.consent.save()
    client.force_login(paul)
    assert client.post(url("note_add", case), {"text": "Too late."}).status_code == 404
    assert client.post(url("support_plan_add", case), PLAN).status_code == 404
    assert not CaseNote.objects.exists()
    assert not SupportPlan.objects.exists()
