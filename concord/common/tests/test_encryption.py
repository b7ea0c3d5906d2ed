"""EncryptedTextField, blind indexes, key rotation and the key checks, on a table made for the test.

No production model uses the field yet, so each test defines one in an isolated app registry and creates
its table (and its simple-history table) with the schema editor, on SQLite and PostgreSQL alike.
"""

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.apps.registry import Apps
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps
from hypothesis import given
from hypothesis import strategies as st
from simple_history.models import HistoricalRecords

from concord.common import encryption
from concord.common.checks import check_encryption_keys
from concord.common.encryption import (
    EncryptedTextField,
    UndecryptableValueError,
    blind_index,
    encrypted_fields,
    normalise,
)
from concord.config.env import env_secret_list

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
TABLE = "common_encryption_probe"


@pytest.fixture
def probe(transactional_db: None, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A model with two encrypted fields and history, its tables created for this test only. The key
    rotation command sees this test's registry instead of the project's."""
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    with isolate_apps("concord.common") as registry:

        class Probe(models.Model):
            name = EncryptedTextField()
            note = EncryptedTextField(null=True, blank=True)
            history = HistoricalRecords(
                history_user_id_field=models.IntegerField(null=True, blank=True),
                history_user_getter=lambda historical: None,
                history_user_setter=lambda historical, user: None,
            )

            class Meta:
                app_label = "common"
                db_table = TABLE

            def __str__(self) -> str:
                return f"probe {self.pk}"

        historical = Probe.history.model  # type: ignore[attr-defined]
        with connection.schema_editor() as editor:
            editor.create_model(Probe)
            editor.create_model(historical)
        monkeypatch.setattr(encryption, "django_apps", registry)
        try:
            yield Probe
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(historical)
                editor.delete_model(Probe)


def raw_values(table: str, column: str) -> list[str | None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608 (fixed test names)
        return [row[0] for row in cursor.fetchall()]


# --- The field -----------------------------------------------------------------------------------------


def test_values_round_trip_including_empty_and_null(probe: Any) -> None:
    saved = probe.objects.create(name="Ана Đorđević", note=None)
    empty = probe.objects.create(name="", note="")

    assert probe.objects.get(pk=saved.pk).name == "Ана Đorđević"
    assert probe.objects.get(pk=saved.pk).note is None
    assert probe.objects.get(pk=empty.pk).name == ""
    assert list(probe.objects.order_by("pk").values_list("name", flat=True)) == ["Ана Đorđević", ""]


def test_the_column_holds_a_token_never_the_plaintext(probe: Any) -> None:
    probe.objects.create(name="Maria Popescu", note="lives at 5 Rruga e Durrësit")
    probe.objects.create(name="Maria Popescu", note=None)

    names = raw_values(TABLE, "name")
    notes = raw_values(TABLE, "note")
    assert all(name is not None and "Maria" not in name for name in names)
    assert notes[0] is not None
    assert "Durr" not in notes[0]
    assert notes[1] is None
    assert names[0] != names[1], "the same value encrypts differently each time"
    assert Fernet(KEY_A.encode()).decrypt(str(names[0]).encode()) == b"Maria Popescu"


def test_empty_string_is_encrypted_too(probe: Any) -> None:
    probe.objects.create(name="")

    assert raw_values(TABLE, "name")[0] not in ("", None)


def test_a_wrong_key_raises_instead_of_returning_the_ciphertext(probe: Any, settings: Any) -> None:
    probe.objects.create(name="Maria Popescu")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]

    with pytest.raises(UndecryptableValueError, match=r"common\.Probe\.name"):
        probe.objects.get()
    with pytest.raises(UndecryptableValueError):
        list(probe.objects.values_list("name", flat=True))


def test_missing_keys_refuse_to_write_or_read(probe: Any, settings: Any) -> None:
    probe.objects.create(name="Maria Popescu")
    settings.FIELD_ENCRYPTION_KEYS = []

    with pytest.raises(ImproperlyConfigured, match="CONCORD_FIELD_ENCRYPTION_KEYS"):
        probe.objects.create(name="Ana")
    with pytest.raises(ImproperlyConfigured):
        probe.objects.get()
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    assert probe.objects.count() == 1, "nothing was stored in plaintext"


@pytest.mark.parametrize(
    "lookup",
    [{"name": "Maria"}, {"name__iexact": "maria"}, {"name__icontains": "ar"}, {"name__in": ["Maria"]}],
)
def test_lookups_on_ciphertext_are_refused(probe: Any, lookup: dict[str, Any]) -> None:
    with pytest.raises(FieldError, match="blind index"):
        probe.objects.filter(**lookup)


def test_transforms_on_ciphertext_are_refused(probe: Any) -> None:
    with pytest.raises(FieldError, match="blind index"):
        probe.objects.filter(name__lower="maria")


def test_isnull_still_works(probe: Any) -> None:
    probe.objects.create(name="Ana", note=None)
    probe.objects.create(name="Ben", note="x")

    assert [p.name for p in probe.objects.filter(note__isnull=True)] == ["Ana"]


def test_deconstruct_is_stable_for_migrations() -> None:
    field = EncryptedTextField(null=True, blank=True)
    _name, path, args, kwargs = field.deconstruct()

    assert path == "concord.common.encryption.EncryptedTextField"
    assert kwargs == {"null": True, "blank": True}
    assert EncryptedTextField(*args, **kwargs).deconstruct()[1:] == (path, args, kwargs)


def test_history_rows_keep_the_value_encrypted(probe: Any) -> None:
    row = probe.objects.create(name="Maria Popescu")
    row.name = "Maria Ionescu"
    row.save()

    historical = probe.history.model
    assert isinstance(historical._meta.get_field("name"), EncryptedTextField)
    assert [h.name for h in row.history.order_by("history_id")] == ["Maria Popescu", "Maria Ionescu"]
    assert not any("Maria" in str(value) for value in raw_values(historical._meta.db_table, "name"))


# --- Key rotation --------------------------------------------------------------------------------------


def test_rotation_moves_every_value_and_history_to_the_new_key(probe: Any, settings: Any) -> None:
    names = [f"Person {n}" for n in range(5)]
    for name in names:
        probe.objects.create(name=name, note=None if name.endswith("0") else f"note of {name}")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    out = StringIO()
    call_command("rotate_field_keys", "--batch-size", "2", stdout=out)

    assert "common.Probe.name: rotated 5" in out.getvalue()
    assert "common.Probe.note: rotated 4" in out.getvalue()
    assert "common.HistoricalProbe.name: rotated 5" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert [p.name for p in probe.objects.order_by("pk")] == names
    assert [p.note for p in probe.objects.order_by("pk")][:2] == [None, "note of Person 1"]
    assert sorted(h.name for h in probe.history.all()) == names
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    for row_pk in probe.objects.values_list("pk", flat=True):
        with pytest.raises(UndecryptableValueError):
            probe.objects.get(pk=row_pk)
    with pytest.raises(UndecryptableValueError):
        list(probe.history.all())


def test_rotation_can_run_again(probe: Any, settings: Any) -> None:
    probe.objects.create(name="Ana")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_field_keys", stdout=StringIO())

    call_command("rotate_field_keys", stdout=StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert probe.objects.get().name == "Ana"


def test_dry_run_changes_nothing(probe: Any, settings: Any) -> None:
    probe.objects.create(name="Ana")
    before = raw_values(TABLE, "name")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out = StringIO()

    call_command("rotate_field_keys", "--dry-run", stdout=out)

    assert "common.Probe.name: would rotate 1" in out.getvalue()
    assert raw_values(TABLE, "name") == before


def test_rotation_stops_on_a_value_no_key_opens(probe: Any, settings: Any) -> None:
    probe.objects.create(name="Ana")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]

    with pytest.raises(CommandError, match=r"Probe\.name of row 1"):
        call_command("rotate_field_keys", stdout=StringIO())


def test_rotation_without_keys_is_refused(probe: Any, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = []

    with pytest.raises(ImproperlyConfigured):
        call_command("rotate_field_keys", stdout=StringIO())


def test_rotation_finds_historical_models_and_skips_proxies() -> None:
    with isolate_apps("concord.common") as registry:

        class Plain(models.Model):
            secret = EncryptedTextField()
            history = HistoricalRecords(history_user_id_field=models.IntegerField(null=True))

            class Meta:
                app_label = "common"

            def __str__(self) -> str:
                return "plain"

        class PlainProxy(Plain):
            class Meta:
                app_label = "common"
                proxy = True

        assert isinstance(registry, Apps)
        found = {(model._meta.label, field.name) for model, field in encrypted_fields(registry)}

    assert found == {("common.Plain", "secret"), ("common.HistoricalPlain", "secret")}


# --- Blind index ---------------------------------------------------------------------------------------


def test_names_in_cyrillic_and_latin_share_an_index() -> None:
    same = ["Ђорђевић Ана", "Đorđević  Ana", "djordjevic ana", "DJORDJEVIĆ ANA "]

    assert len({blind_index(name, purpose="name") for name in same}) == 1
    assert blind_index("Ana Petrović", purpose="name") != blind_index("Ana Petrovska", purpose="name")


def test_macedonian_letters_transliterate() -> None:
    assert normalise("Ѓорѓи Ќосевски", purpose="name") == "gjorgji kjosevski"


def test_identity_numbers_ignore_separators_and_case() -> None:
    same = ["ab 123-456.7", "AB1234567", "ab/123 456 7"]

    assert {normalise(number, purpose="identity_number") for number in same} == {"AB1234567"}
    assert len({blind_index(number, purpose="identity_number") for number in same}) == 1


def test_an_index_is_64_hex_characters() -> None:
    index = blind_index("Ana", purpose="name")

    assert len(index) == 64
    int(index, 16)


@given(st.text(max_size=40), st.sampled_from(sorted(encryption.NORMALISERS)))
def test_normalisation_is_idempotent(value: str, purpose: str) -> None:
    once = normalise(value, purpose=purpose)

    assert normalise(once, purpose=purpose) == once


@given(st.text(max_size=40), st.sampled_from(sorted(encryption.NORMALISERS)))
def test_equal_normalised_values_give_equal_indexes(value: str, purpose: str) -> None:
    assert blind_index(value, purpose=purpose) == blind_index(
        normalise(value, purpose=purpose), purpose=purpose
    )


@given(st.text(alphabet="0123456789", min_size=1, max_size=12))
def test_purposes_never_share_an_index(digits: str) -> None:
    assert normalise(digits, purpose="name") == normalise(digits, purpose="identity_number")
    assert blind_index(digits, purpose="name") != blind_index(digits, purpose="identity_number")


def test_the_index_depends_on_the_blind_index_key() -> None:
    before = blind_index("Ana", purpose="name")

    with override_settings(BLIND_INDEX_KEY="another-blind-index-key-for-this-test-only"):
        assert blind_index("Ana", purpose="name") != before


def test_blind_index_without_a_key_is_refused() -> None:
    with (
        override_settings(BLIND_INDEX_KEY=""),
        pytest.raises(ImproperlyConfigured, match="CONCORD_BLIND_INDEX_KEY"),
    ):
        blind_index("Ana", purpose="name")


def test_an_unknown_purpose_is_refused() -> None:
    with pytest.raises(ValueError, match="purpose"):
        blind_index("Ana", purpose="nickname")


# --- Keys: settings and system checks ------------------------------------------------------------------


def test_configured_keys_pass_the_check() -> None:
    assert check_encryption_keys() == []


def test_missing_keys_warn() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[], BLIND_INDEX_KEY=""):
        ids = [message.id for message in check_encryption_keys()]

    assert ids == ["concord.W001", "concord.W001"]


def test_malformed_keys_are_errors_without_revealing_them() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A, "not-a-fernet-key"], BLIND_INDEX_KEY="tiny-key"):
        messages = check_encryption_keys()

    assert [message.id for message in messages] == ["concord.E001", "concord.E001"]
    assert "Key 2 of FIELD_ENCRYPTION_KEYS" in messages[0].msg
    assert not any("not-a-fernet-key" in message.msg or "tiny-key" in message.msg for message in messages)


def test_key_list_comes_from_the_environment_or_a_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONCORD_TEST_KEYS", f" {KEY_B} , {KEY_A},")
    assert env_secret_list("CONCORD_TEST_KEYS") == [KEY_B, KEY_A]

    key_file = tmp_path / "keys"
    key_file.write_text(f"{KEY_B}\n{KEY_A}\n")
    monkeypatch.setenv("CONCORD_TEST_KEYS_FILE", str(key_file))
    assert env_secret_list("CONCORD_TEST_KEYS") == [KEY_B, KEY_A]

    monkeypatch.delenv("CONCORD_TEST_KEYS")
    monkeypatch.delenv("CONCORD_TEST_KEYS_FILE")
    assert env_secret_list("CONCORD_TEST_KEYS") == []
