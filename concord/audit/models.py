"""The append-only record of who did or saw what: sign-ins, permission changes, writes, views, exports.

It holds no personal data of survivors: the target is a type and an id, never a name.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: Any) -> AuditEventQuerySet:
        """Network administrators see every event. Organisation administrators see the events of their
        organisations (done for them or about them), and the events without an organisation done by
        their current members. Everyone else sees nothing.

        An event attributed to another organisation stays out of sight even if its actor later joins
        ours: what a person did elsewhere is that organisation's business."""
        from concord.accounts.models import Membership
        from concord.accounts.querysets import is_network_admin, org_admin_organisation_ids

        if is_network_admin(user):
            return self
        administered = org_admin_organisation_ids(user)
        if not administered:
            return self.none()
        # A subquery rather than a join through the actor's memberships: no duplicate rows to remove.
        current_members = Membership.objects.filter(organisation_id__in=administered, is_active=True).values(
            "user_id"
        )
        return self.filter(
            models.Q(organisation_id__in=administered)
            | models.Q(organisation__isnull=True, actor_id__in=current_members)
        )

    # Append-only, in bulk too: no update or delete through a queryset.
    def update(self, **kwargs: Any) -> int:
        raise ValueError("Audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit events are append-only")

    def for_target(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))


class AuditEvent(models.Model):
    """One thing that happened. Written only by service functions through `AuditEvent.record`."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The organisation the actor acted for (or, for events with no actor, the one concerned).
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # An organisation administrator's audit log: their organisation's events, newest first.
            models.Index(fields=["organisation", "at"], name="audit_org_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: an event, once written, is never changed.
        if self.pk is not None and not self._state.adding:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit events are append-only")

    @classmethod
    def record(
        cls,
        *,
        action: str,
        actor: Any = None,
        target: models.Model | None = None,
        organisation: Any = None,
        ip_address: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> AuditEvent:
        """Write one event. `organisation` defaults to the actor's working organisation."""
        if organisation is None and actor is not None and getattr(actor, "is_authenticated", False):
            membership = actor.active_membership()
            organisation = membership.organisation if membership else None
        return cls.objects.create(
            action=action,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            organisation=organisation,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:200] if target is not None else "",
            ip_address=ip_address,
            detail=detail or {},
        )
