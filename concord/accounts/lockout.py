"""How django-axes recognises the account a sign-in attempt is for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def attempted_login(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The e-mail address tried, lower-cased, for AXES_USERNAME_CALLABLE.

    allauth's sign-in form posts the address as `login` but authenticates with `email=...`, so axes
    must look in both places: with AXES_USERNAME_FORM_FIELD alone it finds no username in the
    credentials, and every failed attempt from an address would count against one nameless account."""
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        value = request.POST.get("login")
    return str(value).strip().lower() if value else None
