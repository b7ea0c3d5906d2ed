# ruff: noqa: F811  (the fixtures imported below are used as parameters, as pytest does)
"""The referral, consent, notification and directory endpoints: scoped like the pages, card before
acceptance, 409 on an invalid transition or a stale version."""

import json

import pytest
from rest_framework.test import APIClient

from concord.audit.models import AuditEvent
from concord.cases.models import Consent, Notification, Referral
from concord.cases.tests.referral_fixtures import (  # noqa: F401
    DETAILS,
    IDENTITY_VALUES,
    accepted,
    belgrade_consent,
    case,
    consent,
    draft,
    sent,
    transnational,
)


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user)
    return api


def test_list_is_scoped(api, sent, anna, paul, carla, dora):
    assert [r["id"] for r in _as(api, anna).get("/api/referrals/").json()["results"]] == [sent.pk]
    assert [r["id"] for r in _as(api, paul).get("/api/referrals/").json()["results"]] == [sent.pk]
    for user in (carla, dora):
        assert _as(api, user).get("/api/referrals/").json()["results"] == []
        assert _as(api, user).get(f"/api/referrals/{sent.pk}/").status_code == 404


def test_receiver_gets_the_card_before_acceptance(api, sent, paul, case):
    response = _as(api, paul).get(f"/api/referrals/{sent.pk}/")
    body = response.json()
    text = json.dumps(body)
    assert response.status_code == 200
    assert "details" not in body
    assert body["case"] == case.code
    assert body["risk_summary"] == case.risk_summary
    assert body["age_band"] == "18-24"
    for value in [*IDENTITY_VALUES, DETAILS]:
        assert value not in text


def test_after_acceptance_and_for_the_sender_the_whole_referral(api, accepted, paul, anna):
    assert _as(api, paul).get(f"/api/referrals/{accepted.pk}/").json()["details"] == DETAILS
    body = _as(api, anna).get(f"/api/referrals/{accepted.pk}/").json()
    assert [e["to_state"] for e in body["events"]] == ["draft", "sent", "accepted"]


def test_coordinator_gets_a_card_without_risks(api, transnational, nikola, case):
    body = _as(api, nikola).get(f"/api/referrals/{transnational.pk}/").json()
    assert body["risk_summary"] is None
    assert "details" not in body
    for value in IDENTITY_VALUES:
        assert value not in json.dumps(body)


def test_create_send_accept_and_409s(api, case, consent, anna, paul, police_east):
    response = _as(api, anna).post(
        "/api/referrals/",
        {
            "case": case.code,
            "to_organisation": police_east.pk,
            "services": ["shelter"],
            "consent": consent.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["state"] == "draft"
    assert _as(api, paul).post(f"/api/referrals/{pk}/accept/").status_code == 404  # drafts are not his
    assert _as(api, anna).post(f"/api/referrals/{pk}/send/").status_code == 200
    assert _as(api, anna).post(f"/api/referrals/{pk}/send/").status_code == 409
    assert _as(api, anna).post(f"/api/referrals/{pk}/accept/").status_code == 403
    version = Referral.objects.get(pk=pk).version
    assert _as(api, paul).post(f"/api/referrals/{pk}/accept/", {"version": version - 1}).status_code == 409
    assert _as(api, paul).post(f"/api/referrals/{pk}/decline/", {"reason": ""}).status_code == 400
    assert _as(api, paul).post(f"/api/referrals/{pk}/accept/", {"version": version}).status_code == 200
    assert Referral.objects.get(pk=pk).state == "accepted"
    assert _as(api, paul).post(f"/api/referrals/{pk}/give-up/", {"reason": "moved"}).status_code == 200
    assert Referral.objects.get(pk=pk).state == "given_up"


def test_create_without_consent_then_send_is_400(api, case, anna, police_east):
    pk = (
        _as(api, anna)
        .post(
            "/api/referrals/",
            {"case": case.code, "to_organisation": police_east.pk, "services": ["shelter"]},
            format="json",
        )
        .json()["id"]
    )
    response = _as(api, anna).post(f"/api/referrals/{pk}/send/")
    assert response.status_code == 400
    assert "consent" in json.dumps(response.json())


@pytest.mark.parametrize("name", ["paul", "carla", "dora", "nikola"])
def test_create_for_a_case_one_does_not_own_is_refused(api, request, case, police_east, name):
    response = _as(api, request.getfixturevalue(name)).post(
        "/api/referrals/",
        {"case": case.code, "to_organisation": police_east.pk, "services": ["shelter"]},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert not Referral.objects.exists()


def test_plan_endpoint(api, transnational, milan, nikola):
    url = f"/api/referrals/{transnational.pk}/plan/"
    payload = {"plan": "Return", "plan_status": "agreed", "version": transnational.version}
    assert _as(api, milan).post(url, payload).status_code == 409
    _as(api, milan).post(f"/api/referrals/{transnational.pk}/accept/")
    transnational.refresh_from_db()
    payload["version"] = transnational.version
    assert _as(api, nikola).post(url, payload).status_code == 403
    assert _as(api, milan).post(url, payload).status_code == 200
    assert AuditEvent.objects.filter(action="cases.referral_plan_updated").count() == 1


def test_consents_endpoint_is_owner_side_only(api, accepted, consent, anna, paul, case, police_east):
    assert [c["id"] for c in _as(api, anna).get("/api/consents/").json()["results"]] == [consent.pk]
    assert _as(api, paul).get("/api/consents/").json()["results"] == []
    assert _as(api, paul).post(f"/api/consents/{consent.pk}/withdraw/").status_code == 404
    payload = {"case": case.code, "purpose": "statistics", "method": "written", "given_on": "2026-01-01"}
    assert _as(api, paul).post("/api/consents/", payload).status_code == 403
    assert _as(api, anna).post("/api/consents/", payload).status_code == 201
    bad = {**payload, "method": "oral_witnessed"}
    assert _as(api, anna).post("/api/consents/", bad).status_code == 400
    assert _as(api, anna).post(f"/api/consents/{consent.pk}/withdraw/").status_code == 200
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is not None
    assert _as(api, anna).post(f"/api/consents/{consent.pk}/withdraw/").status_code == 400
    assert "witness" not in _as(api, anna).get("/api/consents/").json()["results"][0]


def test_notifications_endpoint(api, sent, paul, anna):
    rows = _as(api, paul).get("/api/notifications/").json()["results"]
    assert [r["kind"] for r in rows] == ["referral_received"]
    assert _as(api, anna).post(f"/api/notifications/{rows[0]['id']}/read/").status_code == 404
    assert _as(api, paul).post(f"/api/notifications/{rows[0]['id']}/read/").status_code == 200
    assert Notification.objects.get(pk=rows[0]["id"]).read_at is not None
    assert _as(api, paul).get("/api/notifications/?unread=1").json()["results"] == []


def test_directory_endpoint(api, anna, dora, police_east, korce):
    from concord.network.models import OrganisationService

    OrganisationService.objects.create(organisation=police_east, kind="shelter", capacity=3)
    rows = _as(api, anna).get("/api/referral-directory/", {"service": "shelter", "region": korce.pk}).json()
    assert rows[0]["name"] == "Police Unit East"
    assert "3 of 3 places free" in rows[0]["explanation"]
    assert _as(api, anna).get("/api/referral-directory/", {"service": "nope"}).status_code == 400
    assert _as(api, anna).get("/api/referral-directory/", {"region": 999999}).status_code == 400
    assert _as(api, dora).get("/api/referral-directory/").json() == []


def test_after_withdrawal_the_api_gives_the_receiver_the_card_only(api, accepted, consent, anna, paul):
    from concord.cases.services.consent import withdraw_consent

    withdraw_consent(consent=consent, by=anna)
    body = _as(api, paul).get(f"/api/referrals/{accepted.pk}/").json()
    assert "details" not in body
    assert DETAILS not in json.dumps(body)


def test_out_of_range_ids_are_400_not_500(api, anna, case):
    response = _as(api, anna).post(
        "/api/referrals/",
        {"case": case.code, "to_organisation": 2**40, "services": ["shelter"]},
        format="json",
    )
    assert response.status_code == 400
    assert _as(api, anna).get("/api/referral-directory/", {"region": 2**40}).status_code == 400
