# ruff: noqa: F811  (the fixtures imported below are used as parameters, as pytest does)
"""The referral's life through the pages: drafting, the consent gate, sending, answering, ending; who may
take each step; the card a receiver sees before accepting; what withdrawing consent ends."""

import pytest
from django.core import mail
from django.urls import reverse

from concord.audit.models import AuditEvent
from concord.cases.models import Case, CaseAssignment, Notification, Referral, ReferralEvent
from concord.cases.services import referrals as services
from concord.cases.tests.factories import CaseAssignmentFactory
from concord.cases.tests.referral_fixtures import (  # noqa: F401
    DETAILS,
    IDENTITY_VALUES,
    accepted,
    case,
    consent,
    draft,
    sent,
)


def _action(client, referral, slug, **data):
    data.setdefault("version", referral.version)
    return client.post(reverse("cases:referral_action", args=[referral.pk, slug]), data)


def _actions(referral):
    return list(AuditEvent.objects.for_target(referral).order_by("at", "pk").values_list("action", flat=True))


def test_whole_lifecycle_through_the_pages(client, case, consent, anna, paul, police_east, shelter_north):
    client.force_login(anna)
    response = client.post(
        reverse("cases:referral_new", args=[case.code]),
        {
            "to_organisation": police_east.pk,
            "services": ["shelter", "legal_aid"],
            "urgency": "urgent",
            "language": "sq",
            "reason": "AdditionalServicesRequired",
            "details": DETAILS,
            "shared_sections": ["profile", "events"],
            "consent": consent.pk,
        },
    )
    referral = Referral.objects.get(case=case)
    assert response.status_code == 302
    assert referral.state == "draft"
    assert referral.shared_sections == ["profile", "events"]
    assert not Case.objects.visible_to(paul).filter(pk=case.pk).exists()

    assert _action(client, referral, "send").status_code == 302
    referral.refresh_from_db()
    assert referral.state == "sent"
    assert referral.sent_at is not None
    assert referral.due_at is not None
    assert referral.is_transnational is False
    assert Notification.objects.filter(recipient=paul, kind="referral_received", referral=referral).exists()
    assert not Case.objects.visible_to(paul).filter(pk=case.pk).exists()

    client.force_login(paul)
    for slug, state in [("accept", "accepted"), ("start", "in_progress"), ("complete", "completed")]:
        referral.refresh_from_db()
        assert _action(client, referral, slug).status_code == 302
        referral.refresh_from_db()
        assert referral.state == state
    assert referral.closed_at is not None

    case.refresh_from_db()
    assert case.owner == shelter_north  # a referral is not a transfer
    assert Case.objects.visible_to(paul).filter(pk=case.pk).exists()
    assert list(referral.events.values_list("to_state", flat=True)) == [
        "draft",
        "sent",
        "accepted",
        "in_progress",
        "completed",
    ]
    assert _actions(referral) == [
        "cases.referral_draft",
        "cases.referral_sent",
        "cases.referral_accepted",
        "cases.referral_in_progress",
        "cases.referral_completed",
    ]
    kinds = set(Notification.objects.filter(recipient=anna).values_list("kind", flat=True))
    assert kinds == {"referral_accepted", "referral_completed"}


def test_sending_without_consent_is_refused_with_a_clear_message(client, case, anna, police_east):
    referral = services.create_referral(case=case, by=anna, to_organisation=police_east, services=["shelter"])
    client.force_login(anna)
    response = _action(client, referral, "send")
    assert response.status_code == 400
    assert "consent" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == "draft"
    assert not Notification.objects.exists()
    assert "cases.referral_sent" not in _actions(referral)


def test_sending_on_a_withdrawn_consent_is_refused(client, draft, consent, anna):
    consent.withdrawn_on = consent.given_on
    consent.save()
    client.force_login(anna)
    assert _action(client, draft, "send").status_code == 400
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_consent_override_is_audited_and_lets_the_referral_go(client, case, anna, police_east):
    client.force_login(anna)
    client.post(
        reverse("cases:referral_new", args=[case.code]),
        {
            "to_organisation": police_east.pk,
            "services": ["shelter"],
            "urgency": "emergency",
            "reason": "Other",
            "shared_sections": ["profile"],
            "consent_override_reason": "Child at immediate risk, Art. 12 child-protection law",
        },
    )
    referral = Referral.objects.get(case=case)
    overridden = AuditEvent.objects.get(action="cases.referral_consent_overridden")
    assert overridden.target_id == str(referral.pk)
    assert "Art. 12" not in str(overridden.detail)  # the free text stays out of the audit log
    assert _action(client, referral, "send").status_code == 302
    referral.refresh_from_db()
    assert referral.state == "sent"


def test_a_consent_naming_another_organisation_is_refused(client, case, anna, legal_clinic_south, consent):
    client.force_login(anna)
    response = client.post(
        reverse("cases:referral_new", args=[case.code]),
        {
            "to_organisation": legal_clinic_south.pk,
            "services": ["legal_aid"],
            "urgency": "routine",
            "reason": "Other",
            "consent": consent.pk,
        },
    )
    assert response.status_code == 200
    assert not Referral.objects.exists()


@pytest.mark.parametrize("name", ["paul", "ben", "carla", "dora", "nikola", "vera", "olga"])
def test_only_the_owner_side_drafts_referrals(client, request, case, police_east, name):
    client.force_login(request.getfixturevalue(name))
    url = reverse("cases:referral_new", args=[case.code])
    response = client.post(url, {"to_organisation": police_east.pk, "services": ["shelter"]})
    assert response.status_code == 404  # none of them can see the case
    assert not Referral.objects.exists()


def test_receiving_side_may_not_draft_a_referral_of_a_case_it_reads(client, accepted, paul, case):
    client.force_login(paul)
    assert client.get(reverse("cases:referral_new", args=[case.code])).status_code == 403


def test_assigned_caseworker_of_the_owner_drafts_and_sends(client, case, consent, sara, police_east):
    CaseAssignmentFactory(case=case, user=sara)
    client.force_login(sara)
    assert client.get(reverse("cases:referral_new", args=[case.code])).status_code == 200
    referral = services.create_referral(
        case=case, by=sara, to_organisation=police_east, services=["shelter"], consent=consent
    )
    assert _action(client, referral, "send").status_code == 302


def test_receiver_sees_only_the_card_before_accepting(client, sent, paul, case):
    client.force_login(paul)
    response = client.get(reverse("cases:referral", args=[sent.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for value in IDENTITY_VALUES:
        assert value not in html
    assert DETAILS not in html
    assert case.code in html
    assert case.risk_summary in html  # risks always travel
    assert "18-24" in html
    assert reverse("cases:detail", args=[case.code]) not in html
    assert not AuditEvent.objects.filter(action__startswith="cases.identity").exists()


def test_after_acceptance_the_receiver_gets_the_details_and_a_link(client, accepted, paul, case):
    client.force_login(paul)
    html = client.get(reverse("cases:referral", args=[accepted.pk])).content.decode()
    assert DETAILS in html
    assert reverse("cases:detail", args=[case.code]) in html
    for value in IDENTITY_VALUES:
        assert value not in html


def test_sender_sees_the_whole_referral_and_its_log(client, sent, anna):
    client.force_login(anna)
    html = client.get(reverse("cases:referral", args=[sent.pk])).content.decode()
    assert DETAILS in html
    assert "What happened" in html


@pytest.mark.parametrize("name", ["carla", "dora", "vera", "nikola", "olga", "sara", "alma", "milan"])
def test_referral_page_is_404_for_everyone_else(client, request, sent, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("cases:referral", args=[sent.pk])).status_code == 404


def test_ben_sees_the_card_but_works_on_an_accepted_referral_once_assigned(
    client, accepted, ben, paul, case, police_east
):
    client.force_login(ben)
    assert client.get(reverse("cases:referral", args=[accepted.pk])).status_code == 200
    assert _action(client, accepted, "start").status_code == 403
    CaseAssignmentFactory(case=case, user=ben, organisation=police_east)
    assert _action(client, accepted, "start").status_code == 302


def test_a_receiving_caseworker_who_accepts_is_assigned_and_sees_the_case(
    client, sent, ben, case, police_east
):
    client.force_login(ben)
    assert client.get(reverse("cases:detail", args=[case.code])).status_code == 404
    assert _action(client, sent, "accept").status_code == 302
    assert CaseAssignment.objects.filter(
        case=case, user=ben, organisation=police_east, ended_at=None
    ).exists()
    sent.refresh_from_db()
    assert sent.state == "accepted"
    assert Case.objects.visible_to(ben).filter(pk=case.pk).exists()


def test_draft_is_invisible_to_the_receiver(client, draft, paul):
    client.force_login(paul)
    assert client.get(reverse("cases:referral", args=[draft.pk])).status_code == 404


def test_sender_may_not_answer_and_receiver_may_not_send(client, sent, draft, anna, paul):
    client.force_login(anna)
    assert _action(client, sent, "accept").status_code == 403
    client.force_login(paul)
    assert _action(client, sent, "revoke", reason="x").status_code == 403
    sent.refresh_from_db()
    assert sent.state == "sent"


@pytest.mark.parametrize(
    ("slug", "who"),
    [("send", "anna"), ("start", "paul"), ("give-up", "paul"), ("decline", "paul")],
)
def test_invalid_transitions_are_refused_with_409(client, request, accepted, slug, who):
    client.force_login(request.getfixturevalue(who))
    response = _action(client, accepted, slug, reason="because")
    if slug in ("start", "give-up"):  # valid from accepted
        assert response.status_code == 302
        return
    assert response.status_code == 409
    assert "cannot be changed that way" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.state == "accepted"


def test_completed_referral_cannot_be_accepted_again(client, accepted, paul):
    services.transition(referral=accepted, action="complete", by=paul)
    client.force_login(paul)
    assert _action(client, accepted, "accept").status_code == 409
    assert ReferralEvent.objects.filter(referral=accepted, to_state="accepted").count() == 1


def test_decline_needs_a_reason_and_tells_the_sender(client, sent, paul, anna):
    client.force_login(paul)
    assert _action(client, sent, "decline", reason="").status_code == 400
    sent.refresh_from_db()
    assert sent.state == "sent"
    assert _action(client, sent, "decline", reason="No places").status_code == 302
    sent.refresh_from_db()
    assert sent.state == "declined"
    assert sent.decline_reason == "No places"
    assert Notification.objects.filter(recipient=anna, kind="referral_declined").exists()
    assert AuditEvent.objects.filter(action="cases.referral_declined", actor=paul).exists()


def test_revoke_by_sender_and_give_up_by_receiver(client, accepted, anna, paul, case, police_east):
    client.force_login(paul)
    assert _action(client, accepted, "give-up", reason="Person moved").status_code == 302
    accepted.refresh_from_db()
    assert accepted.state == "given_up"
    assert Notification.objects.filter(recipient=anna, kind="referral_given_up").exists()
    assert not Case.objects.visible_to(paul).filter(pk=case.pk).exists()

    other = services.create_referral(
        case=case, by=anna, to_organisation=police_east, services=["shelter"], consent_override_reason="Law"
    )
    services.transition(referral=other, action="send", by=anna)
    client.force_login(anna)
    assert _action(client, other, "revoke", reason="").status_code == 400
    assert _action(client, other, "revoke", reason="Sent by mistake").status_code == 302
    other.refresh_from_db()
    assert other.state == "revoked"
    assert Notification.objects.filter(recipient=paul, kind="referral_revoked", referral=other).exists()


def test_stale_version_is_refused(client, sent, paul):
    client.force_login(paul)
    response = _action(client, sent, "accept", version=sent.version - 1)
    assert response.status_code == 409
    sent.refresh_from_db()
    assert sent.state == "sent"


def test_action_get_is_405_and_unknown_action_404(client, sent, paul):
    client.force_login(paul)
    assert client.get(reverse("cases:referral_action", args=[sent.pk, "accept"])).status_code == 405
    assert _action(client, sent, "transfer").status_code == 404


def test_withdrawn_consent_ends_the_receivers_access(client, accepted, consent, anna, paul, case):
    assert Case.objects.visible_to(paul).filter(pk=case.pk).exists()
    client.force_login(anna)
    response = client.post(reverse("cases:consent_withdraw", args=[case.code, consent.pk]))
    assert response.status_code == 302
    assert not Case.objects.visible_to(paul).filter(pk=case.pk).exists()
    assert Notification.objects.filter(recipient=paul, kind="consent_withdrawn", referral=accepted).exists()
    client.force_login(paul)
    html = client.get(reverse("cases:referral", args=[accepted.pk])).content.decode()
    assert reverse("cases:detail", args=[case.code]) not in html


def test_emails_carry_no_case_data(
    django_capture_on_commit_callbacks, case, consent, anna, paul, police_east
):
    referral = services.create_referral(
        case=case,
        by=anna,
        to_organisation=police_east,
        services=["shelter"],
        consent=consent,
        details=DETAILS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(referral=referral, action="send", by=anna)
    assert [m.to for m in mail.outbox] == [[paul.email]]
    message = mail.outbox[0]
    text = message.subject + message.body
    assert "You have a new referral in Concord" in text
    assert reverse("cases:notifications") in text
    for value in [*IDENTITY_VALUES, case.code, DETAILS, case.risk_summary, police_east.name, "Shelter North"]:
        assert value not in text


def test_after_withdrawal_the_receiver_loses_the_details_too(client, accepted, consent, anna, paul, case):
    from concord.cases.services.consent import withdraw_consent

    withdraw_consent(consent=consent, by=anna)
    client.force_login(paul)
    html = client.get(reverse("cases:referral", args=[accepted.pk])).content.decode()
    assert DETAILS not in html
    assert "Return or assistance plan" not in html


def test_a_referral_whose_consent_was_withdrawn_cannot_be_accepted(client, sent, consent, anna, paul):
    from concord.cases.services.consent import withdraw_consent

    withdraw_consent(consent=consent, by=anna)
    assert Notification.objects.filter(recipient=paul, kind="consent_withdrawn", referral=sent).exists()
    client.force_login(paul)
    assert _action(client, sent, "accept").status_code == 400
    sent.refresh_from_db()
    assert sent.state == "sent"
    assert _action(client, sent, "decline", reason="Consent withdrawn").status_code == 302
