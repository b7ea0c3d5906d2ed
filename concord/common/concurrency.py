"""Optimistic concurrency for records people edit: two people open the same record, the second save is
refused instead of silently overwriting the first.

Every editable model has a `version` column. A form or API payload carries the version it was read at;
the service calls `claim_version` inside its transaction before saving.
"""

from __future__ import annotations

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
