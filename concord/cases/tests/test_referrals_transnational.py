# ruff: noqa: F811  (the fixtures imported below are used as parameters, as pytest does)
"""Transnational referrals: the card until acceptance, both countries' coordinators told without
identities, and the return or assistance plan both sides keep."""

from django.core import mail
from django.urls import reverse

from concord.audit.models import AuditEvent
from concord.cases.models import Notification
from concord.cases.services import referrals as services
from concord.cases.tests.referral_fixtures import (  # noqa: F401
    DETAILS,
    IDENTITY_VALUES,
    belgrade_consent,
    case,
    transnational,
)


def test_a_referral_across_the_border_is_transnational(transnational):
    assert transnational.is_transnational is True
    assert transnational.state == "sent"


def test_both_countries_coordinators_are_told(transnational, nikola, sonja, milan, anna):
    for coordinator in (nikola, sonja):
        assert Notification.objects.filter(
            recipient=coordinator, kind="transnational_referral", referral=transnational
        ).exists()
    assert Notification.objects.filter(recipient=milan, kind="referral_received").exists()
    assert not Notification.objects.filter(recipient=anna).exists()


def test_coordinators_see_the_card_without_identities_or_risks(client, transnational, nikola, sonja, case):
    for coordinator in (nikola, sonja):
        client.force_login(coordinator)
        response = client.get(reverse("cases:referral", args=[transnational.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        for value in [*IDENTITY_VALUES, DETAILS, case.risk_summary]:
            assert value not in html
        assert not services.allowed_actions(coordinator, transnational)


def test_coordinator_emails_carry_nothing_about_the_case(
    django_capture_on_commit_callbacks, case, belgrade_consent, anna, shelter_belgrade, nikola, sonja, milan
):
    referral = services.create_referral(
        case=case, by=anna, to_organisation=shelter_belgrade, services=["return"], consent=belgrade_consent
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(referral=referral, action="send", by=anna)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([nikola.email, sonja.email, milan.email])
    for message in mail.outbox:
        text = message.subject + message.body
        for value in [*IDENTITY_VALUES, case.code, case.risk_summary, "Shelter", "Serbia", "Albania"]:
            assert value not in text


def test_receiver_abroad_sees_the_card_until_accepting(client, transnational, milan):
    client.force_login(milan)
    html = client.get(reverse("cases:referral", args=[transnational.pk])).content.decode()
    for value in [*IDENTITY_VALUES, DETAILS]:
        assert value not in html
    assert "Return or assistance plan" not in html


def test_both_sides_keep_the_plan_after_acceptance(client, transnational, milan, anna):
    client.force_login(milan)
    url = reverse("cases:referral_action", args=[transnational.pk, "plan"])
    response = client.post(
        url, {"plan": "Return via Tirana", "plan_status": "draft", "version": transnational.version}
    )
    assert response.status_code == 409  # not accepted yet
    services.transition(referral=transnational, action="accept", by=milan)
    response = client.post(
        url, {"plan": "Return via Tirana", "plan_status": "agreed", "version": transnational.version}
    )
    assert response.status_code == 302
    transnational.refresh_from_db()
    assert (transnational.plan, transnational.plan_status) == ("Return via Tirana", "agreed")
    event = AuditEvent.objects.get(action="cases.referral_plan_updated")
    assert event.detail["fields"] == ["plan", "plan_status"]
    assert "Tirana" not in str(event.detail)

    client.force_login(anna)
    stale = client.post(url, {"plan": "Other", "plan_status": "x", "version": transnational.version - 1})
    assert stale.status_code == 409
    response = client.post(
        url, {"plan": "Return via Tirana", "plan_status": "travelling", "version": transnational.version}
    )
    assert response.status_code == 302
    transnational.refresh_from_db()
    assert transnational.plan_status == "travelling"


def test_coordinators_may_not_change_the_plan(client, transnational, milan, nikola):
    services.transition(referral=transnational, action="accept", by=milan)
    client.force_login(nikola)
    url = reverse("cases:referral_action", args=[transnational.pk, "plan"])
    assert (
        client.post(url, {"plan": "x", "plan_status": "y", "version": transnational.version}).status_code
        == 403
    )
    transnational.refresh_from_db()
    assert transnational.plan == ""


def test_coordinators_inbox_lists_transnational_referrals_and_nav_counts_them(
    client, transnational, nikola, case
):
    client.force_login(nikola)
    html = client.get(reverse("cases:inbox")).content.decode()
    assert case.code in html
    assert 'title="Unread notifications">1<' in html
    for value in IDENTITY_VALUES:
        assert value not in html
