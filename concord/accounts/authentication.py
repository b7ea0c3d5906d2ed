"""API authentication with the same sign-in rules as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, plus the two-factor rule RequireTwoFactorMiddleware applies to pages.

    The middleware cannot see token users (DRF authenticates inside the view), so a token of someone
    whose role requires two-factor sign-in works only once they have set it up. Tokens of deactivated
    users are refused by DRF itself (and deleted when the account is deactivated)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if user.lacks_required_two_factor():
            raise exceptions.PermissionDenied(_("Two-factor sign-in must be set up first."))
        return user, token
