"""A closed case is read-only until its owner reopens it; an anonymised case is read-only for ever."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from concord.cases.access import case_access
from concord.cases.models import TraffickingEvent
from concord.cases.services import cases as case_services
from concord.cases.services import records
from concord.cases.tests.factories import CaseFactory, LegalProceedingFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_case(shelter_north, anna):
    case = CaseFactory(owner=shelter_north, created_by=anna)
    case_services.close_case(
        case=case,
        by=anna,
        status="Closed",
        closure_reason="support_completed",
        closed_on=timezone.localdate(),
    )
    case.refresh_from_db()
    return case


def test_a_closed_case_offers_no_writes(closed_case, anna):
    access = case_access(anna, closed_case)
    assert access.owner_side  # still readable
    assert not access.can_edit
    assert not access.can_refer
    assert not access.can_add_own_records
    assert not access.can_decide_status


def test_services_refuse_writes_to_a_closed_case(closed_case, anna):
    with pytest.raises(PermissionDenied):
        records.record_event(
            case=closed_case, by=anna, event_type="Recruitment", date=datetime.date(2024, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        records.add_note(case=closed_case, by=anna, text="late note")
    assert not TraffickingEvent.objects.filter(case=closed_case).exists()
    assert not closed_case.notes.exists()


def test_the_page_refuses_too_and_keeps_nothing(client, closed_case, anna):
    client.force_login(anna)
    response = client.post(
        reverse("cases:event_add", args=[closed_case.code]),
        {"event_type": "Recruitment", "date": "2024-01-01", "country": "AL"},
    )
    assert response.status_code == 403
    assert not TraffickingEvent.objects.filter(case=closed_case).exists()


def test_reopening_makes_it_writable_again(closed_case, anna):
    case_services.reopen_case(case=closed_case, by=anna)
    closed_case.refresh_from_db()
    records.add_note(case=closed_case, by=anna, text="back in touch")
    assert closed_case.notes.count() == 1


def test_an_anonymised_case_stays_read_only(shelter_north, anna):
    case = CaseFactory(owner=shelter_north, created_by=anna, anonymised_at=timezone.now())
    assert not case_access(anna, case).can_edit
    with pytest.raises(PermissionDenied):
        case_services.update_identity(
            case=case, by=anna, expected_version=case.version, values={"first_name": "X"}
        )


def test_pages_of_a_closed_case_offer_no_write_but_withdrawal(client, closed_case, anna):
    client.force_login(anna)
    events = client.get(reverse("cases:events", args=[closed_case.code])).content.decode()
    assert reverse("cases:event_add", args=[closed_case.code]) not in events
    consents = client.get(reverse("cases:consents", args=[closed_case.code]))
    assert consents.status_code == 200
    assert reverse("cases:consent_add", args=[closed_case.code]) not in consents.content.decode()
    assert client.get(reverse("cases:consent_add", args=[closed_case.code])).status_code == 403


def test_a_receiving_police_unit_still_reads_its_proceedings_once_the_case_is_closed(
    client, shelter_north, police_east, anna, paul
):
    case = CaseFactory(owner=shelter_north, created_by=anna)
    ReferralFactory(case=case, to_organisation=police_east, state="accepted")  # proceedings not shared
    LegalProceedingFactory(case=case, organisation=police_east, recorded_by=paul, reference="PR-1")
    case_services.close_case(
        case=case,
        by=anna,
        status="Closed",
        closure_reason="support_completed",
        closed_on=timezone.localdate(),
    )
    client.force_login(paul)
    response = client.get(reverse("cases:proceedings", args=[case.code]))
    assert response.status_code == 200
    assert "PR-1" in response.content.decode()
    assert reverse("cases:proceeding_add", args=[case.code]) not in response.content.decode()
