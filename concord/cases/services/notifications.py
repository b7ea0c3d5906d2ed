"""In-app notices and the e-mails that point to them.

A notice carries a kind and a referral, nothing else; the page shows the case code at most. The e-mail
says only that something waits in Concord and links to the inbox: no name, no case code, no
organisation, no free text. E-mails leave after the transaction commits, so a refused write sends none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.cases.models import CaseAssignment, Notification

if TYPE_CHECKING:
    from concord.accounts.models import User
    from concord.cases.models import Referral
    from concord.network.models import Organisation


def case_managers_of(organisation: Organisation | int) -> models.QuerySet[User]:
    from concord.accounts.models import Role, User

    return User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role=Role.CASE_MANAGER,
        memberships__organisation=organisation,
    ).distinct()


def national_coordinators_of(country_code: str) -> models.QuerySet[User]:
    from concord.accounts.models import Role, User

    return User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role=Role.NATIONAL_COORDINATOR,
        memberships__organisation__country_id=country_code,
    ).distinct()


def assigned_caseworkers(referral: Referral, organisation_id: int) -> models.QuerySet[User]:
    from concord.accounts.models import User

    return User.objects.filter(
        is_active=True,
        pk__in=CaseAssignment.objects.filter(
            case_id=referral.case_id, organisation_id=organisation_id, ended_at__isnull=True
        ).values("user_id"),
    )


def sender_side(referral: Referral) -> list[User]:
    """The sender's case managers and the caseworkers assigned to the case for the sender."""
    people = {u.pk: u for u in case_managers_of(referral.from_organisation_id)}
    people.update({u.pk: u for u in assigned_caseworkers(referral, referral.from_organisation_id)})
    return list(people.values())


def receiver_side(referral: Referral) -> list[User]:
    people = {u.pk: u for u in case_managers_of(referral.to_organisation_id)}
    people.update({u.pk: u for u in assigned_caseworkers(referral, referral.to_organisation_id)})
    return list(people.values())


def _mail_text(kind: str) -> tuple[str, str]:
    inbox = settings.CONCORD_BASE_URL.rstrip("/") + reverse("cases:notifications")
    if kind == Notification.Kind.REFERRAL_RECEIVED:
        headline = _("You have a new referral in Concord.")
    else:
        headline = _("You have a new notice about a referral in Concord.")
    body = "\n\n".join(
        [headline, _("Sign in to read it:"), inbox, _("This message contains no details on purpose.")]
    )
    return _("Concord: a new notice"), body


def notify(*, recipients: Iterable[User], kind: str, referral: Referral | None) -> list[Notification]:
    """One notice per recipient (each person once), and a content-free e-mail after commit."""
    unique = {user.pk: user for user in recipients if user.is_active}
    notices = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, referral=referral) for user in unique.values()]
    )
    addresses = [user.email for user in unique.values() if user.email]
    if addresses:
        subject, body = _mail_text(kind)

        def _send() -> None:
            for address in addresses:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])

        transaction.on_commit(_send)
    return notices


@transaction.atomic
def mark_read(*, notification: Notification, by: User) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, by: User) -> int:
    return Notification.objects.visible_to(by).unread().update(read_at=timezone.now())
