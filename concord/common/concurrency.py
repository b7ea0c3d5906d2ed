"""Optimistic concurrency for records people edit: two people open the same record, the second save is
refused instead of silently overwriting the first.

Every editable model has a `version` column. A form or API payload carries the version it was read at;
the service calls `claim_version` inside its transaction before saving.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaleVersionError(Exception):
    """The record changed since the user read it."""

    message = _(
        "Someone else saved this record while you were editing it. Reload it and apply your changes again."
    )


def claim_version(instance: Any, *, expected_version: int | None) -> None:
    """Lock the row, check it is still at `expected_version`, and bump `instance.version`.

    Call inside `transaction.atomic()`, then save with "version" in update_fields. On SQLite the
    IMMEDIATE transaction mode serialises writers; on PostgreSQL `select_for_update` does.
    """
    model: type[models.Model] = type(instance)
    current = (
        model._default_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if expected_version is None or current != expected_version:
        raise StaleVersionError
    instance.version = current + 1


def changed_fields(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Names, in the order given, of the fields whose stored value differs from the new one.

    Read from the stored row, since a model form may already have copied the new values onto `instance`.
    Foreign keys compare by id. Services name the changed fields in their audit entries."""
    if not values:
        return []
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(*values).get()
    return [
        name
        for name, value in values.items()
        if stored[name] != (value.pk if isinstance(value, models.Model) else value)
    ]
