"""Case documents: accepted types by content, the size limit, encryption at rest, all-or-nothing storage,
and downloads (who may, the headers, the audit). Cast: see records_cast.py."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from concord.audit.models import AuditEvent
from concord.cases import documents
from concord.cases.models import CaseDocument
from concord.cases.services import records as services
from concord.cases.tests.records_cast import OUTSIDERS, refer, shelter_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nElira Kola passport scan\n%%EOF\n"


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def case(anna, sara):
    return shelter_case(anna=anna, sara=sara)


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


def upload(client, case, data=PDF, name="elira-kola-passport.pdf", **extra):
    return client.post(
        reverse("cases:document_upload", args=[case.code]),
        {"kind": "identity", "title": "Passport of E.K.", "file": SimpleUploadedFile(name, data), **extra},
    )


# --- What may be uploaded -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (PDF, documents.PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", documents.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", documents.JPEG),
        (b"Statement taken on 3 May.\nPage 2\n", documents.TEXT),
        ("\ufeff\u0417\u0430\u043f\u0438\u0441\u043d\u0438\u043a\r\n".encode(), documents.TEXT),
        (office_file("word/document.xml"), documents.DOCX),
        (office_file("xl/workbook.xml"), documents.XLSX),
    ],
)
def test_accepted_types_are_recognised_by_content(data, content_type):
    assert documents.sniff_content_type(data) == content_type


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"GIF89a\x01\x00\x01\x00",
        b"<!DOCTYPE html><script>alert(1)</script>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        office_file("payload.exe"),  # a zip, but no Office document
        b"PK\x03\x04 not really a zip",
        b"text with a \x00 NUL byte",
        b"\xff\xfe\x00\x00 latin garbage \xe9",
    ],
)
def test_other_content_is_refused(data):
    assert documents.sniff_content_type(data) is None


def test_a_wrong_type_is_a_clear_field_error_and_nothing_is_stored(client, case, anna, media):
    client.force_login(anna)
    response = upload(client, case, data=b"MZ\x90\x00 program", name="report.pdf")
    assert response.status_code == 200
    assert "not accepted" in response.context["form"].errors["file"][0]
    assert "Passport of E.K." in response.content.decode()  # the title typed is kept
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []


def test_an_oversize_file_is_refused(client, case, anna, media, settings):
    settings.CONCORD_MAX_DOCUMENT_BYTES = 100
    client.force_login(anna)
    response = upload(client, case, data=b"%PDF-" + b"x" * 100)
    assert response.status_code == 200
    assert "larger than" in response.context["form"].errors["file"][0]
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []
    assert upload(client, case, data=b"%PDF-" + b"x" * 95).status_code == 302


def test_the_limit_is_read_from_settings_with_a_10_mb_default(settings):
    assert settings.CONCORD_MAX_DOCUMENT_BYTES == 10 * 1024 * 1024
    del settings.CONCORD_MAX_DOCUMENT_BYTES
    assert documents.max_document_bytes() == 10 * 1024 * 1024


# --- How it is stored -----------------------------------------------------------------------------------


def test_the_file_is_stored_encrypted_at_a_random_name(client, case, anna, media):
    client.force_login(anna)
    assert upload(client, case).status_code == 302
    document = CaseDocument.objects.get()
    (path,) = stored_files(media)
    on_disk = path.read_bytes()
    assert PDF not in on_disk
    assert b"Elira" not in on_disk
    assert documents.decrypt_bytes(on_disk) == PDF
    assert "elira" not in path.name.lower()
    assert "passport" not in path.name.lower()
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (document.content_type, document.size, document.organisation) == (
        documents.PDF,
        len(PDF),
        case.owner,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM cases_casedocument WHERE id = %s", [document.pk])
        (raw_title,) = cursor.fetchone()
    assert "Passport" not in raw_title
    audit = AuditEvent.objects.get(action="cases.document_uploaded")
    assert audit.detail["document"] == document.pk
    assert "Passport" not in str(audit.detail)
    assert "elira" not in str(audit.detail).lower()


def test_a_failed_database_write_leaves_no_file(case, anna, media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(AuditEvent, "record", broken)
    with pytest.raises(RuntimeError):
        services.upload_document(case=case, by=anna, kind="legal", title="Court order", data=PDF)
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []


def test_the_receiving_side_uploads_for_itself(client, case, paul, police_east):
    refer(case, to=police_east)
    client.force_login(paul)
    assert upload(client, case).status_code == 302
    assert CaseDocument.objects.get().organisation == police_east


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_cannot_upload(client, request, case, name, media):
    client.force_login(request.getfixturevalue(name))
    assert upload(client, case).status_code == 404
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []


# --- Listing and downloading ----------------------------------------------------------------------------


@pytest.fixture
def document(case, anna):
    return services.upload_document(case=case, by=anna, kind="identity", title="Passport of E.K.", data=PDF)


def download_url(case, document):
    return reverse("cases:document_download", args=[case.code, document.pk])


def test_the_documents_tab_lists_titles_and_audits_the_view(client, case, anna, document):
    client.force_login(anna)
    response = client.get(reverse("cases:documents", args=[case.code]))
    assert "Passport of E.K." in response.content.decode()
    assert AuditEvent.objects.get(action="cases.viewed").detail == {"tab": "documents"}


@pytest.mark.parametrize("name", ["anna", "sara"])
def test_download_decrypts_with_safe_headers_and_is_audited(client, request, case, document, name):
    user = request.getfixturevalue(name)
    client.force_login(user)
    response = client.get(download_url(case, document))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{case.code}-doc-{document.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    audit = AuditEvent.objects.get(action="cases.document_downloaded")
    assert (audit.actor, audit.target_id) == (user, str(document.pk))
    assert audit.detail == {"case": case.pk, "document": document.pk, "export": True}


def test_a_receiver_downloads_only_when_documents_are_shared(client, case, paul, police_east, document):
    referral = refer(case, to=police_east)
    client.force_login(paul)
    assert client.get(download_url(case, document)).status_code == 404
    assert "Passport" not in client.get(reverse("cases:documents", args=[case.code])).content.decode()
    assert not AuditEvent.objects.filter(action="cases.document_downloaded").exists()
    referral.share_documents = True
    referral.save()
    assert client.get(download_url(case, document)).content == PDF


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_cannot_download(client, request, case, document, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(download_url(case, document)).status_code == 404
    assert not AuditEvent.objects.filter(action="cases.document_downloaded").exists()


def test_a_document_of_another_case_is_404_under_this_code(client, case, anna, sara, document):
    other = shelter_case(anna=anna, sara=sara)
    client.force_login(anna)
    assert client.get(download_url(other, document)).status_code == 404


def test_a_missing_or_tampered_file_is_410_and_not_audited(client, case, anna, document, media):
    client.force_login(anna)
    (path,) = stored_files(media)
    path.write_bytes(documents.encrypt_bytes(b"%PDF-1.7 swapped content"))
    assert client.get(download_url(case, document)).status_code == 410
    path.unlink()
    assert client.get(download_url(case, document)).status_code == 410
    assert not AuditEvent.objects.filter(action="cases.document_downloaded").exists()
