import time
from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: an organisation administrator invites them (accounts.services)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """allauth asks for the password again before every two-factor step, even straight after
        sign-in. The two-factor rule sends people to set up an authenticator (and then to their
        recovery codes) just after they typed their password; asking for it again at once teaches them
        nothing. So for two-factor steps a password typed in this session within the re-authentication
        timeout counts as re-authentication; later, it is asked again as usual."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or app != "allauth.mfa" or request is None or not request.user.is_authenticated:
            return required
        typed_at = [
            record["at"]
            for record in get_authentication_records(request, request.user)
            if record.get("method") == "password"
        ]
        return not typed_at or time.time() - max(typed_at) >= app_settings.REAUTHENTICATION_TIMEOUT
