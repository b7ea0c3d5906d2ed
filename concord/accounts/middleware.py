"""Session rules that apply to every request: idle timeout, absolute lifetime, two-factor sign-in for
sensitive roles, and no caching of signed-in pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

ACTIVITY_KEY = "concord_last_activity"
# Write the activity stamp at most once a minute: saving the session on every request would make
# SQLite writers contend for nothing.
ACTIVITY_RESOLUTION_SECONDS = 60
# Django's own key for a session's fixed expiry (SessionBase.set_expiry with a datetime).
FIXED_EXPIRY_KEY = "_session_expiry"


class IdleTimeoutMiddleware:
    """Sign out a session that has been idle longer than SESSION_IDLE_TIMEOUT, and give every signed-in
    session a fixed end SESSION_COOKIE_AGE after sign-in.

    Django's own expiry slides: each save of the session (the activity stamp, once a minute) pushes it
    another SESSION_COOKIE_AGE away, so a session in steady use would never end. A fixed expiry, set
    once at sign-in, makes the twelve hours absolute; Django then drops the session by itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(ACTIVITY_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Your session has expired.")}, status=403)
                return redirect_to_login(request.get_full_path())
            if last is None or now - int(last) >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[ACTIVITY_KEY] = now
        response = self.get_response(request)
        # After the response, so the request that signs in (the user is set by the view) gets it too.
        if request.user.is_authenticated and FIXED_EXPIRY_KEY not in request.session:
            request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
            request.session.setdefault(ACTIVITY_KEY, int(time.time()))
        return response


# Paths a signed-in user without two-factor may still reach: setting it up, signing out, language, assets.
TWO_FACTOR_SETUP_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/favicon.ico")


class RequireTwoFactorMiddleware:
    """Roles that see personal data must have an authenticator before they reach anything else.

    API requests authenticated with a token are not seen here (DRF authenticates inside the view);
    `concord.accounts.authentication.TokenAuthentication` applies the same rule to them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_SETUP_PREFIXES)
            and user.lacks_required_two_factor()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Two-factor sign-in must be set up first.")}, status=403)
            messages.warning(request, _("Your role requires two-factor sign-in. Please set it up now."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in person may carry personal data: no browser history cache, no shared
    proxy may keep them. Responses that set their own Cache-Control (static files) are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response
