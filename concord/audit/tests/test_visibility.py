"""Who reads the audit log: network administrators everything, organisation administrators their own."""

import pytest

from concord.accounts.models import Role
from concord.accounts.tests.factories import MembershipFactory
from concord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _actions(user):
    return set(AuditEvent.objects.visible_to(user).values_list("action", flat=True))


@pytest.fixture
def events(anna, ben, nadia, shelter_north, police_east):
    AuditEvent.record(action="by.anna", actor=anna)  # attributed to Shelter North
    AuditEvent.record(action="by.ben", actor=ben)  # attributed to Police Unit East
    AuditEvent.record(action="about.shelter", actor=nadia, organisation=shelter_north)
    AuditEvent.record(action="no.organisation", organisation=None)  # e.g. a failed sign-in


def test_network_admin_sees_every_event(nadia, events):
    assert _actions(nadia) == {"by.anna", "by.ben", "about.shelter", "no.organisation"}


def test_org_admin_sees_events_of_and_about_their_organisation(olga, events):
    assert _actions(olga) == {"by.anna", "about.shelter"}


def test_org_admin_sees_unattributed_events_of_current_members(olga, anna, events):
    event = AuditEvent.objects.create(action="unattributed.by.anna", actor=anna)
    assert event.organisation is None
    assert "unattributed.by.anna" in _actions(olga)


def test_what_a_member_did_elsewhere_stays_with_that_organisation(olga, ben, shelter_north, events):
    # Ben joins Shelter North as well: his work for Police Unit East is still not Shelter North's business.
    MembershipFactory(user=ben, organisation=shelter_north, role=Role.VIEWER)
    assert "by.ben" not in _actions(olga)


def test_former_members_unattributed_events_leave_with_them(olga, anna, events):
    AuditEvent.objects.create(action="unattributed.by.anna", actor=anna)
    anna.memberships.update(is_active=False)
    assert "unattributed.by.anna" not in _actions(olga)


@pytest.mark.parametrize("who", ["anna", "ben", "carla", "dora", "nikola", "vera"])
def test_everyone_else_sees_nothing(request, who, events):
    assert _actions(request.getfixturevalue(who)) == set()


def test_a_deactivated_org_admin_sees_nothing(olga, events):
    olga.is_active = False
    olga.save(update_fields=["is_active"])
    assert _actions(olga) == set()


def test_anonymous_sees_nothing(events):
    from django.contrib.auth.models import AnonymousUser

    assert _actions(AnonymousUser()) == set()


def test_no_duplicate_rows_for_members_of_several_administered_organisations(olga, anna, police_east, events):
    MembershipFactory(user=olga, organisation=police_east, role=Role.ORG_ADMIN)
    MembershipFactory(user=anna, organisation=police_east, role=Role.VIEWER)
    AuditEvent.objects.create(action="unattributed.by.anna", actor=anna)
    visible = AuditEvent.objects.visible_to(olga)
    assert visible.count() == len(set(visible.values_list("pk", flat=True)))
