"""Key rotation over the real protection tables: after `rotate_field_keys` with [new, old], every encrypted
field of every case record (and its history) reads with the new key alone, and nothing reads with the old."""

from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from concord.cases.models import IDENTITY_FIELDS, Case
from concord.cases.tests import factories as f
from concord.common.encryption import UndecryptableValueError, encrypted_fields

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def every_encrypted_value() -> dict[str, list[Any]]:
    """Each encrypted column of the project, read through the ORM (decrypting), by model and field."""
    values = {}
    for model, field in encrypted_fields():
        values[f"{model._meta.label}.{field.name}"] = list(
            model._default_manager.order_by("pk").values_list(field.name, flat=True)
        )
    return values


@pytest.mark.django_db
def test_rotation_keeps_every_case_record_readable_with_the_new_key_only(settings, anna, shelter_north):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    identity = {name: f"value of {name}" for name in IDENTITY_FIELDS}
    identity["birth_date"] = "2001-04-12"
    case = f.CaseFactory(owner=shelter_north, created_by=anna, **identity)
    case.first_name = "changed, so that history holds two rows"
    case.save()
    f.TraffickingEventFactory(case=case)
    f.SupportPlanFactory(case=case)
    f.ServiceDeliveryFactory(case=case, notes="went well")
    f.CaseNoteFactory(case=case)
    f.LegalProceedingFactory(case=case, notes="hearing postponed")
    f.ConsentFactory(case=case, witness="Witness Name")
    f.ScreeningFactory(organisation=shelter_north, notes="met at the bus station")
    f.CaseDocumentFactory(case=case)
    before = every_encrypted_value()
    assert before["cases.Case.identity_number"] == [identity["identity_number"]]
    assert sum(len(v) for v in before.values()) > len(IDENTITY_FIELDS) * 3  # case, its history, the rest

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_field_keys", stdout=StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert every_encrypted_value() == before
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    with pytest.raises(UndecryptableValueError):
        Case.objects.get(pk=case.pk)
    with pytest.raises(UndecryptableValueError):
        list(Case.history.all())
