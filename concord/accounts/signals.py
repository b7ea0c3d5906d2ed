"""Sign-in events are written to the audit log. Django and allauth announce them only through signals,
so this is the one place signals carry a rule; every other audit entry is written by a service."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from concord.audit.models import AuditEvent


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # axes has already worked out the client's address (behind a proxy too) for the requests it sees.
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    AuditEvent.record(action="accounts.signed_in", actor=user, target=user, ip_address=_ip(request))


@receiver(user_logged_out)
def record_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        AuditEvent.record(action="accounts.signed_out", actor=user, target=user, ip_address=_ip(request))


@receiver(user_login_failed)
def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Only the address tried is kept, never the password; the e-mail may not belong to any account.
    attempted = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")
    AuditEvent.record(
        action="accounts.sign_in_failed", ip_address=_ip(request), detail={"login": attempted[:200]}
    )


@receiver(user_locked_out)
def record_lockout(
    sender: Any, request: HttpRequest | None, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    AuditEvent.record(
        action="accounts.locked_out", ip_address=ip_address, detail={"login": (username or "")[:200]}
    )
