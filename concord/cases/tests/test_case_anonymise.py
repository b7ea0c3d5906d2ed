"""Retention: `manage.py anonymise_closed_cases` erases identities of cases closed longer than
CONCORD_CASE_RETENTION_DAYS, in the case and in its history, and keeps what statistics count."""

# ruff: noqa: F811
import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.cases.models import IDENTITY_FIELDS, Case
from concord.cases.tests.case_fixtures import shelter_case  # noqa: F401
from concord.cases.tests.factories import (
    CaseDocumentFactory,
    CaseNoteFactory,
    TraffickingEventFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_closed(shelter_case, settings):
    settings.CONCORD_CASE_RETENTION_DAYS = 30
    shelter_case.first_name = "Changed"  # a second history row holding identity values
    shelter_case.save()
    shelter_case.status = "Closed"
    shelter_case.closure_reason = "support_completed"
    shelter_case.closed_on = timezone.localdate() - datetime.timedelta(days=31)
    shelter_case.save()
    return shelter_case


def test_dry_run_changes_nothing(old_closed):
    out = StringIO()
    call_command("anonymise_closed_cases", "--dry-run", stdout=out)
    assert "1 case" in out.getvalue()
    old_closed.refresh_from_db()
    assert old_closed.first_name == "Changed"
    assert old_closed.anonymised_at is None


def test_anonymises_case_history_and_records(old_closed, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    event = TraffickingEventFactory(case=old_closed)
    note = CaseNoteFactory(case=old_closed)
    document = CaseDocumentFactory(case=old_closed)
    path = document.file.path
    call_command("anonymise_closed_cases", stdout=StringIO())
    old_closed.refresh_from_db()
    assert old_closed.anonymised_at is not None
    assert all(getattr(old_closed, name) == "" for name in IDENTITY_FIELDS)
    assert old_closed.identity_number_bidx == ""
    assert old_closed.risk_summary == ""
    # Statistics stay.
    assert old_closed.sex == "Female"
    assert old_closed.types_of_exploitation == ["SexualExploitation"]
    assert old_closed.age_at_identification is not None
    for row in Case.history.filter(id=old_closed.pk):
        assert row.first_name == ""
        assert row.identity_number == ""
        assert row.identity_number_bidx == ""
    event.refresh_from_db()
    note.refresh_from_db()
    document.refresh_from_db()
    assert event.description == ""
    assert event.country == "AL"
    assert note.text == ""
    assert not document.file
    import os

    assert not os.path.exists(path)
    audit = AuditEvent.objects.get(action="cases.anonymised", target_id=str(old_closed.pk))
    assert audit.detail["notes"] == 1


def test_recent_and_open_cases_are_kept(shelter_case, settings):
    settings.CONCORD_CASE_RETENTION_DAYS = 30
    recent = Case.objects.get(pk=shelter_case.pk)
    recent.status = "Closed"
    recent.closed_on = timezone.localdate() - datetime.timedelta(days=5)
    recent.save()
    call_command("anonymise_closed_cases", stdout=StringIO())
    recent.refresh_from_db()
    assert recent.first_name == "Elira"
    assert recent.anonymised_at is None
    assert not AuditEvent.objects.filter(action="cases.anonymised").exists()


def test_runs_once(old_closed):
    call_command("anonymise_closed_cases", stdout=StringIO())
    call_command("anonymise_closed_cases", stdout=StringIO())
    assert AuditEvent.objects.filter(action="cases.anonymised").count() == 1
