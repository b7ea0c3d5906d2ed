from typing import Any

from django.http import HttpRequest

from concord.accounts.models import ROLES_ADMINISTERING_ORGANISATION


def membership(request: HttpRequest) -> dict[str, Any]:
    """The organisation and role the signed-in user works under, for the navigation bar, and whether
    they administer an organisation (the members and audit-log links); the latter is asked only when
    a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_membership": None, "administers_organisation": False}
    return {
        "current_membership": user.active_membership(),
        "administers_organisation": lambda: user.has_role(*ROLES_ADMINISTERING_ORGANISATION),
    }
