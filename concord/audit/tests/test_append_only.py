"""Audit events, once written, are never changed or deleted, one by one or in bulk."""

import pytest

from concord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(anna):
    return AuditEvent.record(action="test.happened", actor=anna, detail={"n": 1})


def test_record_attributes_the_actors_organisation(event, anna, shelter_north):
    assert (event.actor, event.organisation, event.target_type) == (anna, shelter_north, "")


def test_an_event_cannot_be_saved_again(event):
    event.action = "test.rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_events_cannot_be_updated_in_bulk(event):
    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.rewritten")
    event.refresh_from_db()
    assert event.action == "test.happened"


def test_events_cannot_be_deleted_in_bulk(event):
    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
