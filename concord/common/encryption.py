"""Encryption at rest for identity fields, and blind indexes for finding them by exact value.

`EncryptedTextField` stores `MultiFernet(FIELD_ENCRYPTION_KEYS).encrypt(value)` as text and decrypts on read.
Keys come from `CONCORD_FIELD_ENCRYPTION_KEYS` (newest first), never from SECRET_KEY. It fails loudly:
- no keys: ImproperlyConfigured, nothing is stored in plaintext;
- a stored token that no key opens: `UndecryptableValueError`, never the ciphertext in place of the value
  (which a later save would encrypt a second time);
- lookups other than `isnull`: FieldError, because each encryption of the same value differs, so
  `filter(name="x")` would silently match nothing. Search a `<field>_bidx` column instead.

Every non-null value is encrypted, the empty string included: a stored value is always a token, so
anything else in the column is an error, not data.

Blind index: a model that must be searched by an encrypted value keeps a companion column,
`<field>_bidx = models.CharField(max_length=64, blank=True, db_index=True)`, which the service writing the
value fills with `blind_index(value, purpose=...)` and searches with the same call. The index is an
HMAC-SHA256 under `CONCORD_BLIND_INDEX_KEY` (a separate secret) of the value normalised for its purpose.

Rotation: put a new key first, run `manage.py rotate_field_keys`, then remove the old key
(docs/architecture.md, "Encryption at rest").
"""

import hashlib
import hmac
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps as django_apps
from django.apps.registry import Apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, ExpressionWrapper, F, Value
from django.db.models.lookups import Exact

ALLOWED_LOOKUPS = frozenset({"isnull"})
BLIND_INDEX_LENGTH = 64
MIN_BLIND_INDEX_KEY_LENGTH = 32


class UndecryptableValueError(Exception):
    """A stored token that none of FIELD_ENCRYPTION_KEYS opens (a wrong or removed key, or damaged data)."""


# --- Keys ----------------------------------------------------------------------------------------------


def key_problems() -> tuple[list[str], list[str]]:
    """What is wrong with the configured keys: (missing, malformed), as messages without key material."""
    missing: list[str] = []
    malformed: list[str] = []
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", []) or [])
    if not keys:
        missing.append(
            "FIELD_ENCRYPTION_KEYS (env CONCORD_FIELD_ENCRYPTION_KEYS) is empty: "
            "encrypted fields will refuse to read or write."
        )
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            malformed.append(f"Key {position} of FIELD_ENCRYPTION_KEYS is not a valid Fernet key.")
    blind_key = getattr(settings, "BLIND_INDEX_KEY", "") or ""
    if not blind_key:
        missing.append(
            "BLIND_INDEX_KEY (env CONCORD_BLIND_INDEX_KEY) is empty: blind indexes will be refused."
        )
    elif len(blind_key) < MIN_BLIND_INDEX_KEY_LENGTH:
        malformed.append(f"BLIND_INDEX_KEY is shorter than {MIN_BLIND_INDEX_KEY_LENGTH} characters.")
    return missing, malformed


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a valid Fernet key (see .env.example)."
        ) from error


def fernet() -> MultiFernet:
    """The keys in force, read from settings on each use (so a changed setting takes effect at once)."""
    keys = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", []) or [])
    if not keys:
        raise ImproperlyConfigured(
            "Encrypted fields need FIELD_ENCRYPTION_KEYS: set CONCORD_FIELD_ENCRYPTION_KEYS "
            "(or CONCORD_FIELD_ENCRYPTION_KEYS_FILE) to one or more Fernet keys, newest first "
            "(see .env.example)."
        )
    return _multi_fernet(keys)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise UndecryptableValueError("No key in FIELD_ENCRYPTION_KEYS opens this stored value.") from error


# --- The field -----------------------------------------------------------------------------------------


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with MultiFernet. Read it, write it, test it for null; never filter on it."""

    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None:
            return None
        try:
            return decrypt(value)
        except UndecryptableValueError as error:
            label = f"{self.model._meta.label}.{self.name}" if hasattr(self, "model") else self.name
            raise UndecryptableValueError(f"{label}: {error}") from error

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ALLOWED_LOOKUPS:
            raise FieldError(
                f"{self.name} is encrypted: '{lookup_name}' cannot compare ciphertext. Only 'isnull' works; "
                f"search by exact value through a blind index column (concord.common.encryption.blind_index)."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(
            f"{self.name} is encrypted: '{lookup_name}' cannot work on ciphertext. "
            f"Search by exact value through a blind index column (concord.common.encryption.blind_index)."
        )


# --- Blind index ---------------------------------------------------------------------------------------

# Serbian and Macedonian Cyrillic to Latin, lower case (normalisation case-folds first). Serbian follows
# the official Latin alphabet, with ASCII digraphs for the letters whose Latin form people often type
# without diacritics (dje and dj-with-stroke -> dj; tshe and c-acute -> c after folding). Macedonian
# gje, kje and dze follow the official romanisation (gj, kj, dz).
CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "ѓ": "gj", "е": "e", "ж": "ž", "з": "z",  # noqa: RUF001
    "ѕ": "dz", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",  # noqa: RUF001
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "ќ": "kj", "у": "u", "ф": "f", "х": "h", "ц": "c",  # noqa: RUF001
    "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip
# Latin letters that Unicode decomposition does not reduce to a base letter.
LATIN_FOLDS: dict[str, str] = {"đ": "dj", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "ŀ": "l"}  # noqa: RUF001
_NAME_TABLE = str.maketrans({**CYRILLIC_TO_LATIN, **LATIN_FOLDS})
_IDENTITY_SEPARATORS = str.maketrans("", "", " \t\n\r-./")


def _fold(value: str) -> str:
    """Case-fold and drop diacritics (NFKD, then combining marks removed)."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _transliterate(value: str) -> str:
    """Cyrillic to Latin, before diacritics are dropped (NFKD would turn Macedonian gje into plain ghe)."""
    return unicodedata.normalize("NFC", value.casefold()).translate(_NAME_TABLE)


def normalise_name(value: str) -> str:
    """'  Đorđević  Ана ' and 'djordjevic ana' are the same name: Cyrillic to Latin, lower case, no
    diacritics, single spaces."""
    text = value
    for _ in range(3):  # until nothing changes: folding can reveal letters the table maps, and back
        folded = _fold(_transliterate(text))
        if folded == text:
            break
        text = folded
    return " ".join(text.split())


def normalise_identity_number(value: str) -> str:
    """'ab 123-456.7' and 'AB1234567' are the same document number: no spaces, dashes, dots or slashes;
    Cyrillic letters to Latin; upper case."""
    text = value
    for _ in range(3):
        folded = _fold(_transliterate(text)).translate(_IDENTITY_SEPARATORS)
        folded = "".join(folded.split())
        if folded == text:
            break
        text = folded
    return text.upper()


NORMALISERS: dict[str, Callable[[str], str]] = {
    "name": normalise_name,
    "identity_number": normalise_identity_number,
}


def normalise(value: str, *, purpose: str) -> str:
    try:
        return NORMALISERS[purpose](value)
    except KeyError:
        known = ", ".join(NORMALISERS)
        raise ValueError(f"Unknown blind index purpose {purpose!r}; known: {known}") from None


def blind_index(value: str, *, purpose: str) -> str:
    """64 hex characters: HMAC-SHA256 of the normalised value under a key derived for this purpose from
    BLIND_INDEX_KEY, so equal names and equal document numbers never share an index."""
    key = getattr(settings, "BLIND_INDEX_KEY", "") or ""
    if not key:
        raise ImproperlyConfigured(
            "Blind indexes need BLIND_INDEX_KEY: set CONCORD_BLIND_INDEX_KEY "
            "(or CONCORD_BLIND_INDEX_KEY_FILE) to a long random secret, not the SECRET_KEY "
            "(see .env.example)."
        )
    normalised = normalise(value, purpose=purpose)
    purpose_key = hmac.new(key.encode(), f"concord-blind-index:{purpose}".encode(), hashlib.sha256).digest()
    return hmac.new(purpose_key, normalised.encode(), hashlib.sha256).hexdigest()


# --- Key rotation --------------------------------------------------------------------------------------


@dataclass
class RotationCount:
    model: str
    field: str
    rotated: int = 0
    changed_meanwhile: int = 0


def encrypted_fields(registry: Apps | None = None) -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column once, simple-history's historical models included. Proxy models share their
    parent's table, and a child in multi-table inheritance holds only its own columns."""
    for model in (registry or django_apps).get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def _raw(field: EncryptedTextField) -> ExpressionWrapper:
    """The stored token as plain text, without decrypting."""
    return ExpressionWrapper(F(field.attname), output_field=models.TextField())


def rotate_field(
    model: type[models.Model], field: EncryptedTextField, *, batch_size: int, dry_run: bool
) -> RotationCount:
    """Re-encrypt every non-null value of one column under the newest key, one transaction per batch.
    A row changed between reading and writing keeps its new value (it is already under the newest key)."""
    count = RotationCount(model=model._meta.label, field=field.name)
    rows = model._base_manager.filter(**{f"{field.attname}__isnull": False}).order_by("pk")
    last_pk: Any = None
    while True:
        batch = rows if last_pk is None else rows.filter(pk__gt=last_pk)
        tokens = list(batch.values_list("pk", _raw(field))[:batch_size])
        if not tokens:
            return count
        with transaction.atomic(using=rows.db):
            for pk, token in tokens:
                try:
                    rotated = fernet().rotate(token.encode()).decode()
                except InvalidToken as error:
                    raise UndecryptableValueError(
                        f"{model._meta.label}.{field.name} of row {pk}: "
                        "no key in FIELD_ENCRYPTION_KEYS opens it."
                    ) from error
                if dry_run:
                    count.rotated += 1
                    continue
                updated = (
                    model._base_manager.filter(pk=pk)
                    .filter(Exact(_raw(field), token))
                    .update(**{field.attname: Value(rotated, output_field=models.TextField())})
                )
                if updated:
                    count.rotated += 1
                else:
                    count.changed_meanwhile += 1
        last_pk = tokens[-1][0]


def rotate_all(
    *, batch_size: int = 500, dry_run: bool = False, registry: Apps | None = None
) -> Iterable[RotationCount]:
    fernet()  # no keys: fail before touching anything
    for model, field in encrypted_fields(registry):
        yield rotate_field(model, field, batch_size=batch_size, dry_run=dry_run)
