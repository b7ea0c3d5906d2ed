"""REST endpoints of the records: scoped like the pages (visible_to, section-aware), the case named by its
code among the cases the caller may see, writes through the same services (403 when visible but not
allowed, nothing written), versions on edits (409 when stale). Cast: see records_cast.py."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from concord.audit.models import AuditEvent
from concord.cases.models import (
    CaseDocument,
    CaseNote,
    LegalProceeding,
    ServiceDelivery,
    SupportPlan,
    TraffickingEvent,
)
from concord.cases.services import records as services
from concord.cases.tests.factories import (
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
PDF = b"%PDF-1.7\nsome bytes\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def case(anna, sara):
    return shelter_case(anna=anna, sara=sara)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api, request):
    def sign_in(name):
        api.force_login(request.getfixturevalue(name))
        return api

    return sign_in


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Reading --------------------------------------------------------------------------------------------

ENDPOINTS = {
    "case-events": TraffickingEventFactory,
    "case-services": ServiceDeliveryFactory,
    "support-plans": SupportPlanFactory,
    "proceedings": LegalProceedingFactory,
    "case-notes": CaseNoteFactory,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("name", ["anna", "sara"])
def test_the_owner_side_lists_and_reads_the_rows(as_user, case, endpoint, name):
    row = ENDPOINTS[endpoint](case=case)
    client = as_user(name)
    assert ids(client.get(f"/api/{endpoint}/")) == {row.pk}
    response = client.get(f"/api/{endpoint}/{row.pk}/")
    assert response.status_code == 200
    assert response.json()["case"] == case.code


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_list_nothing_and_get_404(as_user, case, endpoint, name):
    row = ENDPOINTS[endpoint](case=case)
    client = as_user(name)
    assert ids(client.get(f"/api/{endpoint}/")) == set()
    assert client.get(f"/api/{endpoint}/{row.pk}/").status_code == 404


SECTIONS = {
    "case-events": "events",
    "case-services": "services",
    "support-plans": "support_plan",
    "proceedings": "proceedings",
    "case-notes": "notes",
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_receiving_side_reads_the_owners_rows_only_when_the_section_is_shared(
    as_user, case, police_east, endpoint
):
    row = ENDPOINTS[endpoint](case=case)
    referral = refer(case, to=police_east)
    client = as_user("paul")
    assert ids(client.get(f"/api/{endpoint}/")) == set()
    assert client.get(f"/api/{endpoint}/{row.pk}/").status_code == 404
    setattr(referral, f"share_{SECTIONS[endpoint]}", True)
    referral.save()
    assert ids(client.get(f"/api/{endpoint}/")) == {row.pk}


def test_rows_filter_by_case_code(as_user, case, anna, sara):
    other = shelter_case(anna=anna, sara=sara)
    mine, theirs = CaseNoteFactory(case=case), CaseNoteFactory(case=other)
    client = as_user("anna")
    assert ids(client.get("/api/case-notes/", {"case": case.code})) == {mine.pk}
    assert ids(client.get("/api/case-notes/", {"case": other.code})) == {theirs.pk}
    assert ids(client.get("/api/case-notes/", {"case": "C-2222-2222"})) == set()


# --- Writing: the case by its code ----------------------------------------------------------------------


def test_a_case_out_of_sight_answers_like_a_missing_one(as_user, case):
    client = as_user("carla")
    hidden = client.post("/api/case-notes/", {"case": case.code, "text": "x"}, format="json")
    missing = client.post("/api/case-notes/", {"case": "C-2222-2222", "text": "x"}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["case"][0].replace(case.code, "?") == missing.json()["case"][0].replace(
        "C-2222-2222", "?"
    )
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize("bad", [123, ["C-2222-2222"], {"code": "x"}, None])
def test_a_case_that_is_not_a_code_is_a_400(as_user, case, bad):
    response = as_user("anna").post("/api/case-notes/", {"case": bad, "text": "x"}, format="json")
    assert response.status_code == 400


# --- Events ---------------------------------------------------------------------------------------------


def test_the_owner_side_records_an_event(as_user, case):
    response = as_user("sara").post(
        "/api/case-events/",
        {"case": case.code, "event_type": "Exploitation", "date": YESTERDAY, "country": "IT", "city": "Bari"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["case"] == case.code
    assert TraffickingEvent.objects.get().city == "Bari"
    assert AuditEvent.objects.filter(action="cases.event_recorded").exists()


def test_the_receiving_side_gets_403_recording_an_event(as_user, case, police_east):
    refer(case, to=police_east, events=True)
    response = as_user("paul").post(
        "/api/case-events/", {"case": case.code, "event_type": "Transit", "date": YESTERDAY}, format="json"
    )
    assert response.status_code == 403
    assert not TraffickingEvent.objects.exists()


def test_an_event_in_the_future_is_a_400(as_user, case):
    response = as_user("anna").post(
        "/api/case-events/", {"case": case.code, "event_type": "Transit", "date": TOMORROW}, format="json"
    )
    assert response.status_code == 400
    assert "date" in response.json()
    assert not TraffickingEvent.objects.exists()


# --- Services -------------------------------------------------------------------------------------------


def test_the_receiving_side_records_a_service_for_itself(as_user, case, police_east):
    referral = refer(case, to=police_east)
    response = as_user("paul").post(
        "/api/case-services/",
        {"case": case.code, "service": "police_interview", "started_on": YESTERDAY, "referral": referral.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation"] == police_east.pk
    assert ServiceDelivery.objects.get().referral == referral


def test_a_service_ending_before_it_started_is_a_400(as_user, case):
    response = as_user("anna").post(
        "/api/case-services/",
        {
            "case": case.code,
            "service": "shelter",
            "started_on": YESTERDAY,
            "ended_on": (TODAY - datetime.timedelta(days=9)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "ended_on" in response.json()


# --- Support plans --------------------------------------------------------------------------------------


def test_support_plan_edits_carry_the_version(as_user, case):
    plan = SupportPlanFactory(case=case)
    client = as_user("anna")
    response = client.patch(
        f"/api/support-plans/{plan.pk}/", {"objectives": "New", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    stale = client.patch(f"/api/support-plans/{plan.pk}/", {"objectives": "Old", "version": 1}, format="json")
    assert stale.status_code == 409
    plan.refresh_from_db()
    assert plan.objectives == "New"
    assert (
        client.patch(f"/api/support-plans/{plan.pk}/", {"objectives": "x"}, format="json").status_code == 400
    )


def test_the_receiving_side_may_not_edit_the_owners_plan(as_user, case, police_east):
    plan = SupportPlanFactory(case=case)
    refer(case, to=police_east, support_plan=True)
    response = as_user("paul").patch(
        f"/api/support-plans/{plan.pk}/", {"objectives": "Mine now", "version": 1}, format="json"
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert (plan.objectives, plan.version) == ("Safe accommodation and counselling.", 1)


def test_a_support_plan_is_added_for_the_acting_organisation(as_user, case, police_east):
    refer(case, to=police_east)
    response = as_user("paul").post(
        "/api/support-plans/", {"case": case.code, "plan_type": "Legal"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert SupportPlan.objects.get().organisation == police_east


# --- Proceedings ----------------------------------------------------------------------------------------

PROCEEDING = {"stage": "court", "outcome": "convicted", "opened_on": YESTERDAY, "sentence_months": 36}


def test_law_enforcement_records_a_proceeding(as_user, case, police_east):
    refer(case, to=police_east)
    response = as_user("paul").post(
        "/api/proceedings/",
        {**PROCEEDING, "case": case.code, "joint_interview": True, "protection_measures": ["video_link"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    proceeding = LegalProceeding.objects.get()
    assert (proceeding.organisation, proceeding.protection_measures) == (police_east, ["video_link"])


@pytest.mark.parametrize("name", ["anna", "sara"])
def test_a_shelter_may_not_record_proceedings(as_user, case, name):
    response = as_user(name).post("/api/proceedings/", {**PROCEEDING, "case": case.code}, format="json")
    assert response.status_code == 403
    assert not LegalProceeding.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"stage": "investigation", "outcome": "acquitted"},
        {"opened_on": TOMORROW},
        {"protection_measures": ["invisibility_cloak"]},
    ],
)
def test_bad_proceedings_are_a_400(as_user, case, police_east, change):
    refer(case, to=police_east)
    response = as_user("paul").post(
        "/api/proceedings/", {**PROCEEDING, "case": case.code, **change}, format="json"
    )
    assert response.status_code == 400
    assert not LegalProceeding.objects.exists()


def test_proceeding_edits_check_the_version_and_the_stage(as_user, case, police_east):
    refer(case, to=police_east)
    proceeding = LegalProceedingFactory(case=case, organisation=police_east)
    client = as_user("paul")
    url = f"/api/proceedings/{proceeding.pk}/"
    assert client.patch(url, {"outcome": "convicted", "version": 1}, format="json").status_code == 400
    response = client.patch(url, {"outcome": "charges_filed", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert client.patch(url, {"outcome": "discontinued", "version": 1}, format="json").status_code == 409
    proceeding.refresh_from_db()
    assert (proceeding.outcome, proceeding.version) == ("charges_filed", 2)


# --- Notes ----------------------------------------------------------------------------------------------


def test_notes_are_written_for_the_acting_organisation(as_user, case, police_east):
    refer(case, to=police_east)
    response = as_user("paul").post(
        "/api/case-notes/", {"case": case.code, "text": "Met her."}, format="json"
    )
    assert response.status_code == 201
    assert CaseNote.objects.get().organisation == police_east
    assert as_user("anna").get("/api/case-notes/").json()["count"] == 1


# --- Documents ------------------------------------------------------------------------------------------


def post_document(client, case, data=PDF, **extra):
    return client.post(
        "/api/case-documents/",
        {
            "case": case.code,
            "kind": "legal",
            "title": "Court order",
            "file": SimpleUploadedFile("x.pdf", data),
            **extra,
        },
        format="multipart",
    )


def test_documents_upload_and_show_metadata_only(as_user, case, media):
    client = as_user("anna")
    response = post_document(client, case)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {
        "id",
        "case",
        "organisation",
        "kind",
        "title",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    }
    assert body["content_type"] == "application/pdf"
    (path,) = [p for p in media.rglob("*") if p.is_file()]
    assert PDF not in path.read_bytes()
    assert ids(client.get("/api/case-documents/", {"case": case.code})) == {body["id"]}


def test_a_wrong_file_type_or_size_is_a_400_and_stores_nothing(as_user, case, media, settings):
    client = as_user("anna")
    response = post_document(client, case, data=b"\x7fELF\x02\x01\x01 binary")
    assert response.status_code == 400
    assert "file" in response.json()
    settings.CONCORD_MAX_DOCUMENT_BYTES = 10
    assert post_document(client, case).status_code == 400
    assert not CaseDocument.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_document_download_is_audited(as_user, case, anna):
    document = services.upload_document(case=case, by=anna, kind="legal", title="Order", data=PDF)
    response = as_user("sara").get(f"/api/case-documents/{document.pk}/download/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        AuditEvent.objects.filter(action="cases.document_downloaded", target_id=str(document.pk)).count() == 1
    )


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_can_neither_upload_nor_download(as_user, case, anna, name):
    document = services.upload_document(case=case, by=anna, kind="legal", title="Order", data=PDF)
    client = as_user(name)
    assert client.get(f"/api/case-documents/{document.pk}/download/").status_code == 404
    assert post_document(client, case).status_code == 400
    assert CaseDocument.objects.count() == 1
    assert not AuditEvent.objects.filter(action="cases.document_downloaded").exists()


def test_documents_refuse_patch_and_delete(as_user, case, anna):
    document = services.upload_document(case=case, by=anna, kind="legal", title="Order", data=PDF)
    client = as_user("anna")
    assert (
        client.patch(f"/api/case-documents/{document.pk}/", {"title": "x"}, format="json").status_code == 405
    )
    assert client.delete(f"/api/case-documents/{document.pk}/").status_code == 405
