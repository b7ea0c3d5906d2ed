"""Session rules that apply to every request: idle timeout and two-factor sign-in for sensitive roles."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

ACTIVITY_KEY = "concord_last_activity"
# Write the activity stamp at most once a minute: saving the session on every request would make
# SQLite writers contend for nothing.
ACTIVITY_RESOLUTION_SECONDS = 60


class IdleTimeoutMiddleware:
    """Sign out a session that has been idle longer than SESSION_IDLE_TIMEOUT."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(ACTIVITY_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect(settings.LOGIN_URL)
            if last is None or now - int(last) >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[ACTIVITY_KEY] = now
        return self.get_response(request)


# Paths a signed-in user without two-factor may still reach: setting it up, signing out, language, assets.
TWO_FACTOR_SETUP_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/favicon.ico")


class RequireTwoFactorMiddleware:
    """Roles that see personal data must have an authenticator before they reach anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_SETUP_PREFIXES)
            and user.requires_two_factor()
            and not _has_authenticator(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Two-factor sign-in must be set up first.")}, status=403)
            messages.warning(request, _("Your role requires two-factor sign-in. Please set it up now."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_authenticator(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
