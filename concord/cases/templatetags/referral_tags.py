"""Template helpers of the referral pages, and the unread-notice count of the main navigation."""

from __future__ import annotations

from typing import Any

from django import template

from concord.cases.models import Notification, ReferralService, SharedSection
from concord.cases.querysets import case_roles

register = template.Library()

_SERVICE_LABELS = dict(ReferralService.choices)
_SECTION_LABELS = dict(SharedSection.choices)


@register.filter
def service_labels(values: Any) -> str:
    """["shelter", "legal_aid"] -> "Shelter, Legal aid"."""
    return ", ".join(str(_SERVICE_LABELS.get(value, value)) for value in (values or []))


@register.filter
def section_labels(values: Any) -> str:
    return ", ".join(str(_SECTION_LABELS.get(value, value)) for value in (values or []))


@register.simple_tag(takes_context=True)
def referral_nav(context: Any) -> dict[str, Any]:
    """Whether to show the Referrals item, and the user's unread notices: one COUNT query (the case roles
    are cached on the user for the request). Coordinators see it when a notice waits for them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False, "unread": 0}
    unread = Notification.objects.visible_to(user).unread().count()
    return {"show": case_roles(user).any or unread > 0, "unread": unread}
