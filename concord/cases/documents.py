"""Case documents at rest: what may be uploaded, and how the bytes are kept.

- Size: at most `settings.CONCORD_MAX_DOCUMENT_BYTES` (env CONCORD_MAX_DOCUMENT_BYTES, 10 MB by default),
  checked before the file is read.
- Type: decided by the content (magic bytes), never by the name or the browser's claim. PDF, PNG, JPEG,
  plain UTF-8 text, and DOCX/XLSX (a zip holding the Office part that names them); anything else is refused.
- At rest: the file on disk is a Fernet token of the bytes (`concord.common.encryption.fernet()`, the field
  keys), at a random name (`CaseDocument.file`'s upload_to); the sha256 of the plaintext is recorded.
- Out: only through the download view or endpoint, decrypted, as an attachment with a generic name
  (case code, document id, extension) and `X-Content-Type-Options: nosniff`. Files are never served from
  MEDIA_ROOT.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import IO

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from concord.common.encryption import UndecryptableValueError, fernet

DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS: dict[str, str] = {
    PDF: ".pdf",
    PNG: ".png",
    JPEG: ".jpg",
    TEXT: ".txt",
    DOCX: ".docx",
    XLSX: ".xlsx",
}

# Control characters a plain-text file may hold (tab, line feed, form feed, carriage return).
_TEXT_CONTROLS = frozenset("\t\n\f\r")


def max_document_bytes() -> int:
    return int(getattr(settings, "CONCORD_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES))


def _office_type(data: bytes) -> str | None:
    """DOCX or XLSX when the zip holds the part that makes it one. Only the directory is read, so a zip
    bomb costs nothing here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


# Markup that a browser would render if it ever ignored the attachment and type headers: not plain text.
_MARKUP_STARTS = ("<!doctype", "<html", "<svg", "<?xml", "<script", "<head", "<body", "<iframe")


def _is_plain_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if not text.strip() or text.lstrip().lower().startswith(_MARKUP_STARTS):
        return False
    return all(ch.isprintable() or ch in _TEXT_CONTROLS for ch in text)


def sniff_content_type(data: bytes) -> str | None:
    """The type of `data` by its content, or None when it is none of the accepted types."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, as Windows editors write
        return TEXT if _is_plain_text(data[3:]) else None
    return TEXT if _is_plain_text(data) else None


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def too_large_error() -> ValidationError:
    return ValidationError(
        {
            "file": _("The file is larger than %(limit)s. Upload a smaller file.")
            % {"limit": filesizeformat(max_document_bytes())}
        }
    )


def check_upload(data: bytes) -> CheckedUpload:
    """Accept `data` as a document, or raise a ValidationError on the `file` field."""
    if len(data) > max_document_bytes():
        raise too_large_error()
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError(
            {
                "file": _(
                    "This type of file is not accepted. Upload a PDF, PNG or JPEG image, plain text, "
                    "or a Word (DOCX) or Excel (XLSX) file."
                )
            }
        )
    return CheckedUpload(data=data, content_type=content_type, sha256=hashlib.sha256(data).hexdigest())


def read_limited(stream: IO[bytes], *, declared_size: int | None) -> bytes:
    """The bytes of an uploaded file, refusing before reading when it declares itself too large, and
    reading one byte more than the limit so that a wrong declared size is caught too."""
    limit = max_document_bytes()
    if declared_size is not None and declared_size > limit:
        raise too_large_error()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large_error()
    return data


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as error:
        raise UndecryptableValueError(
            "No key in FIELD_ENCRYPTION_KEYS opens this stored document."
        ) from error


def download_filename(*, case_code: str, document_id: int, content_type: str) -> str:
    """A name that says nothing about the person: `C-7KQM-X2PA-doc-12.pdf`."""
    return f"{case_code}-doc-{document_id}{EXTENSIONS.get(content_type, '.bin')}"
