"""Helpers for the accounts tests: signing in through allauth's real pages, and fresh re-authentication."""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client

PASSWORD = "correct horse battery staple"


def current_code(secret: str) -> str:
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client: Client, *, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    """Post allauth's sign-in form, as the browser does."""
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def mark_recently_authenticated(client: Client, user) -> None:  # type: ignore[no-untyped-def]
    """What allauth records when someone re-enters their password: it is not asked again for a while."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def sign_in_with_code(client: Client, user) -> str:  # type: ignore[no-untyped-def]
    """Sign in through allauth's pages (password, then the authenticator code); the session key."""
    sign_in(client, email=user.email)
    client.post("/accounts/2fa/authenticate/", {"code": current_code(user.totp_secret)})
    assert client.session.get("_auth_user_id") == str(user.pk)
    return client.session.session_key
