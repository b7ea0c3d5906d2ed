"""Template tags for showing a group's work on pages owned by other apps (the group page)."""

from __future__ import annotations

from typing import Any

from django import template

from concord.coordination import selectors
from concord.network.models import CooperationGroup

register = template.Library()


@register.simple_tag(takes_context=True)
def group_work(context: dict[str, Any], group: CooperationGroup) -> selectors.GroupWork | None:
    """The group's recent meetings and task counts for the signed-in user, or None if the user does not
    work in the group. Scoped by `selectors.group_work`."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return selectors.group_work(group=group, user=user)
