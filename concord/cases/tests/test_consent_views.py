# ruff: noqa: F811  (the fixtures imported below are used as parameters, as pytest does)
"""Consent pages: owner side only; one purpose, a named organisation for a referral, a witness for oral
consent, a guardian or best-interests decision for a child; withdrawal audited and told to receivers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.cases.models import Consent
from concord.cases.tests.factories import CaseAssignmentFactory, CaseFactory
from concord.cases.tests.referral_fixtures import accepted, case, consent, draft, sent  # noqa: F401


def _post(client, case, **data):
    data.setdefault("given_on", timezone.localdate().isoformat())
    return client.post(reverse("cases:consent_add", args=[case.code]), data)


def test_case_manager_lists_and_records(client, case, anna, police_east):
    client.force_login(anna)
    assert client.get(reverse("cases:consents", args=[case.code])).status_code == 200
    response = _post(client, case, purpose="referral", recipient=police_east.pk, method="written")
    assert response.status_code == 302
    consent = Consent.objects.get(case=case)
    assert (consent.recipient, consent.recorded_by, consent.organisation) == (police_east, anna, case.owner)
    event = AuditEvent.objects.get(action="cases.consent_recorded")
    assert event.detail["purpose"] == "referral"
    assert police_east.name in client.get(reverse("cases:consents", args=[case.code])).content.decode()


def test_assigned_caseworker_records_too(client, case, sara):
    CaseAssignmentFactory(case=case, user=sara)
    client.force_login(sara)
    assert _post(client, case, purpose="statistics", method="written").status_code == 302


def test_receiving_side_may_not_see_or_record_consent(client, accepted, case, paul, consent):
    client.force_login(paul)
    assert client.get(reverse("cases:consents", args=[case.code])).status_code == 403
    assert _post(client, case, purpose="statistics", method="written").status_code == 403
    url = reverse("cases:consent_withdraw", args=[case.code, consent.pk])
    assert client.post(url).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert Consent.objects.count() == 1


@pytest.mark.parametrize("name", ["carla", "dora", "olga", "nikola", "sara"])
def test_consent_pages_are_404_for_who_cannot_see_the_case(client, request, case, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("cases:consents", args=[case.code])).status_code == 404
    assert _post(client, case, purpose="statistics", method="written").status_code == 404
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"purpose": "referral", "method": "written"}, "recipient"),
        ({"purpose": "assistance", "method": "oral_witnessed"}, "witness"),
        ({"purpose": "assistance", "method": "guardian"}, "method"),
        (
            {
                "purpose": "assistance",
                "method": "written",
                "given_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            },
            "given_on",
        ),
    ],
)
def test_bad_consent_is_a_field_error(client, case, anna, data, field):
    client.force_login(anna)
    response = _post(client, case, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Consent.objects.exists()


def test_oral_consent_with_a_witness_is_recorded(client, case, anna):
    client.force_login(anna)
    assert (
        _post(client, case, purpose="police_contact", method="oral_witnessed", witness="M. K.").status_code
        == 302
    )
    assert Consent.objects.get().witness == "M. K."


def test_a_child_needs_a_guardian_or_best_interests_decision(client, shelter_north, anna):
    child = CaseFactory(owner=shelter_north, age_at_identification=15, created_by=anna)
    client.force_login(anna)
    assert "method" in _post(client, child, purpose="assistance", method="written").context["form"].errors
    assert "method" in _post(client, child, purpose="assistance", method="guardian").context["form"].errors
    child.guardian_name = "Appointed guardian"
    child.save()
    assert _post(client, child, purpose="assistance", method="guardian").status_code == 302
    response = _post(client, child, purpose="assistance", method="best_interests")
    assert "method" in response.context["form"].errors
    child.best_interests_decision = "Decision 12/2026 of the child-protection unit"
    child.save()
    assert _post(client, child, purpose="assistance", method="best_interests").status_code == 302
    assert Consent.objects.filter(case=child).count() == 2


def test_withdraw_is_post_only_audited_and_once(client, case, consent, anna):
    client.force_login(anna)
    url = reverse("cases:consent_withdraw", args=[case.code, consent.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert consent.withdrawn_by == anna
    client.post(url)
    assert AuditEvent.objects.filter(action="cases.consent_withdrawn").count() == 1
