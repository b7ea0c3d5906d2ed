# ruff: noqa: F811  (the fixtures imported below are used as parameters, as pytest does)
"""Inbox, outbox, the case's referral tab, the directory, notices and the overdue flag."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.cases.models import Notification, Referral
from concord.cases.services import referrals as services
from concord.cases.tests.factories import CaseAssignmentFactory, ReferralFactory
from concord.cases.tests.referral_fixtures import (  # noqa: F401
    IDENTITY_VALUES,
    accepted,
    case,
    consent,
    draft,
    sent,
)
from concord.network.models import OrganisationService
from concord.network.tests.factories import OrganisationFactory


def test_inbox_lists_received_referrals_by_code_only(client, sent, paul, case):
    client.force_login(paul)
    html = client.get(reverse("cases:inbox")).content.decode()
    assert case.code in html
    for value in IDENTITY_VALUES:
        assert value not in html


def test_outbox_lists_sent_and_drafts(client, draft, anna, case):
    client.force_login(anna)
    assert case.code in client.get(reverse("cases:outbox")).content.decode()
    assert case.code not in client.get(reverse("cases:inbox")).content.decode()


def test_inbox_filters_by_state_and_overdue(client, sent, paul, case):
    client.force_login(paul)
    assert case.code in client.get(reverse("cases:inbox"), {"state": "sent"}).content.decode()
    assert case.code not in client.get(reverse("cases:inbox"), {"state": "accepted"}).content.decode()
    assert case.code not in client.get(reverse("cases:inbox"), {"overdue": "on"}).content.decode()
    Referral.objects.filter(pk=sent.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    html = client.get(reverse("cases:inbox"), {"overdue": "on"}).content.decode()
    assert case.code in html
    assert "Overdue" in html


@pytest.mark.parametrize("name", ["carla", "olga"])
def test_inbox_of_others_does_not_show_the_referral(client, request, sent, case, name):
    client.force_login(request.getfixturevalue(name))
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 200 if name != "olga" else 403
    assert case.code not in response.content.decode()


def test_the_receivers_caseworkers_see_its_inbox_cards(client, sent, case, ben):
    client.force_login(ben)
    assert case.code in client.get(reverse("cases:inbox")).content.decode()


def test_inbox_is_403_without_case_work(client, dora, alma):
    for user in (dora, alma):
        client.force_login(user)
        assert client.get(reverse("cases:inbox")).status_code == 403
        assert client.get(reverse("cases:outbox")).status_code == 403


def test_case_referrals_tab_shows_the_receiver_only_its_own(
    client, accepted, case, anna, paul, legal_clinic_south
):
    ReferralFactory(case=case, to_organisation=legal_clinic_south, created_by=anna, state="accepted")
    client.force_login(anna)
    html = client.get(reverse("cases:case_referrals", args=[case.code])).content.decode()
    assert "Legal Clinic South" in html
    assert "Police Unit East" in html
    client.force_login(paul)
    response = client.get(reverse("cases:case_referrals", args=[case.code]))
    assert response.status_code == 200
    assert "Legal Clinic South" not in response.content.decode()


@pytest.mark.parametrize("name", ["paul", "carla", "dora", "nikola"])
def test_case_referrals_tab_is_404_for_who_cannot_see_the_case(client, request, sent, case, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("cases:case_referrals", args=[case.code])).status_code == 404


# --- Directory ------------------------------------------------------------------------------------------


@pytest.fixture
def shelters(korce, vlore, albania):
    near = OrganisationFactory(name="Korçë Refuge", region=korce, country=albania, languages=["sq", "en"])
    OrganisationService.objects.create(organisation=near, kind="shelter", capacity=10)
    far = OrganisationFactory(name="Vlorë Refuge", region=vlore, country=albania, languages=["en"])
    OrganisationService.objects.create(organisation=far, kind="shelter", capacity=2)
    full = OrganisationFactory(name="Full House", region=korce, country=albania, languages=["sq"])
    OrganisationService.objects.create(organisation=full, kind="shelter", capacity=1)
    dormant = OrganisationFactory(name="Dormant Refuge", region=korce, country=albania, is_active=False)
    OrganisationService.objects.create(organisation=dormant, kind="shelter", capacity=5)
    return near, far, full


def test_directory_ranks_and_explains(client, anna, case, shelters):
    near, _far, full = shelters
    ReferralFactory(to_organisation=full, services=["shelter"], state="accepted")
    ReferralFactory(to_organisation=near, services=["shelter"], state="in_progress")
    client.force_login(anna)
    response = client.get(reverse("cases:directory"), {"case": case.code, "service": "shelter"})
    names = [s.organisation.name for s in response.context["suggestions"]]
    assert names == ["Korçë Refuge", "Vlorë Refuge", "Full House"]
    html = response.content.decode()
    assert "offers shelter in Korçë, speaks sq, 9 of 10 places free" in html
    assert "0 of 1 places free" in html
    assert "Dormant Refuge" not in html


def test_directory_for_a_case_one_cannot_see_is_404(client, carla, case):
    client.force_login(carla)
    assert client.get(reverse("cases:directory"), {"case": case.code}).status_code == 404


def test_directory_is_403_without_case_work(client, dora):
    client.force_login(dora)
    assert client.get(reverse("cases:directory")).status_code == 403


# --- Notifications --------------------------------------------------------------------------------------


def test_notifications_list_and_mark_read(client, sent, paul, anna):
    notice = Notification.objects.get(recipient=paul)
    client.force_login(paul)
    html = client.get(reverse("cases:notifications")).content.decode()
    assert "New referral" in html
    nav = client.get(reverse("cases:inbox")).content.decode()
    assert 'title="Unread notifications">1<' in nav
    client.post(reverse("cases:notifications"), {"notification": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_one_may_not_mark_someone_elses_notice(client, sent, paul, anna):
    notice = Notification.objects.get(recipient=paul)
    client.force_login(anna)
    assert client.post(reverse("cases:notifications"), {"notification": notice.pk}).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read(client, sent, paul):
    client.force_login(paul)
    client.post(reverse("cases:notifications"), {"all": "1"})
    assert not Notification.objects.filter(recipient=paul, read_at__isnull=True).exists()


# --- Overdue ---------------------------------------------------------------------------------------------


def test_deadlines_follow_urgency(sent):
    assert sent.urgency == "urgent"
    assert sent.due_at - sent.state_changed_at == datetime.timedelta(days=1)


def test_flag_overdue_is_idempotent_per_state(sent, paul, ben, case, police_east, anna):
    CaseAssignmentFactory(case=case, user=ben, organisation=police_east)
    Referral.objects.filter(pk=sent.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=5))
    call_command("flag_overdue_referrals")
    call_command("flag_overdue_referrals")
    overdue = Notification.objects.filter(kind="referral_overdue", referral=sent)
    assert sorted(overdue.values_list("recipient__email", flat=True)) == sorted([paul.email, ben.email])
    assert AuditEvent.objects.filter(action="cases.referral_overdue").count() == 1

    sent.refresh_from_db()
    services.transition(referral=sent, action="accept", by=paul)
    Referral.objects.filter(pk=sent.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=5))
    call_command("flag_overdue_referrals")
    call_command("flag_overdue_referrals")
    assert overdue.count() == 4
    assert AuditEvent.objects.filter(action="cases.referral_overdue").count() == 2


def test_flag_overdue_ignores_referrals_on_time(sent):
    call_command("flag_overdue_referrals")
    assert not Notification.objects.filter(kind="referral_overdue").exists()
