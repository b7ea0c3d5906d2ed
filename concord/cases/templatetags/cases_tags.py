"""Template helpers of the case pages."""

from typing import Any

from django import template

from concord.cases.querysets import case_roles

register = template.Library()


@register.filter
def has_case_roles(user: Any) -> bool:
    """Whether the user manages cases or is a caseworker anywhere (the "Cases" menu item)."""
    return case_roles(user).any
