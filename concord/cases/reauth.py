"""The identity gate: identity fields show only to someone who re-entered their password (or
authenticator code) within ACCOUNT_REAUTHENTICATION_TIMEOUT (15 minutes), on top of `access.sees_identity`.

allauth records each re-authentication in the session; we read those records ourselves rather than use
allauth's `did_recently_reauthenticate`, which waves through users who have no way to re-authenticate."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings
from allauth.account.internal.flows.login import get_authentication_records


def recently_reauthenticated(request: Any) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    at = [
        record.get("at", 0)
        for record in get_authentication_records(request, user)
        if record.get("reauthenticated")
    ]
    return bool(at) and time.time() - max(at) < app_settings.REAUTHENTICATION_TIMEOUT
